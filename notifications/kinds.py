"""Every kind of notification, described once.

One KindSpec per kind says who is concerned, how it reaches them by default, whether
they may switch it off, which builder loads its content at send time and which three
templates (subject, text, HTML) render it. notifications.services writes the outbox
rows from it, notifications.emails renders them, the preferences page offers it, and
notifications/checks.py (a system check, also run by the tests) refuses a kind whose
spec, builder or templates are missing: without it a missing builder showed only at
send time, after five retries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.permissions import is_coordinator
from meetings import ical
from notifications import builders, recipients
from notifications.models import Kind, Mode

RecipientRule = Callable[..., recipients.Rule]
OutsideRule = Callable[..., list[dict[str, Any]]]
Link = Callable[[Any, dict[str, Any]], str]


# --- Where a notification leads (the in-app list, the mail's button) ---------------------


def paper_link(statement: Any, context: dict[str, Any]) -> str:
    """The paper, at the exact comment when there is one."""
    if statement is None:
        return reverse("notifications:list")
    path = statement.get_absolute_url()
    if context.get("comment_id"):
        return f"{path}#comment-{context['comment_id']}"
    return path


def ballot_link(statement: Any, context: dict[str, Any]) -> str:
    if statement is None:
        return reverse("notifications:list")
    return f"{statement.get_absolute_url()}#abstimmung"


def admission_queue_link(statement: Any, context: dict[str, Any]) -> str:
    return reverse("accounts:admission_queue")


def profile_link(statement: Any, context: dict[str, Any]) -> str:
    return reverse("accounts:profile")


def list_link(statement: Any, context: dict[str, Any]) -> str:
    return reverse("notifications:list")


def meeting_link(statement: Any, context: dict[str, Any]) -> str:
    if not context.get("meeting_id"):
        return reverse("notifications:list")
    return reverse("meetings:detail", kwargs={"pk": context["meeting_id"]})


def meeting_ics(row: Any, context: dict[str, Any]) -> list[tuple[str, bytes, str]]:
    """The invitation, update or cancellation as iCalendar (RFC 5546): one UID per
    meeting, a higher SEQUENCE after each change, so calendars replace the entry."""
    meeting = context["meeting"]
    agenda = [item.title for item in context.get("agenda", [])]
    body = ical.invitation(meeting, attendee=row.recipient, agenda=agenda)
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    return [("treffen.ics", body, f"text/calendar; method={method}; charset=utf-8")]


def position_pdf(row: Any, context: dict[str, Any]) -> list[tuple[str, bytes, str]]:
    """The press PDF, made by the public app when the position was sent (issue 19)."""
    path = Path(row.context["pdf_path"])
    return [(row.context.get("pdf_name", path.name), path.read_bytes(), "application/pdf")]


def minutes_link(statement: Any, context: dict[str, Any]) -> str:
    if not context.get("meeting_id"):
        return reverse("notifications:list")
    return reverse("meetings:minutes", kwargs={"pk": context["meeting_id"]})


def list_post_link(statement: Any, context: dict[str, Any]) -> str:
    return reverse("maillist:post", kwargs={"pk": context.get("post_id") or 0})


def dispatch_link(statement: Any, context: dict[str, Any]) -> str:
    if statement is None:
        return reverse("notifications:list")
    return reverse("public:dispatch", kwargs={"slug": statement.slug})


def home_link(statement: Any, context: dict[str, Any]) -> str:
    return reverse("public:home")


# --- The table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KindSpec:
    kind: Kind
    # The template context at send time (notifications/builders.py); None: nothing to send.
    build: builders.Builder
    link: Link
    # Who is concerned among the users (notifications/recipients.py); None for the app's
    # own mails (digest, subscription confirmation), which are not events.
    recipients: RecipientRule | None = None
    # Rows for people without an account (public subscribers, an invited address).
    outside: OutsideRule | None = None
    # Offered on the preferences page with this default; None: not offered.
    default_mode: Mode | None = None
    # Cannot be switched off or delayed, carries no unsubscribe link.
    locked: bool = False
    # Who sees it on the preferences page (None: every member).
    offered_to: Callable[[Any], bool] | None = None
    # A waiting mail of this kind about the same target is dropped: one mail, not two.
    supersedes: Kind | None = None
    # The actor of the event gets it too (a coordinator deciding on their own request).
    notify_actor: bool = False
    # Still listed in-app for someone who is not (or no longer) a member: it names no
    # internal paper (the answer to their admission request, their suspension).
    non_members_see: bool = False
    # Reported once per target object (a comment is created once); False: each report
    # is its own event (a co-author removed and invited again is told again).
    once_per_target: bool = True
    # Files attached to the mail (name, bytes, MIME type), from the builder's context.
    attachments: Callable[[Any, dict[str, Any]], list[tuple[str, bytes, str]]] | None = None

    @property
    def templates(self) -> tuple[str, str, str]:
        """Subject, plain text and HTML, rendered in the reader's language."""
        base = f"notifications/email/{self.kind}"
        return f"{base}_subject.txt", f"{base}.txt", f"{base}.html"

    @property
    def is_event(self) -> bool:
        return self.recipients is not None


