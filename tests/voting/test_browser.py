"""The vote in Chromium: one click with htmx (no page load), the plain form without
JavaScript, and WCAG 2.2 AA (axe-core) on the panel while open and after the close."""

from __future__ import annotations

import pytest

from voting.models import Vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_click_with_htmx_and_accessible(
    pages,
    open_paper,
    member,
    coordinator,
    check_a11y,
):
    paper = open_paper(rule="consensus")
    page = pages.new(user=member)
    page.goto(paper.get_absolute_url())
    check_a11y(page, "voting panel, open")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    panel = page.locator("#abstimmung")
    panel.get_by_label("Veto", exact=True).check()
    panel.get_by_label("Begründung (optional, höchstens 300 Zeichen)").fill("Nicht so")
    panel.get_by_role("button", name="Stimme abgeben").click()
    page.locator("#abstimmung").get_by_role("button", name="Stimme ändern").wait_for()
    assert page.evaluate("() => window.stillTheSamePage === true")  # swapped, not reloaded
    assert "Ihre Stimme wurde gespeichert" in page.locator("#abstimmung").inner_text()
    assert Vote.objects.get().choice == "block"
    check_a11y(page, "voting panel, voted")

    from voting.testing import cast_votes_for_outcome
    from workflow.services import statement_transition

    cast_votes_for_outcome(statement=paper, adopt=True)
    statement_transition(statement_id=paper.pk, name="close_vote", actor=coordinator)
    page.goto(paper.get_absolute_url())
    # The paper comes first (issue 16): the closed vote's result is one click below the text.
    page.locator(".fold-voting > summary", has_text="Ergebnis der Abstimmung").click()
    assert "Ergebnis der Abstimmung" in page.locator("#abstimmung").inner_text()
    check_a11y(page, "voting panel, result")


def test_plain_form_without_javascript(pages, open_paper, member):
    paper = open_paper()
    page = pages.new(user=member, javascript=False)
    page.goto(paper.get_absolute_url())
    panel = page.locator("#abstimmung")
    panel.get_by_label("Enthaltung", exact=True).check()
    panel.get_by_role("button", name="Stimme abgeben").click()
    page.wait_for_url(f"**{paper.get_absolute_url()}#abstimmung")
    assert "Ihre Stimme wurde gespeichert" in page.content()
    assert Vote.objects.get().choice == "abstain"
