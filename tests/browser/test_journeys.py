"""Journeys (1)-(3) in Chromium: co-writing with an edit conflict, a suggestion, the vote.

Each runs twice against live_server and a real SMTP server (aiosmtpd): once with eager
Celery (tasks run in the server thread on commit), once with PostgreSQL, a private Redis
and a real `celery worker` process delivering the mail (skipped without PostgreSQL
locally, required in CI). Each journey checks the mail that arrived.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import mail_text
from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Die Bezahlkarte begrenzt Bargeld auf 50 Euro im Monat."
SECOND = "Der Landkreis soll die Grenze aufheben."
BODY = f"{FIRST}\n\n{SECOND}"


@pytest.fixture(params=["eager", "worker"])
def mail(request):
    """The SMTP sink, with tasks run eagerly or by a real worker over Redis."""
    if request.param == "worker":
        return request.getfixturevalue("real_stack")
    return request.getfixturevalue("smtp_server")


@pytest.fixture
def people(db):
    return {
        "amira": UserFactory(display_name="Amira Autorin", email="amira@example.org"),
        "jonas": UserFactory(display_name="Jonas Mitautor", email="jonas@example.org"),
        "lena": UserFactory(display_name="Lena Mitglied", email="lena@example.org"),
        "kora": UserFactory(
            display_name="Kora Koordination",
            email="koordination@example.org",
            is_coordinator=True,
        ),
    }


def text_area(page):
    return page.get_by_label("Text", exact=True)


def recipients_of(sink, needle: str) -> set[str]:
    """Who received a mail whose subject or text contains `needle`."""
    found = set()
    for (_sender, rcpts), message in zip(sink.envelopes, sink.messages, strict=True):
        if needle in mail_text(message):
            found.update(rcpts)
    return found


def wait_for_recipients(sink, needle: str, expected: set[str], timeout: float = 20) -> set[str]:
    """Mail is sent on commit by eager tasks; give it a moment, then report who got it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not expected <= recipients_of(sink, needle):
        time.sleep(0.1)
    return recipients_of(sink, needle)


def test_cowriting_with_an_edit_conflict_then_submit(pages, people, mail):
    """Journey (1): two authors edit at once, one resolves the conflict, they submit."""
    draft = make_statement(
        author=people["amira"],
        coauthors=[people["jonas"]],
        state="draft",
        body=BODY,
        title="Bezahlkarte ohne Bargeldgrenze",
    )
    amira = pages.new(user=people["amira"])
    jonas = pages.new(user=people["jonas"])
    amira.goto(draft.get_absolute_url())
    amira.get_by_role("link", name="Text bearbeiten").click()
    jonas.goto(amira.url)  # both now edit revision 1

    # Both change the first sentence and add a paragraph: the paragraphs merge, the
    # sentence is the one place Jonas has to decide.
    text_area(amira).fill(BODY.replace("im Monat", "pro Monat") + "\n\nAmiras Absatz.")
    amira.get_by_role("button", name="Speichern").click()
    amira.wait_for_url(re.compile(re.escape(draft.get_absolute_url()) + "$"))

    pages.expect_failure(draft.get_absolute_url() + "edit/")  # the conflict page is a 409
    text_area(jonas).fill(BODY.replace("im Monat", "monatlich") + "\n\nJonas' Absatz.")
    jonas.get_by_role("button", name="Speichern").click()
    assert jonas.get_by_role("heading", level=1).inner_text() == "Bearbeitungskonflikt"
    assert "Amiras Absatz." in jonas.locator("main").inner_text()  # merged already
    pages.screenshot(jonas, "01-conflict")
    place = jonas.get_by_role("group", name=re.compile("^Stelle 1 von 1"))
    place.get_by_role("radio", name="Ihr Text", exact=True).check()
    jonas.get_by_role("button", name="Entscheidungen übernehmen und speichern").click()
    jonas.wait_for_url(re.compile(re.escape(draft.get_absolute_url()) + "$"))
    body = jonas.locator("main").inner_text()
    assert "Amiras Absatz." in body and "Jonas' Absatz." in body
    assert "50 Euro monatlich" in body

    amira.goto(draft.get_absolute_url())
    amira.get_by_role("link", name="In die Konsultation geben").click()
    pages.screenshot(amira, "02-submit-confirm")
    amira.get_by_role("button", name="In die Konsultation geben").click()
    amira.wait_for_url(re.compile(re.escape(draft.get_absolute_url())))
    draft.refresh_from_db()
    assert draft.state == "consultation"
    assert draft.current_revision.body.count("Absatz.") == 2
    pages.screenshot(amira, "03-in-consultation")

    # All members hear that the consultation opened (the submitting author need not).
    assert "lena@example.org" in wait_for_recipients(mail, draft.title, {"lena@example.org"})


