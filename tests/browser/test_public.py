"""The public side in a real browser: journey (4) and accessibility of every public page type."""

from __future__ import annotations

import re
import time

import feedparser
import pytest

from tests.browser.conftest import DESKTOP, PHONE, link_path, mail_text
from tests.factories import make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "## Worum es geht\n\nDie Bezahlkarte begrenzt Bargeld auf 50 Euro im Monat.\n\n"
    "## Unsere Forderung\n\nDer Landkreis soll die Grenze aufheben und Überweisungen erlauben."
)


@pytest.fixture
def published(db):
    return make_statement(
        state="published",
        title="Bezahlkarte: Bargeldgrenze aufheben",
        summary="Der RTM fordert, die Bargeldgrenze der Bezahlkarte aufzuheben.",
        body=BODY,
    )


def test_visitor_finds_reads_follows_and_subscribes(pages, published, smtp_server):
    """Journey (4): search → read → feed → subscribe (confirmation mail) → next publication mail.

    Tasks run eagerly in the live server's thread here; the test below runs the same
    journey against a real Celery worker and Redis.
    """
    visitor_journey(pages, published, smtp_server)


def test_visitor_journey_with_a_real_worker(pages, published, real_stack):
    """Journey (4) with PostgreSQL, Redis and a `celery worker` process delivering the mail."""
    visitor_journey(pages, published, real_stack)


def visitor_journey(pages, published, smtp_server) -> None:
    page = pages.new()
    page.goto("/")
    pages.screenshot(page, "01-home")
    page.get_by_role("link", name=re.compile("^Positionen$")).first.click()
    page.get_by_role("searchbox").fill("Bargeldgrenze")
    page.get_by_role("button", name="Anzeigen").click()
    pages.screenshot(page, "02-search")
    page.get_by_role("link", name=published.title).first.click()
    assert page.get_by_role("heading", level=1).inner_text().strip() == published.title
    assert "Überweisungen erlauben" in page.content()
    pages.screenshot(page, "03-statement")

    feed_response = page.request.get("/statements/feed/")
    assert feed_response.ok
    feed = feedparser.parse(feed_response.body())
    assert [entry.title for entry in feed.entries] == [published.title]
    assert feed.entries[0].link.endswith(published.get_absolute_url())

    page.goto("/subscribe/")
    page.get_by_label(re.compile("E-Mail")).fill("leserin@example.net")
    page.get_by_role("button", name="Abonnieren").click()
    pages.screenshot(page, "04-subscribed")
    messages = smtp_server.wait_for(1, timeout=20)
    assert smtp_server.recipients() == ["leserin@example.net"]
    page.goto(link_path(mail_text(messages[0]), "/subscribe/confirm/"))
    page.get_by_role("button", name=re.compile("bestätigen")).click()
    pages.screenshot(page, "05-confirmed")

    # The next publication reaches the confirmed subscriber.
    second = make_statement(state="published", title="Sprachkurse für alle öffnen")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(mails_to(smtp_server, "leserin@example.net")) < 2:
        time.sleep(0.1)
    mails = mails_to(smtp_server, "leserin@example.net")
    assert len(mails) == 2
    assert second.title in mail_text(mails[-1])


def mails_to(sink, address: str) -> list:
    return [
        m for (_f, rcpts), m in zip(sink.envelopes, sink.messages, strict=True) if address in rcpts
    ]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_public_pages_have_no_wcag_violations(pages, check_a11y, published, language, viewport):
    page = pages.new(viewport=viewport, language=language)
    urls = [
        "/",
        "/statements/",
        "/statements/?q=Bargeldgrenze",
        published.get_absolute_url(),
        "/about/",
        "/privacy/",
        "/imprint/",
        "/subscribe/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no-such-page/",
    ]
    pages.expect_failure("/no-such-page/")
    for url in urls:
        response = page.goto(url)
        assert response.status < 500, url
        check_a11y(page, f"{url} [{language}, {viewport['width']}px]")
    pages.screenshot(page, f"statement-{language}-{viewport['width']}")
