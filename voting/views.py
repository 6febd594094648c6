"""Casting a vote: POST only, a plain form that htmx enhances into a one-click swap."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from statements.access import statement_for
from statements.models import Statement
from voting import rules
from voting.forms import VoteForm
from voting.panels import panel_context
from voting.selectors import open_ballot_for
from voting.services import NoOpenBallot, VotingError, vote_cast


def _panel(
    request: HttpRequest, statement: Statement, *, status: int = 200, **extra: object
) -> HttpResponse:
    """The panel alone for htmx; for a plain POST the panel inside a page of its own."""
    context = {"statement": statement, **panel_context(request, statement), **extra}
    template = "voting/_panel.html" if request.htmx else "voting/vote_page.html"
    # htmx swaps only 2xx responses: it gets the panel with the message in it.
    return render(request, template, context, status=200 if request.htmx else status)


@require_POST
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    # 404 for anyone who may not see the internal paper (visitors, registered, suspended).
    statement = statement_for(request.user, slug, "internal")
    ballot = open_ballot_for(statement)
    if ballot is None:
        return _panel(
            request, statement, status=NoOpenBallot.status, voting_error=str(NoOpenBallot.message)
        )
    allowed = rules.allowed_choices(ballot.rule, single_block_suffices=ballot.single_block_suffices)
    form = VoteForm(request.POST, allowed=allowed)
    if not form.is_valid():
        return _panel(
            request,
            statement,
            status=400,
            voting_form_errors=form.errors,
            voting_selected=request.POST.get("choice", ""),
            voting_reason=request.POST.get("reason", "")[:300],
        )
    try:
        vote_cast(
            statement=statement,
            voter=request.user,
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
        )
    except VotingError as exc:
        return _panel(request, statement, status=exc.status, voting_error=str(exc))
    notice = _("Ihre Stimme wurde gespeichert. Sie können sie bis zum Ende der Frist ändern.")
    if request.htmx:
        return _panel(request, statement, voting_notice=notice)
    messages.success(request, notice)
    return redirect(statement.get_absolute_url() + "#abstimmung")
