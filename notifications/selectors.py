"""Which in-app notifications a person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.permissions import is_member
from notifications.kinds import NON_MEMBER_KINDS
from notifications.models import Channel, Notification


def inapp_notifications_for(user: Any) -> QuerySet[Notification]:
    rows = Notification.objects.filter(recipient=user, channel=Channel.INAPP)
    if not is_member(user):
        # Only what names no internal paper (kinds.KindSpec.non_members_see).
        rows = rows.filter(kind__in=NON_MEMBER_KINDS)
    return rows
