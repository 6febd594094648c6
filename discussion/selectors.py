"""Read queries about comments that pages and other apps (notifications) share."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, Q, QuerySet, Value, When
from django.db.models.functions import Left

from discussion.models import Comment, Report


def thread_participant_ids(comment: Any) -> set[int]:
    """User ids of everyone who wrote in the thread of `comment` (top-level and replies).

    Deleted comments and former members (author gone) do not count.
    """
    root_id = comment.parent_id or comment.pk
    ids = (
        Comment.objects.filter(Q(pk=root_id) | Q(parent_id=root_id))
        .filter(deleted_at__isnull=True, author__isnull=False)
        .values_list("author_id", flat=True)
    )
    return set(ids)


def comments_for_page(statement: Any, *, with_report_counts: bool = False) -> QuerySet[Comment]:
    """All comments of a paper in one query, authors joined, for the statement page."""
    qs = (
        Comment.objects.filter(statement=statement)
        .select_related("author", "suggestion_decided_by", "applied_revision")
        .order_by("created_at", "pk")
    )
    if with_report_counts:
        qs = qs.annotate(open_reports=Count("reports", filter=Q(reports__handled=False)))
    return qs


# Enough of a comment's start to find the words it quotes ("> …", statements/lines.py).
HEAD_CHARS = 600


class Outline:
    """A comment as the page's thread structure needs it: no text, no author row, no dates
    (the id stands for the order of writing). Quacks like a Comment for the fields the
    panel's filters, counts and discussion.lines read."""

    __slots__ = (
        "pk",
        "parent_id",
        "block_id",
        "revision_id",
        "author_id",
        "is_deleted",
        "is_resolved",
        "is_hidden",
        "suggestion_status",
        "body",
        "open_reports",
        "__dict__",
    )

    def __init__(self, row: tuple[Any, ...]) -> None:
        (
            self.pk,
            self.parent_id,
            self.block_id,
            self.revision_id,
            self.author_id,
            self.is_deleted,
            self.is_resolved,
            self.is_hidden,
            self.suggestion_status,
            self.body,
            self.open_reports,
        ) = row

    @property
    def is_suggestion(self) -> bool:
        return bool(self.suggestion_status)


def comment_outlines(statement: Any, *, with_report_counts: bool) -> list[Outline]:
    """Every comment of a paper as a light row (one query): a page with 1,000 comments
    builds its threads, counts and filters from these and loads in full only those shown."""
    qs = (
        Comment.objects.filter(statement=statement)
        .order_by("created_at", "pk")
        .annotate(
            gone=ExpressionWrapper(Q(deleted_at__isnull=False), output_field=BooleanField()),
            # Only a comment that starts with a quote needs its first words here.
            head=Case(
                When(body__startswith=">", then=Left("body", HEAD_CHARS)),
                default=Value(""),
            ),
            reports_open=(
                Count("reports", filter=Q(reports__handled=False))
                if with_report_counts
                else Value(0)
            ),
        )
    )
    return [
        Outline(row)
        for row in qs.values_list(
            "pk",
            "parent_id",
            "block_id",
            "revision_id",
            "author_id",
            "gone",
            "is_resolved",
            "is_hidden",
            "suggestion_status",
            "head",
            "reports_open",
        )
    ]


def open_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(handled=False)
        .select_related("reporter", "comment", "comment__author", "comment__statement")
        .order_by("created_at", "pk")
    )
