"""Who may co-sign: named predicates, (user, statement[, organisation]) -> bool.

Speaking for an organisation needs a *confirmed* membership (accounts.permissions): a
tick in one's own profile is only a request. Coordinators also enter organisations that
asked by e-mail, and may remove any co-signature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accounts.permissions import confirmed_organisation_ids, is_coordinator, is_member
from statements.states import State

if TYPE_CHECKING:
    from accounts.models import Organisation
    from statements.models import Statement


def cosigning_open(statement: Statement) -> bool:
    """Co-signatures change only while the statement is published (not after retraction)."""
    return statement.state == State.PUBLISHED


def can_cosign(user: Any, statement: Statement) -> bool:
    """May co-sign (or revoke) for at least one organisation they are confirmed in."""
    return cosigning_open(statement) and bool(confirmed_organisation_ids(user))


def can_cosign_for(user: Any, statement: Statement, organisation: Organisation) -> bool:
    """A confirmed member signs for their organisation; a coordinator for any organisation."""
    if not cosigning_open(statement) or not is_member(user):
        return False
    return is_coordinator(user) or organisation.pk in confirmed_organisation_ids(user)


def can_revoke_cosignature_for(user: Any, statement: Statement, organisation: Organisation) -> bool:
    """Any confirmed member of the organisation (not only the one who signed) may take its
    signature back, and so may the coordination."""
    if not cosigning_open(statement) or not is_member(user):
        return False
    return is_coordinator(user) or organisation.pk in confirmed_organisation_ids(user)


def can_manage_cosigners(user: Any, statement: Statement) -> bool:
    """Coordinators add organisations that asked by e-mail, and remove any co-signature."""
    return cosigning_open(statement) and is_coordinator(user)
