"""Full-text search over papers, for the public list and the members' search.

PostgreSQL: every paper carries a stored, generated `tsvector` column (migration
statements/0007: title weight A, summary B, body C, German configuration) with its own
GIN index. Matching and ranking read that column, never `to_tsvector` of the text, so a
search costs the index lookup plus the ranking of the matches' stored vectors;
`ts_headline` (the expensive part: it parses the body again) runs only for the rows on
the page shown (`attach_headlines`). Every search runs under a statement timeout
(`search_timeout`): a query that takes longer is cancelled and the person is told so.
SQLite (`make run`): a case-insensitive substring match, newest first.

The snippet helpers turn a headline (or, on SQLite, a window of the body) into escaped
text with only <mark> as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

import nh3
from django.conf import settings
from django.core.paginator import Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import Expression, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.errors import ServiceError
from statements.models import Statement

# Longest search a person may send (characters after collapsing whitespace).
SEARCH_MAX = 100
DOCUMENT_COLUMN = "search_document"
DOCUMENT_INDEX = "statements_statement_search_gin"

SEARCH_RATE_MESSAGE = _("Zu viele Suchanfragen in kurzer Zeit. Bitte warten Sie einen Moment.")

MARK_START = "\u2063MARKSTART\u2063"
MARK_STOP = "\u2063MARKSTOP\u2063"
HEADLINE_OPTIONS = {
    "max_fragments": 2,
    "max_words": 30,
    "min_words": 12,
    "fragment_delimiter": " … ",
}


class SearchTooSlow(ServiceError):
    """The database cancelled a search at the statement timeout."""

    status = 503
    message = _(
        "Die Suche hat zu lange gedauert. Bitte versuchen Sie es mit genaueren Suchbegriffen."
    )


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


class StoredDocument(Expression):
    """The paper's stored search vector (`statements_statement.search_document`).

    The column is not a model field (SQLite has no tsvector); this expression names it
    on whatever alias the statement table has in the query being compiled.
    """

    def __init__(self) -> None:
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        alias = compiler.query.get_initial_alias()
        column = connection.ops.quote_name(DOCUMENT_COLUMN)
        return f"{compiler.quote_name_unless_alias(alias)}.{column}", []


def _search_query(query: str) -> Any:
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query, config="german", search_type="websearch")


def matching(qs: QuerySet[Statement], query: str, *, rank: bool = True) -> QuerySet[Statement]:
    """Filter `qs` by a search and order it, best match first (PostgreSQL: ranked on the
    stored vector; SQLite: every word somewhere in title, summary or text, newest first).
    """
    query = query.strip()
    if not query:
        return qs
    if uses_postgres():
        from django.contrib.postgres.search import SearchRank

        search_query = _search_query(query)
        found = qs.alias(document=StoredDocument()).filter(document=search_query)
        if not rank:
            return found
        return found.annotate(rank=SearchRank(StoredDocument(), search_query)).order_by(
            "-rank", "-published_at", "-id"
        )
    condition = Q()
    for word in _words(query)[:8]:
        condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    return qs.filter(condition)


# A search counts its matches up to this many: the count of a word in every paper
# would otherwise read every paper's vector once more, on top of ranking them.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Numbered pages of search results whose total is counted up to COUNT_CAP + 1
    (`capped` says the true number may be larger). The count filters without ranking."""

    def __init__(self, object_list: QuerySet[Statement], per_page: int, *, unranked) -> None:
        super().__init__(object_list, per_page)
        self._unranked = unranked

    @cached_property
    def count(self) -> int:
        return self._unranked.order_by().values("pk")[: COUNT_CAP + 1].count()

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    def page(self, number: Any) -> Any:
        # Full pages even past a capped count (Paginator would stop at the count).
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def results(qs: QuerySet[Statement], query: str, per_page: int) -> CappedPaginator:
    """`matching` in numbered pages with a capped total (see CappedPaginator)."""
    return CappedPaginator(matching(qs, query), per_page, unranked=matching(qs, query, rank=False))


def attach_headlines(statements: Iterable[Statement], query: str) -> None:
    """Set `snippet` (safe HTML) on each paper shown: one query for the whole page."""
    statements = list(statements)
    if not statements or not query.strip():
        return
    ids = [s.pk for s in statements]
    if uses_postgres():
        from django.contrib.postgres.search import SearchHeadline

        rows = dict(
            Statement.objects.filter(pk__in=ids)
            .order_by()
            .annotate(
                headline=SearchHeadline(
                    "body",
                    _search_query(query),
                    config="german",
                    start_sel=MARK_START,
                    stop_sel=MARK_STOP,
                    **HEADLINE_OPTIONS,
                )
            )
            .values_list("pk", "headline")
        )
    else:
        bodies = dict(Statement.objects.filter(pk__in=ids).values_list("pk", "body"))
        rows = {pk: _fallback_snippet(body or "", query) for pk, body in bodies.items()}
    for statement in statements:
        statement.snippet = snippet_html(rows.get(statement.pk, ""))


@contextmanager
def search_timeout() -> Iterator[None]:
    """Run the queries of one search under RTM_SEARCH_TIMEOUT_MS (PostgreSQL).

    `SET LOCAL` inside a transaction, so the limit never outlives the search; when
    the search runs inside an outer transaction the previous value is put back. A
    cancelled query raises SearchTooSlow.
    """
    if not uses_postgres():
        yield
        return
    limit = str(int(settings.RTM_SEARCH_TIMEOUT_MS))
    nested = connection.in_atomic_block
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('statement_timeout'), "
                    "set_config('statement_timeout', %s, true)",
                    [limit],
                )
                previous = cursor.fetchone()[0]
            yield
            if nested:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == "57014":  # query_canceled
            raise SearchTooSlow from error
        raise


# --- snippets -----------------------------------------------------------------


def snippet_html(raw: str) -> SafeString:
    """A headline as escaped text with only <mark> as markup."""
    text = escape(_without_markdown(raw or ""))
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


def _words(query: str) -> list[str]:
    return [w.strip('"+-') for w in query.split() if w.strip('"+-')]


def _without_markdown(text: str) -> str:
    for pattern, replacement in _MARKDOWN_NOISE:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text)


def _fallback_snippet(body: str, query: str, width: int = 90) -> str:
    words = [w.lower() for w in _words(query)]
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
