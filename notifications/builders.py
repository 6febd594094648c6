"""What each kind of mail says: one builder per kind, returning the template context
(or None: nothing to send). notifications/kinds.py names each kind's builder and
templates; notifications/emails.py renders them.

Everything is loaded at send time from the ids in the outbox row, so a comment
hidden after the event is not mailed, and no vote of any person is ever read:
result mails use the ballot's stored counts only. Visibility is decided again at
send time too (reader_may_see): a paper that went back to draft, or whose author
list lost the reader, since the row was written is not mailed, nor listed in a digest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import MembershipStatus, User
from accounts.services import invitation_url
from inbound.services import bounce_text
from inbound.targets import COMMENT_THREAD, LIST_POST, SUGGESTION
from inbound.tokens import reply_address
from maillist.tokens import confirm_url as list_confirm_url
from notifications.models import Kind, Notification
from notifications.tokens import absolute, confirm_url
from statements.diff import rendered_segments_html, segments_text
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
        self.posts = self._bulk("maillist.Post", every, "post_id", related=("author",))
        actor_ids = {r.context.get("actor_id") for r in every} - {None}
        self.actors = User.objects.in_bulk(actor_ids) if actor_ids else {}
        self.meetings = self._bulk(
            "meetings.Meeting", every, "meeting_id", related=("place", "place__host", "minutes")
        )
        # One query for the agendas of every meeting in the batch (sent with the mails).
        prefetch_related_objects(list(self.meetings.values()), "agenda")
        # One query for the authors of every paper in the batch (for reader_may_see).
        prime_author_ids(r.statement for r in every)
        self._links: dict[tuple[str, int | None, str], str] = {}

    def link(self, row: Notification) -> str:
        """Where the row's mail leads (kinds.target_path), worked out once per kind, paper
        and context in the batch: a reverse() per mail of a 2,000-mail event cost more
        CPU than its SMTP conversation (issue 20)."""
        from notifications.kinds import target_path

        key = (row.kind, row.statement_id, json.dumps(row.context, sort_keys=True, default=str))
        path = self._links.get(key)
        if path is None:
            path = self._links[key] = target_path(row.kind, row.statement, row.context)
        return path

    @staticmethod
    def _bulk(label: str, rows: list[Notification], key: str, related: tuple = ()) -> dict:
        ids = {r.context.get(key) for r in rows} - {None}
        if not ids:
            return {}
        return apps.get_model(label).objects.select_related(*related).in_bulk(ids)


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


# Kinds whose in-app item shows the suggestion's change (formatted, marked).
SUGGESTION_KINDS = frozenset({Kind.SUGGESTION_APPLIED, Kind.SUGGESTION_DECLINED})


def suggestion_changes(rows: Any, loaded: Loaded | None = None) -> dict[int, Any]:
    """Row pk → the rendered change of its suggestion, for the in-app list: no query when the
    comments are already `loaded`, else one for the whole page (none without suggestion rows);
    hidden or deleted ones left out."""
    wanted = {row.pk: row.context.get("comment_id") for row in rows if row.kind in SUGGESTION_KINDS}
    ids = set(wanted.values()) - {None}
    if not ids:
        return {}
    if loaded is not None:
        comments = loaded.comments
    else:
        comments = (
            apps.get_model("discussion.Comment")
            .objects.only("pk", "suggestion_rendered", "is_hidden", "deleted_at")
            .in_bulk(ids)
        )
    changes = {}
    for row_pk, comment_id in wanted.items():
        comment = comments.get(comment_id)
        if comment is not None and not comment.is_hidden and not comment.deleted_at:
            changes[row_pk] = rendered_segments_html(comment.suggestion_rendered or [])
    return changes


def reader_may_see(reader: Any, statement: Any | None) -> bool:
    """The send-time visibility check (the same predicate as the pages): may the reader
    (a user, or None for a public subscriber) see this paper now?"""
    if statement is None:
        return True
    return can_view(reader if reader is not None else AnonymousUser(), statement)


# --- The builders (notifications/kinds.py says which kind uses which) -----------------

Builder = Callable[[Notification, Loaded], "dict[str, Any] | None"]


def statement_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """About a paper as a whole (consultation, co-authorship, publication)."""
    if row.statement is None:
        return None
    return {"statement": row.statement, "actor": loaded.actors.get(row.context.get("actor_id"))}


def comment_excerpt(row: Notification, loaded: Loaded, length: int = 160) -> str:
    """A short excerpt of the row's comment for the in-app list ("" if hidden or gone)."""
    comment = _visible_comment(row, loaded)
    return Truncator(_excerpt(comment)).chars(length) if comment is not None else ""


def comment_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """About one comment, with an excerpt; None once it is hidden or deleted."""
    ctx = statement_mail(row, loaded)
    comment = _visible_comment(row, loaded)
    if ctx is None or comment is None:
        return None
    return {
        **ctx,
        "comment": comment,
        "excerpt": _excerpt(comment),
        "reply_to": _reply_to(row, comment),
    }


