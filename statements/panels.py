"""The statement page is assembled from panels owned by other apps.

Each provider takes (request, statement) and returns template context; the
detail template includes each app's `_panel.html`. This keeps the page's view
thin and lets workflow, voting and discussion own their parts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string

from statements.models import Statement

PANEL_PROVIDERS = (
    "workflow.panels.panel_context",
    "voting.panels.panel_context",
    "discussion.panels.panel_context",
    "public.panels.panel_context",
)


def panels_context(request: HttpRequest, statement: Statement) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for dotted in PANEL_PROVIDERS:
        provider: Callable[[HttpRequest, Statement], dict[str, Any]] = import_string(dotted)
        context.update(provider(request, statement))
    return context
