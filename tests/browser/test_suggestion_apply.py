"""Applying a suggestion in Chromium, JavaScript on and off (issue 15, item 2).

With htmx the page must change without a reload: the paper's text shows the new
paragraph, the suggestion says "übernommen" and focus lands on the status line.
Before, the answer was a client redirect to the same URL plus an anchor, so the browser
only scrolled and nothing visibly changed.
"""

from __future__ import annotations

import pytest

from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Die Bezahlkarte begrenzt Bargeld.\n\nDer Landkreis soll die Grenze aufheben."
NEW = "Die Bezahlkarte begrenzt Bargeld auf 50 Euro im Monat."


@pytest.fixture
def paper(db):
    from discussion.services import comment_create
    from statements.markdown import blocks

    author = UserFactory(display_name="Amira Autorin")
    member = UserFactory(display_name="Lena Mitglied")
    statement = make_statement(author=author, state="consultation", body=BODY)
    suggestion = comment_create(
        statement=statement,
        author=member,
        body="Bitte konkreter.",
        block_id=blocks(statement.current_revision.body)[0].id,
        suggestion_text=NEW,
    )
    return {"author": author, "statement": statement, "suggestion": suggestion}


@pytest.mark.parametrize("javascript", [True, False])
def test_applying_a_suggestion_shows_text_and_state(pages, check_a11y, paper, javascript):
    page = pages.new(user=paper["author"], javascript=javascript)
    page.goto(paper["statement"].get_absolute_url())
    article = page.locator(f"#comment-{paper['suggestion'].pk}")
    assert article.locator(".suggestion-state").text_content() == "offen"
    assert NEW not in page.locator("#statement-body").inner_text()
    if javascript:
        page.evaluate("() => { window.__sameDocument = true; }")
        # htmx must never write a style attribute (CSP style-src 'self'): settling once
        # copied an old element's style (a screenshot's caret style) onto the new one.
        settled = page.evaluate("() => htmx.config.attributesToSettle")
        assert "style" not in settled
        assert page.evaluate("() => htmx.config.includeIndicatorStyles") is False

    article.get_by_role("button", name="Vorschlag übernehmen").click()

    page.locator(".message-success", has_text="Vorschlag übernommen – Fassung 2").wait_for()
    article = page.locator(f"#comment-{paper['suggestion'].pk}")
    assert article.locator(".suggestion-state").text_content() == "übernommen"
    assert "Amira Autorin" in article.inner_text()
    assert article.get_by_role("link", name="Fassung 2 ansehen").count() == 1
    assert NEW in page.locator("#statement-body").inner_text()
    assert page.locator("#statement-revision").inner_text().startswith("Nr. 2 vom")
    assert article.get_by_role("button", name="Vorschlag übernehmen").count() == 0
    if javascript:
        # No reload: the marker set on the old document survives, and focus is on the notice.
        assert page.evaluate("() => window.__sameDocument === true")
        assert page.evaluate("() => document.activeElement.getAttribute('role')") == "status"
        # axe runs as a script; with JavaScript off it cannot (the markup is the same).
        check_a11y(page, "applied with htmx")
    pages.screenshot(page, "applied")
