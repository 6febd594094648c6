"""Read queries for the public side. Only published and retracted statements, ever.

Every public page, the feed, the API and the sitemap start from
public_statements(), which applies the one rule of what the public may see
(statements.models.public_q: Statement.objects.public(), Statement.is_public). The columns
are limited to what a public page shows, so internal fields are never even loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from public.models import CoSignature
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

MARK_START = "\u2063MARKSTART\u2063"
MARK_STOP = "\u2063MARKSTOP\u2063"


@dataclass(frozen=True)
class SearchResult:
    statements: QuerySet[Statement]
    ranked: bool


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def search(qs: QuerySet[Statement], query: str) -> QuerySet[Statement]:
    """Filter and order `qs` by a German full-text query; annotate `snippet_raw`.

    PostgreSQL: weighted tsvector (title A, summary B, body C) matching the GIN
    index of migration public/0002, websearch syntax, ranked, with a headline.
    SQLite: a plain case-insensitive substring match, newest first.
    """
    query = query.strip()
    if not query:
        return qs
    if uses_postgres():
        from django.contrib.postgres.search import (
            SearchHeadline,
            SearchQuery,
            SearchRank,
            SearchVector,
        )

        vector = (
            SearchVector("title", config="german", weight="A")
            + SearchVector("summary", config="german", weight="B")
            + SearchVector("body", config="german", weight="C")
        )
        search_query = SearchQuery(query, config="german", search_type="websearch")
        return (
            qs.annotate(
                rank=SearchRank(vector, search_query),
                snippet_raw=SearchHeadline(
                    "body",
                    search_query,
                    config="german",
                    start_sel=MARK_START,
                    stop_sel=MARK_STOP,
                    max_fragments=2,
                    max_words=30,
                    min_words=12,
                    fragment_delimiter=" … ",
                ),
            )
            .alias(document=vector)
            .filter(document=search_query)
            .order_by("-rank", "-published_at", "-id")
        )
    words = [w for w in query.split() if w.strip('"+-')][:8]
    condition = Q()
    for word in words:
        word = word.strip('"+-')
        condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    return qs.filter(condition).defer(None).only(*PUBLIC_FIELDS, "body")


def snippet_html(statement: Statement, query: str) -> SafeString:
    """The highlighted excerpt for a search hit: escaped text, only <mark> as markup."""
    raw = getattr(statement, "snippet_raw", None)
    if raw is None:
        raw = _fallback_snippet(getattr(statement, "body", "") or "", query)
    text = escape(_without_markdown(raw))
    text = text.replace(escape(MARK_START), "<mark>").replace(escape(MARK_STOP), "</mark>")
    # Belt and braces: whatever happened above, nothing but <mark> survives.
    return mark_safe(nh3.clean(text, tags={"mark"}, attributes={}))  # noqa: S308


# The excerpt comes from the Markdown source: readers should not see "## Unsere
# Forderung" or "**fett**" in a search result. Headings, emphasis, list and quote
# markers, and link targets go; the words stay.
_MARKDOWN_NOISE = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url), ![alt](src)
    (re.compile(r"(^|\s)(#{1,6}|>|[-*+])\s+"), r"\1"),  # heading, quote, list markers
    (re.compile(r"\*\*|__|~~|`"), ""),  # strong, strike, code
    # *emphasis*, but not the gender star of "Mitautor*innen"
    (re.compile(r"(^|[\s(])\*(?=\S)|(?<=\S)\*(?=[\s).,;:!?]|$)"), r"\1"),
)


def _without_markdown(text: str) -> str:
    for pattern, replacement in _MARKDOWN_NOISE:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text)


def _fallback_snippet(body: str, query: str, width: int = 90) -> str:
    words = [w.strip('"+-').lower() for w in query.split() if w.strip('"+-')]
    plain = re.sub(r"\s+", " ", body)
    lower = plain.lower()
    hits = [lower.find(w) for w in words if w in lower]
    start = max(0, min(hits) - width) if hits else 0
    end = min(len(plain), start + width * 2)
    excerpt = plain[start:end]
    # Mark every occurrence of any word, merging overlapping spans.
    spans: list[list[int]] = []
    lowered = excerpt.lower()
    for word in set(words):
        for m in re.finditer(re.escape(word), lowered):
            spans.append([m.start(), m.end()])
    merged: list[list[int]] = []
    for span in sorted(spans):
        if merged and span[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span[1])
        else:
            merged.append(span)
    out, pos = [], 0
    for a, b in merged:
        out += [excerpt[pos:a], MARK_START, excerpt[a:b], MARK_STOP]
        pos = b
    out.append(excerpt[pos:])
    return ("…" if start else "") + "".join(out) + ("…" if end < len(plain) else "")
