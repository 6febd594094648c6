"""Issue 15 in a real browser: the line-numbered paper (screenshots, axe-core), comment on
selected words, who is editing now, and the warning about a newer revision."""

from __future__ import annotations

import pytest

from statements.services import TextFields, revision_save
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.discussion.conftest import block_ids
from tests.factories import make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "## Unsere Forderung\n\n"
    "Die Bezahlkarte begrenzt Bargeld auf 50 Euro im Monat. Das trifft Familien hart, weil "
    "Schulausflüge, Flohmärkte, Vereinsbeiträge und der Einkauf auf dem Wochenmarkt bar "
    "bezahlt werden. Wir fordern deshalb, die Bargeldgrenze aufzuheben.\n\n"
    "- Beratung vor Ort in allen Gemeinschaftsunterkünften des Landkreises, mit festen "
    "Sprechzeiten und Dolmetschenden\n"
    "- Dolmetschende bei Behördengängen\n\n"
    "> Niemand soll wegen eines Zahlungsmittels vom Alltag ausgeschlossen sein.\n"
)


def select_words(page, phrase: str) -> None:
    """Select exactly `phrase` inside the paper's text, as a reader dragging would."""
    page.evaluate(
        """(phrase) => {
          const root = document.getElementById("statement-body");
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const at = node.data.indexOf(phrase);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + phrase.length);
              const selection = window.getSelection();
              selection.removeAllRanges();
              selection.addRange(range);
              return;
            }
          }
          throw new Error("phrase not found: " + phrase);
        }""",
        phrase,
    )


def test_line_numbered_view_screenshots_and_axe(pages, check_a11y, author, coauthor, member):
    from discussion import services

    statement = make_statement(author=author, coauthors=[coauthor], state="consultation", body=BODY)
    second = block_ids(statement)[1]
    services.comment_create(
        statement=statement, author=member, body="Bitte Zahlen belegen.", block_id=second
    )
    from statements.lines import numbering

    statement.refresh_from_db()
    first, last = numbering(statement.current_revision).ranges[second]
    folder = SCREENSHOTS / "issue15"
    folder.mkdir(parents=True, exist_ok=True)
    for viewport, size in ((DESKTOP, 1280), (PHONE, 360)):
        page = pages.new(user=member, viewport=viewport)
        page.goto(statement.get_absolute_url())
        numbers = page.locator("#statement-body .ln")
        assert numbers.count() >= 6
        assert numbers.first.get_attribute("aria-hidden") == "true"
        # Numbers are in the margin, left of the text, and not part of the copied text.
        text_box = page.locator("#statement-body h2").bounding_box()
        number_box = numbers.first.bounding_box()
        assert number_box["x"] < text_box["x"]
        copied = page.evaluate(
            """() => { const s = getSelection(); s.selectAllChildren(
                 document.getElementById("statement-body")); return s.toString(); }"""
        )
        assert copied.lstrip().startswith("Unsere Forderung")
        # The comment names its lines and links to the thread filtered by them.
        page.get_by_role("link", name=f"Zeilen {first}–{last}").first.click()
        page.wait_for_url(f"**line={first}-{last}**")
        # In the thread (at 1280 px the margin names it beside its paragraph too).
        assert page.locator(".comment-body").get_by_text("Bitte Zahlen belegen.").is_visible()
        page.goto(statement.get_absolute_url())
        page.screenshot(path=str(folder / f"line-numbers-{size}.png"), full_page=True)
        check_a11y(page, f"line-numbered paper ({size}px)")
        page.emulate_media(media="print")
        assert numbers.first.is_visible()
        page.emulate_media(media="screen")
    # The toggle works without JavaScript.
    page = pages.new(user=member, javascript=False)
    page.goto(statement.get_absolute_url())
    page.get_by_role("link", name="Zeilennummern ausblenden").click()
    assert page.locator("#statement-body .ln").count() == 0
    page.get_by_role("link", name="Zeilennummern anzeigen").click()
    assert page.locator("#statement-body .ln").count() >= 6


