"""This person's notification data for the personal data export (ids and kinds only)."""

from __future__ import annotations

from typing import Any

from notifications.models import Follow, Notification, Preference
from statements.export import readable, slug_for


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def user_data(user: Any) -> dict[str, Any]:
    follows = list(
        Follow.objects.filter(user=user).select_related("statement").order_by("created_at")
    )
    rows = list(
        Notification.objects.filter(recipient=user).select_related("statement").order_by("pk")
    )
    # Papers are named only while the person may see them (as in every export part).
    visible = readable(user, [f.statement for f in follows] + [n.statement for n in rows])
    return {
        "preferences": dict(Preference.objects.filter(user=user).values_list("kind", "mode")),
        "follows": [slug_for(f.statement, visible) for f in follows],
        "notifications": [
            {
                "kind": n.kind,
                "channel": n.channel,
                "status": n.status,
                "statement": slug_for(n.statement, visible),
                "created_at": _iso(n.created_at),
                "sent_at": _iso(n.sent_at),
                "read_at": _iso(n.read_at),
            }
            for n in rows
        ],
    }
