"""The e-mail list in Chromium (issue 18): a member posts a funding hint, it reaches the
subscribers over a real SMTP server and shows on the board and in the archive; an outside
subscriber confirms (double opt-in) and unsubscribes with the link from a list mail.
axe-core on every new page at 1280 and 360 px; screenshots in var/screenshots/issue18/."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from maillist import services
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, link_path, mail_text
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "issue18"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def wait_for_mail(sink, to: str, needle: str, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for (_sender, rcpts), message in zip(sink.envelopes, sink.messages, strict=True):
            if to in rcpts and needle in mail_text(message):
                return message
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to} with {needle!r}")


@pytest.fixture
def people(db):
    return {
        "jonas": UserFactory(display_name="Jonas Mitglied", email="jonas@example.org"),
        "lena": UserFactory(display_name="Lena Mitglied", email="lena@example.org"),
        "kora": UserFactory(
            display_name="Kora Koordination", email="koordination@example.org", is_coordinator=True
        ),
    }


def test_funding_hint_and_outside_subscriber_journey(pages, people, smtp_server, check_a11y):
    # An outside subscriber signs up and confirms (double opt-in).
    visitor = pages.new()
    visitor.goto("/verteiler/abonnieren/")
    check_a11y(visitor, "subscribe 1280")
    visitor.locator("#id_email").fill("partner@example.org")
    visitor.get_by_role("button", name="Abonnieren").click()
    visitor.get_by_text("Fast geschafft").wait_for()
    confirm = wait_for_mail(smtp_server, "partner@example.org", "bestätigen")
    visitor.goto(link_path(mail_text(confirm), "/verteiler/abonnieren/"))
    check_a11y(visitor, "confirm 1280")
    shot(visitor, "01-confirm")
    visitor.get_by_role("button", name="Ja, ich möchte").click()
    visitor.get_by_text("Abonnement bestätigt").wait_for()

    # A member posts a funding hint in the editor.
    deadline = timezone.localdate() + timedelta(days=20)
    member = pages.new(user=people["jonas"])
    member.goto("/verteiler/neu/")
    check_a11y(member, "post_new 1280")
    member.locator("#id_post_type").select_option("funding")
    member.locator("#id_title").fill("Mikroprojekte Begegnung 2027")
    member.locator("#id_body").fill("Gefördert werden **Begegnungsfeste**.")
    member.locator("#id_is_public").check()
    member.locator("#id_funder").fill("Stiftung Beispiel")
    member.locator("#id_programme").fill("Begegnung vor Ort")
    member.locator("#id_eligible").fill("Vereine und Initiativen")
    member.locator("#id_amount").fill("bis 2.000 €")
    member.locator("#id_deadline").fill(deadline.isoformat())
    member.locator("#id_link").fill("https://example.org/mikroprojekte")
    shot(member, "02-post-new")
    member.get_by_role("button", name="An den Verteiler senden").click()
    member.get_by_text("Der Beitrag ist an den Verteiler gegangen.").wait_for()
    assert member.locator("strong", has_text="Begegnungsfeste").count() == 1
    check_a11y(member, "post 1280")
    shot(member, "03-post")

    # It reaches the members and the outside subscriber, with the list headers.
    for address in ("lena@example.org", "koordination@example.org", "partner@example.org"):
        wait_for_mail(smtp_server, address, "Mikroprojekte Begegnung 2027")
    outside = wait_for_mail(smtp_server, "partner@example.org", "Mikroprojekte")
    assert outside["List-Id"] and outside["Precedence"] == "list"
    assert outside["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # It shows on the board and in the archive, for visitors too (public).
    visitor.goto("/verteiler/foerderhinweise/")
    visitor.get_by_role("link", name="Mikroprojekte Begegnung 2027").wait_for()
    assert visitor.get_by_text("Stiftung Beispiel").count() >= 1
    check_a11y(visitor, "funding 1280")
    shot(visitor, "04-funding-board")
    visitor.goto("/verteiler/")
    visitor.get_by_role("link", name="Mikroprojekte Begegnung 2027").wait_for()
    check_a11y(visitor, "archive 1280")
    shot(visitor, "05-archive")

    # The subscriber unsubscribes with the link from the mail.
    unsubscribe = link_path(mail_text(outside), "/verteiler/abmelden/")
    visitor.goto(unsubscribe)
    check_a11y(visitor, "unsubscribe 1280")
    visitor.get_by_role("button", name="Abmeldung bestätigen").click()
    visitor.get_by_text("Sie erhalten keine E-Mails des Verteilers mehr.").wait_for()
    shot(visitor, "06-unsubscribed")
    count = len(smtp_server.messages)
    services.post_create(
        author=people["lena"],
        post_type="funding",
        title="Danach",
        body="x",
        is_public=True,
        deadline=deadline,
    )
    wait_for_mail(smtp_server, "jonas@example.org", "Danach")
    assert not any("partner@example.org" in rcpts for _s, rcpts in smtp_server.envelopes[count:])


def test_new_pages_have_no_wcag_violations(pages, people, check_a11y, db):
    post = services.post_create(
        author=people["jonas"],
        post_type="funding",
        title="Förderung",
        body="Text",
        is_public=True,
        funder="Land",
        deadline=timezone.localdate() + timedelta(days=3),
    )
    services.subscriber_subscribe(email="extern@example.org", post_types=["funding"])
    services.type_setting_save(post_type="topic", approval_required=True, by=people["kora"])
    services.post_create(
        author=people["jonas"], post_type="topic", title="Wartet", body="Text", is_public=False
    )
    urls = {
        None: [
            "/verteiler/",
            "/verteiler/foerderhinweise/",
            f"/verteiler/{post.pk}/",
            "/verteiler/abonnieren/",
        ],
        "jonas": ["/verteiler/neu/", "/verteiler/meine-arten/"],
        "kora": [
            "/coordination/verteiler/",
            "/coordination/verteiler/einstellungen/",
            "/coordination/verteiler/abonnements/",
        ],
    }
    for viewport in (DESKTOP, PHONE):
        for who, paths in urls.items():
            page = pages.new(user=people[who] if who else None, viewport=viewport)
            for path in paths:
                page.goto(path)
                check_a11y(page, f"{path} [{viewport['width']}px]")
                if viewport is PHONE:
                    name = path.strip("/").replace("/", "-") or "home"
                    shot(page, f"phone-{name}")


def test_funding_hint_reminder_and_reply_by_mail_journey(
    pages, people, smtp_server, settings, check_a11y
):
    """Issue 18's Show journey: a member posts a funding hint in the browser; it reaches
    the subscribers over SMTP; with the clock moved to a week before the deadline, beat's
    reminder task mails it again to whoever wants reminders; a member answers that mail
    from her mail program (real SMTP into the `inbound_mail` listener) and the answer
    shows in the post's thread, for visitors too (the hint is public)."""
    import smtplib
    from unittest import mock

    from inbound.smtp import controller
    from maillist.models import Post
    from maillist.tasks import send_funding_reminders
    from notifications import services as notifications
    from tests.inbound.conftest import raw_reply
    from tests.realservices import free_port, wait_for_port

    settings.RTM_REPLY_DOMAIN = "antwort.example.org"
    lena = people["lena"]
    notifications.preference_save(user=lena, kind="funding_reminder", mode="immediately")
    deadline = timezone.localdate() + timedelta(days=30)

    member = pages.new(user=people["jonas"], viewport=PHONE)
    member.goto("/verteiler/neu/")
    member.locator("#id_post_type").select_option("funding")
    member.locator("#id_title").fill("Integrationsfonds Sachsen 2027")
    member.locator("#id_body").fill("Für **Sprachcafés** und Patenschaften.")
    member.locator("#id_is_public").check()
    member.locator("#id_funder").fill("Freistaat Sachsen")
    member.locator("#id_deadline").fill(deadline.isoformat())
    member.get_by_role("button", name="An den Verteiler senden").click()
    member.get_by_text("Der Beitrag ist an den Verteiler gegangen.").wait_for()
    post = Post.objects.get(title="Integrationsfonds Sachsen 2027")

    first = wait_for_mail(smtp_server, lena.email, "Integrationsfonds Sachsen 2027")
    reply_to = first["Reply-To"]
    assert reply_to.startswith("reply+l") and reply_to.endswith("@antwort.example.org")

    # Beat's daily task, the clock moved: 8 days before the deadline nothing, 7 days
    # before (RTM_FUNDING_REMINDER_DAYS) the reminder, once.
    days = settings.RTM_FUNDING_REMINDER_DAYS
    with mock.patch("django.utils.timezone.localdate", return_value=deadline - timedelta(days + 1)):
        assert send_funding_reminders() == 0
    with mock.patch("django.utils.timezone.localdate", return_value=deadline - timedelta(days)):
        assert send_funding_reminders() == 1
        assert send_funding_reminders() == 0
    reminder = wait_for_mail(smtp_server, lena.email, "Frist am")
    assert "Integrationsfonds Sachsen 2027" in mail_text(reminder)
    # The same thread and reader (the expiry is counted from the day it was sent).
    assert reminder["Reply-To"].split("-")[:2] == reply_to.split("-")[:2]
    reply_to = reminder["Reply-To"]

    # Lena answers the reminder from her mail program; her MX hands it to the listener.
    port = free_port()
    listener = controller("127.0.0.1", port)
    listener.start()
    try:
        wait_for_port(port, timeout=10)
        raw = raw_reply("thunderbird_de.eml", to=reply_to, sender=lena.email, message_id="j@mua")
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            assert client.sendmail(lena.email, [reply_to], raw) == {}
    finally:
        listener.stop()
    [answer] = Post.objects.filter(parent=post)
    assert answer.author == lena and answer.body.startswith("Ich stimme dem Vorschlag zu")

    visitor = pages.new(viewport=PHONE)
    visitor.goto(f"/verteiler/{post.pk}/")
    thread = visitor.get_by_role("region", name="Antworten auf diesen Beitrag")
    thread.get_by_text("Ich stimme dem Vorschlag zu").wait_for()
    assert thread.get_by_text("Lena Mitglied").count() == 1
    check_a11y(visitor, "post with reply 360")
    shot(visitor, "07-reply-in-thread")
