"""Demo notifications: follows, and in-app lists with read and unread rows (idempotent).

The notifications themselves come from the real events the other demo modules cause
through their services (consultation opened, votes, results, comments, admissions).
Here, through the notifications services, each demo member follows a paper and has read
all but their newest notification, so the header shows an unread count.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from notifications.selectors import inapp_notifications_for
from notifications.services import follow_set, notification_mark_read
from statements.models import Statement

DEMO_USERS = (
    "koordination@example.org",
    "amira@example.org",
    "jonas@example.org",
    "lena@example.org",
)


def seed(*, stdout: Any = None) -> None:
    users = list(User.objects.filter(email__in=DEMO_USERS))
    followed = Statement.objects.exclude(state="draft").order_by("pk").first()
    if not users or followed is None:
        if stdout:
            stdout.write("notifications: no demo users or papers yet, nothing to seed")
        return
    marked = 0
    for user in users:
        follow_set(user=user, statement=followed, following=True)
        unread = inapp_notifications_for(user).filter(read_at__isnull=True)
        older = unread.order_by("-created_at", "-pk").values_list("pk", flat=True)[1:]
        for pk in list(older):
            notification_mark_read(user=user, notification_id=pk)
            marked += 1
    if stdout:
        stdout.write(
            f"notifications: {len(users)} members follow {followed.slug}; "
            f"{marked} older notifications marked read, the newest left unread"
        )
