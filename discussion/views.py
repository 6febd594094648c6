"""Discussion views: guard, fetch-and-check, call a service, redirect or render.

Every state change is POST-only. Without JavaScript a form posts and is
redirected back to the statement page at the right anchor; with htmx
(HX-Request) the view answers with the re-rendered discussion panel instead.
Refusals are 404 (may not know it exists), 403 (may see, may not act) or a
form page with the error and the input kept (400/409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import coordinator_required, member_required
from accounts.permissions import is_member
from core import ratelimit
from core.errors import refusal
from discussion import permissions as dperms
from discussion import services
from discussion.forms import CommentForm, EditForm, ReasonForm, ReplyForm
from discussion.mentions import members
from discussion.models import Comment, Report
from discussion.panels import (
    author_name,
    build_panel,
    comment_form_for,
    suggestion_diff_html,
    suggestion_rendered_html,
)
from discussion.selectors import open_reports
from statements.access import statement_for
from statements.models import Statement


def _comment_for(user: Any, pk: int, need: Callable[[Any, Comment], bool]) -> Comment:
    """404 unless the user may see this comment's text; 403 unless `need` allows the action."""
    comment = get_object_or_404(
        Comment.objects.select_related(
            "statement", "statement__current_revision", "statement__created_by", "author"
        ),
        pk=pk,
    )
    if (
        not dperms.can_view_comments(user, comment.statement)
        or comment.is_deleted
        or not dperms.can_see_content(user, comment)
    ):
        raise Http404
    if not need(user, comment):
        raise PermissionDenied
    return comment


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _panel_fragment(request: HttpRequest, statement: Statement, **kwargs: Any) -> HttpResponse:
    """The discussion panel for htmx, with the paper's text swapped out of band."""
    context = build_panel(request, statement, **kwargs)
    context["oob_body"] = True
    return render(request, "discussion/_panel.html", context)


def _done(
    request: HttpRequest, statement: Statement, anchor: str, message: str = ""
) -> HttpResponse:
    if _is_htmx(request):
        return _panel_fragment(request, statement)
    if message:
        messages.success(request, message)
    target = request.POST.get("next", "")
    # A path on this site only: redirect() would take a bare word for a view name and fail.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect(target)
    # A long discussion is folded: ?thread= unfolds the comment's thread wherever it is.
    number = anchor.removeprefix("comment-")
    unfold = f"?thread={number}" if number.isdigit() else ""
    return redirect(f"{statement.get_absolute_url()}{unfold}#{anchor}")


def _form_page(
    request: HttpRequest,
    statement: Statement,
    *,
    title: str,
    form: Any,
    action: str,
    submit: str,
    error: Any = "",
    status: int = 200,
    comment: Comment | None = None,
    retry_after: int | None = None,
) -> HttpResponse:
    if _is_htmx(request) and request.method == "POST":
        # Show the refusal inside the panel, keeping what was typed (a new comment in the
        # comment form, a reply in its thread's reply form).
        messages_text = error or _("Bitte prüfen Sie Ihre Eingaben.")
        panel_form = form if isinstance(form, CommentForm) else None
        reply = None
        if isinstance(form, ReplyForm) and comment is not None:
            reply = {"parent": comment.pk, "body": form["body"].value() or ""}
            reply["mention_names"] = form["mention_names"].value() or ""
        response = _panel_fragment(
            request, statement, form=panel_form, error=messages_text, reply=reply
        )
        # htmx swaps 2xx answers, and 429 (configured in base.html); others stay 200 here.
        if status == ratelimit.RateLimited.status:
            response.status_code = status
        return _with_retry_after(response, retry_after)
    context = {
        "statement": statement,
        "title": title,
        "form": form,
        "action": action,
        "submit": submit,
        "error": error,
        "comment": comment,
    }
    response = render(request, "discussion/form_page.html", context, status=status)
    return _with_retry_after(response, retry_after)


