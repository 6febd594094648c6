"""Every write of the e-mail list. A post is held for the coordination's approval when
its type requires it (TypeSetting), else sent at once; sending emits the LIST_POST
event, and the notifications app writes the outbox rows in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ServiceError
from core.events import EventKind, emit
from core.text import clean_line
from maillist.archive import ArchivedMessage
from maillist.models import (
    ListSubscriber,
    ListSubscription,
    OptOut,
    Post,
    PostState,
    PostType,
    SubscriberAction,
    SubscriberLog,
    TypeSetting,
)
from maillist.permissions import can_approve, can_post, can_reply
from statements.markdown import render


class ListError(ServiceError):
    status = 409


def approval_required(post_type: str) -> bool:
    return TypeSetting.objects.filter(post_type=post_type, approval_required=True).exists()


def type_setting_save(*, post_type: str, approval_required: bool, by: Any) -> TypeSetting:
    if not can_approve(by):
        raise ListError(_("Nur die Koordination kann das ändern."), status=403)
    setting, _created = TypeSetting.objects.update_or_create(
        post_type=PostType(post_type),
        defaults={
            "approval_required": approval_required,
            "changed_by": by,
            "changed_at": timezone.now(),
        },
    )
    return setting


def _send(post: Post, *, actor: Any) -> None:
    post.state = PostState.SENT
    post.sent_at = timezone.now()
    post.save(update_fields=["state", "sent_at", "decided_by"])
    emit(EventKind.LIST_POST, actor=actor, target=post)


@transaction.atomic
def post_create(
    *,
    author: Any,
    post_type: str,
    title: str,
    body: str,
    is_public: bool,
    funder: str = "",
    programme: str = "",
    eligible: str = "",
    amount: str = "",
    deadline: date | None = None,
    link: str = "",
) -> Post:
    """Write a post; send it now, or hold it when its type needs approval."""
    if not can_post(author):
        raise ListError(_("Nur Mitglieder können an den Verteiler schreiben."), status=403)
    post_type = PostType(post_type)
    post = Post.objects.create(
        post_type=post_type,
        title=clean_line(title),
        body=body,
        body_html=render(body),
        is_public=is_public,
        author=author,
        state=PostState.HELD,
        funder=clean_line(funder),
        programme=clean_line(programme),
        eligible=clean_line(eligible),
        amount=clean_line(amount),
        deadline=deadline if post_type == PostType.FUNDING else None,
        link=link,
    )
    if not approval_required(post_type):
        _send(post, actor=author)
    return post


@transaction.atomic
def post_decide(*, post: Post, by: Any, approve: bool) -> Post:
    """The coordination sends or declines a held post (once: a second click is refused)."""
    if not can_approve(by):
        raise ListError(_("Nur die Koordination gibt Beiträge frei."), status=403)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.state != PostState.HELD:
        raise ListError(_("Über diesen Beitrag ist bereits entschieden."))
    post.decided_by = by
    if approve:
        _send(post, actor=by)
    else:
        post.state = PostState.DECLINED
        post.save(update_fields=["state", "decided_by"])
    return post


def thread_root(post: Post) -> Post:
    """Replies hang under the post that started the thread (one level, as the page shows)."""
    return post.parent if post.parent_id and post.parent is not None else post


def may_reply(user: Any, post: Post) -> bool:
    """May `user` still answer in this post's thread (by e-mail)?"""
    return can_reply(user, post) and can_reply(user, thread_root(post))


@transaction.atomic
def post_reply(*, post: Post, author: Any, body: str) -> Post:
    """A member's reply (by e-mail) to a list post: stored in the thread on the post's
    page, as visible as the post (members-only or public), and not mailed to the list
    (the members chose types of posts, not every answer; the thread is on the site)."""
    root = thread_root(post)
    if not may_reply(author, root):
        raise ListError(_("Sie können auf diesen Beitrag nicht antworten."), status=403)
    body = body.strip()
    if not body:
        raise ListError(_("Die Antwort ist leer."), status=400)
    now = timezone.now()
    reply = Post.objects.create(
        post_type=root.post_type,
        title=clean_line(f"Re: {root.title}")[:200],
        body=body,
        body_html=render(body),
        is_public=root.is_public,
        author=author,
        state=PostState.SENT,
        created_at=now,
        sent_at=now,
        parent=root,
    )
    # The post's author and whoever answered before hear of it (as for a comment).
    emit(EventKind.LIST_REPLY, actor=author, target=reply)
    return reply


# --- Subscribers ---------------------------------------------------------------------

CONFIRM_INTERVAL = timedelta(hours=1)


def _set_types(subscriber: ListSubscriber, post_types: list[str]) -> None:
    wanted = {PostType(t) for t in post_types}
    subscriber.subscriptions.exclude(post_type__in=wanted).delete()
    ListSubscription.objects.bulk_create(
        [ListSubscription(subscriber=subscriber, post_type=t) for t in wanted],
        ignore_conflicts=True,
    )