K, M = Kind, Mode
r, b = recipients, builders

# fmt: off
SPECS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        # What needs action comes at once, chatter goes to the digest.
        KindSpec(K.CONSULTATION_OPENED, b.statement_mail, paper_link, r.all_members,
                 default_mode=M.IMMEDIATELY),
        KindSpec(K.COMMENT_CREATED, b.comment_mail, paper_link, r.comment_concerned,
                 default_mode=M.DIGEST),
        KindSpec(K.MENTIONED, b.comment_mail, paper_link, r.mentioned_people,
                 default_mode=M.IMMEDIATELY, supersedes=K.COMMENT_CREATED),
        KindSpec(K.SUGGESTION_APPLIED, b.suggestion_mail, paper_link, r.suggester,
                 default_mode=M.DIGEST),
        KindSpec(K.SUGGESTION_DECLINED, b.suggestion_mail, paper_link, r.suggester,
                 default_mode=M.IMMEDIATELY),
        KindSpec(K.COAUTHOR_INVITED, b.statement_mail, paper_link, r.invited_coauthor,
                 default_mode=M.IMMEDIATELY, once_per_target=False),
        KindSpec(K.VOTING_OPENED, b.ballot_mail, ballot_link, r.eligible_voters,
                 default_mode=M.IMMEDIATELY),
        KindSpec(K.VOTING_REMINDER, b.ballot_mail, ballot_link, r.eligible_non_voters,
                 default_mode=M.IMMEDIATELY),
        KindSpec(K.VOTING_RESULT, b.ballot_mail, ballot_link, r.result_readers,
                 default_mode=M.IMMEDIATELY),
        # A coordinator moved a running vote's deadline later (may happen more than once).
        KindSpec(K.VOTING_EXTENDED, b.ballot_mail, ballot_link, r.eligible_voters,
                 default_mode=M.IMMEDIATELY, once_per_target=False),
        KindSpec(K.PUBLISHED, b.statement_mail, paper_link, r.all_members,
                 outside=r.active_subscribers, default_mode=M.DIGEST),
        # Admission and membership (account) mail cannot be switched off or delayed.
        KindSpec(K.ADMISSION_REQUESTED, b.admission_requested, admission_queue_link,
                 r.coordinators, default_mode=M.IMMEDIATELY, locked=True,
                 offered_to=is_coordinator),
        KindSpec(K.ADMISSION_DECIDED, b.admission_decided, profile_link, r.applicant,
                 default_mode=M.IMMEDIATELY, locked=True, notify_actor=True,
                 non_members_see=True),
        KindSpec(K.MEMBERSHIP_CHANGED, b.membership_changed, profile_link,
                 r.person_concerned, default_mode=M.IMMEDIATELY, locked=True,
                 non_members_see=True),
        # The invited address has no account: nothing to choose, nothing to unsubscribe.
        KindSpec(K.MEMBER_INVITED, b.member_invited, home_link, r.nobody,
                 outside=r.the_invitee, locked=True),
        # Meetings: each mail carries the .ics that adds, updates or cancels the entry.
        KindSpec(K.MEETING_INVITATION, b.meeting_mail, meeting_link, r.meeting_invitees,
                 default_mode=M.IMMEDIATELY, attachments=meeting_ics),
        KindSpec(K.MEETING_CHANGED, b.meeting_mail, meeting_link, r.meeting_invitees,
                 default_mode=M.IMMEDIATELY, attachments=meeting_ics, once_per_target=False),
        KindSpec(K.MEETING_CANCELLED, b.meeting_mail, meeting_link, r.meeting_invitees,
                 default_mode=M.IMMEDIATELY, attachments=meeting_ics),
        KindSpec(K.MEETING_REMINDER, b.meeting_mail, meeting_link, r.meeting_invitees,
                 default_mode=M.IMMEDIATELY, attachments=meeting_ics),
        KindSpec(K.MINUTES_READY, b.minutes_mail, minutes_link, r.minutes_readers,
                 default_mode=M.IMMEDIATELY),
        KindSpec(K.MINUTES_APPROVED, b.minutes_mail, minutes_link, r.minutes_readers,
                 default_mode=M.DIGEST),
        # The e-mail list (maillist): each post reaches the members who want its type.
        KindSpec(K.LIST_POST, b.list_post_mail, list_post_link, r.list_readers,
                 outside=r.list_subscribers, default_mode=M.IMMEDIATELY, notify_actor=True),
        # A reply (by mail) in a post's thread: to those who wrote there, like a comment.
        KindSpec(K.LIST_REPLY, b.list_reply_mail, list_post_link, r.list_thread,
                 default_mode=M.DIGEST),
        # Whoever wants them switches funding reminders on (preferences page).
        KindSpec(K.FUNDING_REMINDER, b.list_post_mail, list_post_link, r.list_readers,
                 default_mode=M.OFF),
        KindSpec(K.LIST_SUBSCRIPTION_REQUESTED, b.list_subscription_confirm, home_link,
                 r.nobody, outside=r.the_list_subscriber, locked=True, once_per_target=False),
        # The app's own mails: no event, written by digests_build / subscriber_subscribe.
        KindSpec(K.DIGEST, b.digest, list_link),
        KindSpec(K.SUBSCRIPTION_CONFIRM, b.subscription_confirm, list_link, locked=True),
        # Issue 19: rows written by public.addressees.position_send, one per addressee.
        KindSpec(K.POSITION_SENT, b.position_mail, paper_link, locked=True,
                 attachments=position_pdf),
        # An addressee answered by mail (public.answers): the coordination decides on it.
        KindSpec(K.ANSWER_RECEIVED, b.answer_mail, dispatch_link, r.coordination,
                 default_mode=M.IMMEDIATELY, offered_to=is_coordinator),
        # The bounce to a reply by e-mail that created nothing (inbound), to its sender.
        KindSpec(K.INBOUND_REFUSED, b.inbound_refused, home_link, r.inbound_sender,
                 outside=r.the_inbound_sender, locked=True),
    )
}
# fmt: on

