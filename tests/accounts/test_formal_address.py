"""Sign-in, sign-up and their e-mails address people with "Sie", like every other page.

allauth's own German says "du"; accounts/locale_allauth overrides it.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

INFORMAL = re.compile(r"\b(du|Du|dich|dir|Dir|dein|deine|Deine|deinen|hast|bist|Bestätige|gib)\b")


def _german() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    return client


def _main(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode().split("<main", 1)[1])


def test_allauth_pages_and_mail_say_sie():
    client = _german()
    for url in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        text = _main(client.get(url))
        assert not INFORMAL.findall(text), (url, INFORMAL.findall(text))
    assert "Sie haben noch kein Konto?" in _main(client.get("/accounts/login/"))
    response = client.post(
        "/accounts/signup/",
        {
            "email": "neu@example.org",
            "display_name": "Nora Neu",
            "language": "de",
            "password1": "ein-langes-passwort-2026",
            "password2": "ein-langes-passwort-2026",
        },
        follow=True,
    )
    text = _main(response)
    assert "Wir haben Ihnen eine E-Mail geschickt" in text
    assert not INFORMAL.findall(text)
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in mail.outbox[-1].subject


def test_english_is_untouched():
    with translation.override("en"):
        assert translation.gettext("Are you sure you want to sign out?") == (
            "Are you sure you want to sign out?"
        )