@transaction.atomic
def subscriber_subscribe(*, email: str, post_types: list[str], language: str = "de") -> None:
    """Start (or restart) double opt-in: a confirmation mail at most once an hour. The
    answer is the same for new, pending and active addresses (nothing to enumerate);
    an active subscriber's types change only through the link in their mails."""
    email = email.strip().lower()
    lang = language if language in dict(settings.LANGUAGES) else "de"
    subscriber, _created = ListSubscriber.objects.select_for_update().get_or_create(
        email=email, defaults={"language": lang}
    )
    if subscriber.is_active:
        return
    now = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.confirmed_at = None
    subscriber.language = lang
    _set_types(subscriber, post_types)
    if subscriber.confirm_sent_at and now - subscriber.confirm_sent_at < CONFIRM_INTERVAL:
        subscriber.save(update_fields=["unsubscribed_at", "confirmed_at", "language"])
        return
    subscriber.confirm_sent_at = now
    subscriber.save(
        update_fields=["unsubscribed_at", "confirmed_at", "language", "confirm_sent_at"]
    )
    emit(EventKind.LIST_SUBSCRIPTION_REQUESTED, target=subscriber)


@transaction.atomic
def subscriber_confirm(*, token: str) -> ListSubscriber | None:
    subscriber = ListSubscriber.objects.select_for_update().filter(token=token).first()
    if subscriber is None:
        return None
    if not subscriber.is_active:
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return subscriber


def subscriber_unsubscribe(*, token: str) -> ListSubscriber | None:
    """One click, no questions: the address gets no further list mail."""
    subscriber = ListSubscriber.objects.filter(token=token).first()
    if subscriber is not None and subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
    return subscriber


def subscriber_types_save(*, token: str, post_types: list[str]) -> ListSubscriber | None:
    subscriber = ListSubscriber.objects.filter(token=token).first()
    if subscriber is not None:
        _set_types(subscriber, post_types)
    return subscriber


@transaction.atomic
def subscriber_remove(*, subscriber: ListSubscriber, by: Any) -> None:
    """The coordination removes an address; the audit keeps who, whom and when."""
    if not can_approve(by):
        raise ListError(_("Nur die Koordination kann Adressen entfernen."), status=403)
    SubscriberLog.objects.create(action=SubscriberAction.REMOVED, email=subscriber.email, by=by)
    subscriber.delete()


def subscriber_bounce_record(*, email: str) -> None:
    """A hard bounce for the address (from a delivery status notification)."""
    ListSubscriber.objects.filter(email=email.strip().lower()).update(
        bounce_count=F("bounce_count") + 1, last_bounce_at=timezone.now()
    )


def member_types_save(*, user: Any, post_types: list[str]) -> None:
    """A member's choice of the post types they get by mail (opt-outs stored)."""
    if not can_post(user):
        raise ListError(_("Nur Mitglieder können das einstellen."), status=403)
    wanted = {PostType(t) for t in post_types}
    OptOut.objects.filter(user=user, post_type__in=wanted).delete()
    OptOut.objects.bulk_create(
        [OptOut(user=user, post_type=t) for t in set(PostType) - wanted], ignore_conflicts=True
    )


# --- Funding hints -------------------------------------------------------------------


def funding_reminders_send(*, today: date | None = None) -> int:
    """Remind of every sent funding hint whose deadline is at most
    RTM_FUNDING_REMINDER_DAYS away and not yet past, once per hint: the row is claimed
    under a lock and marked in the same transaction, so a second run (or a concurrent
    beat) finds nothing to do."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.RTM_FUNDING_REMINDER_DAYS)
    sent = 0
    with transaction.atomic():
        due = list(
            Post.objects.select_for_update(skip_locked=True).filter(
                post_type=PostType.FUNDING,
                state=PostState.SENT,
                reminded_at__isnull=True,
                deadline__gte=today,
                deadline__lte=horizon,
            )
        )
        now = timezone.now()
        for post in due:
            post.reminded_at = now
            post.save(update_fields=["reminded_at"])
            emit(EventKind.FUNDING_REMINDER, target=post)
            sent += 1
    return sent


# --- The old archive -----------------------------------------------------------------


@transaction.atomic
def archive_import(*, messages: Iterable[ArchivedMessage]) -> tuple[int, int]:
    """Store each message as a sent, members-only, never-mailed post; a Message-ID
    already stored is skipped. Threads are linked afterwards, so a reply that comes
    before its parent in the file still finds it. Returns (added, skipped)."""
    added = skipped = 0
    for message in messages:
        if Post.objects.filter(message_id=message.message_id).exists():
            skipped += 1
            continue
        Post.objects.create(
            post_type=PostType.INFORMATION,
            title=clean_line(message.subject) or str(_("(ohne Betreff)")),
            body=message.body,
            body_html=render(message.body),
            is_public=False,
            state=PostState.SENT,
            sender_name=clean_line(message.sender_name),
            sent_at=message.date or timezone.now(),
            created_at=message.date or timezone.now(),
            imported=True,
            message_id=message.message_id,
            in_reply_to=message.in_reply_to,
            references=" ".join(message.references),
        )
        added += 1
    _link_threads()
    return added, skipped


def _link_threads() -> None:
    """Each imported reply points at the message it answers (In-Reply-To, else the
    nearest of its References that is in the archive)."""
    known = dict(Post.objects.filter(imported=True).values_list("message_id", "pk"))
    for post in Post.objects.filter(imported=True, parent__isnull=True).exclude(
        in_reply_to="", references=""
    ):
        candidates = [post.in_reply_to, *reversed(post.references.split())]
        parent_id = next(
            (known[c] for c in candidates if c in known and c != post.message_id), None
        )
        if parent_id is not None:
            Post.objects.filter(pk=post.pk).update(parent_id=parent_id)
