"""Domain events: the one contract by which a lower app hands something upward.

Services of every app call emit() inside their transaction when something happened;
the notifications app (a layer above them all) decides who is concerned and writes
the outbox rows in that same transaction. Callers never pick recipients or send mail
themselves. Each kind is described once in notifications/kinds.py (who, how, which
templates). The vocabulary lives here, in the bottom layer, so that accounts,
statements, discussion, voting and workflow can name an event without importing the
app that acts on it (docs/architecture.md, "Apps in layers").
"""

from __future__ import annotations

from typing import Any

from django.db import models


class EventKind(models.TextChoices):
    CONSULTATION_OPENED = "consultation_opened"
    COMMENT_CREATED = "comment_created"  # target: the comment (replies too)
    MENTIONED = "mentioned"  # target: the comment; extra: {"user_ids": [...]}
    SUGGESTION_APPLIED = "suggestion_applied"  # target: the suggestion comment
    SUGGESTION_DECLINED = "suggestion_declined"  # target: the suggestion comment
    COAUTHOR_INVITED = "coauthor_invited"  # extra: {"user_id": ...}
    VOTING_OPENED = "voting_opened"
    VOTING_REMINDER = "voting_reminder"  # target: the ballot
    VOTING_EXTENDED = "voting_extended"  # target: the ballot, whose deadline moved later
    VOTING_RESULT = "voting_result"
    PUBLISHED = "published"
    ADMISSION_REQUESTED = "admission_requested"  # target: the AdmissionRequest
    ADMISSION_DECIDED = "admission_decided"  # target: the AdmissionRequest
    # extra: {"user_id": ..., "suspended": bool}: a coordinator suspended or reinstated someone
    MEMBERSHIP_CHANGED = "membership_changed"
    MEMBER_INVITED = "member_invited"  # target: the accounts.Invitation (no account yet)
    # target: the meetings.Meeting; each mail carries the meeting's .ics (same UID)
    MEETING_INVITATION = "meeting_invitation"
    MEETING_CHANGED = "meeting_changed"
    MEETING_CANCELLED = "meeting_cancelled"
    MEETING_REMINDER = "meeting_reminder"
    MINUTES_READY = "minutes_ready"  # target: the meetings.Minutes (objections invited)
    MINUTES_APPROVED = "minutes_approved"  # target: the meetings.Minutes
    LIST_POST = "list_post"  # target: the maillist.Post sent to the list
    # target: the maillist.ListSubscriber (no account) who asked to join the list
    LIST_SUBSCRIPTION_REQUESTED = "list_subscription_requested"
    FUNDING_REMINDER = "funding_reminder"  # target: the maillist.Post (a funding hint)
    LIST_REPLY = "list_reply"  # target: the maillist.Post that replies (by mail) to a post
    # target: the inbound.InboundMessage refused; extra {"decision": "replay"} for a replay.
    # The bounce goes through the outbox to the message's sender.
    INBOUND_REFUSED = "inbound_refused"
    # target: the notifications.Answer an addressee sent by mail (issue 19); statement set
    ANSWER_RECEIVED = "answer_received"


def emit(
    kind: EventKind,
    *,
    statement: Any | None = None,
    actor: Any | None = None,
    target: Any | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Record that `kind` happened. Must be called inside the causing transaction."""
    # The event hook: the only place a lower layer reaches the notifications app, at
    # call time (tests/core/test_layers.py lists it as the one allowed upward import).
    from notifications.services import notifications_for_event

    notifications_for_event(
        kind=kind, statement=statement, actor=actor, target=target, extra=extra or {}
    )
