"""Three-way merge of a paper's text: the base revision an edit started from, the newer
revision saved meanwhile ("theirs") and the editor's text ("mine").

The merge algorithm is merge3's (the line merge of Bazaar/Breezy); this module only
chooses the units it runs on and turns its regions into pieces a page can show:

- The body is merged **paragraph by paragraph** first: a unit is a run of non-blank lines
  with the blank lines after it (a paragraph, a heading, a whole list). Units, not single
  lines, so that a blank line, which is everywhere, never serves as the anchor that lines
  up two different paragraphs.
- Where both sides changed the same paragraphs, the region is merged again **word by word**
  (a word keeps the spaces after it; line breaks are tokens of their own), so edits in
  different sentences of one paragraph, or different items of one list, still merge.
  What is left is a `Conflict`: both sides changed the same words.
- Both sides inserting new paragraphs at the same place keeps both, theirs first: two new
  paragraphs are not an overlap, whatever order they end up in.
- Title, occasion and summary are merged as whole fields: a field changed on one side
  takes that side; changed on both sides to different values, it is a conflict.

Nothing here drops a word one side added: merge3 takes a side's region only where the
other side left the base untouched, and every overlap becomes a Conflict that someone
has to decide (`FieldMerge.text` refuses to guess).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

import merge3

# A word with the spaces after it; a line break (with the blank lines and indentation
# after it) and leading spaces are tokens of their own, so that a change at the end of a
# line and an addition after it do not touch.
_TOKEN_RE = re.compile(r"\n\s*|[^\S\n]+|\S+[^\S\n]*")

THEIRS, MINE, MANUAL = "theirs", "mine", "manual"

# Fields of a revision in the order the conflict page shows them; only the body is
# merged below whole-field level.
FIELDS = ("title", "occasion", "summary", "body")


class _Matcher(difflib.SequenceMatcher):
    """difflib without its "autojunk" heuristic: in a long text blank lines and common
    words are frequent, and treating them as junk would lose the sync points."""

    def __init__(self, isjunk=None, a="", b="") -> None:
        super().__init__(isjunk, a, b, autojunk=False)


@dataclass(frozen=True)
class Conflict:
    """One place where both sides changed the same text.

    `theirs` and `mine` are the region as each side would have it; inside a paragraph
    both already carry every change of the other side that did not overlap, so the
    choice is only about the overlapping words (`spots`: their words, my words).
    """

    key: str
    field: str
    theirs: str
    mine: str
    spots: tuple[tuple[str, str], ...]

    @property
    def both(self) -> str:
        """The starting point for writing both by hand: theirs, then mine."""
        if self.field == "body":
            return self.theirs.rstrip("\n") + "\n\n" + self.mine
        return f"{self.theirs}\n{self.mine}"

    def resolve(self, choice: str, manual: str = "") -> str:
        if choice == THEIRS:
            return self.theirs
        if choice == MINE:
            return self.mine
        if choice == MANUAL:
            text = manual.replace("\r\n", "\n")
            # A body region is whole paragraphs; keep the next paragraph apart.
            if self.field == "body" and text.strip():
                text = text.rstrip("\n") + "\n\n"
            return text
        raise ValueError(f"unknown choice {choice!r}")


class UnresolvedConflict(Exception):
    """A merge with conflicts was asked for its text without a decision on each."""


@dataclass(frozen=True)
class FieldMerge:
    field: str
    pieces: tuple[str | Conflict, ...]
    # The body is merged as paragraphs that all end in a blank line; the merged text ends
    # as the editor's text did (`tail`: its final line breaks).
    tail: str | None = None

    @property
    def conflicts(self) -> list[Conflict]:
        return [p for p in self.pieces if isinstance(p, Conflict)]

    def text(self, resolutions: Mapping[str, str] | None = None) -> str:
        """The merged text with each conflict replaced by its resolution text."""
        resolutions = resolutions or {}
        out = []
        for piece in self.pieces:
            if isinstance(piece, Conflict):
                if piece.key not in resolutions:
                    raise UnresolvedConflict(piece.key)
                out.append(resolutions[piece.key])
            else:
                out.append(piece)
        text = "".join(out)
        return text if self.tail is None else text.rstrip("\n") + self.tail


@dataclass(frozen=True)
class TextMerge:
    """The merge of every field; `fields` maps a field name to its FieldMerge."""

    fields: dict[str, FieldMerge]

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for name in FIELDS for c in self.fields[name].conflicts]

    def texts(self, resolutions: Mapping[str, str] | None = None) -> dict[str, str]:
        return {name: self.fields[name].text(resolutions) for name in FIELDS}


def merge_fields(
    base: Mapping[str, str] | None, theirs: Mapping[str, str], mine: Mapping[str, str]
) -> TextMerge:
    """Merge the four text fields of a paper (`title`, `occasion`, `summary`, `body`).

    Without a base (an editor that did not say where it started) nothing can tell a
    change from an original: each field is equal on both sides or a conflict.
    """
    if base is None:
        return TextMerge(
            fields={name: merge_whole(name, None, theirs[name], mine[name]) for name in FIELDS}
        )
    fields = {
        name: merge_whole(name, base[name], theirs[name], mine[name])
        for name in ("title", "occasion", "summary")
    }
    fields["body"] = merge_body(base["body"], theirs["body"], mine["body"])
    return TextMerge(fields=fields)


def merge_whole(field: str, base: str | None, theirs: str, mine: str) -> FieldMerge:
    """A field that is one unit: one side's change wins, two different changes conflict."""
    if theirs == mine or mine == base:
        return FieldMerge(field, (theirs,))
    if theirs == base:
        return FieldMerge(field, (mine,))
    spot = (theirs.strip(), mine.strip())
    return FieldMerge(
        field, (Conflict(key=field, field=field, theirs=theirs, mine=mine, spots=(spot,)),)
    )


