"""Readable word-level diffs between two texts, as HTML.

Lines are compared first (so whole added or removed paragraphs stay whole and a
long text stays fast), then changed stretches word by word. Changes are marked
with <ins>/<del> and a visually hidden label, so they are not told by colour
alone; the container keeps line breaks (CSS `white-space: pre-wrap`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Diff:
    html: SafeString
    inserted_words: int
    deleted_words: int

    @property
    def changed(self) -> bool:
        return bool(self.inserted_words or self.deleted_words)


_WORD_RE = re.compile(r"\w+", re.UNICODE)


def _words(tokens: list[str]) -> int:
    return len(_WORD_RE.findall("".join(tokens)))


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.inserted = 0
        self.deleted = 0

    def equal(self, tokens: list[str]) -> None:
        self.parts.append(escape("".join(tokens)))

    def mark(self, tag: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if text.isspace():
            # Whitespace-only changes: show them plainly, no empty markers.
            if tag == "ins":
                self.parts.append(escape(text))
            return
        label = _("eingefügt:") if tag == "ins" else _("gelöscht:")
        end = _("Ende der Einfügung") if tag == "ins" else _("Ende der Löschung")
        self.parts.append(
            f'<{tag}><span class="visually-hidden">[{escape(label)}] </span>{escape(text)}'
            f'<span class="visually-hidden"> [{escape(end)}]</span></{tag}>'
        )
        if tag == "ins":
            self.inserted += _words(tokens)
        else:
            self.deleted += _words(tokens)

    def words(self, old: str, new: str) -> None:
        a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                self.equal(a[i1:i2])
            else:
                self.mark("del", a[i1:i2])
                self.mark("ins", b[j1:j2])


def word_diff(old: str, new: str) -> Diff:
    """Compare `old` with `new`; the HTML shows `new` with deletions and insertions marked."""
    old_lines = (old or "").replace("\r\n", "\n").splitlines(keepends=True)
    new_lines = (new or "").replace("\r\n", "\n").splitlines(keepends=True)
    builder = _Builder()
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            builder.equal(old_lines[i1:i2])
        elif op == "replace":
            builder.words("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2]))
        elif op == "delete":
            builder.mark("del", old_lines[i1:i2])
        else:
            builder.mark("ins", new_lines[j1:j2])
    return Diff(
        html=mark_safe("".join(builder.parts)),  # noqa: S308 - every piece escaped above
        inserted_words=builder.inserted,
        deleted_words=builder.deleted,
    )
