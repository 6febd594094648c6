"""A signed-out member who follows an internal link gets a 404 (papers are not public);
the page's "Anmelden" link brings them back to the paper after signing in."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_statement

pytestmark = pytest.mark.django_db


def test_sign_in_from_a_404_returns_to_the_paper(member):
    paper = make_statement(state="consultation")
    client = Client()
    response = client.get(f"/statements/{paper.slug}/")
    assert response.status_code == 404
    login = f"/accounts/login/?next=/statements/{paper.slug}/"
    assert f'href="{login}"' in response.content.decode().replace("%2F", "/")
    response = client.post(login, {"login": member.email, "password": "rtm-test-pass-2026"})
    assert response.status_code == 302
    assert response["Location"] == f"/statements/{paper.slug}/"
    assert client.get(response["Location"]).status_code == 200


def test_home_and_login_pages_carry_no_next():
    page = Client().get("/").content.decode()
    assert 'href="/accounts/login/"' in page
    assert "?next=/accounts" not in Client().get("/accounts/login/").content.decode()
