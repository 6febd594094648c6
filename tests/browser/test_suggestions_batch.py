"""Issue 15 in Chromium: three suggestions applied as one revision (JavaScript on and
off), an overlap chosen on its page, and the rendered diffs (a suggestion, the compare
view) at 1280 and 360 px, axe-core clean, screenshots in var/screenshots/issue15/."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "## Ziele\n\nDie Bezahlkarte begrenzt *Bargeld* stark.\n\n"
    "- Sprachkurse ab dem ersten Tag\n- Beratung vor Ort\n\n"
    "Der Landkreis soll die Grenze aufheben."
)
NEW = [
    "## Unsere Ziele",
    "Die Bezahlkarte begrenzt **Bargeld** auf 50 Euro im Monat.",
    "- Sprachkurse ab dem ersten Tag\n- Beratung vor Ort und online",
]
FOLDER = SCREENSHOTS / "issue15"


@pytest.fixture
def paper(db):
    from discussion.services import comment_create
    from statements.markdown import blocks

    author = UserFactory(display_name="Amira Autorin")
    people = [UserFactory(display_name=name) for name in ("Lena Mitglied", "Omar Ort", "Jana Jung")]
    statement = make_statement(author=author, state="consultation", body=BODY)
    ids = [b.id for b in blocks(statement.current_revision.body)]
    suggestions = [
        comment_create(
            statement=statement, author=who, body="Vorschlag.", block_id=block, suggestion_text=text
        )
        for who, block, text in zip(people, ids[:3], NEW, strict=True)
    ]
    return {"author": author, "statement": statement, "suggestions": suggestions, "people": people}


@pytest.mark.parametrize("javascript", [True, False])
def test_three_suggestions_as_one_revision(pages, check_a11y, paper, javascript):
    statement = paper["statement"]
    page = pages.new(user=paper["author"], javascript=javascript)
    page.goto(statement.get_absolute_url())
    for suggestion in paper["suggestions"]:
        page.locator(f"#select-{suggestion.pk}").check()
    page.get_by_role("button", name="Ausgewählte Vorschläge übernehmen").click()

    page.locator(".message-success", has_text="3 Vorschläge übernommen – Fassung 2").wait_for()
    body = page.locator("#statement-body").inner_text()
    assert "Unsere Ziele" in body and "auf 50 Euro im Monat" in body and "und online" in body
    for suggestion in paper["suggestions"]:
        badge = page.locator(f"#comment-{suggestion.pk} .suggestion-state")
        assert badge.text_content() == "übernommen"
    assert page.locator("#statement-revision").inner_text().startswith("Nr. 2 vom")

    statement.refresh_from_db()
    revision = statement.current_revision
    assert revision.number == 2
    assert set(revision.credited.all()) == set(paper["people"])
    assert "Lena Mitglied, Omar Ort und Jana Jung" in revision.message
    if javascript:
        check_a11y(page, "after batch apply")
    check_a11y.assert_clean()


def test_overlapping_suggestions_are_chosen_on_a_page(pages, check_a11y, paper):
    from discussion.services import comment_create
    from statements.markdown import blocks

    statement = paper["statement"]
    rival_author = UserFactory(display_name="Kai Konkurrenz")
    block = blocks(statement.current_revision.body)[1]
    rival = comment_create(
        statement=statement,
        author=rival_author,
        body="Anders.",
        block_id=block.id,
        suggestion_text="Die Bezahlkarte wird abgeschafft.",
    )
    page = pages.new(user=paper["author"])
    # The overlap page answers 409 (like the editor's conflict page): not a console error.
    pages.expect_failure(f"{statement.get_absolute_url()}suggestions/apply/")
    page.goto(statement.get_absolute_url())
    for pk in [paper["suggestions"][0].pk, paper["suggestions"][1].pk, rival.pk]:
        page.locator(f"#select-{pk}").check()
    page.get_by_role("button", name="Ausgewählte Vorschläge übernehmen").click()

    page.get_by_role("heading", name="Vorschläge überschneiden sich").wait_for()
    check_a11y(page, "overlap page")
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(FOLDER / "overlap-1280.png"), full_page=True)
    page.get_by_label("Vorschlag von Kai Konkurrenz").check()
    page.get_by_role("button", name="Auswahl übernehmen").click()

    page.locator(".message-success", has_text="2 Vorschläge übernommen – Fassung 2").wait_for()
    body = page.locator("#statement-body").inner_text()
    assert "wird abgeschafft" in body and "Unsere Ziele" in body
    badge = page.locator(f"#comment-{paper['suggestions'][1].pk} .suggestion-state")
    assert badge.text_content() == "offen"  # not chosen: still open
    check_a11y.assert_clean()


@pytest.mark.parametrize(("viewport", "width"), [(DESKTOP, 1280), (PHONE, 360)])
def test_rendered_diffs_screenshots_and_axe(pages, check_a11y, paper, viewport, width):
    from discussion.services import suggestions_apply

    statement = paper["statement"]
    page = pages.new(user=paper["author"], viewport=viewport)
    FOLDER.mkdir(parents=True, exist_ok=True)

    page.goto(statement.get_absolute_url())
    suggestion = page.locator(f"#comment-{paper['suggestions'][1].pk}")
    rendered = suggestion.locator(".diff-rendered")
    # Formatted (the new emphasis is bold), the inserted words marked.
    assert rendered.locator("strong").inner_text() == "Bargeld"
    assert "auf 50 Euro im Monat" in rendered.locator("ins").first.inner_text()
    # Not by colour alone: insertions underlined, deletions struck through.
    assert "underline" in rendered.locator("ins").first.evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    )
    assert "line-through" in rendered.locator("del").first.evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    )
    # The source toggle works without JavaScript (<details>).
    source = suggestion.locator("details.diff-source")
    assert not source.locator(".diff").is_visible()
    source.locator("summary").click()
    assert source.locator(".diff").is_visible()
    suggestion.scroll_into_view_if_needed()
    check_a11y(page, f"suggestion diff {width}")
    suggestion.screenshot(path=str(FOLDER / f"suggestion-diff-{width}.png"))
    page.screenshot(path=str(FOLDER / f"statement-page-{width}.png"), full_page=True)

    suggestions_apply(
        statement=statement,
        comment_ids=[s.pk for s in paper["suggestions"]],
        actor=paper["author"],
    )
    page.goto(statement.get_absolute_url() + "diff/1/2/")
    body = page.locator(".diff-rendered")
    assert body.locator("h2").count() == 1 and body.locator("li").count() == 2
    assert "Wörter eingefügt" in page.locator(".diff-counts").last.inner_text()
    check_a11y(page, f"compare view {width}")
    page.screenshot(path=str(FOLDER / f"compare-{width}.png"), full_page=True)
    check_a11y.assert_clean()
