"""Stable line numbers for a revision's text (like Antragsgrün and OpenSlides).

A revision's stored, sanitised HTML is cut into lines of at most LINE_LENGTH
characters, at word boundaries, by the server: every paragraph, heading, list item
and table row starts a line; list items wrap inside their indent (LIST_INDENT per
level), quotes inside theirs; code keeps its own lines. Each line starts with an
empty `<span class="ln" data-ln="N" aria-hidden="true">` whose number the style
sheet shows in the margin (a pseudo-element: neither selected nor copied with the
text, not read out line by line), and each wrap is a `<br class="ln-br">`, so the
lines on screen and on paper are the numbered ones.

The numbering depends only on the stored HTML and the constants below, so it is the
same for everyone and for every later reading; revisions never change, so the result
is cached per revision (`numbering`, `ranges_for`). Bump VERSION when the rules change.

Which lines a comment refers to is derived, not stored: the comment keeps its
revision and its paragraph (block id, a hash of the paragraph's text). While the
current revision still has that block, the comment's lines are the block's lines
there (the paragraph may have moved); once the block is gone the paragraph changed,
and the comment names its lines in the revision it was written on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.cache import cache
from django.http import HttpRequest

from statements.models import Revision, Statement
from statements.states import State

logger = logging.getLogger(__name__)

LINE_LENGTH = 80
LIST_INDENT = 4
QUOTE_INDENT = 2
MIN_LINE = 20
VERSION = 1
CACHE_SECONDS = 7 * 24 * 3600
# Numbers are offered while members read the paper closely: consultation and voting.
LINE_STATES = frozenset({State.CONSULTATION, State.VOTING})

_NEW_LINE = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "tr", "hr"})
_VOID = frozenset({"br", "hr", "img", "input", "wbr"})
# A line starting with one of these gets its number before the tag (not inside a link).
_INLINE = frozenset({"a", "strong", "em", "code", "s", "del"})
_SPACE = re.compile(r"(\s+)")

Range = tuple[int, int]


@dataclass(frozen=True)
class Numbered:
    """A revision's text with line numbers, and the lines of each top-level block."""

    html: str
    ranges: dict[str, Range]
    total: int


class _Numberer(HTMLParser):
    def __init__(self, width: int) -> None:
        super().__init__(convert_charrefs=True)
        self.width = width
        self.out: list[str] = []
        self.line = 0
        self.col = 0
        self.pending = True  # the next visible text starts a new line
        self.breakable = False  # white space came since the last word: a wrap may go here
        self.stack: list[str] = []
        self.lists = self.quotes = self.tables = self.pre = 0
        self.top_id: str | None = None
        self.top_first = 0
        self.ranges: dict[str, Range] = {}

    # --- lines ---------------------------------------------------------------------
    def _start_line(self) -> None:
        self.line += 1
        self.out.append(f'<span class="ln" data-ln="{self.line}" aria-hidden="true"></span>')
        self.pending = self.breakable = False
        self.col = 0
        if self.top_id is not None and not self.top_first:
            self.top_first = self.line

    def _capacity(self) -> float:
        if self.tables:
            return float("inf")  # a table row is one line, however long
        return max(MIN_LINE, self.width - LIST_INDENT * self.lists - QUOTE_INDENT * self.quotes)

    # --- parser callbacks ----------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INLINE and self.pending and not self.pre and self.stack:
            self._start_line()
        self.out.append(self.get_starttag_text() or f"<{tag}>")
        if tag in _VOID:
            if tag in ("br", "hr"):
                self.pending = True
            return
        self.stack.append(tag)
        if len(self.stack) == 1:
            self.top_id = dict(attrs).get("id")
            self.top_first = 0
        if tag in _NEW_LINE:
            self.pending = True
        self._count(tag, 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or f"<{tag}>")
        if tag in ("br", "hr"):
            self.pending = True

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack and self.stack.pop() != tag:
            pass
        self._count(tag, -1)
        if tag in _NEW_LINE:
            self.pending = True
        if not self.stack:
            if self.top_id and self.top_first:
                self.ranges[self.top_id] = (self.top_first, self.line)
            self.top_id = None

    def _count(self, tag: str, step: int) -> None:
        if tag in ("ul", "ol"):
            self.lists += step
        elif tag == "blockquote":
            self.quotes += step
        elif tag == "table":
            self.tables += step
        elif tag == "pre":
            self.pre += step

    def handle_data(self, data: str) -> None:
        if self.pre:
            self._code(data)
            return
        for piece in _SPACE.split(data):
            if not piece:
                continue
            if piece.isspace():
                self.out.append(piece)
                if not self.pending:
                    self.breakable = True
                continue
            if self.pending:
                self._start_line()
            elif self.breakable and self.col + 1 + len(piece) > self._capacity():
                self.out.append('<br class="ln-br">')
                self._start_line()
            elif self.breakable:
                self.col += 1
            self.out.append(escape(piece, quote=False))
            self.col += len(piece)
            self.breakable = False

    def _code(self, data: str) -> None:
        """Preformatted text keeps its lines; each non-empty one gets a number."""
        for i, part in enumerate(data.split("\n")):
            if i:
                self.out.append("\n")
                self.pending = True
            if part.strip():
                if self.pending:
                    self._start_line()
                self.col += len(part)
            self.out.append(escape(part, quote=False))


