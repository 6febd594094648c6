"""Confirmation pages for the transitions and the urgent track.

GET shows what will happen and the form; it never changes anything. POST
performs the step through workflow.services. Refusals are pages with a clear
message: 409 (not in this state / already done), 403 (not for this person),
400 (form errors, input kept), 404 (paper not visible to this person).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import member_required
from accounts.permissions import is_coordinator
from core.errors import ServiceError
from core.errors import refusal as core_refusal
from statements.access import statement_for
from statements.models import Statement
from statements.permissions import can_mark_urgent
from statements.states import State
from voting.forms import BallotOptionsForm
from voting.selectors import voting_deadline
from workflow import extensions, services
from workflow.forms import ExtendVotingForm, TransitionForm, UrgentForm
from workflow.spec import DECISION_DONE, DECISION_TITLES, TRANSITIONS, Decision, Transition


def refusal(
    request: HttpRequest,
    statement: Statement,
    error: services.TransitionError,
    *,
    title: Any = None,
) -> HttpResponse:
    # The state as it is now, after the service's lock: the copy loaded before the lock
    # would show the state the person saw, not the one that made the step "already done".
    statement.refresh_from_db()
    return core_refusal(
        request, error, "workflow/refused.html", {"statement": statement, "title": title}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@member_required
def transition_confirm(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    if name not in Transition.values:
        raise Http404
    name = Transition(name)
    spec = TRANSITIONS[name]
    statement = statement_for(request.user, slug, "internal")
    title = name.label
    if request.method == "POST":
        expected = request.POST.get("expected_state", "")
        if expected and expected != statement.state:
            return refusal(request, statement, services.TransitionAlreadyDone(name), title=title)
    try:
        services.check_transition(statement, name, request.user)
    except services.TransitionError as exc:
        return refusal(request, statement, exc, title=title)

    ballot_class = BallotOptionsForm if name == Transition.OPEN_VOTE else None
    data = request.POST if request.method == "POST" else None
    form = TransitionForm(data, statement=statement, name=name, user=request.user)
    ballot_form = (
        ballot_class(data, prefix="ballot", rules_editable=is_coordinator(request.user))
        if ballot_class
        else None
    )
    # Forms higher apps add to this page (publish: addressees to send the paper to).
    extras = extensions.extras_for(name, data, statement=statement, user=request.user)
    if request.method == "POST":
        forms_valid = form.is_valid() & (ballot_form is None or ballot_form.is_valid())
        forms_valid &= all([extra_form.is_valid() for _extra, extra_form in extras])
        if forms_valid and form.scheduled:
            for extra, extra_form in extras:
                if extra.wants_action(extra_form):
                    extra_form.add_error(None, extra.scheduled_refusal)
                    forms_valid = False
        if forms_valid:
            try:
                _perform(request, statement, name, form, ballot_form)
            except services.TransitionError as exc:
                if exc.status == 400:
                    form.add_error(_error_field(form, exc), exc.message)
                else:
                    return refusal(request, statement, exc, title=title)
            else:
                if not form.scheduled:
                    for extra, extra_form in extras:
                        extra.after(request, statement, extra_form)
                return redirect(statement.get_absolute_url())
    context = {
        "statement": statement,
        "name": name,
        "title": title,
        "explanation": spec.explanation,
        "form": form,
        "ballot_form": ballot_form,
        "extra_forms": [extra_form for _extra, extra_form in extras],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "workflow/confirm.html", context, status=status)


def _error_field(form: TransitionForm, exc: services.TransitionError) -> str | None:
    """The form field a service's 400 refusal belongs to (None: the whole form)."""
    if isinstance(exc, services.NoteRequired):
        return "note"
    if isinstance(exc, services.ShortDeadlineReasonRequired):
        return "short_deadline_reason" if "short_deadline_reason" in form.fields else None
    return None


def _perform(
    request: HttpRequest, statement: Statement, name: str, form: TransitionForm, ballot_form: Any
) -> None:
    if form.scheduled:
        services.statement_schedule_publication(
            statement_id=statement.pk,
            actor=request.user,
            publish_at=form.cleaned_data["publish_at"],
        )
        messages.success(request, DECISION_DONE[Decision.SCHEDULE_PUBLICATION])
        return
    services.statement_transition(
        statement_id=statement.pk,
        name=name,
        actor=request.user,
        note=form.cleaned_data.get("note", ""),
        expected_state=form.cleaned_data["expected_state"],
        options=form.options(ballot=dict(ballot_form.cleaned_data) if ballot_form else None),
    )
    messages.success(request, TRANSITIONS[name].done)


@require_POST
@member_required
def urgent(request: HttpRequest, slug: str) -> HttpResponse:
    """Mark (with a reason) or unmark the paper as urgent (Eilverfahren)."""
    statement = statement_for(request.user, slug, "internal")
    mark = request.POST.get("action") != "unmark"
    name = Decision.MARK_URGENT if mark else Decision.UNMARK_URGENT
    title = DECISION_TITLES[name]
    if not can_mark_urgent(request.user, statement):
        error_class = services.TransitionInvalid if is_coordinator(request.user) else None
        error = (error_class or services.TransitionNotPermitted)(name)
        return refusal(request, statement, error, title=title)
    form = UrgentForm(request.POST)
    if mark and not form.is_valid():
        context = {"statement": statement, "form": form, "title": title}
        return render(request, "workflow/urgent.html", context, status=400)
    try:
        if mark:
            services.statement_mark_urgent(
                statement_id=statement.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        else:
            services.statement_unmark_urgent(statement_id=statement.pk, actor=request.user)
    except services.TransitionError as exc:
        return refusal(request, statement, exc, title=title)
    messages.success(request, DECISION_DONE[name])
    return redirect(statement.get_absolute_url())


@require_http_methods(["GET", "HEAD", "POST"])
@member_required
def extend_voting(request: HttpRequest, slug: str) -> HttpResponse:
    """A coordinator extends a running vote: a form page (no JavaScript needed), then the
    service (audit entry, voters told)."""
    statement = statement_for(request.user, slug, "internal")
    title = _("Abstimmungsfrist verlängern")
    if not is_coordinator(request.user):
        return refusal(request, statement, services.TransitionNotPermitted(), title=title)
    if statement.state != State.VOTING:
        return refusal(request, statement, services.TransitionInvalid(), title=title)
    deadline = voting_deadline(statement)
    form = ExtendVotingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.voting_extend(
                statement_id=statement.pk,
                actor=request.user,
                closes_at=form.cleaned_data["closes_at"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            form.add_error("closes_at" if exc.status == 400 else None, exc.message)
        else:
            messages.success(request, _("Die Abstimmungsfrist ist verlängert."))
            return redirect(statement.get_absolute_url())
    context = {"statement": statement, "form": form, "title": title, "deadline": deadline}
    status = 400 if request.method == "POST" else 200
    return render(request, "workflow/extend_voting.html", context, status=status)
