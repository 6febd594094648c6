"""Extension points of the transition confirmation pages (workflow/views.py).

workflow sits below notifications and public (tests/core/test_layers.py), so it cannot ask
them for anything itself. A higher app registers a ConfirmExtra in its AppConfig.ready():
a form shown on the confirmation page of one transition, and what to do once the transition
has been performed. Issue 19: the publication page lets coordinators pick addressees from
the address book (public.publish_dispatch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest

from statements.models import Statement


@dataclass(frozen=True)
class ConfirmExtra:
    transition: str
    prefix: str
    # The form for this person and paper (bound to `data` when posted), or None when it has
    # nothing to offer them. The page includes its `confirm_template` with `form`.
    form: Callable[..., forms.Form | None]
    # After the transition committed: do the extra work, report through messages.
    after: Callable[[HttpRequest, Statement, Any], None]
    # Whether the valid form asks for work; a scheduled publication cannot carry it (the
    # paper is not public yet), so such a form is refused with `scheduled_refusal`.
    wants_action: Callable[[Any], bool]
    scheduled_refusal: Any = ""


_REGISTRY: list[ConfirmExtra] = []


def register(extra: ConfirmExtra) -> None:
    """Idempotent per prefix (ready() may run more than once in tests)."""
    _REGISTRY[:] = [e for e in _REGISTRY if e.prefix != extra.prefix]
    _REGISTRY.append(extra)


def extras_for(
    name: str, data: Any, *, statement: Statement, user: Any
) -> list[tuple[ConfirmExtra, forms.Form]]:
    found = []
    for extra in _REGISTRY:
        if extra.transition != name:
            continue
        form = extra.form(data, statement=statement, user=user, prefix=extra.prefix)
        if form is not None:
            found.append((extra, form))
    return found
