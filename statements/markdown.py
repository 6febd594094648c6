"""The one Markdown pipeline for all user text (statements, comments, suggestions).

markdown-it-py's `js-default` preset keeps raw HTML off and refuses script-ish
link schemes; nh3 then sanitises the output against an allow-list of exactly
what the renderer emits. Top-level blocks get ids derived from their source
text ("b-" + hash), so an anchor stays valid while that block is unchanged and
stops matching once it changes; headings get readable slug ids. Ids carry a
prefix so user text cannot clobber DOM names the page relies on.

markdown-it scans forward from every `[` that might open a link or image label, to
the end of its paragraph when no `]` closes it: 100 KB of `[` or `![` took seconds.
`defuse()` escapes such brackets before parsing (see there), so every parse stays
linear in the length of the text. The statement page parses nothing: a revision keeps
its HTML and its blocks from the one parse made when it was written.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "s",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "strong": {"class"},
    "ol": {"start"},
    "th": {"class"},
    "td": {"class"},
    "*": {"id"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Links may point to the web, to a mail address or to an anchor in the same text.
_HREF_RE = re.compile(r"^(https?://|mailto:|#[bh]-)", re.IGNORECASE)
_ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
BLOCK_ID_PREFIX = "b-"
HEADING_ID_PREFIX = "h-"
_ID_RE = re.compile(r"^(b|h)-[a-z0-9-]{1,80}$")
MENTION_CLASS = "mention"


@dataclass(frozen=True)
class Block:
    """A top-level block of the source: what a comment can anchor to."""

    id: str
    source: str
    start_line: int
    end_line: int
    kind: str

    def stored(self) -> list[str | int]:
        """The block as kept on its revision; the source is cut from the body on reading."""
        return [self.id, self.start_line, self.end_line, self.kind]


def stored_blocks(source: str, stored: list[list[str | int]]) -> list[Block]:
    """Blocks of `source` from their stored form (Block.stored) without parsing again."""
    lines = (source or "").splitlines()
    return [
        Block(str(bid), _block_source(lines, int(start), int(end)), int(start), int(end), str(kind))
        for bid, start, end, kind in stored
    ]


def _block_source(lines: list[str], start: int, end: int) -> str:
    return "\n".join(lines[start:end]).strip("\n")


# markdown-it scans forward from every `[` that might open a link or an image to its
# `]`, or to the end of the paragraph when none closes it: 100 KB of `[` or `![` cost
# seconds, and so did brackets nested thousands deep. Before parsing, defuse() escapes
# - loose brackets (no `]` closes them) beyond MAX_LOOSE_BRACKETS, or once their scans
#   together pass MAX_LOOSE_SCAN characters;
# - pairs nested deeper than MAX_BRACKET_NESTING (real text nests two deep: a linked
#   image) or enclosing more than MAX_LABEL characters (no link text is that long).
# So every character is scanned at most a few times, and real text is left as it is.
MAX_LOOSE_BRACKETS = 16
MAX_LOOSE_SCAN = 8_000
MAX_BRACKET_NESTING = 3
MAX_LABEL = 1_000
# Escaped characters (left alone), brackets, and blank lines (which end a paragraph).
_BRACKET_SCAN = re.compile(r"\\[\s\S]|\[|\]|\n[ \t\r]*\n")


def defuse(source: str) -> str:
    """`source` with loose and too deeply nested brackets escaped, so parsing stays linear.

    A `[` that no `]` of its paragraph closes can never open a link or an image (a
    paragraph here is text between blank lines, and every inline run markdown-it parses
    lies within one), so `\\[` shows the same `[`. Only inside code would the
    backslash show, and only in texts with more loose brackets than real text has.
    One pass; lines stay as they are, so block positions and ids are the source's.
    """
    if "[" not in source:
        return source
    escape: list[int] = []
    open_at: list[int] = []
    kept = scanned = 0

    def paragraph_end(end: int) -> None:
        nonlocal kept, scanned
        for at in open_at:
            if kept < MAX_LOOSE_BRACKETS and scanned + end - at <= MAX_LOOSE_SCAN:
                kept, scanned = kept + 1, scanned + end - at
            else:
                escape.append(at)
        open_at.clear()

    for match in _BRACKET_SCAN.finditer(source):
        piece = match.group()
        if piece == "[":
            open_at.append(match.start())
        elif piece == "]":
            if open_at:
                start = open_at.pop()
                if len(open_at) >= MAX_BRACKET_NESTING or match.start() - start > MAX_LABEL:
                    escape += [start, match.start()]
        elif piece[0] == "\n":
            paragraph_end(match.start())
    paragraph_end(len(source))
    if not escape:
        return source
    pieces, pos = [], 0
    for at in sorted(escape):
        pieces += [source[pos:at], "\\"]
        pos = at
    pieces.append(source[pos:])
    return "".join(pieces)


def _validate_link(url: str) -> bool:
    """Only http(s), mailto and in-text anchors become links; the rest stays text."""
    return bool(_HREF_RE.match(url.strip()))


def _render_image(self: object, tokens: list[Token], idx: int, options: object, env: object) -> str:
    """Images become plain links: no third-party requests from readers' browsers."""
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    label = escapeHtml("".join(child.content for child in token.children or []) or src)
    return f'<a href="{escapeHtml(src)}">{label}</a>'


