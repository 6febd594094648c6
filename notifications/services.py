"""Outbox writing and delivery. (Filled in by the notifications work.)"""

from __future__ import annotations

from typing import Any


def notifications_for_event(
    *, kind: str, statement: Any | None, actor: Any | None, target: Any | None, extra: dict[str, Any]
) -> None:
    """Write the outbox rows for one event. Placeholder until the outbox exists."""
    return None
