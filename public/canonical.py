"""Which query strings of the public pages are canonical, and so worth a shared copy.

The page cache keeps one copy per URL for a day. Keyed by whatever a visitor sends, a
script could store a copy for every topic it invents, every year, every page number and
every spelling of a search. So a query counts only if each parameter is one the page
understands, given once, with a value that names something that exists: a topic some
public paper carries, a year with public papers, a page number (that the rendering
confirms), a search of at most SEARCH_MAX characters. Everything else is rendered
uncached. Equivalent spellings map to one canonical form (empty values and page 1
dropped, search whitespace collapsed, a fixed order), which is also what the list
renders from, so every key has exactly one possible page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import QueryDict

from public import selectors
from public.cache import shared
from statements.models import Topic
from statements.search import SEARCH_MAX

LIST_PARAMS = ("q", "topic", "year", "page", "older", "newer")
_CURSOR = re.compile(r"[1-9][0-9]{0,9}")
_PAGE = re.compile(r"[1-9][0-9]{0,5}")


@dataclass(frozen=True)
class PublicFacts:
    """What the public filters may name; one copy per public generation."""

    topics: list[Topic]
    years: list[int]

    @property
    def topic_slugs(self) -> set[str]:
        return {topic.slug for topic in self.topics}


def public_facts() -> PublicFacts:
    return shared(
        "facts",
        lambda: PublicFacts(topics=list(selectors.public_topics()), years=selectors.public_years()),
    )


def _single_values(
    query: QueryDict, allowed: tuple[str, ...], *, blank_ok: bool = False
) -> dict[str, str] | None:
    """Each parameter known and given at most once. Empty values are dropped where the
    page renders from the canonical query (blank_ok), else they make it non-canonical."""
    values = {}
    for name, given in query.lists():
        if name not in allowed or len(given) != 1:
            return None
        if given[0] != "":
            values[name] = given[0]
        elif not blank_ok:
            return None
    return values


def _page(value: str | None) -> str | None:
    """ "" for page 1 (the bare URL), the number as written if it is canonical, else None."""
    if value is None or value == "1":
        return ""
    return value if _PAGE.fullmatch(value) else None


def _encode(pairs: list[tuple[str, str]]) -> str:
    query = QueryDict(mutable=True)
    for name, value in pairs:
        if value:
            query[name] = value
    return query.urlencode()


def list_query(query: QueryDict) -> str | None:
    """/statements/?q=…&topic=…&year=…&page=… (or &older=… / &newer=…)"""
    # The filter form sends every field, so `?q=&topic=x&year=` is the common spelling.
    values = _single_values(query, LIST_PARAMS, blank_ok=True)
    if values is None:
        return None
    search = " ".join(values.get("q", "").split())
    if len(search) > SEARCH_MAX:
        return None
    page = _page(values.get("page"))
    if page is None:
        return None
    # A keyset position (?older=/?newer=: a paper's id, which the rendering confirms) is
    # for browsing only: not with a search, a page number or the other direction.
    cursors = [(name, values[name]) for name in ("older", "newer") if values.get(name)]
    if cursors and (len(cursors) > 1 or search or page or not _CURSOR.fullmatch(cursors[0][1])):
        return None
    topic, year = values.get("topic", ""), values.get("year", "")
    if topic or year:
        facts = public_facts()
        if topic and topic not in facts.topic_slugs:
            return None
        if year and year not in {str(y) for y in facts.years}:
            return None
    return _encode([("q", search), ("topic", topic), ("year", year), ("page", page), *cursors])


def api_list_query(query: QueryDict) -> str | None:
    """/api/statements/?page=…&topic=…"""
    values = _single_values(query, ("page", "topic"))
    if values is None:
        return None
    page = _page(values.get("page"))
    topic = values.get("topic", "")
    if page is None or (topic and topic not in public_facts().topic_slugs):
        return None
    return _encode([("page", page), ("topic", topic)])


def sitemap_query(query: QueryDict) -> str | None:
    """/sitemap.xml?p=…"""
    values = _single_values(query, ("p",))
    if values is None:
        return None
    page = _page(values.get("p"))
    return None if page is None else _encode([("p", page)])
