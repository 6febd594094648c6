"""Signed links for outside subscribers: the confirmation (double opt-in) and the
one-click unsubscribe. The signature is the authorisation; the confirmation expires."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "maillist.confirm"
UNSUBSCRIBE_SALT = "maillist.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def confirm_url(subscriber_token: str) -> str:
    token = signing.dumps(subscriber_token, salt=CONFIRM_SALT)
    return settings.SITE_URL + reverse("maillist:confirm", kwargs={"token": token})


def read_confirm(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a subclass
        return None
    return value if isinstance(value, str) else None


def unsubscribe_url(subscriber_token: str) -> str:
    token = signing.dumps(subscriber_token, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("maillist:unsubscribe", kwargs={"token": token})


def read_unsubscribe(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None
