"""This person's e-mail list data for the personal data export: their posts and the
post types they switched off."""

from __future__ import annotations

from typing import Any

from maillist.models import OptOut, Post


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def user_data(user: Any) -> dict[str, Any]:
    return {
        "posts": [
            {
                "type": p.post_type,
                "title": p.title,
                "body": p.body,
                "public": p.is_public,
                "state": p.state,
                "created_at": _iso(p.created_at),
                "sent_at": _iso(p.sent_at),
            }
            for p in Post.objects.filter(author=user).order_by("created_at", "pk")
        ],
        "types_switched_off": sorted(
            OptOut.objects.filter(user=user).values_list("post_type", flat=True)
        ),
    }