def _with_retry_after(response: HttpResponse, retry_after: int | None) -> HttpResponse:
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _refused(exc: Exception) -> dict[str, Any]:
    """_form_page arguments for a refused write (DiscussionError or RateLimited)."""
    return {
        "error": exc.message,
        "status": exc.status,
        "retry_after": getattr(exc, "retry_after", None),
    }


# A person's write refused by the service: by a rule (DiscussionError) or a flood limit.
REFUSED = (services.DiscussionError, ratelimit.RateLimited)


def _reason_action(
    request: HttpRequest,
    pk: int,
    *,
    need: Callable[[Any, Comment], bool],
    service: Callable[..., Any],
    title: str,
    submit: str,
    url_name: str,
    done_message: str,
    reason_kw: str,
) -> HttpResponse:
    comment = _comment_for(request.user, pk, need)
    action = reverse(url_name, args=[comment.pk])
    if request.method != "POST":  # GET and HEAD: the form page
        # The form on its own page keeps the statement page small.
        return _form_page(
            request,
            comment.statement,
            title=title,
            form=ReasonForm(),
            action=action,
            submit=submit,
            comment=comment,
        )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _form_page(
            request,
            comment.statement,
            title=title,
            form=form,
            action=action,
            submit=submit,
            status=400,
            comment=comment,
        )
    try:
        service(comment=comment, actor=request.user, **{reason_kw: form.cleaned_data["reason"]})
    except services.DiscussionError as exc:
        return _form_page(
            request,
            comment.statement,
            title=title,
            form=form,
            action=action,
            submit=submit,
            error=exc.message,
            status=exc.status,
            comment=comment,
        )
    return _done(request, comment.statement, f"comment-{comment.pk}", done_message)


# --- comments ------------------------------------------------------------------


@require_POST
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    statement = statement_for(request.user, slug, "internal")
    if not dperms.can_comment(request.user, statement):
        raise PermissionDenied
    form = comment_form_for(statement, request, data=request.POST)
    action = reverse("discussion:comment_create", args=[statement.slug])
    page = {"title": _("Kommentar schreiben"), "action": action, "submit": _("Kommentieren")}
    if not form.is_valid():
        return _form_page(request, statement, form=form, status=400, **page)
    data = form.cleaned_data
    try:
        comment = services.comment_create(
            statement=statement,
            author=request.user,
            body=data["body"],
            block_id=data.get("block_id") or "",
            suggestion_text=data.get("suggestion_text") or "",
            mention_names=data.get("mention_names") or "",
            throttle=True,
        )
    except REFUSED as exc:
        return _form_page(request, statement, form=form, **_refused(exc), **page)
    return _done(request, statement, f"comment-{comment.pk}", _("Ihr Kommentar wurde gespeichert."))


@require_POST
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _comment_for(request.user, pk, dperms.can_reply)
    form = ReplyForm(request.POST)
    page = {
        "title": _("Antworten"),
        "action": reverse("discussion:comment_reply", args=[parent.pk]),
        "submit": _("Antworten"),
        "comment": parent,
    }
    if not form.is_valid():
        return _form_page(request, parent.statement, form=form, status=400, **page)
    try:
        reply = services.comment_reply(
            parent=parent,
            author=request.user,
            body=form.cleaned_data["body"],
            mention_names=form.cleaned_data["mention_names"],
            throttle=True,
        )
    except REFUSED as exc:
        return _form_page(request, parent.statement, form=form, **_refused(exc), **page)
    return _done(
        request, parent.statement, f"comment-{reply.pk}", _("Ihre Antwort wurde gespeichert.")
    )


