"""Read queries for the public side. Only published and retracted statements, ever.

Every public page, the feed, the API and the sitemap start from
public_statements(), which applies the one rule of what the public may see
(statements.models.public_q: Statement.objects.public(), Statement.is_public). The columns
are limited to what a public page shows, so internal fields are never even loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from public.cache import shared
from public.models import CoSignature
from statements import search
from statements.models import Companion, Statement, Topic, public_q

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
        .only(*PUBLIC_FIELDS, "current_revision__body_html", "current_revision__title")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")), cosignatures_prefetch()
        )
    )


def with_companions(qs: QuerySet[Statement]) -> QuerySet[Statement]:
    """The approved versions of each paper (issue 19) as `public_companions`: one query for
    a whole page of papers; their URLs are built from the paper's slug (companion_url)."""
    return qs.prefetch_related(
        Prefetch(
            "companions",
            queryset=Companion.objects.public()
            .only("id", "statement_id", "kind", "language", "title", "reviewed_at")
            .order_by("kind", "language"),
            to_attr="public_companions",
        )
    )


def companion_url(statement: Statement, companion: Companion) -> str:
    return reverse("public:companion", kwargs={"slug": statement.slug, "code": companion.code})


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


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list in publication order, found by a neighbour instead of OFFSET:
    the same index range scan on page 1 and page 500, and stable while papers are added."""

    statements: list[Statement]
    has_newer: bool
    has_older: bool

    @property
    def newest(self) -> Statement | None:
        return self.statements[0] if self.statements else None

    @property
    def oldest(self) -> Statement | None:
        return self.statements[-1] if self.statements else None


def cursor_position(cursor_id: int) -> tuple[datetime, int] | None:
    """(published_at, id) of a public paper, the position a keyset page starts from."""
    published_at = (
        public_statements().filter(pk=cursor_id).values_list("published_at", flat=True).first()
    )
    return None if published_at is None else (published_at, cursor_id)


def keyset_page(
    qs: QuerySet[Statement],
    size: int,
    *,
    older_than: tuple[datetime, int] | None = None,
    newer_than: tuple[datetime, int] | None = None,
    offset: int = 0,
) -> KeysetPage:
    """`size` papers of `qs` (newest first): the newest, those just older than a position,
    those just newer than one, or (old links with ?page=) those after an offset."""
    if newer_than is not None:
        at, pk = newer_than
        rows = list(
            qs.filter(Q(published_at__gt=at) | Q(published_at=at, id__gt=pk)).order_by(
                "published_at", "id"
            )[: size + 1]
        )
        if len(rows) > size:
            return KeysetPage(list(reversed(rows[:size])), has_newer=True, has_older=True)
        newer_than = None  # back at the top: show a full first page
    if older_than is not None:
        at, pk = older_than
        qs = qs.filter(Q(published_at__lt=at) | Q(published_at=at, id__lt=pk))
    rows = list(qs[offset : offset + size + 1])
    return KeysetPage(
        rows[:size], has_newer=older_than is not None or offset > 0, has_older=len(rows) > size
    )


def public_count(topic: str = "", year: int | None = None) -> int:
    """How many public papers (of a topic, of a year): one count per public generation."""
    qs = public_statements()
    if topic:
        qs = qs.filter(topics__slug=topic)
    if year:
        qs = qs.filter(published_at__year=year)
    return shared(f"count:{topic}:{year or ''}", qs.count)


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


def search_results(
    qs: QuerySet[Statement], query: str, per_page: int = 10
) -> search.CappedPaginator:
    """search_public in numbered pages; the total is counted up to search.COUNT_CAP."""
    return search.results(qs, query, per_page)
