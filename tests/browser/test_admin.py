"""The Django admin works under our Content Security Policy (no inline script or style)."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pages_raise_no_csp_violations(pages):
    admin = UserFactory(display_name="Ada Admin", is_staff=True, is_superuser=True)
    page = pages.new(user=admin)
    for url in (
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{admin.pk}/change/",
        "/admin/accounts/organisation/add/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
    pages.screenshot(page, "organisation-add")
    # The pages fixture fails the test on any console error, CSP violations included.