@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request.user, pk, dperms.can_edit_comment)
    page = {
        "title": _("Kommentar bearbeiten"),
        "action": reverse("discussion:comment_edit", args=[comment.pk]),
        "submit": _("Speichern"),
        "comment": comment,
    }
    if request.method != "POST":  # GET and HEAD: the form page
        form = EditForm(
            initial={"body": comment.body, "suggestion_text": comment.suggestion_text},
            is_suggestion=comment.is_suggestion,
            block_source=comment.block_source,
        )
        return _form_page(request, comment.statement, form=form, **page)
    form = EditForm(
        request.POST, is_suggestion=comment.is_suggestion, block_source=comment.block_source
    )
    if not form.is_valid():
        return _form_page(request, comment.statement, form=form, status=400, **page)
    try:
        services.comment_edit(
            comment=comment,
            editor=request.user,
            body=form.cleaned_data["body"],
            suggestion_text=form.cleaned_data.get("suggestion_text"),
            mention_names=form.cleaned_data["mention_names"],
            throttle=True,
        )
    except REFUSED as exc:
        return _form_page(request, comment.statement, form=form, **_refused(exc), **page)
    return _done(request, comment.statement, f"comment-{comment.pk}", _("Änderung gespeichert."))


@require_safe
def comment_history(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request.user, pk, lambda user, c: True)
    versions = comment.versions.all()
    return render(
        request,
        "discussion/history.html",
        {"comment": comment, "statement": comment.statement, "versions": versions},
    )


@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request.user, pk, dperms.can_delete_comment)
    services.comment_delete(comment=comment, actor=request.user)
    anchor = f"comment-{comment.parent_id}" if comment.parent_id else "discussion"
    return _done(request, comment.statement, anchor, _("Kommentar gelöscht."))


@require_POST
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request.user, pk, dperms.can_resolve)
    services.comment_resolve(comment=comment, actor=request.user, resolved=True)
    return _done(request, comment.statement, f"comment-{comment.pk}", _("Als erledigt markiert."))


@require_POST
def comment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request.user, pk, dperms.can_resolve)
    services.comment_resolve(comment=comment, actor=request.user, resolved=False)
    return _done(request, comment.statement, f"comment-{comment.pk}", _("Wieder geöffnet."))


# --- suggestions -----------------------------------------------------------------


@require_POST
def suggestion_apply(request: HttpRequest, pk: int) -> HttpResponse:
    # Authors pass here even when the suggestion was decided meanwhile: the service then
    # says so (409), where a 403 would leave a stale button failing silently under htmx.
    comment = _comment_for(request.user, pk, dperms.may_ask_to_decide)
    try:
        revision = services.suggestion_apply(comment=comment, actor=request.user)
    except services.DiscussionError as exc:
        if _is_htmx(request):
            return _panel_fragment(request, comment.statement, error=exc.message)
        return refusal(
            request,
            exc,
            "discussion/refused.html",
            {"statement": comment.statement, "comment": comment},
        )
    # The page's statement is the one before the save: reload it for the new text.
    statement = Statement.objects.select_related("current_revision").get(pk=comment.statement_id)
    notice = _("Vorschlag übernommen – Fassung %(number)s") % {"number": revision.number}
    if _is_htmx(request):
        # Swap the panel (the suggestion now "übernommen") and, out of band, the text.
        return _panel_fragment(request, statement, notice=notice, opened=comment.pk)
    # The applied suggestion's thread is resolved (folded): ?open= unfolds it.
    messages.success(request, notice)
    return redirect(f"{statement.get_absolute_url()}?open={comment.pk}#comment-{comment.pk}")