_MARKER = re.compile(r'<span class="ln" data-ln="\d+" aria-hidden="true"></span>')
_TAG = re.compile(r"<[^>]*>")


def line_texts(numbered_html: str) -> list[str]:
    """The visible text of each numbered line (white space normalised), line 1 first."""
    return [
        " ".join(unescape(_TAG.sub("", piece)).split())
        for piece in _MARKER.split(numbered_html)[1:]
    ]


def lines_of_quote(texts: list[str], within: Range, quote: str) -> Range | None:
    """The lines, inside `within`, on which the words `quote` stand (first occurrence)."""
    words = " ".join(quote.split())
    if not words:
        return None
    first, last = within
    starts: list[int] = []
    joined = ""
    for text in texts[first - 1 : last]:
        starts.append(len(joined))
        joined += text + " "
    at = joined.find(words)
    if at < 0:
        return None
    end = at + len(words) - 1

    def line_at(offset: int) -> int:
        index = max(i for i, start in enumerate(starts) if start <= offset)
        return first + index

    return line_at(at), line_at(end)


def number_html(body_html: str, *, width: int = LINE_LENGTH) -> Numbered:
    """Number the lines of stored revision HTML (pure: same input, same output)."""
    parser = _Numberer(width)
    parser.feed(body_html or "")
    parser.close()
    return Numbered(html="".join(parser.out), ranges=parser.ranges, total=parser.line)


# --- cached per revision ---------------------------------------------------------------


def _key(kind: str, revision_id: int) -> str:
    return f"lines:v{VERSION}:{kind}:{revision_id}"


def _cache_get_many(keys: list[str]) -> dict[str, Any]:
    try:
        return cache.get_many(keys)
    except Exception:
        logger.warning("line numbers: cache unavailable", exc_info=True)
        return {}


def _cache_set_many(values: dict[str, Any]) -> None:
    try:
        cache.set_many(values, CACHE_SECONDS)
    except Exception:
        logger.warning("line numbers: cache unavailable", exc_info=True)


def _store(revision: Revision, numbered: Numbered) -> None:
    _cache_set_many(
        {
            _key("html", revision.pk): numbered.html,
            _key("ranges", revision.pk): _ranges_value(revision.number, numbered),
        }
    )


def _ranges_value(number: int, numbered: Numbered) -> dict[str, Any]:
    return {"number": number, "ranges": numbered.ranges, "total": numbered.total}


def numbering(revision: Revision) -> Numbered:
    """The numbered text of `revision`, from the cache when it was counted before."""
    found = _cache_get_many([_key("html", revision.pk), _key("ranges", revision.pk)])
    html, value = found.get(_key("html", revision.pk)), found.get(_key("ranges", revision.pk))
    if html is not None and value is not None:
        ranges = {bid: (int(a), int(b)) for bid, (a, b) in value["ranges"].items()}
        return Numbered(html=html, ranges=ranges, total=int(value["total"]))
    numbered = number_html(revision.body_html)
    _store(revision, numbered)
    return numbered


@dataclass(frozen=True)
class RevisionLines:
    number: int
    ranges: dict[str, Range]


def ranges_for(revision_ids: Iterable[int]) -> dict[int, RevisionLines]:
    """Block line ranges of several revisions: at most one query, whatever their number."""
    ids = sorted(set(revision_ids))
    if not ids:
        return {}
    found = _cache_get_many([_key("ranges", pk) for pk in ids])
    result: dict[int, RevisionLines] = {}
    missing: list[int] = []
    for pk in ids:
        value = found.get(_key("ranges", pk))
        if value is None:
            missing.append(pk)
            continue
        result[pk] = RevisionLines(
            number=int(value["number"]),
            ranges={bid: (int(a), int(b)) for bid, (a, b) in value["ranges"].items()},
        )
    if missing:
        for revision in Revision.objects.filter(pk__in=missing).only("pk", "number", "body_html"):
            numbered = number_html(revision.body_html)
            _store(revision, numbered)
            result[revision.pk] = RevisionLines(number=revision.number, ranges=numbered.ranges)
    return result


# --- the reader's choice ---------------------------------------------------------------


def lines_offered(statement: Statement) -> bool:
    return statement.state in LINE_STATES


def _param(request: HttpRequest) -> str | None:
    if "lines" in request.GET:
        return request.GET.get("lines")
    # An htmx request (a comment posted from the page) carries the page's own address.
    current = request.headers.get("HX-Current-URL", "")
    if current:
        values = parse_qs(urlsplit(current).query).get("lines")
        if values:
            return values[-1]
    return None


def lines_wanted(request: HttpRequest, statement: Statement) -> bool:
    """Numbers are on by default where offered; `?lines=0` turns them off."""
    return lines_offered(statement) and _param(request) != "0"


def format_range(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def parse_range(value: str) -> Range | None:
    """'12' or '12-14' (also with an en dash) → (12, 14); anything else → None."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*(?:[-–]\s*(\d{1,6})\s*)?", value or "")
    if not match:
        return None
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first < 1 or last < first:
        return None
    return first, last
