"""A flood-limited comment in Chromium: htmx shows the message and keeps the typed text.

htmx 2 does not swap 4xx answers by default; base.html's htmx-config swaps 429, so the
refused panel (message + text) replaces the old one instead of nothing happening.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_htmx_comment_over_the_limit_keeps_the_text(pages, settings, monkeypatch):
    settings.RTM_RATE_LIMITS = {**settings.RTM_RATE_LIMITS, "comment": "1/m"}
    monkeypatch.setattr("core.ratelimit.clock", lambda: 1_800_000_030.0)
    paper = make_statement(state="consultation")
    member = UserFactory(display_name="Lena Mitglied")
    pages.expect_failure(reverse("discussion:comment_create", args=[paper.slug]))

    page = pages.new(user=member)
    page.goto(paper.get_absolute_url())
    form = page.locator("#new-comment form")
    form.get_by_label("Kommentar", exact=True).fill("Der erste Kommentar.")
    form.get_by_role("button", name="Kommentieren").click()
    page.locator("#discussion").get_by_text("Der erste Kommentar.").first.wait_for()

    form = page.locator("#new-comment form")
    form.get_by_label("Kommentar", exact=True).fill("Der zweite, zu schnell.")
    form.get_by_role("button", name="Kommentieren").click()
    page.get_by_role("alert").get_by_text("Zu viele Beiträge in kurzer Zeit").wait_for()
    kept = page.locator("#new-comment form").get_by_label("Kommentar", exact=True)
    assert kept.input_value() == "Der zweite, zu schnell."
    assert "/statements/" in page.url  # still on the paper: htmx swapped, no navigation
