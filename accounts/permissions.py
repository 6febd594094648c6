"""Who may do what, as named predicates, for the account side.

Used by views, templates and other apps' predicates alike.
"""

from __future__ import annotations

from typing import Any

from accounts.models import MembershipStatus, OrganisationMembership, OrganisationMembershipStatus


def is_member(user: Any) -> bool:
    """An admitted, active member (coordinators are members too): accounts.models.MEMBER_Q
    for one loaded user (anonymous visitors are no members)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.membership_status == MembershipStatus.MEMBER
    )


def is_coordinator(user: Any) -> bool:
    return is_member(user) and bool(user.is_coordinator)


def can_request_admission(user: Any) -> bool:
    """Registered people ask to be admitted, and so may those declined before."""
    return bool(getattr(user, "is_authenticated", False)) and user.membership_status in (
        MembershipStatus.REGISTERED,
        MembershipStatus.DECLINED,
    )


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


# --- organisations -------------------------------------------------------------------
# Speaking for an organisation (co-signing in its name) needs a confirmed membership;
# a tick in one's own profile is only a request.


def organisation_roles(user: Any) -> dict[int, bool]:
    """{organisation id: is contact} of the person's confirmed memberships.

    Empty for anyone who is not an active member (a suspended contact confirms nobody).
    Cached on the user object for the request: one query however often it is asked.
    """
    cached = getattr(user, "_organisation_roles", None)
    if cached is None:
        cached = (
            dict(
                OrganisationMembership.objects.filter(
                    user=user, status=OrganisationMembershipStatus.CONFIRMED
                ).values_list("organisation_id", "is_contact")
            )
            if is_member(user)
            else {}
        )
        user._organisation_roles = cached
    return cached


def forget_organisation_roles(user: Any) -> Any:
    """Drop the cached roles (a service about to decide must read the current rows)."""
    if user is not None and hasattr(user, "_organisation_roles"):
        del user._organisation_roles
    return user


def confirmed_organisation_ids(user: Any) -> frozenset[int]:
    return frozenset(organisation_roles(user))


def is_confirmed_member_of(user: Any, organisation_id: int) -> bool:
    return organisation_id in organisation_roles(user)


def is_organisation_contact(user: Any, organisation_id: int) -> bool:
    return organisation_roles(user).get(organisation_id, False)


def can_decide_organisation_membership(user: Any, organisation_id: int) -> bool:
    """Coordinators confirm or decline anyone's membership; a contact those of their
    own organisation."""
    return is_coordinator(user) or is_organisation_contact(user, organisation_id)


def can_set_organisation_contact(user: Any) -> bool:
    """Naming an organisation's contacts is the coordination's decision."""
    return is_coordinator(user)
