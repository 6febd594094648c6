from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

SIGNUP_PASSWORD = "Gute-Frage-2026!"


def link_from_last_mail(pattern: str = r"https?://[^\s]+") -> str:
    """The first URL in the newest mail, as a path for the test client."""
    body = mail.outbox[-1].body
    url = re.search(pattern, body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def sign_up(client: Client, email: str, *, name: str = "Nora Neu", language: str = "de"):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": SIGNUP_PASSWORD,
            "password2": SIGNUP_PASSWORD,
            "display_name": name,
            "language": language,
        },
    )


def confirm_from_mail(client: Client):
    path = link_from_last_mail(r"https?://[^\s]+/accounts/confirm-email/[^\s]+")
    return client.post(path)


@pytest.fixture
def declined(db):
    from tests.factories import UserFactory

    return UserFactory(display_name="Dora Abgelehnt", membership_status="declined")
