"""Readable word-level diffs between two texts, as HTML, with bounded work.

Lines are compared first (so whole added or removed paragraphs stay whole), then
changed stretches word by word. Changes are marked with <ins>/<del> and a visually
hidden label, so they are not told by colour alone; the container keeps line breaks
(CSS `white-space: pre-wrap`).

The work is bounded: `_opcodes` finds the longest common run of a stretch only while
a budget of WORK_BUDGET steps (index entries and candidate pairs looked at, counted
exactly) lasts; a stretch that would cost more is marked as a whole (deleted, then
inserted). Common beginnings and ends are taken off first in linear time, so an
ordinary edit costs little. The result is always complete — the equal and inserted
pieces spell the new text — only coarser past the budget (`Diff.coarse`).

A diff is also kept as plain `segments` (("=", "+", "-"), text), which a suggestion
stores when it is written; `segments_html` turns them into HTML in the reader's
language in one linear pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_WORD_RE = re.compile(r"\w+", re.UNICODE)

# Steps one word_diff may spend on finding common runs (a few tenths of a second at
# most); common prefixes and suffixes, splitting and output are linear and not counted.
WORK_BUDGET = 400_000
# From this many tokens on, the most frequent ones do not start a common run.
POPULAR_FROM = 200

EQUAL, INSERT, DELETE = "=", "+", "-"
# html_diff only: the markup of a deleted whole element (shown, its text struck through).
DELETED_MARKUP = "~"
Opcode = tuple[str, int, int, int, int]


class _Budget:
    def __init__(self, steps: int) -> None:
        self.left = steps
        self.spent = 0
        self.refused = False

    def take(self, steps: int) -> bool:
        if steps > self.left:
            self.refused = True
            return False
        self.left -= steps
        self.spent += steps
        return True


def _longest_run(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int, budget: _Budget
) -> tuple[int, int, int] | None:
    """(i, j, size) of the longest common run of a[alo:ahi] and b[blo:bhi] (the first
    of that size), size 0 when there is none, or None when the budget cannot pay.

    In a long stretch, tokens that make up more than 1% of it (spaces, "die", blank
    lines) cannot start a run — they would pair with nearly everything — but a run
    found from rarer tokens grows over them on both sides.
    """
    if not budget.take((ahi - alo) + (bhi - blo)):
        return None
    where: dict[str, list[int]] = {}
    for j in range(blo, bhi):
        where.setdefault(b[j], []).append(j)
    if bhi - blo >= POPULAR_FROM:
        limit = (bhi - blo) // 100 + 1
        where = {token: at for token, at in where.items() if len(at) <= limit}
    pairs = sum(len(where.get(a[i], ())) for i in range(alo, ahi))
    if not budget.take(pairs):
        return None
    best_i, best_j, best = alo, blo, 0
    # run[j]: length of the common run ending at a[i - 1] and b[j] (the previous row).
    run: dict[int, int] = {}
    for i in range(alo, ahi):
        here: dict[int, int] = {}
        for j in where.get(a[i], ()):
            size = run.get(j - 1, 0) + 1
            here[j] = size
            if size > best:
                best_i, best_j, best = i - size + 1, j - size + 1, size
        run = here
    if best:
        while best_i > alo and best_j > blo and a[best_i - 1] == b[best_j - 1]:
            best_i, best_j, best = best_i - 1, best_j - 1, best + 1
        while best_i + best < ahi and best_j + best < bhi and a[best_i + best] == b[best_j + best]:
            best += 1
    return best_i, best_j, best


def _opcodes(a: Sequence[str], b: Sequence[str], budget: _Budget) -> list[Opcode]:
    """Opcodes ("equal" / "replace" / "delete" / "insert", i1, i2, j1, j2) turning a into b."""
    out: list[Opcode] = []
    # An explicit stack instead of recursion: a long text may split into thousands of runs.
    todo: list[Opcode] = [("range", 0, len(a), 0, len(b))]
    while todo:
        item = todo.pop()
        if item[0] != "range":
            out.append(item)
            continue
        _, alo, ahi, blo, bhi = item
        start_a, start_b = alo, blo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo, blo = alo + 1, blo + 1
        end_a, end_b = ahi, bhi
        while ahi > alo and bhi > blo and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
        after: list[Opcode] = []
        if ahi < end_a:
            after.append(("equal", ahi, end_a, bhi, end_b))
        if alo == ahi or blo == bhi:
            if alo < ahi:
                after.append(("delete", alo, ahi, blo, bhi))
            elif blo < bhi:
                after.append(("insert", alo, ahi, blo, bhi))
        else:
            found = _longest_run(a, b, alo, ahi, blo, bhi, budget)
            if found is None or found[2] == 0:
                after.append(("replace", alo, ahi, blo, bhi))
            else:
                i, j, size = found
                after += [
                    ("range", i + size, ahi, j + size, bhi),
                    ("equal", i, i + size, j, j + size),
                    ("range", alo, i, blo, j),
                ]
        if start_a < alo:
            after.append(("equal", start_a, alo, start_b, blo))
        todo.extend(after)
    return out


@dataclass(frozen=True)
class Diff:
    segments: list[tuple[str, str]]
    inserted_words: int
    deleted_words: int
    # Steps spent finding common runs (at most WORK_BUDGET), and whether some stretch
    # was marked as a whole because the budget did not reach.
    work: int = 0
    coarse: bool = False
    # From html_diff: "=" segments are HTML, not text.
    rendered: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.inserted_words or self.deleted_words)

    @property
    def html(self) -> SafeString:
        if self.rendered:
            return rendered_segments_html(self.segments)
        return segments_html(self.segments)


def segments_html(segments: Sequence[Sequence[str]]) -> SafeString:
    """HTML for stored diff segments: `new` with deletions and insertions marked."""
    ins = (_("eingefügt:"), _("Ende der Einfügung"))
    dels = (_("gelöscht:"), _("Ende der Löschung"))
    parts: list[str] = []
    for op, text in segments:
        if op == EQUAL:
            parts.append(escape(text))
            continue
        tag, (label, end) = ("ins", ins) if op == INSERT else ("del", dels)
        parts.append(
            f'<{tag}><span class="visually-hidden">[{escape(label)}] </span>{escape(text)}'
            f'<span class="visually-hidden"> [{escape(end)}]</span></{tag}>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def segments_text(segments: Sequence[Sequence[str]]) -> str:
    """Plain text for stored word-diff segments (a text mail): [+ … +] and [- … -]."""
    marks = {INSERT: "[+{}+]", DELETE: "[-{}-]"}
    return "".join(marks[op].format(text) if op in marks else text for op, text in segments)


class _Builder:
    def __init__(self, budget: _Budget) -> None:
        self.segments: list[tuple[str, str]] = []
        self.inserted = 0
        self.deleted = 0
        self.budget = budget

    def _add(self, op: str, text: str) -> None:
        if self.segments and self.segments[-1][0] == op:
            self.segments[-1] = (op, self.segments[-1][1] + text)
        else:
            self.segments.append((op, text))

    # How a changed block is split into comparable pieces, and what counts as a word.
    token_re = _TOKEN_RE

    def _count(self, text: str) -> int:
        return len(_WORD_RE.findall(text))

    def equal(self, tokens: Sequence[str]) -> None:
        if tokens:
            self._add(EQUAL, "".join(tokens))

    def mark(self, op: str, tokens: Sequence[str]) -> None:
        self._text(op, tokens)

    def _text(self, op: str, run: Sequence[str]) -> None:
        text = "".join(run)
        if not text:
            return
        if text.isspace():
            # Whitespace-only changes: show them plainly, no empty markers.
            if op == INSERT:
                self._add(EQUAL, text)
            return
        self._add(op, text)
        if op == INSERT:
            self.inserted += self._count(text)
        else:
            self.deleted += self._count(text)

    def words(self, old: str, new: str) -> None:
        a, b = self.token_re.findall(old), self.token_re.findall(new)
        for op, i1, i2, j1, j2 in _opcodes(a, b, self.budget):
            if op == "equal":
                self.equal(b[j1:j2])
            else:
                self.mark(DELETE, a[i1:i2])
                self.mark(INSERT, b[j1:j2])

    def lines(self, lines: Sequence[str]) -> Sequence[str]:
        """A whole inserted or deleted block, as the pieces mark() takes."""
        return lines


def _diff_lines(builder: _Builder, old: str, new: str, steps: _Budget, **extra: bool) -> Diff:
    """Lines first (cheap, most of a text is unchanged), then tokens inside changed lines."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    for op, i1, i2, j1, j2 in _opcodes(old_lines, new_lines, steps):
        if op == "equal":
            builder.equal(new_lines[j1:j2])
        elif op == "replace":
            builder.words("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2]))
        elif op == "delete":
            builder.mark(DELETE, builder.lines(old_lines[i1:i2]))
        else:
            builder.mark(INSERT, builder.lines(new_lines[j1:j2]))
    return Diff(
        segments=builder.segments,
        inserted_words=builder.inserted,
        deleted_words=builder.deleted,
        work=steps.spent,
        coarse=steps.refused,
        **extra,
    )


def word_diff(old: str, new: str, *, budget: int = WORK_BUDGET) -> Diff:
    """Compare `old` with `new`; the HTML shows `new` with deletions and insertions marked."""
    steps = _Budget(budget)
    return _diff_lines(
        _Builder(steps),
        (old or "").replace("\r\n", "\n"),
        (new or "").replace("\r\n", "\n"),
        steps,
    )


# --- rendered diffs (formatted text with the changes marked) -------------------------

# A token of sanitised HTML: a tag (attribute values may hold ">"), an entity, white
# space, a word or one other character.
_HTML_TOKEN_RE = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>|&#?\w+;|\s+|\w+|[^\w\s]""")
_TAG_NAME_RE = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_ID_ATTR_RE = re.compile(r'(<[a-zA-Z][^<>]*?)\s+id="[^"]*"')
_ENTITY_RE = re.compile(r"&#?\w+;")
_VOID = {"br", "hr", "img", "input", "wbr"}


def _is_tag(token: str) -> bool:
    return len(token) > 2 and token[0] == "<" and token[-1] == ">"


def _balanced(tags: Sequence[str]) -> bool:
    """The tags open and close each other in order (a deleted list item, a paragraph)."""
    stack: list[str] = []
    for tag in tags:
        match = _TAG_NAME_RE.match(tag)
        if not match or match.group(1).lower() in _VOID or tag.endswith("/>"):
            continue
        name = match.group(1).lower()
        if tag.startswith("</"):
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


class _HtmlBuilder(_Builder):
    """Marks changed text inside rendered HTML; the markup stays that of the new text.

    Inserted pieces keep their tags (they are the new text's own). Deleted pieces keep
    theirs only where they form whole elements (a removed paragraph or list item);
    otherwise only their text is shown, struck through, inside the new text's markup.
    So <ins>/<del> only ever wrap text, and the result nests exactly like the new HTML.
    """

    def mark(self, op: str, tokens: Sequence[str]) -> None:
        keep_tags = op == INSERT or _balanced([t for t in tokens if _is_tag(t)])
        run: list[str] = []
        for token in tokens:
            if _is_tag(token):
                self._text(op, run)
                run = []
                if keep_tags:
                    self._add(EQUAL if op == INSERT else DELETED_MARKUP, token)
            else:
                run.append(token)
        self._text(op, run)

    token_re = _HTML_TOKEN_RE

    def _count(self, text: str) -> int:
        return len(_WORD_RE.findall(_ENTITY_RE.sub(" ", text)))

    def lines(self, lines: Sequence[str]) -> Sequence[str]:
        return _HTML_TOKEN_RE.findall("".join(lines))


def html_diff(old_html: str, new_html: str, *, budget: int = WORK_BUDGET) -> Diff:
    """Compare two rendered, sanitised texts (statements.markdown): the new one's HTML
    with changed words marked. Same budget and line-then-token order as word_diff; ids
    are dropped (the page shows the text itself elsewhere). Segments: "=" pieces are
    HTML, "~" the markup of a deleted element, "+"/"-" pieces are text (already escaped);
    render with rendered_segments_html.
    """
    old_html = _ID_ATTR_RE.sub(r"\1", old_html or "")
    new_html = _ID_ATTR_RE.sub(r"\1", new_html or "")
    steps = _Budget(budget)
    return _diff_lines(_HtmlBuilder(steps), old_html, new_html, steps, rendered=True)


_MARKUP_ONLY_RE = re.compile(r"(?:\s*<[^<>]*>)*\s*")


def rendered_segments_html(segments: Sequence[Sequence[str]]) -> SafeString:
    """HTML for html_diff segments, the hidden labels in the reader's language.

    One change split by markup (an insertion that runs into <strong>) is announced
    once: the start label on its first piece, the end label on its last.
    """
    ins = (_("eingefügt:"), _("Ende der Einfügung"))
    dels = (_("gelöscht:"), _("Ende der Löschung"))

    def neighbour(i: int, step: int) -> str:
        i += step
        while 0 <= i < len(segments):
            op, text = segments[i]
            if op == DELETED_MARKUP or (op == EQUAL and _MARKUP_ONLY_RE.fullmatch(text)):
                i += step
                continue
            return op
        return ""

    parts: list[str] = []
    for i, (op, text) in enumerate(segments):
        if op in (EQUAL, DELETED_MARKUP):
            parts.append(text)
            continue
        tag, (label, end) = ("ins", ins) if op == INSERT else ("del", dels)
        start = (
            f'<span class="visually-hidden">[{escape(label)}] </span>'
            if neighbour(i, -1) != op
            else ""
        )
        finish = (
            f'<span class="visually-hidden"> [{escape(end)}]</span>'
            if neighbour(i, 1) != op
            else ""
        )
        # The visible brackets (site.css) likewise open and close the change once.
        classes = " ".join(
            name for name, cut in (("diff-go-on", not start), ("diff-goes-on", not finish)) if cut
        )
        attr = f' class="{classes}"' if classes else ""
        parts.append(f"<{tag}{attr}>{start}{text}{finish}</{tag}>")
    # "=" and "~" pieces are the sanitised HTML of a revision or of statements.markdown.render;
    # "+"/"-" pieces are text from the same HTML, already escaped.
    return mark_safe("".join(parts))  # noqa: S308
