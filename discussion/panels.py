"""Context for this app's panel on the statement page (see statements/panels.py).

One query loads every comment of the paper with its author; threads, filters,
per-paragraph counts and permission flags are computed in Python, so the page
costs the same number of queries with 3 comments as with 300.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.permissions import is_coordinator
from core.avatars import avatar_html
from discussion import permissions as dperms
from discussion import selection
from discussion.forms import CommentForm
from discussion.lines import line_view
from discussion.models import Comment
from discussion.selectors import comment_outlines, comments_for_page
from statements import markdown
from statements.diff import rendered_segments_html, segments_html
from statements.models import Statement

FILTERS: tuple[tuple[str, Any], ...] = (
    ("", _("Alle")),
    ("open", _("Offen")),
    ("resolved", _("Erledigt")),
    ("suggestions", _("Vorschläge")),
    ("mine", _("Meine")),
)
_BLOCK_START = re.compile(r'<[a-z][a-z0-9]*\s[^<>]*?\bid="([bh]-[a-z0-9-]+)"')


# A long discussion is shown folded: the threads with the newest activity, each with
# its newest replies; the rest on demand (?threads=all, ?thread=<pk>; htmx swaps them in).
THREADS_SHOWN = 10
REPLIES_SHOWN = 3
# Open threads named in the margin beside their paragraph at desktop widths (the newest).
MARGIN_THREADS = 3
EXCERPT_CHARS = 90


@dataclass
class Thread:
    root: Comment
    replies: list[Comment] = field(default_factory=list)
    earlier: int = 0  # replies folded away (older than the newest REPLIES_SHOWN)

    @property
    def comments(self) -> list[Comment]:
        return [self.root, *self.replies]

    @property
    def activity(self) -> int:
        """The newest comment's id (ids follow the order of writing)."""
        return max(self.root.pk, self.replies[-1].pk) if self.replies else self.root.pk

    @property
    def size(self) -> int:
        return int(not self.root.is_deleted) + len(self.replies) + self.earlier


@dataclass
class Group:
    anchor: str
    kind: str  # "block", "general", "outdated"
    label: str = ""
    threads: list[Thread] = field(default_factory=list)
    folded: int = 0  # threads of this group not shown (older than the newest shown)


@dataclass
class MarginNote:
    """An open thread as the margin beside its paragraph names it: who, the first line, where."""

    author_id: int | None
    author_name: str
    excerpt: str
    href: str
    is_suggestion: bool


_MARKUP_START = re.compile(r"^(?:[#>*+\-]+|\d+[.)])\s*")
_INLINE_MARKUP = re.compile(r"[*_`]+")


