"""The members' statement page, assembled from each app's panel, named one by one.

public sits above every app whose panel the page shows, so it imports them
explicitly; nothing is looked up by a dotted string. Each panel returns its own
keys (`workflow_panel`, `voting_*`, `public_panel`, `discussion`); the one key two
panels give, the text `body_html`, is decided here: the discussion's copy carries
the per-paragraph comment links when the reader may see the discussion, else the
stored text stands. The meetings' entries (on an agenda, decided in the room) join the
workflow panel's timeline here, in time order, each linking back to its meeting.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from discussion.panels import panel_context as discussion_panel
from meetings.panels import panel_context as meetings_panel
from public.panels import panel_context as public_panel
from statements.models import Statement
from statements.panels import panel_context as statement_panel
from voting.panels import panel_context as voting_panel
from workflow.panels import panel_context as workflow_panel


def _merge(context: dict[str, Any], part: dict[str, Any]) -> None:
    clash = context.keys() & part.keys()
    if clash:  # a panel naming another's key would silently replace it
        raise ValueError(f"panels disagree on {sorted(clash)}")
    context.update(part)


def member_page(request: HttpRequest, statement: Statement) -> HttpResponse:
    context = statement_panel(request, statement)
    discussion = discussion_panel(request, statement)
    context["body_html"] = discussion.pop("body_html", context["body_html"])
    for part in (
        workflow_panel(request, statement),
        voting_panel(request, statement),
        public_panel(request, statement),
        discussion,
    ):
        _merge(context, part)
    meeting_entries = meetings_panel(request, statement)["meeting_timeline"]
    if context.get("workflow_panel") and meeting_entries:
        entries = context["workflow_panel"]["entries"] + meeting_entries
        context["workflow_panel"]["entries"] = sorted(entries, key=lambda e: e["at"])
    return render(request, "statements/detail.html", context)
