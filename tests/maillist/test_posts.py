"""List posts: written by members, held or sent per type, delivered through the outbox,
archived members-only or public, searchable, in a feed and in the digest."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from maillist import services
from maillist.models import OptOut, Post, PostState, PostType
from notifications import services as outbox
from notifications.models import Channel, Kind, Mode, Notification, Preference, Status
from tests.factories import UserFactory
from tests.notifications.conftest import html_of, text_of

pytestmark = pytest.mark.django_db


def post(author, **kw):
    data = {
        "post_type": PostType.INFORMATION,
        "title": "Sprechstunde der Ausländerbehörde",
        "body": "Die **Sprechstunde** findet künftig dienstags statt.",
        "is_public": False,
    }
    data.update(kw)
    return services.post_create(author=author, **data)


def test_a_member_posts_and_every_member_gets_it_through_the_outbox(member, author, coordinator):
    outsider = UserFactory(membership_status="registered")
    p = post(member)
    assert p.state == PostState.SENT and p.sent_at is not None
    assert "<strong>Sprechstunde</strong>" in p.body_html
    to = set(
        Notification.objects.filter(kind=Kind.LIST_POST, channel=Channel.EMAIL).values_list(
            "recipient_id", flat=True
        )
    )
    assert to == {member.pk, author.pk, coordinator.pk}  # the writer too; no non-member
    assert outsider.pk not in to


def test_markdown_is_sanitised(member):
    p = post(member, body="<script>alert(1)</script>[x](javascript:alert(1)) **ok**")
    assert "<script" not in p.body_html and 'href="javascript:' not in p.body_html
    assert "<strong>ok</strong>" in p.body_html


def test_a_member_who_switched_off_a_type_gets_none_of_it(member, author):
    OptOut.objects.create(user=author, post_type=PostType.DATE)
    post(member, post_type=PostType.DATE)
    post(member, post_type=PostType.TOPIC)
    rows = Notification.objects.filter(recipient=author, channel=Channel.EMAIL)
    assert [r.context["post_id"] for r in rows] == [Post.objects.get(post_type="topic").pk]


def test_a_type_needing_approval_is_held_until_the_coordination_approves(
    member, coordinator, client_for
):
    services.type_setting_save(post_type=PostType.TOPIC, approval_required=True, by=coordinator)
    p = post(member, post_type=PostType.TOPIC, is_public=True)
    assert p.state == PostState.HELD
    assert not Notification.objects.filter(kind=Kind.LIST_POST).exists()
    # Held: not in the archive, not even for members; the author may look at it.
    assert p.title not in client_for(UserFactory()).get(reverse("maillist:archive")).text
    assert client_for(None).get(p.get_absolute_url()).status_code == 404
    assert client_for(member).get(p.get_absolute_url()).status_code == 200
    held = client_for(coordinator).get(reverse("maillist:held"))
    assert p.title in held.text
    response = client_for(coordinator).post(
        reverse("maillist:decide", kwargs={"pk": p.pk}), {"approve": "1"}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.state == PostState.SENT
    assert Notification.objects.filter(kind=Kind.LIST_POST, channel=Channel.EMAIL).exists()
    # A second click (stale page) sends nothing twice.
    count = Notification.objects.count()
    client_for(coordinator).post(reverse("maillist:decide", kwargs={"pk": p.pk}), {"approve": "1"})
    assert Notification.objects.count() == count


def test_a_declined_post_is_never_sent(member, coordinator):
    services.type_setting_save(post_type=PostType.MINUTES, approval_required=True, by=coordinator)
    p = post(member, post_type=PostType.MINUTES)
    services.post_decide(post=p, by=coordinator, approve=False)
    p.refresh_from_db()
    assert p.state == PostState.DECLINED
    assert not Notification.objects.filter(kind=Kind.LIST_POST).exists()


def test_only_the_coordination_changes_the_approval_setting(member, coordinator, client_for):
    url = reverse("maillist:settings")
    assert client_for(member).post(url, {"approval": ["funding"]}).status_code == 403
    assert client_for(coordinator).post(url, {"approval": ["funding"]}).status_code == 302
    assert services.approval_required("funding") and not services.approval_required("topic")


def test_the_form_keeps_the_text_on_an_error(member, client_for):
    response = client_for(member).post(
        reverse("maillist:post_new"),
        {"post_type": "funding", "title": "Förderung X", "body": "Mein langer Text"},
    )
    assert response.status_code == 400
    assert "Mein langer Text" in response.text and "Antragsfrist" in response.text
    assert not Post.objects.exists()


def test_posting_through_the_page(member, client_for):
    response = client_for(member).post(
        reverse("maillist:post_new"),
        {"post_type": "date", "title": "Treffen am 12.", "body": "Im Rathaus.", "is_public": "on"},
    )
    p = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == p.get_absolute_url()
    assert p.is_public and p.author == member


CANARY = "Kanarienvogel-Interna"


def test_members_only_posts_never_reach_visitors(member, client_for):
    """Canary: a members-only post's words appear on no anonymous URL of the list."""
    secret = post(member, title=f"{CANARY} Titel", body=f"{CANARY} im Text")
    public = post(member, title="Offener Brief", body="Für alle.", is_public=True)
    anonymous = client_for(None)
    for url in [
        reverse("maillist:archive"),
        reverse("maillist:archive") + "?q=Titel",  # a word of the secret post
        reverse("maillist:archive") + "?q=Text",
        reverse("maillist:funding"),
        reverse("maillist:feed"),
        reverse("public:home"),
    ]:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert CANARY not in response.content.decode(), url
    assert anonymous.get(secret.get_absolute_url()).status_code == 404
    assert "Offener Brief" in anonymous.get(reverse("maillist:archive")).text
    assert anonymous.get(public.get_absolute_url()).status_code == 200
    assert "Offener Brief" in anonymous.get(reverse("maillist:feed")).text
    # Members see both.
    page = client_for(UserFactory()).get(reverse("maillist:archive")).text
    assert CANARY in page and "Offener Brief" in page


