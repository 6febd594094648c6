"""Co-writing in a real browser: live preview with htmx (CSRF, CSP intact), the preview
button without JavaScript, saving, the conflict page, history and diff; WCAG 2.2 AA."""

from __future__ import annotations

import pytest

from statements.models import Statement
from statements.services import TextFields, revision_save
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_author_writes_with_live_preview_and_saves(pages, author, coauthor):
    statement = make_statement(author=author, coauthors=[coauthor])
    page = pages.new(user=author)
    page.goto(f"/statements/{statement.slug}/edit/")
    body = page.get_by_role("textbox", name="Text", exact=True)
    body.fill("## Unsere Forderung\n\nDie Bargeldgrenze **aufheben**.")
    preview = page.locator("#live-preview")
    preview.get_by_role("heading", name="Unsere Forderung").wait_for()
    assert preview.locator("strong").inner_text() == "aufheben"
    pages.screenshot(page, "01-live-preview")
    page.get_by_label("Änderungsnotiz").fill("Forderung ausformuliert")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/statements/{statement.slug}/")
    assert "Fassung 2 ist gespeichert." in page.content()
    assert Statement.objects.get(pk=statement.pk).current_revision.number == 2


def test_preview_button_works_without_javascript(pages, author):
    statement = make_statement(author=author)
    page = pages.new(user=author, javascript=False)
    page.goto(f"/statements/{statement.slug}/edit/")
    page.get_by_role("textbox", name="Text", exact=True).fill("# Ohne Skript\n\n- eins\n- zwei")
    page.get_by_role("button", name="Vorschau").click()
    assert page.locator("#live-preview h1").inner_text() == "Ohne Skript"
    assert (
        page.get_by_role("textbox", name="Text", exact=True)
        .input_value()
        .startswith("# Ohne Skript")
    )
    assert Statement.objects.get(pk=statement.pk).current_revision.number == 1


def test_conflict_page_in_the_browser_and_merge(pages, check_a11y, author, coauthor):
    statement = make_statement(author=author, coauthors=[coauthor])
    page = pages.new(user=author)
    page.goto(f"/statements/{statement.slug}/edit/")
    page.get_by_role("textbox", name="Text", exact=True).fill(
        "Annas Text, der nicht verloren gehen darf."
    )
    revision_save(
        statement_id=statement.pk,
        author=coauthor,
        text=TextFields(statement.title, statement.occasion, statement.summary, "Carls Text."),
        message="schneller",
        base_revision_id=statement.current_revision_id,
    )
    pages.expect_failure(f"/statements/{statement.slug}/edit/")  # the 409 response
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("heading", name="Bearbeitungskonflikt", level=1).wait_for()
    assert (
        "Annas Text, der nicht verloren gehen darf."
        in page.get_by_label("Text", exact=True).input_value()
    )
    check_a11y(page, "conflict page")
    pages.screenshot(page, "02-conflict")
    page.get_by_role("textbox", name="Text", exact=True).fill("Carls Text.\n\nAnnas Text.")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/statements/{statement.slug}/")
    assert Statement.objects.get(pk=statement.pk).body == "Carls Text.\n\nAnnas Text."


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_co_writing_pages_have_no_wcag_violations(
    pages, check_a11y, author, coauthor, viewport, language
):
    statement = make_statement(author=author, coauthors=[coauthor])
    revision_save(
        statement_id=statement.pk,
        author=coauthor,
        text=TextFields(statement.title, "", "Kurz.", "Erster Absatz.\n\nNeuer Absatz."),
        message="ergänzt",
        base_revision_id=statement.current_revision_id,
    )
    page = pages.new(user=author, viewport=viewport, language=language)
    for url in [
        "/dashboard/",
        "/statements/new/",
        f"/statements/{statement.slug}/",
        f"/statements/{statement.slug}/edit/",
        f"/statements/{statement.slug}/history/",
        f"/statements/{statement.slug}/diff/1/2/",
        f"/statements/{statement.slug}/revisions/1/",
        f"/statements/{statement.slug}/coauthors/",
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        check_a11y(page, f"{url} ({language}, {viewport['width']}px)")


def test_history_fits_a_phone_without_sideways_scrolling(pages, author, coauthor):
    """The history table widened the page to ~550 px at 360 px; rows now stack."""
    statement = make_statement(author=author, coauthors=[coauthor])
    for n in range(2):
        revision_save(
            statement_id=statement.pk,
            author=coauthor,
            text=TextFields(statement.title, statement.occasion, statement.summary, f"Text {n}."),
            message="Eine längere Änderungsnotiz zum Absatz über die Unterkünfte",
            base_revision_id=Statement.objects.get(pk=statement.pk).current_revision_id,
        )
    page = pages.new(user=author, viewport=PHONE)
    page.goto(f"/statements/{statement.slug}/history/")
    page.get_by_role("button", name="Wiederherstellen Fassung 1").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
