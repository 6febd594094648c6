"""Who may co-sign: named predicates, (user, statement[, organisation]) -> bool."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accounts.permissions import is_coordinator, is_member
from statements.states import State

if TYPE_CHECKING:
    from accounts.models import Organisation
    from statements.models import Statement


def user_organisation_ids(user: Any) -> frozenset[int]:
    """The organisations a member belongs to, cached on the user object (one query)."""
    cached = getattr(user, "_organisation_ids", None)
    if cached is None:
        cached = (
            frozenset(user.organisations.values_list("id", flat=True))
            if is_member(user)
            else frozenset()
        )
        user._organisation_ids = cached
    return cached


def cosigning_open(statement: Statement) -> bool:
    """Co-signatures change only while the statement is published (not after retraction)."""
    return statement.state == State.PUBLISHED


def can_cosign(user: Any, statement: Statement) -> bool:
    """May co-sign (or revoke) for at least one of their organisations."""
    return cosigning_open(statement) and is_member(user) and bool(user_organisation_ids(user))


def can_cosign_for(user: Any, statement: Statement, organisation: Organisation) -> bool:
    """A member signs for their own organisations; a coordinator for any organisation."""
    if not cosigning_open(statement) or not is_member(user):
        return False
    return is_coordinator(user) or organisation.pk in user_organisation_ids(user)


def can_manage_cosigners(user: Any, statement: Statement) -> bool:
    """Coordinators add organisations that asked by e-mail, and remove any co-signature."""
    return cosigning_open(statement) and is_coordinator(user)
