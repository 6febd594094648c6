"""This person's replies by e-mail for their data export (collected by accounts): what
arrived in their name and what was decided (never the message text: it was not kept)."""

from __future__ import annotations

from typing import Any

from inbound.models import InboundMessage


def user_data(user: Any) -> dict[str, Any]:
    return {
        "replies_by_email": [
            {
                "received_at": m.received_at.isoformat(),
                "sender": m.sender,
                "decision": m.decision,
                "target": m.target,
                "created": m.created,
            }
            for m in InboundMessage.objects.filter(user=user).order_by("pk")
        ]
    }
