"""Who may do what with a statement: one named predicate per action.

These predicates are the single source of truth. Views use them (through
statements.access), templates get their results in the context, and the FSM
transitions in statements/transitions.py use them as `permission=` hooks.
All of them accept AnonymousUser and return False for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from accounts.permissions import is_coordinator, is_member
from statements.states import EDITABLE_STATES, MEMBER_VISIBLE_STATES, State

if TYPE_CHECKING:
    from statements.models import Statement


def author_ids(statement: Statement) -> frozenset[int]:
    """The creator and co-authors, cached on the instance (one query at most)."""
    cached = getattr(statement, "_author_ids", None)
    if cached is None:
        prefetched = getattr(statement, "_prefetched_objects_cache", {}).get("coauthorships")
        if prefetched is not None:
            ids = {coauthorship.user_id for coauthorship in prefetched}
        else:
            ids = set(statement.coauthorships.values_list("user_id", flat=True))
        if statement.created_by_id:
            ids.add(statement.created_by_id)
        cached = frozenset(ids)
        statement._author_ids = cached
    return cached


def prime_author_ids(statements: Iterable[Statement | None]) -> None:
    """Fill the author cache of many statements with one query, so that checking
    can_view on a list (in-app list, a batch of mails, an export) costs no query per row."""
    from statements.models import Coauthorship

    pending = [s for s in statements if s is not None and getattr(s, "_author_ids", None) is None]
    if not pending:
        return
    coauthors: dict[int, set[int]] = defaultdict(set)
    for statement_id, user_id in Coauthorship.objects.filter(
        statement_id__in={s.pk for s in pending}
    ).values_list("statement_id", "user_id"):
        coauthors[statement_id].add(user_id)
    for statement in pending:
        ids = set(coauthors[statement.pk])
        if statement.created_by_id:
            ids.add(statement.created_by_id)
        statement._author_ids = frozenset(ids)


def is_author(user: Any, statement: Statement) -> bool:
    return is_member(user) and user.pk in author_ids(statement)


def is_creator(user: Any, statement: Statement) -> bool:
    return is_member(user) and statement.created_by_id == user.pk


def can_view_internal(user: Any, statement: Statement) -> bool:
    """May see the working view: text in progress, history, comments, audit trail."""
    if not is_member(user):
        return False
    if is_coordinator(user) or is_author(user, statement):
        return True
    if statement.state == State.WITHDRAWN:
        # Members see no more after a withdrawal than just before it: a paper withdrawn
        # from draft stays with its authors, even if it had been in consultation once
        # (its draft-phase text, titles and comments were never theirs to read).
        return statement.withdrawn_from in MEMBER_VISIBLE_STATES
    return statement.state in MEMBER_VISIBLE_STATES


def can_view(user: Any, statement: Statement) -> bool:
    """May see the statement at all (public readers: Statement.is_public, the public rule)."""
    return statement.is_public or can_view_internal(user, statement)


def viewable_q(user: Any) -> Q:
    """can_view as a query condition, for lists and the members' search: the same rule
    as can_view_internal + the public rule, row by row (tests/statements/test_search.py
    checks that both agree in every state for every role)."""
    from statements.models import Coauthorship, public_q

    if not is_member(user):
        return public_q()
    if is_coordinator(user):
        return Q()
    readable = MEMBER_VISIBLE_STATES - {State.WITHDRAWN}
    return (
        public_q()
        | Q(state__in=readable)
        | Q(state=State.WITHDRAWN, withdrawn_from__in=MEMBER_VISIBLE_STATES)
        | Q(created_by_id=user.pk)
        | Q(pk__in=Coauthorship.objects.filter(user_id=user.pk).values("statement_id"))
    )


def can_edit(user: Any, statement: Statement) -> bool:
    return statement.state in EDITABLE_STATES and is_author(user, statement)


def can_manage_coauthors(user: Any, statement: Statement) -> bool:
    return statement.state in EDITABLE_STATES and is_creator(user, statement)


def can_view_history(user: Any, statement: Statement) -> bool:
    return can_view_internal(user, statement)


# --- transitions ------------------------------------------------------------


def can_submit(user: Any, statement: Statement) -> bool:
    return is_author(user, statement)


def can_back_to_draft(user: Any, statement: Statement) -> bool:
    return is_author(user, statement) or is_coordinator(user)


def consultation_over(statement: Statement) -> bool:
    ends = statement.consultation_ends_at
    return ends is not None and ends <= timezone.now()


def can_open_vote(user: Any, statement: Statement) -> bool:
    if is_coordinator(user):
        return True
    return is_author(user, statement) and consultation_over(statement)


def can_close_vote(user: Any, statement: Statement) -> bool:
    """Coordinators close early; the deadline close is done by the system (no user)."""
    return is_coordinator(user)


def can_publish(user: Any, statement: Statement) -> bool:
    return is_coordinator(user)


def can_revise(user: Any, statement: Statement) -> bool:
    return is_author(user, statement)


def can_withdraw(user: Any, statement: Statement) -> bool:
    return is_author(user, statement) or is_coordinator(user)


def can_retract(user: Any, statement: Statement) -> bool:
    return is_coordinator(user)


def can_mark_urgent(user: Any, statement: Statement) -> bool:
    return is_coordinator(user) and statement.state in (State.DRAFT, State.CONSULTATION)
