"""allauth's own pages render inside our layout for a signed-in member."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/accounts/email/", "/accounts/password/change/", "/accounts/logout/"]
)
def test_account_pages_render_in_our_layout(client_for, member, path):
    response = client_for(member).get(path, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<main id="main"' in html
    assert "site.css" in html
    assert "style=" not in html


def test_mfa_page_renders(client_for, member):
    response = client_for(member).get("/accounts/2fa/", follow=True)
    assert response.status_code == 200
    assert '<main id="main"' in response.content.decode()
