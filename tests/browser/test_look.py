"""Issue 16, item 9 ("a look people trust") in Chromium at 1280 and 360 px: the RTM mark,
state badges that say their state, initials beside names, the vote result drawn as bars
beside its numbers, and the open threads in the margin beside their paragraph at desktop
widths (item 3). axe-core clean in German and English; screenshots in
var/screenshots/issue16/ (RTM_SCREENSHOT_TAG names them, default "after")."""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOLDER = SCREENSHOTS / "issue16"
TAG = os.environ.get("RTM_SCREENSHOT_TAG", "after")
BODY = "\n\n".join(
    f"Absatz {i}: Der Landkreis soll die Bargeldgrenze der Bezahlkarte aufheben und "
    "Beratung vor Ort anbieten, damit Menschen ihren Alltag selbst gestalten können."
    for i in range(5)
)


def shoot(page, name: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(FOLDER / f"{name}-{TAG}.png"))


@pytest.fixture
def discussed(db):
    """A paper in consultation: two open threads on paragraph 0 (one a quote, one with a
    reply), a resolved one on paragraph 0, one open thread on paragraph 2."""
    from discussion.services import comment_create, comment_reply, comment_resolve
    from statements.markdown import blocks

    UserFactory(display_name="Kora Koordination", is_coordinator=True)
    author = UserFactory(display_name="Amira Autorin")
    reader = UserFactory(display_name="Lena Mitglied")
    jonas = UserFactory(display_name="Jonas Weber")
    statement = make_statement(author=author, state="consultation", body=BODY)
    ids = [b.id for b in blocks(statement.current_revision.body)]
    first = comment_create(
        statement=statement,
        author=reader,
        body="> Bargeldgrenze\n\nWelche **Grenze** genau? Bitte die Zahl nennen.",
        block_id=ids[0],
    )
    comment_reply(parent=first, author=author, body="50 Euro im Monat.")
    comment_create(
        statement=statement, author=jonas, body="Beratung vor Ort: wo denn?", block_id=ids[0]
    )
    done = comment_create(
        statement=statement, author=jonas, body="Tippfehler im Titel.", block_id=ids[0]
    )
    comment_resolve(comment=done, actor=author)
    comment_create(
        statement=statement, author=author, body="Hier fehlt ein Beispiel.", block_id=ids[2]
    )
    return {"statement": statement, "ids": ids, "reader": reader, "first": first}


@pytest.fixture
def decided(db):
    """An accepted paper: of six members, four voted yes, one no, one abstained."""
    from voting.services import vote_cast
    from workflow.services import statement_transition

    coordinator = UserFactory(display_name="Kora Koordination", is_coordinator=True)
    author = UserFactory(display_name="Amira Autorin")
    voters = [UserFactory(display_name=f"Mitglied {n}") for n in ("Ada", "Ben", "Cem", "Dana")]
    statement = make_statement(author=author, state="voting")
    choices = ["no", "abstain", "yes", "yes", "yes", "yes"]
    for voter, choice in zip([*voters, coordinator, author], choices, strict=True):
        vote_cast(statement=statement, voter=voter, choice=choice)
    statement_transition(statement_id=statement.pk, name="close_vote", actor=coordinator)
    statement.refresh_from_db()
    assert statement.state == "accepted"
    return {"statement": statement, "reader": voters[2]}


@pytest.mark.parametrize("language", ["de", "en"])
def test_margin_names_the_open_threads_beside_their_paragraph(
    pages, check_a11y, discussed, language
):
    statement, ids, first = discussed["statement"], discussed["ids"], discussed["first"]
    page = pages.new(user=discussed["reader"], viewport=DESKTOP, language=language)
    page.goto(statement.get_absolute_url())
    margin = page.locator(f"#{ids[0]} + .block-comments")
    notes = margin.locator(".margin-threads li")
    assert notes.count() == 2  # the resolved thread is not named
    texts = notes.all_inner_texts()
    # Who and the first line that is not a quote, without Markdown; initials beside the name.
    assert "Lena Mitglied" in texts[0] and "Welche Grenze genau?" in texts[0], texts
    assert "Bargeldgrenze" not in texts[0] and "**" not in texts[0]
    assert "Jonas Weber" in texts[1] and "Beratung vor Ort: wo denn?" in texts[1]
    avatar = notes.first.locator(".avatar")
    assert avatar.get_attribute("aria-hidden") == "true" and avatar.inner_text() == "LM"
    assert "Tippfehler" not in margin.inner_text()
    # Beside the paragraph, on its row: to the right of the text, starting at its height.
    para, cell = page.locator(f"#{ids[0]}").bounding_box(), margin.bounding_box()
    assert cell["x"] > para["x"] + para["width"], (para, cell)
    assert abs(cell["y"] - para["y"]) < 40, (para, cell)
    # Each note links to its thread.
    notes.first.locator("a").click()
    page.wait_for_url(f"**#thread-{first.pk}")
    assert page.locator(f"#thread-{first.pk}").is_visible()
    check_a11y(page, f"member page with margin threads, 1280 px, {language}")
    if language == "de":
        page.locator(f"#{ids[0]}").scroll_into_view_if_needed()
        page.evaluate("() => window.scrollTo(0, 0)")
        shoot(page, "margin-threads-1280")


