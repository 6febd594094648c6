"""Demo notifications: follows, and in-app lists with read and unread rows (idempotent).

The notifications themselves come from the real events the other demo modules cause
through their services (consultation opened, votes, results, comments, admissions).
Here, through the notifications services, each demo member follows a paper and has read
all but their newest notification, so the header shows an unread count.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Q

from accounts.models import User
from notifications.models import Follow
from notifications.selectors import inapp_notifications_for
from notifications.services import follow_set, notification_mark_read
from statements.models import Statement

DEMO_USERS = (
    "koordination@example.org",
    "amira@example.org",
    "jonas@example.org",
    "lena@example.org",
)


def seed(*, stdout: Any = None, papers: Collection[int] = ()) -> None:
    """Follows of a demo paper; only the demo papers' notifications are marked read, once."""
    users = list(User.objects.filter(email__in=DEMO_USERS))
    followed = Statement.objects.filter(pk__in=papers).exclude(state="draft").order_by("pk").first()
    if not users or followed is None:
        if stdout:
            stdout.write("notifications: no demo users or papers yet, nothing to seed")
        return
    marked = 0
    for user in users:
        if Follow.objects.filter(user=user, statement=followed).exists():
            continue  # seeded before: what the person read or not since is theirs
        follow_set(user=user, statement=followed, following=True)
        # Only rows about demo papers (or none, like the demo admissions) are marked read.
        unread = inapp_notifications_for(user).filter(
            Q(statement_id__in=papers) | Q(statement__isnull=True), read_at__isnull=True
        )
        older = unread.order_by("-created_at", "-pk").values_list("pk", flat=True)[1:]
        for pk in list(older):
            notification_mark_read(user=user, notification_id=pk)
            marked += 1
    if stdout:
        stdout.write(
            f"notifications: {len(users)} members follow {followed.slug}; "
            f"{marked} older notifications marked read, the newest left unread"
        )
