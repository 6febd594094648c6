from __future__ import annotations

from typing import Any

from django import template

from notifications.models import Follow
from notifications.selectors import inapp_notifications_for

register = template.Library()


@register.simple_tag
def unread_notification_count(user: Any) -> int:
    """One COUNT on a partial index; only called for signed-in users."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return inapp_notifications_for(user).filter(read_at__isnull=True).count()


@register.simple_tag
def is_following(user: Any, statement: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or statement is None:
        return False
    return Follow.objects.filter(user=user, statement=statement).exists()
