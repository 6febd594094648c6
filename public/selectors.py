"""Read queries for the public side. Only published and retracted statements, ever.

Every public page, the feed, the API and the sitemap start from
public_statements(), which applies the one rule of what the public may see
(statements.models.public_q: Statement.objects.public(), Statement.is_public). The columns
are limited to what a public page shows, so internal fields are never even loaded.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from public.models import CoSignature
from statements import search
from statements.models import Statement, Topic, public_q

PUBLIC_FIELDS = (
    "id",
    "slug",
    "title",
    "occasion",
    "summary",
    "language",
    "state",
    "published_at",
    "retracted_at",
    "retraction_reason",
    "current_revision_id",
)


def public_statements() -> QuerySet[Statement]:
    """Published and retracted statements, newest publication first."""
    return Statement.objects.public().only(*PUBLIC_FIELDS).order_by("-published_at", "-id")


def cosignatures_prefetch() -> Prefetch:
    """Co-signing organisations in alphabetical order; no person is loaded."""
    return Prefetch(
        "cosignatures",
        queryset=CoSignature.objects.select_related("organisation")
        .only("id", "statement_id", "organisation__name", "organisation__website")
        .order_by("organisation__name"),
        to_attr="public_cosignatures",
    )


def with_details(qs: QuerySet[Statement]) -> QuerySet[Statement]:
    """Everything a full public rendering needs: body HTML, topics, co-signers."""
    return (
        qs.select_related("current_revision")
        .only(*PUBLIC_FIELDS, "current_revision__body_html")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")), cosignatures_prefetch()
        )
    )


def public_statement(slug: str) -> Statement | None:
    return with_details(public_statements()).filter(slug=slug).first()


def neighbours(statement: Statement) -> tuple[Statement | None, Statement | None]:
    """(older, newer) public statements by publication date (two queries)."""
    base = public_statements().only("slug", "title", "published_at")
    older = (
        base.filter(
            Q(published_at__lt=statement.published_at)
            | Q(published_at=statement.published_at, id__lt=statement.id)
        )
        .order_by("-published_at", "-id")
        .first()
    )
    newer = (
        base.filter(
            Q(published_at__gt=statement.published_at)
            | Q(published_at=statement.published_at, id__gt=statement.id)
        )
        .order_by("published_at", "id")
        .first()
    )
    return older, newer


def public_topics() -> QuerySet[Topic]:
    """Topics that at least one public statement carries."""
    return Topic.objects.filter(public_q("statements__")).distinct().order_by("name")


def public_years() -> list[int]:
    dates = public_statements().dates("published_at", "year", order="DESC")
    return [d.year for d in dates]


# --- search -------------------------------------------------------------------
# The search itself is statements.search (the members' search uses the same index).

search_timeout = search.search_timeout
attach_headlines = search.attach_headlines


def search_public(qs: QuerySet[Statement], query: str) -> QuerySet[Statement]:
    """Public statements matching `query`, best first (see statements.search)."""
    return search.matching(qs, query)
