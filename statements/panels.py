"""The statements app's part of the members' statement page.

The page at /statements/<slug>/ is routed and assembled by public/statement_page.py,
which sits above every app whose panel it shows and imports each panel by name. This
module gives the paper itself: text, authors, topics and what the reader may do with it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from statements import companions, lines
from statements import permissions as perms
from statements.models import Coauthorship, Statement
from statements.states import State


def page_statements() -> QuerySet[Statement]:
    """A paper with what every page shows: current revision, creator, co-authors, topics."""
    return Statement.objects.select_related("current_revision", "created_by").prefetch_related(
        Prefetch(
            "coauthorships",
            queryset=Coauthorship.objects.select_related("user").order_by("added_at"),
        ),
        "topics",
    )


def authors(statement: Statement) -> list[Any]:
    people = [statement.created_by] if statement.created_by else []
    return people + [c.user for c in statement.coauthorships.all()]


def panel_context(request: HttpRequest, statement: Statement) -> dict[str, Any]:
    """`body_html` is the stored text (numbered if wanted); the discussion may annotate it."""
    revision = statement.current_revision
    line_view = lines_toggle(request, statement)
    body_html = revision.body_html if revision else ""
    if revision is not None and line_view["on"]:
        body_html = lines.numbering(revision).html
    return {
        "statement": statement,
        "revision": revision,
        "lines": line_view,
        "body_html": body_html,
        "authors": authors(statement),
        "topics": list(statement.topics.all()),
        "can_edit": perms.can_edit(request.user, statement),
        "can_manage_coauthors": perms.can_manage_coauthors(request.user, statement),
        "steps": steps(statement),
        # Issue 19: how readable the text is, for its authors only.
        "readability": (
            companions.readability(statement.body)
            if perms.is_author(request.user, statement)
            else None
        ),
    }


def lines_toggle(request: HttpRequest, statement: Statement) -> dict[str, Any]:
    """Whether line numbers are offered and shown, and the link that flips them."""
    offered = lines.lines_offered(statement)
    on = offered and lines.lines_wanted(request, statement)
    return {
        "offered": offered,
        "on": on,
        "toggle_url": "?lines=0" if on else "?lines=1",
        "length": lines.LINE_LENGTH,
    }


# The step indicator on the member page: where a paper stands on its way to publication.
STEPS: tuple[tuple[tuple[str, ...], Any], ...] = (
    ((State.DRAFT,), _("Entwurf")),
    ((State.CONSULTATION,), _("Konsultation")),
    ((State.VOTING,), _("Abstimmung")),
    ((State.ACCEPTED, State.REJECTED), _("Entscheidung")),
    ((State.PUBLISHED, State.RETRACTED), _("Veröffentlichung")),
)


def steps(statement: Statement) -> list[dict[str, Any]]:
    """The five steps, each done / current / ahead; a withdrawn paper stops where it left."""
    state = statement.state
    if state == State.WITHDRAWN:
        state = statement.withdrawn_from or State.DRAFT
    current = next((i for i, (states, _label) in enumerate(STEPS) if state in states), 0)
    return [
        {
            "label": label,
            "status": "done" if i < current else "current" if i == current else "ahead",
        }
        for i, (_states, label) in enumerate(STEPS)
    ]
