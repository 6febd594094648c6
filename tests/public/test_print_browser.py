"""The print layout in real Chromium: no navigation or forms, link targets printed."""

from __future__ import annotations

import os

import pytest

from tests.factories import make_statement

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_printed_statement_is_a_clean_document(live_server, tmp_path):
    from tests.browser.conftest import shared_browser

    statement = make_statement(
        state="published",
        body="Siehe die [Verordnung](https://example.org/verordnung).\n\nZweiter Absatz.",
    )
    page = shared_browser().new_page()
    try:
        page.goto(live_server.url + statement.get_absolute_url())
        assert page.locator(".site-header").is_visible()
        assert not page.locator(".print-only").is_visible()
        page.emulate_media(media="print")
        # Only the mark and name head the printed page: no menu, language menu or bell.
        assert page.locator(".site-header .brand").is_visible()
        for control in (".site-menu", ".lang-menu", ".header-notifications", ".skip-link"):
            assert not page.locator(control).first.is_visible(), control
        assert not page.locator(".site-footer").is_visible()
        assert not page.locator("form").first.is_visible()
        assert page.locator(".print-only").is_visible()
        after = page.evaluate(
            "() => getComputedStyle(document.querySelector('.prose a'), '::after').content"
        )
        assert "https://example.org/verordnung" in after
        pdf = page.pdf(path=str(tmp_path / "statement.pdf"))
        assert pdf.startswith(b"%PDF")
    finally:
        page.close()