@pytest.mark.parametrize("language", ["de", "en"])
def test_phone_keeps_the_count_and_the_text(pages, check_a11y, discussed, language):
    statement, ids = discussed["statement"], discussed["ids"]
    page = pages.new(user=discussed["reader"], viewport=PHONE, language=language)
    page.goto(statement.get_absolute_url())
    margin = page.locator(f"#{ids[0]} + .block-comments")
    # On a phone the line under the paragraph stays short: the count leads to the threads.
    assert not margin.locator(".margin-threads").is_visible()
    count = "4 Kommentare" if language == "de" else "4 comments"
    assert margin.get_by_role("link", name=count).is_visible()
    # Initials beside the names in the thread, the name still written out.
    meta = page.locator(f"#comment-{discussed['first'].pk} .comment-meta")
    assert meta.locator(".avatar").inner_text() == "LM"
    assert "Lena Mitglied" in meta.inner_text()
    check_a11y(page, f"member page with threads, 360 px, {language}")
    if language == "de":
        page.locator(f"#comment-{discussed['first'].pk}").scroll_into_view_if_needed()
        shoot(page, "thread-avatars-360")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_vote_result_is_a_bar_chart_with_its_numbers(
    pages, check_a11y, decided, viewport, language
):
    page = pages.new(user=decided["reader"], viewport=viewport, language=language)
    page.goto(decided["statement"].get_absolute_url())
    panel = page.locator("#abstimmung")
    if not panel.is_visible():
        page.locator("details.fold-voting > summary").click()
    rows = panel.locator("table.voting-result tbody tr")
    by_choice = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        count = int(row.locator(".vote-count").inner_text())
        percent = row.locator(".vote-percent").inner_text()
        width = row.locator(".vote-bar-fill").get_attribute("width")
        by_choice[row.locator("th").inner_text()] = (count, percent, width)
    yes, no = ("Ja", "Nein") if language == "de" else ("Yes", "No")
    cast = sum(c for c, _, _ in by_choice.values())
    assert by_choice[no][0] == 1 and by_choice[yes][0] == 4 and cast == 6
    # The numbers are text; the bar's width is the same share, drawn without a style attribute.
    for count, percent, width in by_choice.values():
        assert percent == f"{round(100 * count / cast)} %"
        assert width == str(round(100 * count / cast))
    assert panel.locator(".vote-bar").first.get_attribute("aria-hidden") == "true"
    assert page.locator("[style]").count() == 0
    # The bar is drawn to scale: yes is longer than no.
    bars = {
        name: panel.locator("tr", has_text=name).locator(".vote-bar-fill").bounding_box()["width"]
        for name in (yes, no)
    }
    assert bars[yes] > bars[no] > 0
    # State badge: the name written out (capitalised) and a shape beside the colour.
    badge = page.locator(".paper-status .badge.state")
    assert badge.inner_text().strip().endswith("Angenommen" if language == "de" else "Accepted")
    assert badge.locator(".badge-icon").get_attribute("aria-hidden") == "true"
    check_a11y(page, f"vote result, {viewport['width']} px, {language}")
    if language == "de":
        panel.scroll_into_view_if_needed()
        shoot(page, f"vote-result-{viewport['width']}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_mark_heads_every_page(pages, discussed, viewport, javascript):
    page = pages.new(user=discussed["reader"], viewport=viewport, javascript=javascript)
    page.goto("/")
    brand = page.get_by_role("link", name="RTM Positionen", exact=True)
    assert brand.is_visible()
    mark = brand.locator("svg.brand-mark")
    assert mark.get_attribute("aria-hidden") == "true"
    if viewport is PHONE:  # below 24rem the name alone: the line has no room for the mark
        assert not mark.is_visible()
        page.set_viewport_size({"width": 414, "height": 800})
    box = mark.bounding_box()
    assert 18 <= box["height"] <= 32
    # The header stays one line with the mark.
    row = page.locator(".header-row").bounding_box()
    assert row["height"] < 56
    icon = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(icon)
    assert response.ok and b"<svg" in response.body()
    # The printed page keeps the mark and the name, not the menu.
    page.emulate_media(media="print")
    assert mark.is_visible()
    assert not page.locator(".lang-switch").is_visible()
    if viewport is DESKTOP and javascript:
        page.emulate_media(media="screen")
        shoot(page, "home-1280")


@pytest.mark.parametrize("language", ["de", "en"])
def test_member_directory_shows_initials_beside_names(pages, check_a11y, discussed, language):
    page = pages.new(user=discussed["reader"], viewport=PHONE, language=language)
    page.goto("/members/")
    row = page.locator("tr", has_text="Jonas Weber")
    assert row.locator(".avatar").inner_text() == "JW"
    check_a11y(page, f"members, 360 px, {language}")


def test_header_fits_the_common_phone_widths(pages, discussed):
    """With the mark, the one-line header fits every width from 320 to 520 px (it overflowed
    by up to 52 px between 385 and 450 px before the compact line was widened to 30rem)."""
    for width in (320, 360, 375, 385, 390, 414, 430, 480, 520):
        page = pages.new(user=discussed["reader"], viewport={"width": width, "height": 700})
        page.goto("/")
        right = page.evaluate(
            """() => Math.max(...[...document.querySelector('.header-row').children]
                .map(e => e.getBoundingClientRect().right))"""
        )
        assert right <= width, (width, right)
        assert page.locator(".header-row").bounding_box()["height"] < 56, width
        page.context.close()