def first_line(body: str) -> str:
    """The first line of a comment's Markdown that is not a quote, without the markup."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    line = next((x for x in lines if not x.startswith(">")), lines[0] if lines else "")
    line = _INLINE_MARKUP.sub("", _MARKUP_START.sub("", line)).strip()
    if len(line) > EXCERPT_CHARS:
        line = line[: EXCERPT_CHARS - 1].rstrip() + "…"
    return line


def _margin_roots(threads: list[Thread], current: set[str], viewer: Any) -> dict[str, list[int]]:
    """Per paragraph, the root ids of its newest open threads the reader may read."""
    by_block: dict[str, list[Thread]] = {}
    for t in threads:
        root = t.root
        if root.block_id not in current or root.is_resolved or root.is_deleted:
            continue
        if not viewer.can_see_content(root):
            continue
        by_block.setdefault(root.block_id, []).append(t)
    return {
        bid: sorted(t.root.pk for t in sorted(ts, key=lambda t: t.activity)[-MARGIN_THREADS:])
        for bid, ts in by_block.items()
    }


def author_name(comment: Comment) -> str:
    return comment.author.display_name if comment.author else str(_("ehemaliges Mitglied"))


def comments_url_root() -> str:
    """'/comments/': each comment's action URLs are '<root><pk>/<action>/'.

    Built by string rather than {% url %} per link: a page with hundreds of
    comments would otherwise spend much of its time reversing URLs.
    tests/discussion/test_comments.py checks that every built link resolves.
    """
    return reverse("discussion:comment_history", args=[0]).removesuffix("0/history/")


def _decorate(
    comment: Comment,
    viewer: dperms.Viewer,
    statement: Statement,
    base: str,
    coordinators: dict[int, bool],
) -> None:
    """Attach display flags; `comment.statement` is the page's instance (no query).

    The reader's standing is computed once (`viewer`); the author's role once per author.
    """
    comment.statement = statement
    comment.url = f"{base}{comment.pk}/"
    comment.author_name = author_name(comment)
    # A role badge beside the name: a member cannot pass for the coordination by name alone.
    if comment.author is None:
        comment.author_is_coordinator = False
    else:
        if comment.author_id not in coordinators:
            coordinators[comment.author_id] = is_coordinator(comment.author)
        comment.author_is_coordinator = coordinators[comment.author_id]
    comment.show_content = not comment.is_deleted and viewer.can_see_content(comment)
    comment.is_mine = comment.author_id == viewer.uid
    comment.may_edit = viewer.can_edit_comment(comment)
    comment.may_delete = viewer.can_delete_comment(comment)
    comment.may_report = viewer.can_report(comment)
    comment.may_hide = viewer.can_hide(comment) and not comment.is_deleted
    comment.may_apply = comment.may_decline = viewer.can_decide(comment)
    comment.may_reply = comment.parent_id is None and viewer.can_reply(comment)
    comment.may_resolve = comment.parent_id is None and viewer.can_resolve(comment)
    comment.diff_html = comment.rendered_diff_html = ""
    if comment.is_suggestion and comment.show_content:
        comment.diff_html = suggestion_diff_html(comment)
        comment.rendered_diff_html = suggestion_rendered_html(comment)


def suggestion_diff_html(comment: Comment) -> SafeString:
    """The source (Markdown) diff, stored when the suggestion was written: a page view
    never compares texts."""
    return segments_html(comment.suggestion_diff)


def suggestion_rendered_html(comment: Comment) -> SafeString:
    """The formatted diff, stored beside it (empty only for a row never filled in)."""
    return rendered_segments_html(comment.suggestion_rendered or [])


def _threads(comments: list[Comment]) -> list[Thread]:
    roots: dict[int, Thread] = {}
    for c in comments:
        if c.parent_id is None:
            roots[c.pk] = Thread(root=c)
    for c in comments:
        if c.parent_id is not None and not c.is_deleted and c.parent_id in roots:
            roots[c.parent_id].replies.append(c)
    # A deleted comment stays only as the placeholder above its replies.
    return [t for t in roots.values() if not t.root.is_deleted or t.replies]


def _keep(thread: Thread, flt: str, user: Any) -> bool:
    root = thread.root
    if flt == "open":
        return not root.is_resolved
    if flt == "resolved":
        return root.is_resolved
    if flt == "suggestions":
        return root.is_suggestion
    if flt == "mine":
        return any(c.author_id == user.pk for c in [root, *thread.replies] if not c.is_deleted)
    return True


def body_with_counts(
    body_html: str,
    counts: dict[str, int],
    *,
    can_comment: bool,
    can_suggest: bool,
    form_after: str = "",
    form_html: str = "",
    margin: dict[str, list[MarginNote]] | None = None,
) -> SafeString:
    """Insert after each commented (or commentable) block a line linking to its comments,
    and the first lines of its open threads (`margin`; shown beside the text on wide screens).

    Every id attribute in a revision's stored HTML is a top-level block id from
    our own renderer (user text cannot produce one), so a block ends where the
    next one starts.
    """
    starts = [(m.start(), m.group(1)) for m in _BLOCK_START.finditer(body_html)]
    if not starts:
        return mark_safe(body_html)  # noqa: S308 - stored, sanitised revision HTML
    pieces: list[str] = [body_html[: starts[0][0]]]
    for i, (start, block_id) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(body_html)
        pieces.append(body_html[start:end].rstrip("\n"))
        links: list[str] = []
        n = counts.get(block_id, 0)
        if n:
            label = ngettext("%(n)d Kommentar", "%(n)d Kommentare", n) % {"n": n}
            links.append(format_html('<a href="#comments-{}">{}</a>', block_id, label))
        if can_comment:
            links.append(
                format_html('<a href="?block={}#new-comment">{}</a>', block_id, _("Kommentieren"))
            )
        if can_suggest and block_id.startswith(markdown.BLOCK_ID_PREFIX):
            links.append(
                format_html(
                    '<a href="?block={}&amp;suggest=1#new-comment">{}</a>',
                    block_id,
                    _("Änderung vorschlagen"),
                )
            )
        # Always a margin cell (empty if need be): at desktop widths it sits beside its
        # paragraph in the text's grid (member_page.css).
        joined = mark_safe(" · ".join(links))  # noqa: S308 - each link built by format_html
        cell = format_html('<p class="block-links">{}</p>', joined) if links else mark_safe("")
        notes = (margin or {}).get(block_id)
        if notes:
            cell += _margin_list(notes)
        pieces.append(format_html('\n<div class="block-comments">{}</div>\n', cell))
        if form_html and block_id == form_after:  # "Kommentieren": the form under its paragraph
            pieces.append(form_html)
    return mark_safe("".join(pieces))  # noqa: S308 - our sanitised HTML plus escaped links


def _margin_list(notes: list[MarginNote]) -> SafeString:
    items = [
        format_html(
            '<li><a href="{}">{}<span class="margin-text"><bdi class="margin-author">{}</bdi>'
            '{}<span class="margin-excerpt">{}</span></span></a></li>',
            note.href,
            avatar_html(note.author_id, note.author_name, size="small"),
            note.author_name,
            format_html(" · {}", _("Änderungsvorschlag")) if note.is_suggestion else "",
            note.excerpt,
        )
        for note in notes
    ]
    return format_html(
        '<ul class="margin-threads" aria-label="{}">{}</ul>',
        _("Offene Threads zu diesem Absatz"),
        mark_safe("".join(items)),  # noqa: S308 - each item built by format_html
    )


def comment_form_for(
    statement: Statement, request: HttpRequest, *, data: Any = None
) -> CommentForm | None:
    user = request.user
    if not dperms.can_comment(user, statement):
        return None
    revision = statement.current_revision
    blocks = revision.parsed_blocks if revision else []
    can_suggest = dperms.can_suggest(user, statement)
    if data is not None:
        return CommentForm(data, blocks=blocks, can_suggest=can_suggest)
    initial: dict[str, str] = {}
    wanted = request.GET.get("block", "")
    block = next((b for b in blocks if b.id == wanted), None)
    if block is not None:
        initial["block_id"] = block.id
        if can_suggest and request.GET.get("suggest"):
            initial["suggestion_text"] = block.source
    form = CommentForm(initial=initial, blocks=blocks, can_suggest=can_suggest)
    selection.prefill(form, request, block, suggest=bool(request.GET.get("suggest")))
    return form


def _pk_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def build_panel(
    request: HttpRequest,
    statement: Statement,
    *,
    form: CommentForm | None = None,
    error: Any = "",
    notice: str = "",
    reply: dict[str, Any] | None = None,
    opened: int | None = None,
) -> dict[str, Any]:
    """`reply` ({parent, body, mention_names}) refills a refused reply in its thread.

    The cost of the page follows what is shown, not the length of the discussion: one
    query loads the thread structure, the reader's standing is computed once, and only
    the shown comments (newest THREADS_SHOWN threads, newest REPLIES_SHOWN replies each)
    are decorated and rendered.
    """
    user = request.user
    viewer = dperms.viewer(user, statement)
    if not viewer.view:
        return {}
    comments = comment_outlines(statement, with_report_counts=viewer.coordinator)
    revision = statement.current_revision
    blocks = revision.parsed_blocks if revision else []
    block_ids = [b.id for b in blocks]
    current = set(block_ids)
    threads = _threads(comments)
    # The line filter needs each thread's lines before anything is folded.
    lines = line_view(request, statement, revision, [t.root for t in threads])

    counts: dict[str, int] = {}
    for t in threads:
        if t.root.block_id in current:
            counts[t.root.block_id] = counts.get(t.root.block_id, 0) + t.size

    # The thread just acted on stays unfolded even when that resolved it (an applied
    # suggestion): `opened` from the htmx view, `?open=<pk>` after a redirect.
    if opened is None:
        opened = _pk_param(request, "open")
    # The one reply form goes under the thread asked for (?reply=<pk>) or refused.
    reply_to = reply["parent"] if reply else _pk_param(request, "reply")
    # Any comment's number names its thread (a redirect after a reply names the reply).
    roots = {c.pk: c.parent_id or c.pk for c in comments}
    unfold = {roots[pk] for pk in (opened, reply_to, _pk_param(request, "thread")) if pk in roots}

    flt = request.GET.get("filter", "")
    if flt not in dict(FILTERS):
        flt = ""
    shown = [t for t in threads if _keep(t, flt, user) and lines.keeps(t.root)]
    everything = request.GET.get("threads") == "all"
    if everything:
        visible = {t.root.pk for t in shown}
    else:
        newest = sorted(shown, key=lambda t: t.activity, reverse=True)[:THREADS_SHOWN]
        visible = {t.root.pk for t in newest} | unfold
    # Fold, then load in full only what is shown (a second query, the same for any length).
    kept: list[Thread] = []
    for t in shown:
        if t.root.pk in visible:
            if len(t.replies) > REPLIES_SHOWN and t.root.pk not in unfold:
                t.earlier = len(t.replies) - REPLIES_SHOWN
                t.replies = t.replies[-REPLIES_SHOWN:]
            kept.append(t)
    wanted = [c.pk for t in kept for c in (t.root, *t.replies)]
    # The margin's open threads come in the same query (their first line and author).
    margin_roots = _margin_roots(threads, current, viewer)
    wanted += [pk for pks in margin_roots.values() for pk in pks]
    full = {c.pk: c for c in comments_for_page(statement).filter(pk__in=wanted)}
    for t in kept:
        for c in (t.root, *t.replies):
            if c.pk in full:
                full[c.pk].open_reports = getattr(c, "open_reports", 0)
        t.root = full.get(t.root.pk, t.root)
        t.replies = [full[c.pk] for c in t.replies if c.pk in full]
    shown_comments = [c for t in kept for c in (t.root, *t.replies) if c.pk in full]
    lines = line_view(request, statement, revision, shown_comments)
    base = comments_url_root()
    coordinators: dict[int, bool] = {}
    by_block: dict[str, Group] = {}
    general = Group(anchor="comments-general", kind="general")
    outdated = Group(anchor="comments-outdated", kind="outdated")
    for t in shown:
        bid = t.root.block_id
        if not bid:
            group = general
        elif bid in current:
            group = by_block.setdefault(bid, Group(anchor=f"comments-{bid}", kind="block"))
        else:
            group = outdated
        if t.root.pk not in visible or t.root.pk not in full:
            group.folded += 1
            continue
        for c in (t.root, *t.replies):
            c.is_outdated = bool(c.block_id) and c.block_id not in current
            _decorate(c, viewer, statement, base, coordinators)
        group.threads.append(t)
    labels = {b.id: b.source for b in blocks}
    groups = []
    for bid in block_ids:
        if bid in by_block:
            by_block[bid].label = labels[bid]
            groups.append(by_block[bid])
    groups += [g for g in (general, outdated) if g.threads or g.folded]
    lines.label_groups(groups)

    if form is None:
        form = comment_form_for(statement, request)
    query = request.GET.copy()
    for name in ("threads", "thread", "reply", "open"):
        query.pop(name, None)
    context: dict[str, Any] = {
        "discussion": {
            "statement": statement,
            "groups": groups,
            "total": sum(t.size for t in threads),
            "shown": len(shown),
            "folded": sum(g.folded for g in groups),
            "everything": everything,
            # The page's own filters, kept in the "show more" and "reply" links.
            "query": query.urlencode(),
            "filter": flt,
            "filters": FILTERS,
            "can_comment": viewer.comment,
            "form": form,
            "error": error,
            "notice": notice,
            "opened": opened,
            "reply": reply,
            "reply_to": reply_to,
            "unfold": unfold,
            "is_coordinator": viewer.coordinator,
            "autocomplete_url": reverse("discussion:member_autocomplete"),
            "open_reports": sum(getattr(c, "open_reports", 0) for c in comments),
            # Several open suggestions may be applied as one revision (checkboxes).
            "batch_apply": dperms.can_apply_several(user, statement)
            and sum(1 for c in comments if c.is_suggestion and viewer.can_decide(c)) > 1,
            "lines": lines,
        }
    }
    if revision is not None:
        # "Kommentieren" under a paragraph (?block=<id>): the form opens right there.
        form_after = ""
        form_html = ""
        wanted = request.GET.get("block", "")
        if form is not None and not form.is_bound and wanted in current:
            form_after = wanted
            context["discussion"]["form_inline"] = True
            form_html = render_to_string(
                "discussion/_new_comment.html",
                {**context, "inline": True, "block_id": wanted},
                request=request,
            )
        context["body_html"] = body_with_counts(
            lines.body_html or revision.body_html,
            counts,
            can_comment=viewer.comment,
            can_suggest=viewer.suggest,
            form_after=form_after,
            form_html=form_html,
            margin=_margin_notes(margin_roots, full, visible),
        )
    return context


def _margin_notes(
    margin_roots: dict[str, list[int]], full: dict[int, Comment], visible: set[int]
) -> dict[str, list[MarginNote]]:
    """A thread shown in the panel is a jump away; a folded one is unfolded by ?thread=."""
    notes: dict[str, list[MarginNote]] = {}
    for bid, pks in margin_roots.items():
        for pk in pks:
            root = full.get(pk)
            if root is None:
                continue
            href = f"#thread-{pk}" if pk in visible else f"?thread={pk}#thread-{pk}"
            notes.setdefault(bid, []).append(
                MarginNote(
                    author_id=root.author_id,
                    author_name=author_name(root),
                    excerpt=first_line(root.body),
                    href=href,
                    is_suggestion=root.is_suggestion,
                )
            )
    return notes


def panel_context(request: HttpRequest, statement: Statement) -> dict[str, Any]:
    return build_panel(request, statement)
