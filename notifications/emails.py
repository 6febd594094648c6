"""One function per kind of mail. Each returns the template context (or None:
nothing to send) and _compose() renders subject, text and HTML in the
recipient's language with the unsubscribe headers.

Everything is loaded at send time from the ids in the outbox row, so a comment
hidden after the event is not mailed, and no vote of any person is ever read:
result mails use the ballot's stored counts only. Visibility is decided again at
send time too (reader_may_see): a paper that went back to draft, or whose author
list lost the reader, since the row was written is not mailed, nor listed in a digest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator

from accounts.models import MembershipStatus, User
from notifications.models import LOCKED_KINDS, Kind, Notification, Status
from notifications.tokens import absolute, confirm_url, unsubscribe_url
from statements.permissions import can_view, prime_author_ids


class Loaded:
    """Everything a batch of rows needs, fetched with a fixed number of queries."""

    def __init__(self, rows: list[Notification]) -> None:
        item_ids = [i for r in rows if r.kind == Kind.DIGEST for i in r.context.get("items", [])]
        self.items: dict[int, Notification] = (
            Notification.objects.select_related("statement").in_bulk(item_ids) if item_ids else {}
        )
        every = list(rows) + list(self.items.values())
        self.comments = self._bulk("discussion.Comment", every, "comment_id")
        self.ballots = self._bulk("voting.Ballot", every, "ballot_id")
        self.admissions = self._bulk(
            "accounts.AdmissionRequest", every, "admission_request_id", related=("user",)
        )
        actor_ids = {r.context.get("actor_id") for r in every} - {None}
        self.actors = User.objects.in_bulk(actor_ids) if actor_ids else {}
        # One query for the authors of every paper in the batch (for reader_may_see).
        prime_author_ids(r.statement for r in every)

    @staticmethod
    def _bulk(label: str, rows: list[Notification], key: str, related: tuple = ()) -> dict:
        ids = {r.context.get(key) for r in rows} - {None}
        if not ids:
            return {}
        return apps.get_model(label).objects.select_related(*related).in_bulk(ids)


# --- Links -------------------------------------------------------------------


def target_path(kind: str, statement: Any, context: dict[str, Any]) -> str:
    """Where a notification leads: the exact comment, the ballot, the queue."""
    if kind == Kind.ADMISSION_REQUESTED:
        return reverse("accounts:admission_queue")
    if kind in (Kind.ADMISSION_DECIDED, Kind.MEMBERSHIP_CHANGED):
        return reverse("accounts:profile")
    if statement is None:
        return reverse("notifications:list")
    path = statement.get_absolute_url()
    if context.get("comment_id"):
        return f"{path}#comment-{context['comment_id']}"
    if kind in (Kind.VOTING_OPENED, Kind.VOTING_REMINDER, Kind.VOTING_RESULT):
        return f"{path}#abstimmung"
    return path


def _excerpt(comment: Any) -> str:
    text = strip_tags(getattr(comment, "body_html", "") or "") or getattr(comment, "body", "")
    return Truncator(re.sub(r"\s+", " ", text).strip()).chars(400)


def _visible_comment(row: Notification, loaded: Loaded) -> Any | None:
    """The comment of the row, or None when it is gone, deleted or hidden (never mailed)."""
    comment = loaded.comments.get(row.context.get("comment_id"))
    if (
        comment is None
        or getattr(comment, "is_hidden", False)
        or getattr(comment, "deleted_at", None)
    ):
        return None
    return comment


def reader_may_see(reader: Any, statement: Any | None) -> bool:
    """The send-time visibility check (the same predicate as the pages): may the reader
    (a user, or None for a public subscriber) see this paper now?"""
    if statement is None:
        return True
    return can_view(reader if reader is not None else AnonymousUser(), statement)


# --- One function per kind ---------------------------------------------------

Builder = Callable[[Notification, Loaded], "dict[str, Any] | None"]


def _statement_ctx(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    if row.statement is None:
        return None
    return {"statement": row.statement, "actor": loaded.actors.get(row.context.get("actor_id"))}


def consultation_opened(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    return _statement_ctx(row, loaded)


def _comment_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    ctx = _statement_ctx(row, loaded)
    comment = _visible_comment(row, loaded)
    if ctx is None or comment is None:
        return None
    return {**ctx, "comment": comment, "excerpt": _excerpt(comment)}


comment_created = _comment_mail
mentioned = _comment_mail
suggestion_applied = _comment_mail
suggestion_declined = _comment_mail


def coauthor_invited(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    return _statement_ctx(row, loaded)


def _ballot_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    ctx = _statement_ctx(row, loaded)
    if ctx is None:
        return None
    return {**ctx, "ballot": loaded.ballots.get(row.context.get("ballot_id"))}


voting_opened = _ballot_mail
voting_reminder = _ballot_mail


def voting_result(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    # Counts only: the stored totals of the closed ballot, never anyone's vote.
    return _ballot_mail(row, loaded)


def published(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    return _statement_ctx(row, loaded)


def admission_requested(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    request = loaded.admissions.get(row.context.get("admission_request_id"))
    return None if request is None else {"request": request, "applicant": request.user}


def admission_decided(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    request = loaded.admissions.get(row.context.get("admission_request_id"))
    return (
        None
        if request is None
        else {"request": request, "admitted": request.decision == "admitted"}
    )


def membership_changed(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    person = row.recipient
    suspended = bool(row.context.get("suspended"))
    if person is None or (person.membership_status == MembershipStatus.SUSPENDED) != suspended:
        return None  # overtaken by a later decision: only the current one is mailed
    return {
        "suspended": suspended,
        "reason": person.suspension_reason if suspended else "",
        "contact_email": settings.RTM_CONTACT_EMAIL,
    }


def digest(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    entries = []
    for item_id in row.context.get("items", []):
        item = loaded.items.get(item_id)
        if item is None or item.statement is None:
            continue
        if not reader_may_see(row.recipient, item.statement):
            continue  # back to draft, withdrawn or no longer an author: not even the title
        if item.context.get("comment_id") and _visible_comment(item, loaded) is None:
            continue  # hidden since: left out of the digest too
        entries.append(
            {
                "kind": Kind(item.kind).label,
                "statement": item.statement,
                "actor": loaded.actors.get(item.context.get("actor_id")),
                "url": absolute(target_path(item.kind, item.statement, item.context)),
            }
        )
    return {"entries": entries} if entries else None


def subscription_confirm(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    subscriber = row.subscriber
    if subscriber is None or subscriber.is_active:
        return None
    return {"confirm_url": confirm_url(subscriber.token)}


BUILDERS: dict[str, Builder] = {
    Kind.CONSULTATION_OPENED: consultation_opened,
    Kind.COMMENT_CREATED: comment_created,
    Kind.MENTIONED: mentioned,
    Kind.SUGGESTION_APPLIED: suggestion_applied,
    Kind.SUGGESTION_DECLINED: suggestion_declined,
    Kind.COAUTHOR_INVITED: coauthor_invited,
    Kind.VOTING_OPENED: voting_opened,
    Kind.VOTING_REMINDER: voting_reminder,
    Kind.VOTING_RESULT: voting_result,
    Kind.PUBLISHED: published,
    Kind.ADMISSION_REQUESTED: admission_requested,
    Kind.ADMISSION_DECIDED: admission_decided,
    Kind.MEMBERSHIP_CHANGED: membership_changed,
    Kind.DIGEST: digest,
    Kind.SUBSCRIPTION_CONFIRM: subscription_confirm,
}


# --- Composing ---------------------------------------------------------------


def build(row: Notification, loaded: Loaded) -> EmailMultiAlternatives | None:
    """The message for one outbox row, or None when there is nothing to send."""
    if row.recipient is not None:
        if not row.recipient.is_active:
            return None
        address, language, name = row.recipient.email, row.recipient.language, str(row.recipient)
    elif row.subscriber is not None:
        if row.kind != Kind.SUBSCRIPTION_CONFIRM and not row.subscriber.is_active:
            return None
        address, language, name = row.subscriber.email, row.subscriber.language, ""
    else:
        return None
    if not reader_may_see(row.recipient, row.statement):
        return None  # decided again now: the paper may have gone back to draft since
    with translation.override(language or settings.LANGUAGE_CODE):
        context = BUILDERS[row.kind](row, loaded)
        if context is None:
            return None
        unsubscribe = None
        if row.kind not in LOCKED_KINDS:
            if row.subscriber is not None:
                unsubscribe = unsubscribe_url(subscriber_token=row.subscriber.token)
            else:
                unsubscribe = unsubscribe_url(user_id=row.recipient_id, kind=row.kind)
        context.update(
            recipient_name=name,
            url=absolute(target_path(row.kind, row.statement, row.context)),
            unsubscribe_url=unsubscribe,
            preferences_url=absolute(reverse("notifications:preferences"))
            if row.recipient_id
            else "",
            site_url=settings.SITE_URL,
            kind_label=Kind(row.kind).label,
        )
        return _compose(row, address, context)


def _compose(row: Notification, address: str, context: dict[str, Any]) -> EmailMultiAlternatives:
    name = f"notifications/email/{row.kind}"
    subject = render_to_string(f"{name}_subject.txt", context)
    subject = "[RTM] " + re.sub(r"\s+", " ", subject).strip()
    text = render_to_string(f"{name}.txt", context)
    html = render_to_string(f"{name}.html", context)
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    headers = {
        "Message-ID": f"<notification-{row.pk}@{domain}>",
        "Auto-Submitted": "auto-generated",
    }
    if context.get("unsubscribe_url"):
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


__all__ = ["BUILDERS", "Loaded", "Status", "build", "target_path"]
