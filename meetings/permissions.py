"""Who may see and do what with meetings (the views, templates and tests ask these)."""

from __future__ import annotations

from typing import Any

from accounts.permissions import is_coordinator, is_member


def can_see_meeting(user: Any, meeting: Any) -> bool:
    """Public meetings are for everyone; members-only ones only for members."""
    return bool(meeting.is_public) or is_member(user)


def can_rsvp(user: Any, meeting: Any) -> bool:
    return is_member(user) and meeting.status in ("planned", "confirmed")


def can_manage_meetings(user: Any) -> bool:
    return is_coordinator(user)
