"""Co-writing in a real browser: live preview with htmx (CSRF, CSP intact), the preview
button without JavaScript, saving, the conflict page, history and diff; WCAG 2.2 AA."""

from __future__ import annotations

import re

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


CONFLICT_BODY = (
    "## Unsere Forderung\n\n"
    "Die Bezahlkarte begrenzt Bargeld auf 50 Euro. Das trifft Familien hart.\n\n"
    "Wir fordern Sprachkurse ab dem ersten Tag.\n\n"
    "- Beratung vor Ort\n- Dolmetschende bei Behördengängen"
)


@pytest.mark.parametrize(
    ("viewport", "javascript"),
    [(DESKTOP, True), (PHONE, True), (DESKTOP, False)],
    ids=["1280-js", "360-js", "1280-nojs"],
)
def test_conflict_page_flow_end_to_end(pages, check_a11y, author, coauthor, viewport, javascript):
    """Two authors change the same sentence (and each something elsewhere): the second
    sees the merged text with the overlap side by side, cannot save without deciding,
    decides, and both authors' words are in the saved text."""
    statement = make_statement(author=author, coauthors=[coauthor], body=CONFLICT_BODY)
    page = pages.new(user=author, viewport=viewport, javascript=javascript)
    page.goto(f"/statements/{statement.slug}/edit/")
    page.get_by_role("textbox", name="Text", exact=True).fill(
        CONFLICT_BODY.replace("Wir fordern", "Wir wünschen").replace(
            "Familien hart", "Familien mit Kindern hart"
        )
    )
    page.get_by_label("Titel").fill("Bezahlkarte: Grenze aufheben, sofort")
    if javascript:  # let the live preview answer first, so the save below cannot race it
        # (attached: on a phone the preview is behind the "Vorschau zeigen" switch)
        page.locator("#live-preview").get_by_text("Wir wünschen").wait_for(state="attached")
    # Meanwhile Carl saves: the same sentence, and a new list item.
    revision_save(
        statement_id=statement.pk,
        author=coauthor,
        text=TextFields(
            "Bezahlkarte: Grenze aufheben!",
            statement.occasion,
            statement.summary,
            CONFLICT_BODY.replace("Wir fordern", "Wir verlangen") + "\n- Kinderbetreuung",
        ),
        message="Forderung geschärft",
        base_revision_id=statement.current_revision_id,
    )
    pages.expect_failure(f"/statements/{statement.slug}/edit/")  # 409, then 400
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("heading", name="Bearbeitungskonflikt", level=1).wait_for()
    main = page.locator("main")
    # Carl's new words are on the page, in the merged text and side by side.
    assert "Kinderbetreuung" in main.inner_text()
    assert "Familien mit Kindern hart" in main.inner_text()
    title_place = page.get_by_role("group", name=re.compile("^Stelle 1 von 2"))
    text_place = page.get_by_role("group", name=re.compile("^Stelle 2 von 2"))
    assert "Fassung 2 von Carl Koautor" in text_place.inner_text()
    assert "Wir verlangen Sprachkurse" in text_place.inner_text()
    assert "Wir wünschen Sprachkurse" in text_place.inner_text()
    size = viewport["width"]
    if javascript:  # axe-core runs in the page; the HTML is the same without JavaScript
        check_a11y(page, f"conflict page ({size}px)")
    pages.screenshot(page, f"conflict-{size}")

    # Deciding only the title is not enough: refused, the choice and the text kept.
    title_place.get_by_role("radio", name="Ihr Text", exact=True).check()
    page.get_by_role("button", name="Entscheidungen übernehmen und speichern").click()
    page.get_by_role("heading", name="Noch nicht gespeichert").wait_for()
    assert (
        page.get_by_role("group", name=re.compile("^Stelle 1 von 2"))
        .get_by_role("radio", name="Ihr Text", exact=True)
        .is_checked()
    )
    if javascript:
        check_a11y(page, f"conflict page refused ({size}px)")
    pages.screenshot(page, f"conflict-refused-{size}")
    assert Statement.objects.get(pk=statement.pk).current_revision.number == 2

    text_place = page.get_by_role("group", name=re.compile("^Stelle 2 von 2"))
    text_place.get_by_role("radio", name=re.compile("^beide, von Hand")).check()
    text_place.get_by_label("Von Hand zusammenführen").fill(
        "Wir verlangen und wünschen Sprachkurse ab dem ersten Tag.\n"
    )
    page.get_by_role("button", name="Entscheidungen übernehmen und speichern").click()
    page.wait_for_url(f"**/statements/{statement.slug}/")
    assert "Fassung 3 ist gespeichert" in page.locator(".messages").inner_text()
    saved = Statement.objects.get(pk=statement.pk)
    assert saved.title == "Bezahlkarte: Grenze aufheben, sofort"
    assert "Wir verlangen und wünschen Sprachkurse ab dem ersten Tag." in saved.body
    assert "Familien mit Kindern hart" in saved.body and "- Kinderbetreuung" in saved.body
    assert list(saved.current_revision.credited.all()) == [coauthor]


def test_saves_in_different_paragraphs_merge_with_a_notice(pages, author, coauthor):
    statement = make_statement(author=author, coauthors=[coauthor], body=CONFLICT_BODY)
    page = pages.new(user=author)
    page.goto(f"/statements/{statement.slug}/edit/")
    page.get_by_role("textbox", name="Text", exact=True).fill(
        CONFLICT_BODY.replace("Familien hart", "Familien mit Kindern hart")
    )
    page.locator("#live-preview").get_by_text("mit Kindern").wait_for()
    revision_save(
        statement_id=statement.pk,
        author=coauthor,
        text=TextFields(
            statement.title,
            statement.occasion,
            statement.summary,
            CONFLICT_BODY.replace("ersten Tag", "ersten Tag an"),
        ),
        message="",
        base_revision_id=statement.current_revision_id,
    )
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/statements/{statement.slug}/")
    notice = page.locator(".messages").inner_text()
    assert "sind zusammengeführt: Fassung 3 ist gespeichert" in notice
    text = page.locator("main").inner_text()
    assert "Familien mit Kindern hart" in text and "ersten Tag an" in text


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
