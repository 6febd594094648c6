"""The editor for people who don't know Markdown (issue 16, item 1): a toolbar that writes
Markdown (mouse and keyboard), the preview beside the text on wide screens and a switch on
phones, a proportional font, the summary's character counter; nothing of it without
JavaScript, where the plain form still works."""

from __future__ import annotations

import pytest

from statements.models import Statement
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _select(page, field, text: str) -> None:
    page.evaluate(
        """([id, text]) => { const f = document.getElementById(id);
            const i = f.value.indexOf(text); f.focus();
            f.setSelectionRange(i, i + text.length); }""",
        [field, text],
    )


def test_toolbar_writes_markdown_with_mouse_and_keyboard(pages, check_a11y, author):
    statement = make_statement(author=author, body="Erste Zeile\n\nzwei\ndrei")
    page = pages.new(user=author)
    page.goto(f"/statements/{statement.slug}/edit/")
    body = page.get_by_role("textbox", name="Text", exact=True)
    toolbar = page.get_by_role("toolbar", name="Formatierung")
    # The preview sits beside the text and shows the saved text at once.
    page.locator("#live-preview p").first.wait_for()
    text_box, preview_box = body.bounding_box(), page.locator(".editor .preview").bounding_box()
    assert preview_box["x"] > text_box["x"] + text_box["width"]
    # Beside, starting level with the toolbar that heads the text (its label a line above).
    top, bottom = toolbar.bounding_box()["y"], text_box["y"]
    assert top - 16 <= preview_box["y"] <= bottom, (top, preview_box["y"], bottom)
    assert page.evaluate(
        "() => !/mono/.test(getComputedStyle(document.getElementById('id_body')).fontFamily)"
    )
    check_a11y(page, "editor, 1280 px")

    _select(page, "id_body", "Erste")
    toolbar.get_by_role("button", name="Fett").click()
    assert body.input_value().startswith("**Erste** Zeile")
    _select(page, "id_body", "Zeile")
    page.keyboard.press("Control+i")
    assert body.input_value().startswith("**Erste** *Zeile*")
    _select(page, "id_body", "zwei\ndrei")
    toolbar.get_by_role("button", name="Nummerierte Liste").click()
    assert body.input_value().endswith("1. zwei\n2. drei")
    toolbar.get_by_role("button", name="Nummerierte Liste").click()  # a second press undoes
    assert body.input_value().endswith("\n\nzwei\ndrei")

    # Keyboard only: one Tab stop, arrows move, Enter presses.
    _select(page, "id_body", "drei")
    toolbar.get_by_role("button", name="Überschrift").focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.textContent") == "Zitat"
    page.keyboard.press("Enter")
    assert body.input_value().endswith("zwei\n> drei")
    assert toolbar.locator("button[tabindex='0']").count() == 1
    _select(page, "id_body", "zwei")
    page.keyboard.press("Control+k")
    assert "[zwei](https://)" in body.input_value()
    page.keyboard.type("https://example.org")  # the address part was selected
    assert "[zwei](https://example.org)" in body.input_value()
    page.locator("#live-preview a", has_text="zwei").wait_for()

    # The summary counts its characters against its limit.
    summary = page.get_by_role("textbox", name="Zusammenfassung")
    summary.fill("Kurz.")
    assert page.locator("#id_summary_count").inner_text() == "5 von 1000 Zeichen"
    page.get_by_label("Änderungsnotiz").fill("Formatiert")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/statements/{statement.slug}/")
    saved = Statement.objects.get(pk=statement.pk).current_revision
    assert saved.body.startswith("**Erste** *Zeile*")
    assert "[zwei](https://example.org)" in saved.body
    pages.screenshot(page, "saved")


@pytest.mark.parametrize("language", ["de", "en"])
def test_phone_switches_between_text_and_preview(pages, check_a11y, author, language):
    statement = make_statement(author=author, body="Ein Absatz mit *Betonung*.")
    page = pages.new(user=author, viewport=PHONE, language=language)
    page.goto(f"/statements/{statement.slug}/edit/")
    show, body_name = ("Vorschau zeigen", "Text") if language == "de" else ("Show preview", "Text")
    body = page.get_by_role("textbox", name=body_name, exact=True)
    toggle = page.get_by_role("button", name=show)
    assert body.is_visible() and not page.locator("#live-preview").is_visible()
    check_a11y(page, f"editor, 360 px, {language}")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.locator("#live-preview em").inner_text() == "Betonung"
    assert not body.is_visible()
    check_a11y(page, f"editor preview, 360 px, {language}")
    pages.screenshot(page, f"phone-preview-{language}")
    toggle.click()
    assert body.is_visible()


def test_english_editor_at_desktop_is_accessible(pages, check_a11y, author):
    statement = make_statement(author=author)
    page = pages.new(user=author, viewport=DESKTOP, language="en")
    page.goto(f"/statements/{statement.slug}/edit/")
    page.get_by_role("toolbar", name="Formatting").wait_for()
    check_a11y(page, "editor, 1280 px, en")


def test_without_javascript_no_toolbar_and_the_form_still_saves(pages, author):
    statement = make_statement(author=author)
    page = pages.new(user=author, javascript=False, viewport=PHONE)
    page.goto(f"/statements/{statement.slug}/edit/")
    assert not page.locator(".md-toolbar").is_visible()
    assert page.locator("#live-preview").is_visible()  # below the text, no switch needed
    page.get_by_role("textbox", name="Text", exact=True).fill("## Ohne Skript\n\n- eins")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/statements/{statement.slug}/")
    assert Statement.objects.get(pk=statement.pk).current_revision.body.startswith("## Ohne")