def _reply_to(row: Notification, comment: Any) -> str:
    """The recipient's own signed reply address for the comment's thread (a suggestion's
    thread for a suggestion), "" without a recipient account or when replies are off.
    emails.build sets it as Reply-To; a reply becomes an answer in the thread (inbound/)."""
    if row.recipient_id is None:
        return ""
    target = SUGGESTION if comment.is_suggestion else COMMENT_THREAD
    return reply_address(user_id=row.recipient_id, target=target, target_id=comment.thread_root_id)


def suggestion_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """About a decided suggestion: the comment mail plus its change, formatted (HTML
    mail) and as marked source (text mail), both stored when it was written."""
    ctx = comment_mail(row, loaded)
    if ctx is None:
        return None
    comment = ctx["comment"]
    return {
        **ctx,
        "diff_html": rendered_segments_html(comment.suggestion_rendered or []),
        "diff_text": segments_text(comment.suggestion_diff or []),
    }


def ballot_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """About a ballot. Counts only: a result mail shows the closed ballot's stored totals,
    never anyone's vote."""
    ctx = statement_mail(row, loaded)
    if ctx is None:
        return None
    return {**ctx, "ballot": loaded.ballots.get(row.context.get("ballot_id"))}


def meeting_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """About a meeting: the mail states it as it is now and carries its .ics (kinds.py).
    A reminder for a meeting cancelled or held since is not sent."""
    meeting = loaded.meetings.get(row.context.get("meeting_id"))
    if meeting is None or row.recipient is None:
        return None
    if row.kind == Kind.MEETING_REMINDER and meeting.status in ("cancelled", "held"):
        return None
    return {
        "meeting": meeting,
        "actor": loaded.actors.get(row.context.get("actor_id")),
        # Members read every accepted point (proposals not yet taken stay out).
        "agenda": [item for item in meeting.agenda.all() if item.accepted],
    }


def minutes_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """The minutes of a meeting are ready for objections, or approved."""
    meeting = loaded.meetings.get(row.context.get("meeting_id"))
    minutes = getattr(meeting, "minutes", None) if meeting is not None else None
    if minutes is None or row.recipient is None:
        return None
    return {"meeting": meeting, "minutes": minutes}


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


