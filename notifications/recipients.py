"""Who is concerned by an event: one rule per kind (named in notifications/kinds.py),
as a filter over users, plus the outside recipients (public subscribers, invitees).

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
from discussion.selectors import thread_participant_ids
from maillist.selectors import active_list_subscriber_ids, list_opt_out_ids, thread_author_ids
from notifications.models import PublicSubscriber
from statements.models import Statement
from statements.permissions import author_ids, can_view
from voting.models import Ballot
from voting.selectors import eligible_non_voter_ids, eligible_voter_ids, open_ballot_for

MEMBERS = MEMBER_Q
NOBODY = Q(pk__in=[])


def _ids(values: Any) -> Q:
    return Q(pk__in=[int(v) for v in values or [] if v is not None])


def _comment_rule(statement: Any, comment: Any) -> Q:
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
    current = Statement.objects.filter(pk=statement.pk).first()
    if current is None:
        return []
    return [user for user in users if can_view(user, current)]


def _ballot_for(statement: Any) -> Any | None:
    return open_ballot_for(statement) if statement is not None else None


# --- One rule per kind (named in notifications/kinds.py) ------------------------------
# Each takes the event (statement, target, extra) and returns (filter over users, ids to
# keep in the rows' context).

Rule = tuple[Q, dict[str, Any]]


def all_members(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    return MEMBERS, {}


def result_readers(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """Every member; the mail shows the counts of the paper's latest ballot."""
    context: dict[str, Any] = {}
    if statement is not None:
        context["ballot_id"] = (
            Ballot.objects.filter(statement=statement)
            .order_by("-round")
            .values_list("pk", flat=True)
            .first()
        )
    return MEMBERS, context


def comment_concerned(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """A new comment or reply: the thread's participants, the authors and the followers."""
    return _comment_rule(statement, target), {"comment_id": getattr(target, "pk", None)}


def mentioned_people(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    return _ids(extra.get("user_ids")) & MEMBERS, {"comment_id": getattr(target, "pk", None)}


def suggester(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """The author of the suggestion (target: the suggestion comment)."""
    return (
        _ids([getattr(target, "author_id", None)]) & MEMBERS,
        {"comment_id": getattr(target, "pk", None)},
    )


def invited_coauthor(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    return _ids([extra.get("user_id")]) & MEMBERS, {}


def eligible_voters(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    ballot = _ballot_for(statement)
    if ballot is None:
        return NOBODY, {}
    return _ids(eligible_voter_ids(ballot)) & MEMBERS, {"ballot_id": ballot.pk}


def eligible_non_voters(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """Those who have not voted yet (target: the ballot)."""
    context = {"ballot_id": getattr(target, "pk", None)}
    if target is None:
        return NOBODY, context
    return _ids(eligible_non_voter_ids(target)) & MEMBERS, context


def meeting_invitees(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """Every member is invited to every meeting (target: the meetings.Meeting)."""
    return MEMBERS, {"meeting_id": getattr(target, "pk", None)}


def minutes_readers(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """Every member reads the minutes (target: the meetings.Minutes)."""
    return MEMBERS, {"meeting_id": getattr(target, "meeting_id", None)}


def coordinators(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """The coordination (target: the admission request)."""
    return MEMBERS & Q(is_coordinator=True), {"admission_request_id": getattr(target, "pk", None)}


def applicant(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """The person who asked (target: the admission request); not a member yet, so no
    membership filter here."""
    return (
        _ids([getattr(target, "user_id", None)]) & Q(is_active=True),
        {"admission_request_id": getattr(target, "pk", None)},
    )


def person_concerned(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """The suspended or reinstated person, member or (now) suspended."""
    context = {"user_id": extra.get("user_id"), "suspended": bool(extra.get("suspended"))}
    return _ids([extra.get("user_id")]) & Q(is_active=True), context


def list_readers(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """A list post (target: the maillist.Post): every member who has not switched off
    its type."""
    if target is None:
        return NOBODY, {}
    if getattr(target, "origin", ""):
        # Posted by the meetings (an invitation, approved minutes): the members got the
        # meeting's own mail already; the post is for the archive and outside subscribers.
        return NOBODY, {"post_id": target.pk}
    return MEMBERS & ~Q(pk__in=list_opt_out_ids(target.post_type)), {"post_id": target.pk}


def list_thread(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """A reply to a list post (target: the reply): the members who wrote in the thread
    (the post's author, earlier repliers); members-only posts reach members only anyway."""
    if target is None:
        return NOBODY, {}
    return MEMBERS & _ids(thread_author_ids(target)), {"post_id": target.pk}


def coordination(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """The coordination (target: an Answer to a published position)."""
    return MEMBERS & Q(is_coordinator=True), {"answer_id": getattr(target, "pk", None)}


def inbound_sender(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """No account holder: the bounce goes to the refused message's sender (outside)."""
    return NOBODY, {"decision": extra.get("decision", "")}


def nobody(*, statement: Any, target: Any, extra: dict[str, Any]) -> Rule:
    """No account holder: the mail goes to someone outside (see the kind's `outside`)."""
    return NOBODY, {}


# --- Recipients without an account -----------------------------------------------------
# Each returns the keyword arguments of one outbox row per outside recipient.


def active_subscribers(*, target: Any) -> list[dict[str, Any]]:
    active = PublicSubscriber.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).values_list("pk", flat=True)
    return [{"subscriber_id": pk} for pk in active]


def list_subscribers(*, target: Any) -> list[dict[str, Any]]:
    """Outside subscribers of the e-mail list who chose the post's type. They get public
    posts only: a members-only post stays with the members (target: the maillist.Post)."""
    if target is None or not target.is_public:
        return []
    return [{"list_subscriber_id": pk} for pk in active_list_subscriber_ids(target.post_type)]


def the_list_subscriber(*, target: Any) -> list[dict[str, Any]]:
    """The address that asked to join the list (target: the maillist.ListSubscriber)."""
    return [] if target is None else [{"list_subscriber_id": target.pk}]


def the_inbound_sender(*, target: Any) -> list[dict[str, Any]]:
    """The address a refused reply came from (target: the inbound.InboundMessage)."""
    return [] if target is None or not target.sender else [{"inbound_message_id": target.pk}]


def the_invitee(*, target: Any) -> list[dict[str, Any]]:
    """The invited address (target: the accounts.Invitation)."""
    return [] if target is None else [{"invitation_id": target.pk}]
