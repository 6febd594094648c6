"""The checkable record of a published position: canonical text, content hash, decision.

Canonical text of a revision: its title, a blank line, and the plain text of its
sanitised body (tags removed, entities decoded), then

1. Unicode NFC (a composed "ä" and "a" + combining diaeresis are the same text),
2. soft hyphens and zero-width characters removed (they are invisible and copy
   differently from browsers and PDF readers),
3. every run of whitespace — spaces, tabs, newlines of any kind — made one space,
   leading and trailing whitespace removed.

The hash is the SHA-256 of that text in UTF-8, written as 64 hex digits. It binds
every word and every punctuation mark (a changed comma gives another hash), not the
layout: a text pasted from the web page, the .txt download and the PDF's embedded
copy all give the same hash.

Which versions were adopted: the revision each adopted ballot voted on, and the
revision a public paper was published with.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from html.parser import HTMLParser

from statements.models import Revision, Statement
from voting.models import Ballot, Outcome

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_WHITESPACE = re.compile(r"\s+")
_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote pre table tr td th br hr section".split()
)


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(html: str) -> str:
    """The readable text of sanitised HTML, one block a line."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    text = unescape("".join(parser.parts))
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def canonicalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _WHITESPACE.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """SHA-256 of the canonical form of `text`."""
    return hashlib.sha256(canonicalise(text).encode("utf-8")).hexdigest()


def revision_text(revision: Revision) -> str:
    """Title and body as plain text, paragraphs kept (for the .txt download and the PDF)."""
    return f"{revision.title}\n\n{html_text(revision.body_html)}\n"


def revision_hash(revision: Revision) -> str:
    return content_hash(revision_text(revision))


@dataclass(frozen=True)
class Decision:
    """How a version was adopted: an online vote (with its counts) or, without a
    recorded ballot, the publication by the coordinators (e.g. after a meeting)."""

    decided_at: datetime | None
    ballot: Ballot | None

    @property
    def by_vote(self) -> bool:
        return self.ballot is not None


def decision_for(statement: Statement) -> Decision:
    """The adopted ballot on the published revision (the newest adopted one if the
    revision was not voted on as such); one query."""
    ballots = list(
        Ballot.objects.filter(statement=statement, outcome=Outcome.ADOPTED).order_by("-round")
    )
    chosen = next(
        (b for b in ballots if b.revision_id == statement.current_revision_id),
        ballots[0] if ballots else None,
    )
    if chosen is None:
        return Decision(decided_at=statement.published_at, ballot=None)
    return Decision(decided_at=chosen.closed_at or statement.published_at, ballot=chosen)


@dataclass(frozen=True)
class AdoptedVersion:
    revision: Revision
    hash: str
    body_hash: str
    ballot: Ballot | None
    current: bool


def adopted_versions(statement: Statement) -> list[AdoptedVersion]:
    """Every version of a public paper that was adopted or published (two queries)."""
    ballots = {
        b.revision_id: b
        for b in Ballot.objects.filter(statement=statement, outcome=Outcome.ADOPTED).order_by(
            "round"
        )
    }
    ids = set(ballots) | {statement.current_revision_id}
    ids.discard(None)
    revisions = Revision.objects.filter(statement=statement, pk__in=ids).order_by("-number")
    return [
        AdoptedVersion(
            revision=r,
            hash=revision_hash(r),
            body_hash=content_hash(html_text(r.body_html)),
            ballot=ballots.get(r.pk),
            current=r.pk == statement.current_revision_id,
        )
        for r in revisions
    ]


def match(statement: Statement, text: str) -> AdoptedVersion | None:
    """The adopted version whose canonical text (with title, or the body alone) is `text`."""
    wanted = content_hash(text)
    for version in adopted_versions(statement):
        if wanted in (version.hash, version.body_hash):
            return version
    return None