def member_invited(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """The invitation mail, or None once the invitation was taken back or accepted."""
    invitation = row.invitation
    if invitation is None or invitation.revoked_at or invitation.accepted_at:
        return None
    return {
        "invitation": invitation,
        "inviter": invitation.invited_by or _("die Koordination"),
        "url": invitation_url(invitation),  # build() keeps a url the builder sets
        "days": settings.RTM_INVITATION_MAX_AGE_DAYS,
        # No account, so no language yet: the mail says it in each of the site's languages.
        "languages": [code for code, _name in settings.LANGUAGES],
    }


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
    # The kinds table names this builder, so it is imported here, not at the top.
    from notifications.kinds import target_path

    entries = []
    for item_id in row.context.get("items", []):
        item = loaded.items.get(item_id)
        if item is None:
            continue
        if item.kind in (Kind.LIST_POST, Kind.FUNDING_REMINDER, Kind.LIST_REPLY):
            post = _sent_post(item, loaded)
            if post is not None:
                entries.append(
                    {
                        "kind": Kind(item.kind).label,
                        "title": post.title,
                        "actor": post.author_name,
                        "url": absolute(post.get_absolute_url()),
                    }
                )
            continue
        meeting = loaded.meetings.get(item.context.get("meeting_id"))
        if item.statement is None and meeting is not None:
            # A meeting's mail (minutes approved, a change): every member may read it.
            entries.append(
                {
                    "kind": Kind(item.kind).label,
                    "title": str(meeting),
                    "actor": loaded.actors.get(item.context.get("actor_id")),
                    "url": absolute(target_path(item.kind, None, item.context)),
                }
            )
            continue
        if item.statement is None:
            continue
        if not reader_may_see(row.recipient, item.statement):
            continue  # back to draft, withdrawn or no longer an author: not even the title
        if item.context.get("comment_id") and _visible_comment(item, loaded) is None:
            continue  # hidden since: left out of the digest too
        entries.append(
            {
                "kind": Kind(item.kind).label,
                "title": item.statement.title,
                "statement": item.statement,
                "actor": loaded.actors.get(item.context.get("actor_id")),
                "url": absolute(target_path(item.kind, item.statement, item.context)),
            }
        )
    return {"entries": entries} if entries else None


def _sent_post(row: Notification, loaded: Loaded) -> Any | None:
    post = loaded.posts.get(row.context.get("post_id"))
    if post is None or post.state != "sent":
        return None
    return post


def list_post_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """A post to the e-mail list, in full (its stored HTML; the text part its Markdown),
    with the reader's own reply address: a member's reply becomes a reply in the post's
    thread (inbound target "l"); an outside subscriber's (person 0) is politely refused."""
    post = _sent_post(row, loaded)
    if post is None:
        return None
    person = row.recipient_id if row.recipient_id is not None else 0
    reply_to = reply_address(user_id=person, target=LIST_POST, target_id=post.pk)
    note = ""
    if reply_to and row.recipient_id is not None:
        note = (
            _(
                "Sie können auf diese E-Mail antworten: Ihre Antwort erscheint im Archiv unter "
                "dem Beitrag, öffentlich wie der Beitrag (ohne Zitat und Signatur, Anhänge "
                "werden nicht übernommen)."
            )
            if post.is_public
            else _(
                "Sie können auf diese E-Mail antworten: Ihre Antwort erscheint im Archiv unter "
                "dem Beitrag, nur für Mitglieder (ohne Zitat und Signatur, Anhänge werden "
                "nicht übernommen)."
            )
        )
    return {"post": post, "reply_to": reply_to, "reply_note": note}


def list_reply_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """A reply in the thread of a list post, to those who wrote there; they may answer
    by mail in turn (the thread's reply address)."""
    reply = _sent_post(row, loaded)
    if reply is None or row.recipient_id is None:
        return None
    root_id = reply.parent_id or reply.pk
    return {
        "post": reply,
        "url": absolute(reverse("maillist:post", kwargs={"pk": root_id})) + f"#reply-{reply.pk}",
        "reply_to": reply_address(user_id=row.recipient_id, target=LIST_POST, target_id=root_id),
        "reply_note": _(
            "Sie können auf diese E-Mail antworten: Ihre Antwort erscheint im Archiv unter "
            "dem Beitrag (ohne Zitat und Signatur, Anhänge werden nicht übernommen)."
        ),
    }


def list_subscription_confirm(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    subscriber = row.list_subscriber
    if subscriber is None or subscriber.is_active:
        return None
    return {"confirm_url": list_confirm_url(subscriber.token)}


def subscription_confirm(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    subscriber = row.subscriber
    if subscriber is None or subscriber.is_active:
        return None
    return {"confirm_url": confirm_url(subscriber.token)}


POSITION_ANSWER = "a"  # the reply target public.apps registers (inbound.targets.RESERVED)


def position_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """A published position sent to an addressee (issue 19); None once it was retracted.
    The Reply-To is this mail's own signed address (valid RTM_ANSWER_TOKEN_DAYS): a reply
    becomes an answer to the position (public.answers); without a reply domain, the
    press address."""
    statement = row.statement
    if statement is None or statement.state != "published" or row.addressee_id is None:
        return None
    press = settings.RTM_PRESS_EMAIL or settings.RTM_CONTACT_EMAIL
    reply_to = reply_address(
        user_id=row.addressee_id,
        target=POSITION_ANSWER,
        target_id=row.pk,
        days=settings.RTM_ANSWER_TOKEN_DAYS,
    )
    return {
        "statement": statement,
        "addressee": row.addressee,
        "reply_to": reply_to or press,
        "press_email": press,
        "reply_note": "",
    }


def answer_mail(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """To the coordination: an addressee answered a position by mail (not public yet)."""
    answer = (
        apps.get_model("notifications.Answer")
        .objects.select_related("addressee")
        .filter(pk=row.context.get("answer_id"))
        .first()
    )
    if answer is None or row.statement is None:
        return None
    addressee_email = answer.addressee.email.lower() if answer.addressee else ""
    return {
        "statement": row.statement,
        "answer": answer,
        "files": list(answer.files.all()),
        "sender_matches": answer.sender_email.lower() == addressee_email,
    }


def inbound_refused(row: Notification, loaded: Loaded) -> dict[str, Any] | None:
    """The bounce to a reply by e-mail that created nothing (inbound.services): why, in
    the sender's language, or German and English for an address without an account;
    nothing about the paper or the person the reply address was made for."""
    message = row.inbound_message
    if message is None or not message.sender:
        return None
    decision = row.context.get("decision") or message.decision
    detail = "" if decision != message.decision else message.detail
    user = message.user
    languages = [user.language] if user is not None and user.language else ["de", "en"]
    texts = []
    for language in languages:
        with translation.override(language):
            texts.append(
                {
                    "language": language,
                    "subject": gettext("Ihre Antwort per E-Mail wurde nicht übernommen"),
                    "body": bounce_text(decision, detail),
                }
            )
    headers = {"Auto-Submitted": "auto-replied", "X-RTM-Inbound": decision}
    if message.message_key.startswith("<"):
        headers["In-Reply-To"] = headers["References"] = message.message_key
    return {
        "texts": texts,
        "original_subject": message.subject,
        "headers": headers,
        "url": "",
    }
