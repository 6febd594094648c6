"""The editor's presence poll (see statements/presence.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from statements.access import statement_for
from statements.models import Statement
from statements.panels import page_statements
from statements.presence import POLL_SECONDS, editor_status, presence_record


def _base(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def presence_context(request: HttpRequest, statement: Statement, base: Any) -> dict[str, Any]:
    """What the editor page shows on load (read only: only the poll records presence)."""
    base_id = _base(base)
    return {
        "url": reverse("statements:presence", kwargs={"slug": statement.slug}),
        "edit_url": reverse("statements:edit", kwargs={"slug": statement.slug}),
        "poll": POLL_SECONDS,
        "base": base_id or "",
        "status": editor_status(statement=statement, user=request.user, base_revision_id=base_id),
    }


@require_POST
def editor_presence(request: HttpRequest, slug: str) -> HttpResponse:
    """Record that the caller has the editor open; answer with who else has, and whether
    their base is still current. 204 when nothing changed since the last answer."""
    statement = statement_for(request.user, slug, "edit", queryset=page_statements())
    presence_record(statement=statement, user=request.user)
    presence = presence_context(request, statement, request.POST.get("base_revision"))
    if request.POST.get("shown") == presence["status"].fingerprint:
        return HttpResponse(status=204)
    return render(request, "statements/_presence.html", {"presence": presence})
