"""Nothing typed is lost (issue 16, item 2), in Chromium: a warning before leaving with
unsaved changes, the background save, the offer on the next visit, and the save clearing it."""

from __future__ import annotations

import pytest

from statements.models import Autosave, Statement
from tests.browser.conftest import PHONE
from tests.factories import make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leaving_warns_and_the_text_comes_back_next_visit(pages, check_a11y, author):
    statement = make_statement(author=author, body="Erster Absatz.")
    page = pages.new(user=author)
    page.goto(f"/statements/{statement.slug}/edit/")
    body = page.get_by_role("textbox", name="Text", exact=True)
    body.click()
    body.press("End")
    page.keyboard.type(" Dazu ein neuer Gedanke.")
    # The background save answers a few seconds after typing stops.
    page.locator(".autosave-status").wait_for()
    kept = Autosave.objects.get(user=author, statement=statement)
    assert kept.body == "Erster Absatz. Dazu ein neuer Gedanke."
    assert Statement.objects.get(pk=statement.pk).current_revision.number == 1

    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    with page.expect_event("dialog"):
        page.get_by_role("link", name=statement.title).click(no_wait_after=True)  # breadcrumb
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/edit/")

    # A phone later (the first browser may have crashed): the offer, then the text.
    phone = pages.new(user=author, viewport=PHONE)
    phone.goto(f"/statements/{statement.slug}/edit/")
    offer = phone.get_by_role("status").filter(has_text="Ungespeicherten Text vom")
    assert offer.is_visible()
    check_a11y(phone, "editor with the offer, 360 px")
    phone.get_by_role("link", name="Wiederherstellen").click()
    restored = phone.get_by_role("textbox", name="Text", exact=True)
    assert restored.input_value() == "Erster Absatz. Dazu ein neuer Gedanke."
    pages.screenshot(phone, "restored")
    phone.get_by_role("button", name="Speichern").click()
    phone.wait_for_url(f"**/statements/{statement.slug}/")
    assert Statement.objects.get(pk=statement.pk).body.endswith("neuer Gedanke.")
    assert not Autosave.objects.filter(statement=statement).exists()


def test_saving_does_not_warn_and_without_javascript_nothing_changes(pages, author):
    statement = make_statement(author=author)
    page = pages.new(user=author)
    page.goto(f"/statements/{statement.slug}/edit/")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    page.get_by_role("textbox", name="Text", exact=True).fill("Neuer Text.")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/statements/{statement.slug}/")
    assert dialogs == []
    plain = pages.new(user=author, javascript=False)
    plain.goto(f"/statements/{statement.slug}/edit/")
    plain.get_by_role("textbox", name="Text", exact=True).fill("Ohne Skript.")
    plain.get_by_role("button", name="Speichern").click()
    plain.wait_for_url(f"**/statements/{statement.slug}/")
    assert Statement.objects.get(pk=statement.pk).body == "Ohne Skript."
