"""This person's notification data for the personal data export (ids and kinds only)."""

from __future__ import annotations

from typing import Any

from notifications.models import Follow, Notification, Preference


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def user_data(user: Any) -> dict[str, Any]:
    return {
        "preferences": dict(Preference.objects.filter(user=user).values_list("kind", "mode")),
        "follows": list(
            Follow.objects.filter(user=user)
            .order_by("created_at")
            .values_list("statement__slug", flat=True)
        ),
        "notifications": [
            {
                "kind": n.kind,
                "channel": n.channel,
                "status": n.status,
                "statement": n.statement.slug if n.statement else None,
                "created_at": _iso(n.created_at),
                "sent_at": _iso(n.sent_at),
                "read_at": _iso(n.read_at),
            }
            for n in Notification.objects.filter(recipient=user)
            .select_related("statement")
            .order_by("pk")
        ],
    }
