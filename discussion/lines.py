"""Line ranges of comments and the thread's line filter (see statements/lines.py).

A comment's lines are derived from what it already stores, its revision and its
paragraph (block id): while the current revision has the same paragraph, the comment
names that paragraph's current lines (it may have moved); once the paragraph is gone
(changed or deleted), the comment names its lines in the revision it was written on,
with a link there. A comment that starts by quoting words of its paragraph ("> …", as
a comment on selected words does) names only the lines of those words. No query per
comment: the current revision's numbering is cached, older revisions' ranges come from
the cache or from one query together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from discussion.models import Comment
from statements import lines
from statements.lines import Range
from statements.models import Revision, Statement


@dataclass
class LineView:
    offered: bool = False
    on: bool = False
    body_html: str | None = None  # the current revision's numbered text, when shown
    current: dict[str, Range] = field(default_factory=dict)
    selected: Range | None = None
    raw: str = ""  # the filter as typed
    invalid: bool = False
    revision_url_root: str = ""

    @property
    def selected_label(self) -> str:
        return lines.format_range(*self.selected) if self.selected else ""

    def keeps(self, root: Comment) -> bool:
        """Whether a thread passes the line filter: its current lines meet the chosen ones."""
        if self.selected is None:
            return True
        found = getattr(root, "line_range", None)
        if found is None or getattr(root, "line_revision", None) is not None:
            return False
        first, last = self.selected
        return found[0] <= last and first <= found[1]

    def label_groups(self, groups: Iterable[Any]) -> None:
        """Give each paragraph's group the paragraph's current lines."""
        for group in groups:
            bid = group.anchor.removeprefix("comments-")
            found = self.current.get(bid) if group.kind == "block" else None
            group.line_label = lines.format_range(*found) if found else ""
            group.line_param = f"{found[0]}-{found[1]}" if found else ""


def quoted_words(comment: Comment) -> str:
    """The words a comment quotes first ("> …", as a comment on a selection starts)."""
    if comment.is_deleted or comment.is_hidden or not comment.body.startswith(">"):
        return ""
    return comment.body.split("\n", 1)[0].lstrip(">").strip()


def line_view(
    request: HttpRequest,
    statement: Statement,
    revision: Revision | None,
    comments: list[Comment],
) -> LineView:
    """Attach `line_label`, `line_param` and `line_revision` to each comment on a paragraph."""
    for c in comments:
        c.line_range = c.line_revision = None
        c.line_label = c.line_param = ""
    if revision is None or not lines.lines_offered(statement):
        return LineView()
    numbered = lines.numbering(revision)
    older = {
        c.revision_id
        for c in comments
        if c.block_id and c.revision_id and c.block_id not in numbered.ranges
    }
    earlier = lines.ranges_for(older)
    texts: list[str] | None = None
    for c in comments:
        if not c.block_id:
            continue
        if c.block_id in numbered.ranges:
            c.line_range = numbered.ranges[c.block_id]
            quote = quoted_words(c)
            if quote:  # a comment on selected words names just their lines
                if texts is None:
                    texts = lines.line_texts(numbered.html)
                c.line_range = lines.lines_of_quote(texts, c.line_range, quote) or c.line_range
        elif c.revision_id in earlier and c.block_id in earlier[c.revision_id].ranges:
            c.line_range = earlier[c.revision_id].ranges[c.block_id]
            c.line_revision = earlier[c.revision_id].number
        if c.line_range:
            c.line_label = lines.format_range(*c.line_range)
            c.line_param = f"{c.line_range[0]}-{c.line_range[1]}"
    raw = request.GET.get("line", "")[:20]
    selected = lines.parse_range(raw) if raw else None
    on = lines.lines_wanted(request, statement)
    return LineView(
        offered=True,
        on=on,
        body_html=numbered.html if on else None,
        current=numbered.ranges,
        selected=selected,
        raw=raw,
        invalid=bool(raw) and selected is None,
        revision_url_root=reverse(
            "statements:revision", kwargs={"slug": statement.slug, "number": 0}
        ).removesuffix("0/"),
    )
