"""The system check that every kind of notification is described completely.

Run by `manage.py check`, `migrate` and `runserver`, and by tests/notifications/
test_kinds.py: a kind without its spec, an event without recipients, a builder that
is not callable or a template that does not exist stops start-up instead of failing
each of its mails five times at send time.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from core.events import EventKind
from notifications.models import Kind, Mode


def problems_in(specs: dict[str, Any]) -> list[str]:
    """What is missing or inconsistent in a kinds table (notifications.kinds.SPECS)."""
    found = []
    for kind in Kind.values:
        spec = specs.get(kind)
        if spec is None:
            found.append(f"{kind}: no spec")
            continue
        if not callable(spec.build):
            found.append(f"{kind}: no builder")
        if not callable(spec.link):
            found.append(f"{kind}: no link")
        if kind in EventKind.values and spec.recipients is None:
            found.append(f"{kind}: an event kind without a recipient rule")
        if kind in EventKind.values and spec.default_mode is None and not spec.locked:
            found.append(f"{kind}: neither a default mode nor locked")
        if spec.locked and spec.default_mode not in (None, Mode.IMMEDIATELY):
            found.append(f"{kind}: locked, so its mode can only be 'immediately'")
        if spec.supersedes is not None and spec.supersedes not in specs:
            found.append(f"{kind}: supersedes unknown kind {spec.supersedes}")
        for name in spec.templates:
            try:
                get_template(name)
            except TemplateDoesNotExist:
                found.append(f"{kind}: template {name} does not exist")
    return found


@register()
def notification_kinds_complete(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from notifications.kinds import SPECS

    return [
        Error(problem, hint="See notifications/kinds.py.", id="notifications.E001")
        for problem in problems_in(SPECS)
    ]
