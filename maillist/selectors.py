"""Read queries of the e-mail list: the archive as a reader may see it, its search,
the funding board, and who receives a post."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.permissions import is_coordinator, is_member
from maillist.models import ListSubscriber, OptOut, Post, PostState, PostType

SEARCH_MAX = 100


def archive_for(user: Any) -> QuerySet[Post]:
    """Sent posts the reader may see, newest first: everybody the public ones, members all."""
    qs = Post.objects.filter(state=PostState.SENT).select_related("author")
    if not is_member(user):
        qs = qs.filter(is_public=True)
    return qs.order_by("-sent_at", "-pk")


def held_posts(user: Any) -> QuerySet[Post]:
    if not is_coordinator(user):
        return Post.objects.none()
    return Post.objects.filter(state=PostState.HELD).select_related("author").order_by("created_at")


def document() -> Any:
    """The post's German search vector; the same expression as the GIN index of
    migration maillist/0001, so PostgreSQL uses the index."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", "body", config="german")


def search(qs: QuerySet[Post], query: str) -> QuerySet[Post]:
    """PostgreSQL: German full text (websearch syntax), best match first; SQLite: every
    word somewhere in subject or text."""
    query = " ".join(query.split())[:SEARCH_MAX]
    if not query:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search_query = SearchQuery(query, config="german", search_type="websearch")
        return (
            qs.annotate(document=document())
            .filter(document=search_query)
            .annotate(rank=SearchRank(document(), search_query))
            .order_by("-rank", "-sent_at", "-pk")
        )
    condition = Q()
    for word in re.findall(r"\w+", query)[:8]:
        condition &= Q(title__icontains=word) | Q(body__icontains=word)
    return qs.filter(condition)


def funding_board(user: Any, *, today: date | None = None) -> tuple[list[Post], list[Post]]:
    """Open funding hints by deadline (soonest first, no deadline last), and the expired."""
    today = today or timezone.localdate()
    # Replies in a hint's thread are not hints themselves.
    hints = archive_for(user).filter(post_type=PostType.FUNDING, parent__isnull=True)
    open_hints = list(
        hints.filter(Q(deadline__gte=today) | Q(deadline__isnull=True)).order_by(
            "deadline", "-sent_at"
        )
    )
    open_hints.sort(key=lambda p: (p.deadline is None, p.deadline or today))
    expired = list(hints.filter(deadline__lt=today).order_by("-deadline"))
    return open_hints, expired


def list_opt_out_ids(post_type: str) -> list[int]:
    """The members who switched off mail of this post type (one query)."""
    return list(OptOut.objects.filter(post_type=post_type).values_list("user_id", flat=True))


def active_list_subscriber_ids(post_type: str) -> list[int]:
    """Confirmed, not unsubscribed, not bouncing outside subscribers who chose this type
    (one query)."""
    return list(
        ListSubscriber.objects.filter(
            confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
            subscriptions__post_type=post_type,
            # An address that bounced hard this often gets nothing more.
            bounce_count__lt=settings.RTM_LIST_BOUNCE_THRESHOLD,
        ).values_list("pk", flat=True)
    )


def thread_author_ids(reply: Post) -> list[int]:
    """The author of the post a reply answers and of the replies before it (one query)."""
    root_id = reply.parent_id or reply.pk
    return list(
        Post.objects.filter(Q(pk=root_id) | Q(parent_id=root_id), author__isnull=False)
        .exclude(pk=reply.pk)
        .values_list("author_id", flat=True)
        .distinct()
    )