@pytest.mark.postgres  # German stemming is PostgreSQL's full-text search; SQLite matches substrings
def test_search_finds_german_word_forms(member, client_for):
    post(member, title="Beratung", body="Wir suchen Ehrenamtliche für die Sprachkurse.")
    post(member, title="Anderes", body="Nichts davon.")
    page = client_for(member).get(reverse("maillist:archive"), {"q": "Ehrenamtlichen"}).text
    assert "Beratung" in page and "Anderes" not in page


def test_the_atom_feed_lists_public_posts_in_full(member, client):
    post(member, title="Neues Programm", body="Ein *Programm* für alle.", is_public=True)
    response = client.get(reverse("maillist:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Neues Programm" in response.text and "&lt;em&gt;Programm&lt;/em&gt;" in response.text


def test_a_list_post_is_folded_into_the_digest_of_who_chose_it(member, author, mailoutbox):
    Preference.objects.create(user=author, kind=Kind.LIST_POST, mode=Mode.DIGEST)
    post(member, title="Für die Zusammenfassung")
    assert Notification.objects.get(recipient=author, channel=Channel.EMAIL).status == (
        Status.DIGEST
    )
    outbox.outbox_deliver()
    mailoutbox.clear()
    assert outbox.digests_build() == 1
    outbox.outbox_deliver()
    (digest,) = [m for m in mailoutbox if author.email in m.to]
    assert "Für die Zusammenfassung" in digest.body


def test_the_list_mail_carries_the_post(member, author, mailoutbox):
    post(member, title="Protokoll März", body="Es wurde **beschlossen**.", post_type="minutes")
    outbox.outbox_deliver()
    (mail,) = [m for m in mailoutbox if author.email in m.to]
    assert mail.subject.endswith("[Protokoll] Protokoll März")
    assert "Es wurde **beschlossen**." in mail.body
    assert "<strong>beschlossen</strong>" in mail.alternatives[0][0]
    assert mail.extra_headers.get("List-Unsubscribe") or "List-Unsubscribe" in str(mail.message())


def test_archive_queries_do_not_grow_with_posts(member, client_for, django_assert_max_num_queries):
    for i in range(3):
        post(member, title=f"Beitrag {i}")
    c = client_for(member)
    c.get(reverse("maillist:archive"))
    for i in range(20):
        post(member, title=f"Mehr {i}")
    # session, user, posts count, posts page (authors joined)
    with django_assert_max_num_queries(6):
        c.get(reverse("maillist:archive"))


@pytest.mark.postgres
def test_delivery_to_a_real_smtp_server(member, author, smtp_server):
    post(member, title="Echter Versand", body="Über **SMTP**.")
    sent = outbox.outbox_deliver()
    messages = smtp_server.wait_for(sent)
    assert {m["To"] for m in messages} >= {author.email, member.email}
    m = next(m for m in messages if m["To"] == author.email)
    assert "Über **SMTP**." in text_of(m) and "<strong>SMTP</strong>" in html_of(m)
    assert re.search(r"Echter Versand", str(m["Subject"]))


def test_demo_data_has_posts_and_two_funding_hints_and_is_idempotent():
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert Post.objects.filter(origin="").count() == 4
    assert Post.objects.filter(post_type=PostType.FUNDING, state=PostState.SENT).count() == 2
    # The demo meetings posted their invitations (and approved minutes) once.
    meeting_posts = Post.objects.exclude(origin="")
    assert meeting_posts.filter(post_type=PostType.DATE).exists()
    assert len({p.origin for p in meeting_posts}) == meeting_posts.count()


def test_the_data_export_holds_the_members_posts(member, client_for):
    post(member, title="Mein Beitrag")
    OptOut.objects.create(user=member, post_type=PostType.DATE)
    from accounts.export import collect_user_data

    data = collect_user_data(member)["maillist"]
    assert [p["title"] for p in data["posts"]] == ["Mein Beitrag"]
    assert data["types_switched_off"] == ["date"]
