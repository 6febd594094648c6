"""Context for this app's panel on the statement page (see statements/panels.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from statements.models import Statement


def panel_context(request: HttpRequest, statement: Statement) -> dict[str, Any]:
    return {}
