"""The database is away: a 503 page with Retry-After that gives back what was typed.

handler500 sees every exception no view or middleware handled. A lost or refused
database connection (OperationalError, InterfaceError: PostgreSQL restarting, down,
out of connections) is not a bug but an outage: the answer is 503 with Retry-After,
and a person who had just written a comment, an edit or a vote finds the text on the
page to copy and send again. The page needs no database (no user, no context
processor). Connections that broke while idle are replaced without a trace by
CONN_HEALTH_CHECKS (settings); this page is for a real outage.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Never shown back: secrets and tokens.
_HIDDEN = ("password", "csrf", "token", "code", "secret", "otp", "key")
_LABELS = {
    "body": _("Text"),
    "suggestion_text": _("Vorgeschlagener Text"),
    "title": _("Titel"),
    "occasion": _("Anlass"),
    "summary": _("Zusammenfassung"),
    "message": _("Änderungsnotiz"),
    "choice": _("Ihre Stimme"),
    "reason": _("Begründung"),
    "note": _("Notiz"),
}
_MAX_FIELDS = 20
_MAX_CHARS = 100_000


def typed_back(request: HttpRequest) -> list[tuple[str, str]]:
    """(label, value) of the form fields a person typed, for the outage page."""
    if request.method != "POST":
        return []
    try:
        data = request.POST
    except Exception:  # noqa: BLE001 - an unreadable body has nothing to give back
        return []
    shown: list[tuple[str, str]] = []
    for name, values in list(data.lists())[:_MAX_FIELDS]:
        if any(word in name.lower() for word in _HIDDEN):
            continue
        value = "\n".join(v for v in values if v.strip())[:_MAX_CHARS]
        if value:
            shown.append((str(_LABELS.get(name, name)), value))
    return shown


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 + Retry-After for a database outage, the usual 500 page otherwise."""
    error = sys.exc_info()[1]
    if not is_outage(error):
        return HttpResponse(loader.render_to_string("500.html"), status=500)
    logger.warning("database unavailable: %s: %s", type(error).__name__, error)
    body = loader.render_to_string("503.html", {"typed": typed_back(request)})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
