"""Which in-app notifications a person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.permissions import is_member
from notifications.models import Channel, Kind, Notification

# What someone who is not (or no longer) a member may still read: the answer to their own
# admission request, the news of their suspension. Everything else names internal papers.
NON_MEMBER_KINDS = frozenset({Kind.ADMISSION_DECIDED, Kind.MEMBERSHIP_CHANGED})


def inapp_notifications_for(user: Any) -> QuerySet[Notification]:
    rows = Notification.objects.filter(recipient=user, channel=Channel.INAPP)
    if not is_member(user):
        rows = rows.filter(kind__in=NON_MEMBER_KINDS)
    return rows
