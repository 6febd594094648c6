"""Read queries about comments that pages and other apps (notifications) share."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

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


def comments_for_page(statement: Any, *, with_report_counts: bool) -> QuerySet[Comment]:
    """All comments of a paper in one query, authors joined, for the statement page."""
    qs = (
        Comment.objects.filter(statement=statement)
        .select_related("author", "suggestion_decided_by", "applied_revision")
        .order_by("created_at", "pk")
    )
    if with_report_counts:
        qs = qs.annotate(open_reports=Count("reports", filter=Q(reports__handled=False)))
    return qs


def open_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(handled=False)
        .select_related("reporter", "comment", "comment__author", "comment__statement")
        .order_by("created_at", "pk")
    )