def merge_body(base: str, theirs: str, mine: str, *, field: str = "body") -> FieldMerge:
    """Merge Markdown text: paragraphs first, then words inside a region both changed."""
    last = mine if mine.strip() else theirs
    tail = last[len(last.rstrip("\n")) :]
    base_u, theirs_u, mine_u = (_units(t) for t in (base, theirs, mine))
    pieces: list[str | Conflict] = []
    count = 0
    for group in merge3.Merge3(base_u, theirs_u, mine_u, sequence_matcher=_Matcher).merge_groups():
        if group[0] != "conflict":
            pieces.append("".join(group[1]))
            continue
        _kind, base_g, theirs_g, mine_g = group
        if not base_g:
            pieces.append("".join(theirs_g) + "".join(mine_g))
            continue
        for part in _merge_words("".join(base_g), "".join(theirs_g), "".join(mine_g)):
            if isinstance(part, str):
                pieces.append(part)
                continue
            theirs_text, mine_text, spots = part
            pieces.append(
                Conflict(
                    key=f"{field}-{count}",
                    field=field,
                    theirs=theirs_text,
                    mine=mine_text,
                    spots=spots,
                )
            )
            count += 1
    pieces = [p for p in _joined(pieces) if p != ""]
    return FieldMerge(field, tuple(pieces), tail=tail)


# Blank lines (white space only), then non-blank lines, then the blank lines after them.
_UNIT_RE = re.compile(r"(?:[^\S\n]*\n)*(?:[^\n]*\S[^\n]*\n)+(?:[^\S\n]*\n)*")


def _units(text: str) -> list[str]:
    """The paragraphs of a text, each with the blank lines after it. Every text ends in a
    blank line here, so the last paragraph is a unit like the others (and a paragraph added
    after it does not count as a change of it); leading blank lines join the first."""
    text = text.replace("\r\n", "\n").rstrip("\n")
    if not text:
        return []
    if not text.strip():  # nothing but white space: one unit, kept as it is
        return [text + "\n\n"]
    return _UNIT_RE.findall(text + "\n\n")


_Variant = tuple[str, str, tuple[tuple[str, str], ...]]
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


def _merge_words(base: str, theirs: str, mine: str) -> list[str | _Variant]:
    """Merge one region word by word.

    Returns merged text, and for each paragraph of the region in which words overlap both
    sides' variants of that paragraph (each with the other side's non-overlapping changes)
    and the overlapping spots. Splitting at paragraph breaks both sides kept keeps a
    conflict as small as the paragraph it is in, even when the region spans several.
    """
    base_t, theirs_t, mine_t = (_TOKEN_RE.findall(t) for t in (base, theirs, mine))
    groups = merge3.Merge3(base_t, theirs_t, mine_t, sequence_matcher=_Matcher).merge_groups()
    out: list[str | _Variant] = []
    theirs_parts: list[str] = []
    mine_parts: list[str] = []
    spots: list[tuple[str, str]] = []

    def close() -> None:
        if spots:
            out.append(("".join(theirs_parts), "".join(mine_parts), tuple(spots)))
        else:
            out.append("".join(theirs_parts))
        theirs_parts.clear()
        mine_parts.clear()
        spots.clear()

    for group in groups:
        if group[0] == "conflict":
            theirs_g, mine_g = "".join(group[2]), "".join(group[3])
            theirs_parts.append(theirs_g)
            mine_parts.append(mine_g)
            spots.append((theirs_g.strip(), mine_g.strip()))
            continue
        for token in group[1]:
            theirs_parts.append(token)
            mine_parts.append(token)
            if group[0] == "unchanged" and _PARAGRAPH_BREAK.fullmatch(token):
                close()
    close()
    return [p for p in out if p != ""]


def _joined(pieces: list[str | Conflict]) -> list[str | Conflict]:
    """Adjacent text pieces as one (the page shows them as one stretch of text)."""
    out: list[str | Conflict] = []
    for piece in pieces:
        if isinstance(piece, str) and out and isinstance(out[-1], str):
            out[-1] += piece
        else:
            out.append(piece)
    return out
