from __future__ import annotations

from typing import Any

from django import template

from accounts.permissions import is_coordinator
from public.desk import desk_count

register = template.Library()


@register.simple_tag
def coordination_count(user: Any) -> int:
    """The header's count of what waits for the coordination (0 for everyone else)."""
    if not is_coordinator(user):
        return 0
    return desk_count()
