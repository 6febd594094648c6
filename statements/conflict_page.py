"""The conflict page: the merged text, each overlap side by side with a decision.

Used by the editor (a save from an older base that overlaps a newer revision) and by
restoring an old revision; both answer 409 with this page. Its form posts back to the
editor, which computes the same merge again and applies the decisions
(statements.services.revision_save with `resolutions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import nh3
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from statements import markdown
from statements.diff import WORK_BUDGET, Diff, html_diff
from statements.forms import ConflictForm
from statements.merge import FIELDS, Conflict
from statements.models import Revision, Statement
from statements.services import EditConflict, TextFields


def render_fragment(source: str) -> SafeString:
    """A piece of the body as HTML, without the block ids: the same paragraph may be
    shown several times on this page (theirs, mine, the merged text) and ids must be
    unique. Re-cleaning the already safe HTML only drops the ids."""
    html = nh3.clean(
        markdown.render(source),
        tags=markdown.ALLOWED_TAGS,
        attributes={tag: attrs - {"id"} for tag, attrs in markdown.ALLOWED_ATTRIBUTES.items()},
        url_schemes=markdown.ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(html)  # noqa: S308 - nh3 output against the Markdown allow-list


@dataclass
class Item:
    """A stretch of merged text, or one conflict with its form fields."""

    text: str = ""
    html: SafeString | None = None
    conflict: Conflict | None = None
    number: int = 0
    theirs_html: SafeString | None = None
    mine_html: SafeString | None = None
    # Theirs → mine, formatted, the differing words marked (body conflicts only).
    diff: Diff | None = None
    choice: Any = None
    manual: Any = None


@dataclass
class Section:
    field: str
    label: str
    markdown: bool
    items: list[Item] = field(default_factory=list)


def _labels() -> dict[str, str]:
    return {
        "title": _("Titel"),
        "occasion": _("Anlass"),
        "summary": _("Zusammenfassung"),
        "body": _("Text"),
    }


def sections(conflict: EditConflict, form: ConflictForm) -> list[Section]:
    """The fields to show, in order: the body always (it is the paper), the other fields
    only where they conflict."""
    assert conflict.merge is not None
    labels = _labels()
    out: list[Section] = []
    number = 0
    # The page's diffs share one budget, however many conflicts there are.
    budget = max(1_000, WORK_BUDGET // max(1, len(conflict.merge.fields["body"].conflicts)))
    for name in FIELDS:
        merged = conflict.merge.fields[name]
        is_body = name == "body"
        if not is_body and not merged.conflicts:
            continue
        section = Section(field=name, label=labels[name], markdown=is_body)
        for piece in merged.pieces:
            if isinstance(piece, Conflict):
                number += 1
                theirs_html = render_fragment(piece.theirs) if is_body else None
                mine_html = render_fragment(piece.mine) if is_body else None
                section.items.append(
                    Item(
                        conflict=piece,
                        number=number,
                        theirs_html=theirs_html,
                        mine_html=mine_html,
                        diff=html_diff(theirs_html, mine_html, budget=budget) if is_body else None,
                        choice=form[f"choice-{piece.key}"],
                        manual=form[f"manual-{piece.key}"],
                    )
                )
            elif piece.strip():
                section.items.append(
                    Item(text=piece, html=render_fragment(piece) if is_body else None)
                )
        out.append(section)
    return out


def theirs_label(current: Revision) -> str:
    author = current.author.display_name if current.author else _("ehemaliges Mitglied")
    return _("Fassung %(number)s von %(author)s") % {"number": current.number, "author": author}


def conflict_form(
    conflict: EditConflict, *, statement: Statement, message: str, topics: list[int], language: str
) -> ConflictForm:
    """A fresh form for a conflict the save just raised."""
    assert conflict.merge is not None and conflict.current is not None
    return ConflictForm.initial_for(
        base_revision_id=conflict.base.pk if conflict.base else None,
        theirs_revision_id=conflict.current.pk,
        mine=conflict.mine or TextFields.of(None),
        topics=topics,
        language=language,
        message=message,
        conflicts=conflict.merge.conflicts,
        theirs_label=theirs_label(conflict.current),
    )


def conflict_response(
    request: HttpRequest,
    statement: Statement,
    conflict: EditConflict,
    form: ConflictForm,
    *,
    status: int = 409,
) -> HttpResponse:
    current = conflict.current
    assert current is not None
    shown = sections(conflict, form)
    # The error summary links to each conflict still waiting for a decision.
    missing = [
        item
        for section in shown
        for item in section.items
        if item.conflict and (item.choice.errors or item.manual.errors)
    ]
    context = {
        "statement": statement,
        "current": current,
        "form": form,
        "sections": shown,
        "conflict_count": len(form.conflicts),
        "missing": missing,
        "mine": conflict.mine,
    }
    return render(request, "statements/conflict.html", context, status=status)