def test_comment_with_suggestion_applied_by_author(pages, people, mail):
    """Journey (2): a member comments on a paragraph with a suggestion; an author applies it."""
    paper = make_statement(
        author=people["amira"],
        coauthors=[people["jonas"]],
        state="consultation",
        body=BODY,
        title="Sprachkurse für alle",
    )
    lena = pages.new(user=people["lena"])
    lena.goto(paper.get_absolute_url())
    form = lena.locator("#new-comment form")
    form.get_by_label("Kommentar", exact=True).fill("Bitte konkreter: ab wann?")
    form.get_by_label("Bezieht sich auf").select_option(index=1)
    form.get_by_label(re.compile("^Änderungsvorschlag")).fill(
        "Die Bezahlkarte begrenzt Bargeld seit Mai 2024 auf 50 Euro im Monat."
    )
    form.get_by_role("button", name="Kommentieren").click()
    lena.get_by_text("Bitte konkreter: ab wann?").first.wait_for()
    pages.screenshot(lena, "01-suggestion")

    amira = pages.new(user=people["amira"])
    amira.goto(paper.get_absolute_url())
    amira.get_by_role("button", name="Vorschlag übernehmen").click()
    # Wait for the page to change (htmx swap), not only for the database: a screenshot
    # taken while the swap is under way used to race htmx's settling of the old inputs.
    amira.locator(".message-success", has_text="Vorschlag übernommen – Fassung 2").wait_for()
    assert "seit Mai 2024" in amira.locator("#statement-body").inner_text()
    paper.refresh_from_db()
    assert "seit Mai 2024" in paper.current_revision.body
    assert SECOND in paper.current_revision.body
    pages.screenshot(amira, "02-applied")

    # Comments and applied suggestions reach the people concerned in the daily digest
    # (their default), which beat sends in the morning: run it now.
    from notifications.tasks import send_daily_digests

    send_daily_digests()
    concerned = {"amira@example.org", "jonas@example.org", "lena@example.org"}
    link = paper.get_absolute_url() + "#comment-"
    assert concerned <= wait_for_recipients(mail, link, concerned)


def test_vote_close_and_publish(pages, people, mail):
    """Journey (3): the coordinator opens the vote, members vote, it closes, it is published."""
    from voting.models import Ballot
    from workflow.tasks import run_due_work

    paper = make_statement(
        author=people["amira"],
        coauthors=[people["jonas"]],
        state="consultation",
        body=BODY,
        title="Unterbringung dezentral",
    )
    kora = pages.new(user=people["kora"])
    kora.goto(paper.get_absolute_url())
    kora.get_by_role("link", name="Abstimmung eröffnen").click()
    pages.screenshot(kora, "01-open-vote")
    kora.get_by_role("button", name="Abstimmung eröffnen").click()
    kora.wait_for_url(re.compile(re.escape(paper.get_absolute_url())))
    paper.refresh_from_db()
    assert paper.state == "voting"

    for name, choice in (("amira", "Ja"), ("jonas", "Ja"), ("lena", "Enthaltung")):
        voter = pages.new(user=people[name])
        voter.goto(paper.get_absolute_url())
        panel = voter.locator("#abstimmung")
        panel.get_by_label(choice, exact=True).check()
        panel.get_by_role("button", name="Stimme abgeben").click()
        voter.locator("#abstimmung").get_by_role("button", name="Stimme ändern").wait_for()
    pages.screenshot(voter, "02-voted")

    # The deadline passes; beat's job closes the vote as the system.
    past = timezone.now() - timedelta(minutes=1)
    Ballot.objects.filter(statement=paper).update(closes_at=past)
    run_due_work()
    paper.refresh_from_db()
    assert paper.state == "accepted"

    kora.goto(paper.get_absolute_url())
    kora.get_by_role("link", name="Veröffentlichen").click()
    kora.get_by_role("button", name="Veröffentlichen").click()
    kora.wait_for_url(re.compile(re.escape(paper.get_absolute_url())))
    paper.refresh_from_db()
    assert paper.state == "published"
    pages.screenshot(kora, "03-published")

    wanted = {"amira@example.org", "jonas@example.org", "lena@example.org"}
    assert wanted <= wait_for_recipients(mail, paper.title, wanted)
