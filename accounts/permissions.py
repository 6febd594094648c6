"""Who may do what, as named predicates, for the account side.

Used by views, templates and other apps' predicates alike.
"""

from __future__ import annotations

from typing import Any

from accounts.models import MembershipStatus


def is_member(user: Any) -> bool:
    """An admitted, active member (coordinators are members too)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.membership_status == MembershipStatus.MEMBER
    )


def is_coordinator(user: Any) -> bool:
    return is_member(user) and bool(user.is_coordinator)


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)
