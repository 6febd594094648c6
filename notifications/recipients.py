"""Who is concerned by an event: one rule per kind, as a filter over users.

Every rule is a Q over accounts.User built from at most a few constant-size
queries to other apps' selectors, so the number of SQL queries for an event
does not grow with the number of recipients.

Being concerned is not enough: who_may_see() then keeps only those who may see
the paper now (statements.permissions.can_view). A follower of a paper that went
back to draft, or a removed co-author still in a thread, is concerned but gets no row.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accounts.models import MEMBER_Q
from notifications.events import EventKind

MEMBERS = MEMBER_Q
NOBODY = Q(pk__in=[])


def _ids(values: Any) -> Q:
    return Q(pk__in=[int(v) for v in values or [] if v is not None])


def _comment_rule(statement: Any, comment: Any) -> Q:
    from discussion.selectors import thread_participant_ids
    from statements.permissions import author_ids

    ids = set(thread_participant_ids(comment)) if comment is not None else set()
    ids |= set(author_ids(statement)) if statement is not None else set()
    rule = _ids(ids)
    if statement is not None:
        rule |= Q(follows__statement=statement)
    return rule & MEMBERS


def who_may_see(users: list[Any], statement: Any | None) -> list[Any]:
    """The users among `users` who may see `statement` as it stands in the database now.

    The statement is read again: the caller's instance may carry a stale author cache
    (coauthor_add emits before it clears it) or predate the transition being recorded.
    Two queries per event (the row and its co-authors), whatever the number of users.
    """
    if statement is None:
        return users
    from statements.models import Statement
    from statements.permissions import can_view

    current = Statement.objects.filter(pk=statement.pk).first()
    if current is None:
        return []
    return [user for user in users if can_view(user, current)]


def _ballot_for(statement: Any) -> Any | None:
    from voting.selectors import open_ballot_for

    return open_ballot_for(statement) if statement is not None else None


def recipient_rule(
    kind: str, *, statement: Any, target: Any, extra: dict[str, Any]
) -> tuple[Q, dict[str, Any]]:
    """(filter over users, ids to keep in the context) for one event."""
    context: dict[str, Any] = {}
    if kind == EventKind.CONSULTATION_OPENED or kind == EventKind.VOTING_RESULT:
        if kind == EventKind.VOTING_RESULT and statement is not None:
            from voting.models import Ballot

            ballot_id = (
                Ballot.objects.filter(statement=statement)
                .order_by("-round")
                .values_list("pk", flat=True)
                .first()
            )
            context["ballot_id"] = ballot_id
        return MEMBERS, context
    if kind == EventKind.COMMENT_CREATED:
        context["comment_id"] = getattr(target, "pk", None)
        return _comment_rule(statement, target), context
    if kind == EventKind.MENTIONED:
        context["comment_id"] = getattr(target, "pk", None)
        return _ids(extra.get("user_ids")) & MEMBERS, context
    if kind in (EventKind.SUGGESTION_APPLIED, EventKind.SUGGESTION_DECLINED):
        context["comment_id"] = getattr(target, "pk", None)
        return _ids([getattr(target, "author_id", None)]) & MEMBERS, context
    if kind == EventKind.COAUTHOR_INVITED:
        return _ids([extra.get("user_id")]) & MEMBERS, context
    if kind == EventKind.VOTING_OPENED:
        from voting.selectors import eligible_voter_ids

        ballot = _ballot_for(statement)
        if ballot is None:
            return NOBODY, context
        context["ballot_id"] = ballot.pk
        return _ids(eligible_voter_ids(ballot)) & MEMBERS, context
    if kind == EventKind.VOTING_REMINDER:
        from voting.selectors import eligible_non_voter_ids

        context["ballot_id"] = getattr(target, "pk", None)
        if target is None:
            return NOBODY, context
        return _ids(eligible_non_voter_ids(target)) & MEMBERS, context
    if kind == EventKind.PUBLISHED:
        return MEMBERS, context
    if kind == EventKind.ADMISSION_REQUESTED:
        context["admission_request_id"] = getattr(target, "pk", None)
        return MEMBERS & Q(is_coordinator=True), context
    if kind == EventKind.MEMBERSHIP_CHANGED:
        # The person concerned, member or (now) suspended.
        context["user_id"] = extra.get("user_id")
        context["suspended"] = bool(extra.get("suspended"))
        return _ids([extra.get("user_id")]) & Q(is_active=True), context
    if kind == EventKind.ADMISSION_DECIDED:
        # The applicant is not (yet) a member, so no membership filter here.
        context["admission_request_id"] = getattr(target, "pk", None)
        return _ids([getattr(target, "user_id", None)]) & Q(is_active=True), context
    return NOBODY, context
