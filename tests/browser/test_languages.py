"""The interface languages in a real browser (issue 19, item 6): the switch works without
JavaScript at 360 px, the header stays one line in every language, and the right-to-left
pages mirror and pass axe-core at 1280 and 360 px. Screenshots for docs/screenshots.md."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, ROOT
from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ROOT / "var" / "screenshots" / "issue19"
ALL = ("de", "en", "ar", "fa", "uk", "ru", "tr")
NAMES = {
    "de": "Deutsch",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "uk": "Українська",
    "ru": "Русский",
    "tr": "Türkçe",
}


@pytest.fixture
def papers(db, settings, tmp_path):
    settings.RTM_DOCUMENTS_DIR = tmp_path / "documents"
    coordinator = UserFactory(display_name="Kora Koordination", is_coordinator=True)
    published = make_statement(
        state="published",
        title="Bezahlkarte: Bargeldgrenze aufheben",
        summary="Der RTM fordert, die Bargeldgrenze der Bezahlkarte aufzuheben.",
        body=(
            "## Worum es geht\n\nDie Bezahlkarte begrenzt Bargeld auf 50 Euro im Monat.\n\n"
            "> Bargeld ist Teilhabe.\n\n"
            "## Unsere Forderung\n\n- Der Landkreis soll die Grenze aufheben.\n"
            "- Er soll die Karte überall nutzbar machen."
        ),
    )
    consultation = make_statement(
        author=UserFactory(), state="consultation", title="Papier in der Konsultation"
    )
    return {"coordinator": coordinator, "published": published, "consultation": consultation}


def header_box(page) -> dict:
    return page.evaluate(
        """() => {
            const row = document.querySelector('.header-row');
            const box = row.getBoundingClientRect();
            const kids = [...row.children].map(e => e.getBoundingClientRect());
            return {height: box.height, left: Math.min(...kids.map(k => k.left)),
                    right: Math.max(...kids.map(k => k.right))};
        }"""
    )


def side_of(page, selector: str) -> str:
    """'start-left' or 'start-right': where the element's box begins in the viewport."""
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return r.left + r.width / 2 < window.innerWidth / 2 ? 'left' : 'right'; }""",
        selector,
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_switch_language_without_javascript(pages, papers, viewport):
    page = pages.new(viewport=viewport, javascript=False)
    page.goto(papers["published"].get_absolute_url())
    assert page.locator("html").get_attribute("dir") == "ltr"
    for code in ("ar", "uk", "de"):
        page.locator(".lang-menu > summary").click()
        button = page.locator(f'.lang-switch button[lang="{code}"]')
        assert button.is_visible() and button.inner_text() == NAMES[code]
        button.click()
        page.wait_for_selector(f'html[lang="{code}"]')
        # Back on the same page, in the chosen language and direction.
        assert page.url.endswith(papers["published"].get_absolute_url())
        expected = "rtl" if code == "ar" else "ltr"
        assert page.locator("html").get_attribute("dir") == expected
        box = header_box(page)
        assert box["height"] < 56 and box["right"] <= viewport["width"] + 1, (code, box)


@pytest.mark.parametrize("language", ALL)
def test_coordinator_header_is_one_line_in_every_language(pages, papers, language):
    """The 1280 px header (brand, nine links, bell, switch) and the 360 px one stay one line."""
    for viewport in (DESKTOP, PHONE):
        page = pages.new(user=papers["coordinator"], viewport=viewport, language=language)
        page.goto("/")
        box = header_box(page)
        assert box["height"] < 56, (language, viewport["width"], box)
        assert box["left"] >= -1 and box["right"] <= viewport["width"] + 1, (language, box)


@pytest.mark.parametrize("language", ["ar", "fa"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_right_to_left_pages_mirror_and_pass_axe(pages, check_a11y, papers, language, viewport):
    width = viewport["width"]
    coordinator = papers["coordinator"]
    page = pages.new(user=coordinator, viewport=viewport, language=language)
    page.goto("/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The header mirrors: the name of the site starts at the right.
    assert side_of(page, ".brand") == "right"
    check_a11y(page, f"home {language} {width}")
    published = papers["published"]
    page.goto(published.get_absolute_url())
    # The German text keeps its own direction inside the right-to-left page.
    text = page.locator(f'.prose[lang="{published.language}"]').first
    assert text.evaluate("e => getComputedStyle(e).direction") == "ltr"
    check_a11y(page, f"published paper {language} {width}")
    if language == "ar" and width == PHONE["width"]:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "arabic-statement-360.png"), full_page=True)
    # The members' page numbers the lines: in the German text's own (left) margin.
    page.goto(papers["consultation"].get_absolute_url())
    body = page.locator(".text-lines.lined .prose").first
    assert body.evaluate("e => getComputedStyle(e).direction") == "ltr"
    number = page.locator(".lined .ln").first.bounding_box()
    box = body.bounding_box()
    assert number["x"] < box["x"] + 40, (number, box)
    check_a11y(page, f"paper in consultation {language} {width}")
    page.goto("/profile/")
    check_a11y(page, f"profile form {language} {width}")
    page.goto("/statements/new/")
    check_a11y(page, f"editor {language} {width}")
    # The menu opens over the page from the right in a right-to-left page.
    if width == PHONE["width"]:
        page.locator(".site-menu > summary").click()
        assert page.locator(".site-menu nav").is_visible()
        check_a11y(page, f"menu open {language} {width}")
        page.locator(".site-menu > summary").click()
    page.locator(".lang-menu > summary").click()
    switch = page.locator(".lang-switch").bounding_box()
    assert switch["x"] >= -1 and switch["x"] + switch["width"] <= width + 1, switch
    check_a11y(page, f"language switch open {language} {width}")
    anonymous = pages.new(viewport=viewport, language=language)
    for path in ("/accounts/login/", "/accounts/signup/"):
        anonymous.goto(path)
        assert anonymous.locator("html").get_attribute("dir") == "rtl"
        check_a11y(anonymous, f"{path} {language} {width}")
        if language == "ar" and width == PHONE["width"]:
            name = path.strip("/").replace("/", "-")
            anonymous.screenshot(path=str(SHOTS / f"arabic-{name}-360.png"), full_page=True)


def test_screenshot_ukrainian_page_at_1280(pages, papers):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = pages.new(user=papers["coordinator"], viewport=DESKTOP, language="uk")
    page.goto(papers["published"].get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "uk"
    page.screenshot(path=str(SHOTS / "ukrainian-statement-1280.png"), full_page=True)
    assert header_box(page)["height"] < 56