_missing = set(Kind.values) - set(SPECS)
if _missing:  # a new Kind without its spec must not get as far as a worker
    raise ImproperlyConfigured(f"notifications.kinds.SPECS lacks {sorted(_missing)}")

# Derived views of the table.
LOCKED_KINDS: frozenset[str] = frozenset(k for k, s in SPECS.items() if s.locked)
DEFAULT_MODES: dict[str, str] = {
    k: s.default_mode for k, s in SPECS.items() if s.default_mode is not None
}
PREFERENCE_KINDS: tuple[str, ...] = tuple(DEFAULT_MODES)
NON_MEMBER_KINDS: frozenset[str] = frozenset(k for k, s in SPECS.items() if s.non_members_see)


def spec_for(kind: str) -> KindSpec:
    return SPECS[kind]


def target_path(kind: str, statement: Any, context: dict[str, Any]) -> str:
    """Where a notification leads: the exact comment, the ballot, the queue."""
    return SPECS[kind].link(statement, context)


def preference_kinds_for(user: Any) -> list[str]:
    """The kinds `user` sees on the preferences page, in the table's order."""
    return [
        k
        for k in PREFERENCE_KINDS
        if SPECS[k].offered_to is None or SPECS[k].offered_to(user)  # type: ignore[misc]
    ]
