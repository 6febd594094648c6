"""`{% avatar user_id name %}`: initials in a circle (core/avatars.py), aria-hidden."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from core.avatars import avatar_html

register = template.Library()


@register.simple_tag
def avatar(user_id: int | None, name: str, size: str = "") -> SafeString:
    return avatar_html(user_id, str(name or ""), size=size)
