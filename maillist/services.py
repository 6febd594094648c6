"""Every write of the e-mail list. A post is held for the coordination's approval when
its type requires it (TypeSetting), else sent at once; sending emits the LIST_POST
event, and the notifications app writes the outbox rows in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ServiceError
from core.events import EventKind, emit
from core.text import clean_line
from maillist.models import Post, PostState, PostType, TypeSetting
from maillist.permissions import can_approve, can_post
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