def test_selected_words_open_a_prefilled_comment_and_suggestion(pages, check_a11y, author, member):
    statement = make_statement(author=author, state="consultation", body=BODY)
    page = pages.new(user=member)
    page.goto(statement.get_absolute_url())
    select_words(page, "Bargeld auf 50 Euro")
    bar = page.locator(".selection-actions")
    bar.wait_for()
    assert "Bargeld auf 50 Euro" in bar.inner_text()
    check_a11y(page, "selection actions")
    (SCREENSHOTS / "issue15").mkdir(parents=True, exist_ok=True)
    bar.screenshot(path=str(SCREENSHOTS / "issue15" / "selection-actions.png"))
    # Keyboard: the actions follow the selected words; Tab from a selection made with the
    # mouse (the browser continues from where the reader clicked) reaches them next.
    box = page.evaluate(
        """() => { const r = getSelection().getRangeAt(0).getBoundingClientRect();
                   return {x: r.x, y: r.y, w: r.width, h: r.height}; }"""
    )
    page.mouse.move(box["x"] + 2, box["y"] + box["h"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["w"] - 2, box["y"] + box["h"] / 2, steps=5)
    page.mouse.up()
    page.locator(".selection-actions").wait_for()
    page.wait_for_timeout(400)  # the script waits for the selection to settle
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Kommentieren"
    select_words(page, "Bargeld auf 50 Euro")
    page.wait_for_function(
        "() => document.querySelector('.selection-actions q').textContent === 'Bargeld auf 50 Euro'"
    )
    page.locator(".selection-actions").get_by_role("link", name="Kommentieren").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**quote=**")
    body = page.get_by_role("textbox", name="Kommentar", exact=True)
    assert body.input_value().strip() == "> Bargeld auf 50 Euro"

    page.goto(statement.get_absolute_url())
    select_words(page, "Bargeld auf 50 Euro")
    page.locator(".selection-actions").get_by_role("link", name="Änderung vorschlagen").click()
    page.wait_for_url("**suggest=1**")
    page.wait_for_function("() => document.activeElement.name === 'suggestion_text'")
    marked = page.evaluate(
        "(() => { const t = document.activeElement;"
        " return t.value.substring(t.selectionStart, t.selectionEnd); })()"
    )
    assert marked == "Bargeld auf 50 Euro"
    page.keyboard.type("Bargeld ohne Grenze")
    assert "Die Bezahlkarte begrenzt Bargeld ohne Grenze im Monat." in page.evaluate(
        "document.activeElement.value"
    )


def test_without_javascript_the_paragraph_links_still_work(pages, author, member):
    statement = make_statement(author=author, state="consultation", body=BODY)
    page = pages.new(user=member, javascript=False)
    page.goto(statement.get_absolute_url())
    page.locator(".block-comments").nth(1).get_by_role("link", name="Kommentieren").click()
    second = block_ids(statement)[1]
    assert page.locator("#comment-block_id").input_value() == second


def test_editor_shows_the_other_author_and_warns_about_a_newer_revision(
    pages, check_a11y, author, coauthor
):
    statement = make_statement(author=author, coauthors=[coauthor], state="draft", body=BODY)
    theirs = pages.new(user=coauthor)
    with theirs.expect_response("**/presence/"):
        theirs.goto(f"/statements/{statement.slug}/edit/")
    mine = pages.new(user=author)
    mine.goto(f"/statements/{statement.slug}/edit/")
    mine.get_by_text("Gerade ebenfalls im Editor: Carl Koautor").wait_for()
    # The coauthor sees the author once the poll comes round (it ran on load; run it now).
    with theirs.expect_response("**/presence/"):
        theirs.get_by_role("textbox", name="Text", exact=True).focus()
    theirs.get_by_text("Gerade ebenfalls im Editor: Anna Autorin").wait_for()

    statement.refresh_from_db()
    rev = statement.current_revision
    revision_save(
        statement_id=statement.pk,
        author=coauthor,
        text=TextFields(
            title=rev.title, occasion=rev.occasion, summary=rev.summary, body=BODY + "\nNeu.\n"
        ),
        message="",
        base_revision_id=rev.pk,
    )
    # Before typing: focusing the text asks again and warns.
    mine.get_by_role("textbox", name="Text", exact=True).focus()
    warning = mine.locator(".presence-stale")
    warning.wait_for()
    assert "Inzwischen wurde Fassung 2 gespeichert." in warning.inner_text()
    assert "(von Carl Koautor)" in warning.inner_text()
    check_a11y(mine, "editor with presence and warning")
    (SCREENSHOTS / "issue15").mkdir(parents=True, exist_ok=True)
    mine.locator(".presence").screenshot(path=str(SCREENSHOTS / "issue15" / "editor-presence.png"))
    warning.get_by_role("link", name="Neueste Fassung laden").click()
    mine.wait_for_url(f"**/statements/{statement.slug}/edit/")
    assert "Neu." in mine.get_by_role("textbox", name="Text", exact=True).input_value()


def test_editor_without_javascript_shows_presence_at_load(pages, author, coauthor):
    statement = make_statement(author=author, coauthors=[coauthor], state="draft", body=BODY)
    from statements.presence import presence_record

    presence_record(statement=statement, user=coauthor)
    page = pages.new(user=author, javascript=False)
    page.goto(f"/statements/{statement.slug}/edit/")
    assert page.get_by_text("Gerade ebenfalls im Editor: Carl Koautor").is_visible()
