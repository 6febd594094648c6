"""Signed links in mails: one-click unsubscribe and the subscription confirmation.

The signature (django.core.signing, SECRET_KEY) is the authorisation: whoever
holds the link may switch that one kind off, nothing more.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import get_script_prefix, get_urlconf, reverse

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
CONFIRM_SALT = "notifications.subscribe-confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_url(
    *, user_id: int | None = None, kind: str = "", subscriber_token: str = ""
) -> str:
    payload: dict[str, Any] = (
        {"s": subscriber_token} if subscriber_token else {"u": user_id, "k": kind}
    )
    token = signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)
    # Resolved once per URL configuration, not per mail: 2,000 mails of one event would
    # otherwise spend more time in reverse() than in signing (issue 20).
    return absolute(_path("notifications:unsubscribe", get_script_prefix(), get_urlconf()) % token)


@lru_cache(maxsize=16)
def _path(name: str, _prefix: str, _urlconf: Any) -> str:
    """The URL of `name` with "%s" where its token goes (tokens are URL-safe)."""
    return reverse(name, kwargs={"token": "TOKEN"}).replace("%", "%%").replace("TOKEN", "%s")


def path_of(name: str) -> str:
    """reverse(name) for a URL without arguments, once per URL configuration (mails
    name the same URLs thousands of times per event, issue 20)."""
    return _plain_path(name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=16)
def _plain_path(name: str, _prefix: str, _urlconf: Any) -> str:
    return reverse(name)


def read_unsubscribe(token: str) -> dict[str, Any] | None:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return payload if isinstance(payload, dict) else None


def confirm_url(subscriber_token: str) -> str:
    token = signing.dumps(subscriber_token, salt=CONFIRM_SALT)
    return absolute(reverse("notifications:subscribe_confirm", kwargs={"token": token}))


def read_confirm(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a subclass
        return None
    return value if isinstance(value, str) else None
