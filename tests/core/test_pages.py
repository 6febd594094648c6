"""Public pages, the base layout and the language switch."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/about/",
        "/privacy/",
        "/imprint/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ],
)
def test_public_pages_render_with_landmarks(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de" dir="ltr">' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert "style=" not in html  # the CSP forbids inline styles
    assert "<script>" not in html


def test_about_page_has_the_seed_text_and_contact(client):
    html = client.get("/about/").content.decode()
    assert "25. Juni 2012" in html
    assert "einmal im Monat" in html
    assert "rundertischmigrationlkl@gmx.de" in html


def test_home_is_german_by_default():
    html = Client().get("/about/").content.decode()
    assert '<html lang="de" dir="ltr">' in html
    assert "Selbstverständnis" in html
    # A browser asking for German or something we do not have gets German too.
    html = Client(HTTP_ACCEPT_LANGUAGE="fr, de;q=0.5").get("/").content.decode()
    assert '<html lang="de" dir="ltr">' in html


def test_browser_language_is_honoured_until_switched():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en" dir="ltr">' in client.get("/").content.decode()
    client.post("/language/", {"language": "de", "next": "/"})
    assert '<html lang="de" dir="ltr">' in client.get("/").content.decode()


def test_language_switch_to_english_and_back(client):
    response = client.post("/language/", {"language": "en", "next": "/about/"})
    assert response.status_code == 302
    assert response["Location"] == "/about/"
    html = client.get("/about/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Self-understanding" in html
    assert "Skip to content" in html
    client.post("/language/", {"language": "de", "next": "/"})
    assert '<html lang="de" dir="ltr">' in client.get("/").content.decode()


def test_switch_is_saved_on_the_profile(client_for, member):
    client = client_for(member)
    client.post("/language/", {"language": "en", "next": "/profile/"})
    member.refresh_from_db()
    assert member.language == "en"
    # On another device (no cookie) the profile language applies.
    fresh = client_for(member)
    assert '<html lang="en" dir="ltr">' in fresh.get("/profile/").content.decode()


def test_profile_language_applies_without_cookie(client_for, member):
    member.language = "en"
    member.save()
    assert '<html lang="en" dir="ltr">' in client_for(member).get("/").content.decode()


def test_unknown_language_is_ignored(client):
    response = client.post("/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="de" dir="ltr">' in client.get("/").content.decode()


def test_logout_is_a_post_form_in_the_header(client_for, member):
    html = client_for(member).get("/").content.decode()
    assert 'action="/accounts/logout/"' in html
    assert 'method="post"' in html


def test_allauth_pages_use_our_layout_and_german(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Anmelden" in html
    assert "site.css" in html


def test_signup_form_keeps_input_on_error(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "neu@example.org",
            "password1": "kurz",
            "password2": "anders",
            "display_name": "Nele Neu",
            "language": "en",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="neu@example.org"' in html
    assert 'value="Nele Neu"' in html
    assert "errorlist" in html