@require_POST
def suggestions_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Several selected suggestions as one revision; overlaps go to a page of choices."""
    statement = statement_for(request.user, slug, "internal")
    if not dperms.can_apply_several(request.user, statement):
        raise PermissionDenied
    ids = [int(v) for v in request.POST.getlist("suggestion") if v.isdigit() and len(v) < 12]
    # The overlap page sends `decided` with a choice per overlap: choice-<key> = pk / "none".
    choices = {
        key.removeprefix("choice-"): value
        for key, value in request.POST.items()
        if key.startswith("choice-")
    }
    try:
        revision, taken = services.suggestions_apply(
            statement=statement,
            comment_ids=ids,
            actor=request.user,
            choices=choices if request.POST.get("decided") else None,
        )
    except services.SuggestionsOverlap as exc:
        return _overlap_page(request, statement, exc, choices)
    except services.DiscussionError as exc:
        return refusal(request, exc, "discussion/refused.html", {"statement": statement})
    notice = ngettext(
        "%(n)d Vorschlag übernommen – Fassung %(number)s",
        "%(n)d Vorschläge übernommen – Fassung %(number)s",
        len(taken),
    ) % {"n": len(taken), "number": revision.number}
    messages.success(request, notice)
    return redirect(f"{statement.get_absolute_url()}#discussion")


def _overlap_page(
    request: HttpRequest,
    statement: Statement,
    exc: services.SuggestionsOverlap,
    choices: dict[str, str],
) -> HttpResponse:
    overlapping = {c.pk for o in exc.overlaps for c in o.comments}
    for c in exc.comments:
        c.author_name = author_name(c)
        c.diff_html = suggestion_rendered_html(c) or suggestion_diff_html(c)
    context = {
        "statement": statement,
        "error": exc.message,
        "overlaps": [{"overlap": o, "chosen": o.choice(choices) or ""} for o in exc.overlaps],
        "comments": exc.comments,
        "others": [c for c in exc.comments if c.pk not in overlapping],
        "none_chosen": services.NONE_CHOSEN,
    }
    return render(request, "discussion/batch_overlap.html", context, status=exc.status)


@require_POST
def suggestion_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        need=dperms.can_decline,
        service=services.suggestion_decline,
        title=_("Vorschlag ablehnen"),
        submit=_("Ablehnen"),
        url_name="discussion:suggestion_decline",
        done_message=_("Der Vorschlag wurde abgelehnt."),
        reason_kw="reason",
    )


# --- moderation ------------------------------------------------------------------


def _report(*, comment: Comment, actor: Any, reason: str) -> Any:
    return services.comment_report(comment=comment, reporter=actor, reason=reason)


@require_http_methods(["GET", "HEAD", "POST"])
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        need=dperms.can_report,
        service=_report,
        title=_("Kommentar melden"),
        submit=_("Melden"),
        url_name="discussion:comment_report",
        done_message=_("Danke. Die Koordination sieht sich den Kommentar an."),
        reason_kw="reason",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        need=dperms.can_hide,
        service=services.comment_hide,
        title=_("Kommentar ausblenden"),
        submit=_("Ausblenden"),
        url_name="discussion:comment_hide",
        done_message=_("Der Kommentar ist ausgeblendet."),
        reason_kw="reason",
    )


@require_POST
def comment_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request.user, pk, dperms.can_hide)
    services.comment_unhide(comment=comment, actor=request.user)
    return _done(
        request, comment.statement, f"comment-{comment.pk}", _("Der Kommentar ist wieder sichtbar.")
    )


@require_safe
@coordinator_required
def report_queue(request: HttpRequest) -> HttpResponse:
    reports = list(open_reports())
    return render(request, "discussion/report_queue.html", {"reports": reports})


@require_POST
@coordinator_required
def report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    services.report_dismiss(report=report, actor=request.user)
    messages.success(request, _("Meldung erledigt; der Kommentar bleibt sichtbar."))
    return redirect("discussion:report_queue")


# --- mentions --------------------------------------------------------------------


@require_safe
@member_required
def member_autocomplete(request: HttpRequest) -> HttpResponse:
    """Up to eight member names for a <datalist>; the field works without it, too."""
    raw = request.GET.get("q") or request.GET.get("mention_names") or ""
    head, _sep, query = raw.rpartition(",")
    query = query.strip().lstrip("@").strip()
    prefix = f"{head.strip()}, " if head.strip() else ""
    names: list[str] = []
    if query and is_member(request.user):
        names = list(
            members()
            .filter(display_name__icontains=query[:80])
            .order_by("display_name")
            .values_list("display_name", flat=True)[:8]
        )
    return render(
        request,
        "discussion/_autocomplete.html",
        {"options": [prefix + name for name in names]},
    )
