"""The site header on a phone (issue 16, item 6): one line, a menu that opens without
JavaScript, the unread count and the language switch always in reach."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


@pytest.fixture
def coordinator(db):
    coordinator = UserFactory(display_name="Kora Koordination", is_coordinator=True)
    # Opening a consultation notifies every member in the app: one unread notification.
    make_statement(author=UserFactory(), state="consultation", title="Papier mit Anhörung")
    return coordinator


def header_box(page) -> dict:
    return page.evaluate(
        """() => {
            const row = document.querySelector('.header-row').getBoundingClientRect();
            return {height: row.height, right: Math.max(...[...document.querySelector('.header-row')
                .children].map(e => e.getBoundingClientRect().right))};
        }"""
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_phone_header_is_one_line_with_a_menu(pages, check_a11y, coordinator, javascript, language):
    menu, profile = ("Menü", "Profil") if language == "de" else ("Menu", "Profile")
    for viewport in (PHONE, NARROW):
        page = pages.new(
            user=coordinator, viewport=viewport, javascript=javascript, language=language
        )
        page.goto("/")
        box = header_box(page)
        # One line: the row is as tall as its tallest control, nothing sticks out sideways.
        assert box["height"] < 56, box
        assert box["right"] <= viewport["width"], box
        # Count and language are visible without opening anything.
        notifications = page.locator("a.header-notifications")
        assert notifications.is_visible()
        assert "1" in notifications.inner_text()
        assert page.locator(".lang-menu > summary").is_visible()
        # The menu's links are hidden until the button opens it.
        link = page.get_by_role("link", name=profile, exact=True)
        assert not link.is_visible()
        page.get_by_text(menu, exact=True).click()
        assert link.is_visible()
        if javascript:  # axe-core needs the page's script engine
            check_a11y(page, f"home, menu open, {viewport['width']} px, {language}")
        link.click()
        page.wait_for_url("**/profile/**")
    pages.screenshot(page, f"phone-header-{language}")


def test_escape_closes_the_menu_and_returns_focus(pages, coordinator):
    page = pages.new(user=coordinator, viewport=PHONE)
    page.goto("/")
    page.locator(".site-menu > summary").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("link", name="Koordination").is_visible()
    page.keyboard.press("Escape")
    assert not page.get_by_role("link", name="Koordination").is_visible()
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    # A click elsewhere closes it too.
    page.locator(".site-menu > summary").click()
    page.mouse.click(180, 700)  # below the dropped-down list
    assert not page.get_by_role("link", name="Koordination").is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_desktop_header_shows_the_links_in_line(pages, check_a11y, coordinator, javascript):
    page = pages.new(user=coordinator, viewport=DESKTOP, javascript=javascript)
    page.goto("/")
    assert not page.locator(".site-menu > summary").is_visible()
    for name in ("Positionen", "Arbeitsbereich", "Koordination", "Profil", "Abmelden"):
        assert page.get_by_role(
            "link" if name != "Abmelden" else "button", name=name, exact=True
        ).is_visible(), name
    # At 1280 px the bell shows its count; its name stays for screen readers.
    assert page.get_by_role("link", name="Benachrichtigungen").is_visible()
    assert header_box(page)["height"] < 56
    if javascript:
        check_a11y(page, "home, desktop")
    page.get_by_role("link", name="Arbeitsbereich", exact=True).click()
    page.wait_for_url("**/dashboard/**")


def test_anonymous_phone_header_without_javascript(pages, db):
    page = pages.new(viewport=PHONE, javascript=False)
    page.goto("/")
    assert header_box(page)["height"] < 56
    assert not page.locator("a.header-notifications").count()
    page.get_by_text("Menü", exact=True).click()
    assert page.get_by_role("link", name="Anmelden", exact=True).is_visible()
    page.get_by_role("link", name="Anmelden", exact=True).click()
    page.wait_for_url("**/accounts/login/**")
