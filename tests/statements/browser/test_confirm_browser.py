"""Safe one-click actions in Chromium (issue 16, item 8): restoring an old revision asks on
a page of its own, with and without JavaScript; WCAG 2.2 AA at 1280 and 360 px."""

from __future__ import annotations

import pytest

from statements.models import Statement
from statements.services import TextFields, revision_save
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("viewport", "javascript"),
    [(DESKTOP, True), (PHONE, True), (PHONE, False)],
    ids=["desktop", "phone", "phone-nojs"],
)
def test_restore_asks_then_restores(pages, check_a11y, author, viewport, javascript):
    statement = make_statement(author=author, body="Alter Text.")
    revision_save(
        statement_id=statement.pk,
        author=author,
        text=TextFields(statement.title, statement.occasion, statement.summary, "Neuer Text."),
        message="Umgeschrieben",
        base_revision_id=statement.current_revision_id,
    )
    page = pages.new(user=author, viewport=viewport, javascript=javascript)
    page.goto(f"/statements/{statement.slug}/history/")
    page.get_by_role("button", name="Wiederherstellen Fassung 1").click()
    page.get_by_role("heading", name="Fassung 1 wiederherstellen?").wait_for()
    assert Statement.objects.get(pk=statement.pk).body == "Neuer Text."
    if javascript:
        check_a11y(page, f"restore confirmation, {viewport['width']} px")
    page.get_by_role("button", name="Ja, Fassung 1 wiederherstellen").click()
    page.get_by_text("Fassung 1 ist als neue Fassung 3 wiederhergestellt.").wait_for()
    assert Statement.objects.get(pk=statement.pk).body == "Alter Text."


def test_cancel_leads_back_to_the_history(pages, author):
    statement = make_statement(author=author)
    revision_save(
        statement_id=statement.pk,
        author=author,
        text=TextFields(statement.title, statement.occasion, statement.summary, "Zwei."),
        message="",
        base_revision_id=statement.current_revision_id,
    )
    page = pages.new(user=author, javascript=False)
    page.goto(f"/statements/{statement.slug}/history/")
    page.get_by_role("button", name="Wiederherstellen Fassung 1").click()
    page.get_by_role("link", name="Abbrechen").click()
    page.wait_for_url(f"**/statements/{statement.slug}/history/")
    assert Statement.objects.get(pk=statement.pk).current_revision.number == 2
