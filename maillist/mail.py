"""The headers that make list mail list mail (RFC 2919 List-Id, RFC 2369/8058
unsubscribe, Precedence: list). notifications.emails adds them to the kinds below."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

LIST_KINDS = frozenset({"list_post", "funding_reminder"})


def list_id() -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"Verteiler des Runden Tisches Migration <verteiler.{domain}>"


def list_headers(kind: str) -> dict[str, str]:
    """Extra headers for a mail of `kind` (empty for mail that is not list mail). The
    unsubscribe pair is added by notifications.emails for every kind one may switch off."""
    if kind not in LIST_KINDS:
        return {}
    return {"List-Id": list_id(), "Precedence": "list"}
