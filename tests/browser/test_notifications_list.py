"""The in-app notifications in Chromium (issue 16, item 5): grouped cards, short on a
phone, WCAG 2.2 AA at 1280 and 360 px in both languages; marking a paper read without
JavaScript."""

from __future__ import annotations

import pytest

from discussion.services import comment_create
from notifications.services import follow_set
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reader(db):
    reader = UserFactory(display_name="Rita Leserin")
    writer = UserFactory(display_name="Walter Schreiber")
    for i in range(3):
        paper = make_statement(author=UserFactory(), state="consultation", title=f"Papier {i}")
        follow_set(user=reader, statement=paper, following=True)
        for j in range(4):
            comment_create(
                statement=paper,
                author=writer,
                body=f"Gedanke {j} zu Papier {i}: " + "ein längerer Satz, der weitergeht. " * 8,
            )
    return reader


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_grouped_cards_are_short_and_accessible(pages, check_a11y, reader, viewport, language):
    page = pages.new(user=reader, viewport=viewport, language=language)
    page.goto("/notifications/")
    assert page.locator("section.notification-group").count() == 3
    assert page.locator(".notification-excerpt").first.is_visible()
    # 15 notifications (3 consultations, 12 comments): short cards, not a 9,000 px page.
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < (5200 if viewport is PHONE else 3200), height
    check_a11y(page, f"notifications, {viewport['width']} px, {language}")
    pages.screenshot(page, f"notifications-{viewport['width']}-{language}")


def test_mark_one_paper_read_without_javascript(pages, reader):
    page = pages.new(user=reader, javascript=False, viewport=PHONE)
    page.goto("/notifications/")
    group = page.locator("section.notification-group").filter(has_text="Papier 1")
    group.get_by_role("button", name="Alle zu diesem Papier als gelesen markieren").click()
    page.wait_for_url("**/notifications/")
    group = page.locator("section.notification-group").filter(has_text="Papier 1")
    assert group.locator(".badge").count() == 0
    other = page.locator("section.notification-group").filter(has_text="Papier 2")
    assert other.locator("h2 .badge").inner_text().startswith("5")
