"""Demo in-app notifications for the demo logins (idempotent: fixed event keys)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import User
from notifications.models import Channel, Follow, Kind, Notification, Status
from statements.models import Statement

DEMO_USERS = (
    "koordination@example.org",
    "amira@example.org",
    "jonas@example.org",
    "lena@example.org",
)


def seed(*, stdout: Any = None) -> None:
    users = list(User.objects.filter(email__in=DEMO_USERS))
    statements = list(Statement.objects.exclude(state="draft").order_by("pk")[:3])
    if not users or not statements:
        if stdout:
            stdout.write("notifications: no demo users or papers yet, nothing to seed")
        return
    kinds = [Kind.CONSULTATION_OPENED, Kind.VOTING_OPENED, Kind.PUBLISHED]
    now = timezone.now()
    rows = []
    for user in users:
        for i, statement in enumerate(statements):
            kind = kinds[i % len(kinds)]
            rows.append(
                Notification(
                    kind=kind,
                    event_key=f"demo:{kind}:{statement.pk}",
                    recipient=user,
                    channel=Channel.INAPP,
                    status=Status.SENT,
                    statement=statement,
                    context={},
                    created_at=now,
                    sent_at=now,
                    # The first one stays unread so the header shows a count.
                    read_at=None if i == 0 else now,
                )
            )
        Follow.objects.get_or_create(user=user, statement=statements[0])
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if stdout:
        stdout.write(f"notifications: {len(rows)} demo notifications (existing ones kept)")