def _render_cell(tag: str):
    """Table alignment as a class (a CSP forbids style attributes)."""

    def render_cell(self, tokens: list[Token], idx: int, options: object, env: object) -> str:
        token = tokens[idx]
        style = token.attrGet("style")
        if style:
            token.attrs.pop("style", None)
            token.attrSet("class", "align-" + str(style).rsplit(":", 1)[-1])
        return self.renderToken(tokens, idx, options, env)

    render_cell.__name__ = f"render_{tag}_open"
    return render_cell


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("js-default", {"linkify": True, "typographer": False}).enable(
        ["table", "strikethrough", "linkify"]
    )
    md.validateLink = _validate_link
    md.add_render_rule("image", _render_image)
    md.add_render_rule("th_open", _render_cell("th"))
    md.add_render_rule("td_open", _render_cell("td"))
    return md


def _slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
    return text[:60] or "abschnitt"


def _block_hash(source: str) -> str:
    normalised = " ".join(source.split())
    return hashlib.sha256(normalised.encode()).hexdigest()[:10]


def _assign_ids(tokens: list[Token], lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    seen: dict[str, int] = {}
    for i, tok in enumerate(tokens):
        if tok.level != 0 or tok.nesting != 1 or tok.map is None:
            continue
        start, end = tok.map
        # markdown-it counts a list's trailing blank line into its range; leave it to the
        # separator so that replacing the block never glues it to the next one.
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        source = _block_source(lines, start, end)
        if tok.type == "heading_open" and i + 1 < len(tokens):
            base = HEADING_ID_PREFIX + _slugify(tokens[i + 1].content)
        else:
            base = BLOCK_ID_PREFIX + _block_hash(source)
        count = seen.get(base, 0)
        seen[base] = count + 1
        block_id = base if count == 0 else f"{base}-{count + 1}"
        tok.attrSet("id", block_id)
        blocks.append(Block(block_id, source, start, end, tok.type.removesuffix("_open")))
    return blocks


def sanitise(html: str) -> str:
    """Clean HTML against our allow-list; idempotent on our own output."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "id":
        return value if _ID_RE.match(value) else None
    if attr == "href":
        return value if _HREF_RE.match(value) else None
    if attr == "class":
        if tag == "strong":
            return value if value == MENTION_CLASS else None
        return value if value in _ALIGN_CLASSES else None
    if attr == "start":
        return value if value.isdigit() and len(value) < 7 else None
    return value


def _tokens(source: str) -> list[Token]:
    """Every parse goes through here: the source defused first (see defuse)."""
    return _parser().parse(defuse(source or ""))


def parse(source: str) -> tuple[str, list[Block]]:
    """Markdown → (safe HTML with block and heading ids, the top-level blocks), one parse."""
    md = _parser()
    tokens = _tokens(source)
    found = _assign_ids(tokens, (source or "").splitlines())
    return sanitise(md.renderer.render(tokens, md.options, {})), found


def render(source: str) -> str:
    """Markdown → safe HTML with block and heading ids."""
    return parse(source)[0]


def render_inline_plain(source: str, *, mentions: Iterable[str] = ()) -> str:
    """Markdown for short texts (comments): same pipeline, no block ids needed.

    `mentions` are display names the text mentions as `@Name`; those spots are marked
    up as `<strong class="mention">` (never inside links or code).
    """
    md = _parser()
    tokens = _tokens(source)
    pattern = _mention_pattern(mentions)
    if pattern is not None:
        for token in tokens:
            if token.type == "inline" and token.children:
                token.children = _mark_mentions(token.children, pattern)
    return sanitise(md.renderer.render(tokens, md.options, {}))


def _mention_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    # Longest first, so "@Anna Autorin" wins over "@Anna"; a name must end at a word boundary,
    # as in discussion.mentions.find_mentions.
    cleaned = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternatives = "|".join(re.escape(n) for n in cleaned)
    return re.compile(rf"@(?:{alternatives})(?![\w])", re.IGNORECASE)


def _mark_mentions(children: list[Token], pattern: re.Pattern[str]) -> list[Token]:
    from markdown_it.common.utils import escapeHtml

    result: list[Token] = []
    in_link = 0
    for child in children:
        if child.type == "link_open":
            in_link += 1
        elif child.type == "link_close":
            in_link -= 1
        if child.type != "text" or in_link or "@" not in child.content:
            result.append(child)
            continue
        text, pos = child.content, 0
        for match in pattern.finditer(text):
            if match.start() > pos:
                result.append(_text_token(text[pos : match.start()], child))
            marked = Token("html_inline", "", 0)
            marked.content = (
                f'<strong class="{MENTION_CLASS}">{escapeHtml(match.group(0))}</strong>'
            )
            result.append(marked)
            pos = match.end()
        if pos < len(text):
            result.append(_text_token(text[pos:], child))
    return result


def _text_token(content: str, like: Token) -> Token:
    token = Token("text", "", 0, level=like.level)
    token.content = content
    return token


def blocks(source: str) -> list[Block]:
    """The top-level blocks of a Markdown text with their ids and source lines."""
    return _assign_ids(_tokens(source), (source or "").splitlines())


def replace_block(source: str, block_id: str, replacement: str) -> str | None:
    """Return `source` with the block `block_id` replaced, or None if it is gone."""
    lines = (source or "").splitlines()
    for block in blocks(source):
        if block.id == block_id:
            new_lines = (
                lines[: block.start_line]
                + replacement.strip("\n").splitlines()
                + lines[block.end_line :]
            )
            text = "\n".join(new_lines)
            return text + "\n" if source.endswith("\n") else text
    return None
