"""HTTP for the paper: dashboard, editor, conflict page, history, diff, co-authors.

Every view: method guard, fetch-and-check through statement_for (404 for those who
must not know the paper, 403 for those who may see but not act), a service call,
then redirect or render. Anonymous visitors get the same 404 as everyone else
who may not see a paper (like a private repository on a code host): a login
redirect on some slugs but not on others would tell which papers exist.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import member_required
from accounts.models import User
from core import ratelimit
from core.confirm import confirmation_needed
from statements import lines, markdown
from statements import permissions as perms
from statements.access import statement_for
from statements.conflict_page import conflict_form, conflict_response, theirs_label
from statements.diff import html_diff, word_diff
from statements.forms import AutosaveForm, CoauthorAddForm, ConflictForm, StatementForm
from statements.models import Autosave, Revision, Statement
from statements.panels import lines_toggle, page_statements
from statements.presence_views import presence_context
from statements.services import (
    EditConflict,
    TextFrozen,
    autosave_discard,
    autosave_store,
    coauthor_add,
    coauthor_remove,
    edit_conflict_for,
    restore_message,
    revision_restore,
    statement_create,
    statement_edit,
)
from statements.states import State

RECENT_EDIT_WINDOW = timedelta(hours=24)
PREVIEW_LIMIT = 100_000
HISTORY_PAGE_SIZE = 50
# URL numbers beyond a database integer would make the query itself fail (500).
MAX_ID = 2**31 - 1


def _recent_editors(statement: Statement, user: Any) -> list[dict[str, Any]]:
    """Who else saved this paper in the last 24 hours (one query)."""
    since = timezone.now() - RECENT_EDIT_WINDOW
    return list(
        Revision.objects.filter(statement=statement, created_at__gte=since, author__isnull=False)
        .exclude(author_id=user.pk)
        .values("author_id", "author__display_name")
        .annotate(last_edit=Max("created_at"))
        .order_by("-last_edit")
    )


def _preview_html(request: HttpRequest) -> str:
    return markdown.render(request.POST.get("body", "")[:PREVIEW_LIMIT])


# --- dashboard ------------------------------------------------------------------------


DASHBOARD_NEWEST = 5


def _newest(qs) -> dict[str, Any]:
    """The newest few of a section and whether there are more (one query)."""
    rows = list(qs[: DASHBOARD_NEWEST + 1])
    return {"items": rows[:DASHBOARD_NEWEST], "more": len(rows) > DASHBOARD_NEWEST}


@require_safe
@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The newest few papers per section; "alle anzeigen" opens the members' search on a
    section, so the page costs the same with ten papers or ten thousand."""
    user = request.user
    listing = Statement.objects.only(
        "slug",
        "title",
        "language",
        "state",
        "updated_at",
        "consultation_ends_at",
        "published_at",
        "publish_at",
    )
    context = {
        "my_drafts": _newest(
            listing.filter(Q(created_by=user) | Q(coauthorships__user=user), state=State.DRAFT)
            .distinct()
            .order_by("-updated_at", "-id")
        ),
        "in_consultation": _newest(
            listing.filter(state=State.CONSULTATION).order_by(
                "consultation_ends_at", "-updated_at", "-id"
            )
        ),
        # Papers between consultation and publication: without this list the coordinator
        # had no way to find an accepted paper to publish, nor an author a rejected one
        # to revise, other than a notification or the address bar.
        "in_decision": _newest(
            listing.filter(state__in=(State.VOTING, State.ACCEPTED, State.REJECTED)).order_by(
                "state", "-updated_at", "-id"
            )
        ),
        "recently_published": _newest(
            listing.filter(state=State.PUBLISHED).order_by("-published_at", "-id")
        ),
    }
    return render(request, "statements/dashboard.html", context)


# --- editor ---------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@member_required
def statement_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":  # GET and HEAD: the form page
        return _editor(request, None, StatementForm())
    form = StatementForm(request.POST)
    if "preview" in request.POST:
        return _editor(request, None, form, preview=_preview_html(request))
    if not form.is_valid():
        return _editor(request, None, form, status=400)
    try:
        ratelimit.consume("revision", request.user)
    except ratelimit.RateLimited as exc:
        return _editor_refused(request, None, form, exc)
    statement = statement_create(
        author=request.user,
        text=form.text(),
        message=form.cleaned_data["message"] or "Erste Fassung",
        language=form.cleaned_data["language"],
        topics=form.cleaned_data["topics"],
    )
    messages.success(request, _("Der Entwurf wurde angelegt."))
    return redirect(statement)


@require_http_methods(["GET", "HEAD", "POST"])
def statement_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    statement = statement_for(request.user, slug, "edit", queryset=page_statements())
    if request.method != "POST":  # GET and HEAD: the form page
        form, offer = _editor_start(request, statement)
        return _editor(request, statement, form, autosave=offer)
    if "resolve" in request.POST:
        return _resolve(request, statement)
    form = StatementForm(request.POST)
    if "preview" in request.POST:
        return _editor(request, statement, form, preview=_preview_html(request))
    if not form.is_valid():
        return _editor(request, statement, form, status=400)
    try:
        ratelimit.consume("revision", request.user)
    except ratelimit.RateLimited as exc:
        return _editor_refused(request, statement, form, exc)
    data = form.cleaned_data
    try:
        revision = statement_edit(
            statement_id=statement.pk,
            author=request.user,
            text=form.text(),
            message=data["message"],
            base_revision_id=data["base_revision"],
            topics=data["topics"],
            language=data["language"],
        )
    except EditConflict as conflict:
        fresh = conflict_form(
            conflict,
            statement=statement,
            message=data["message"],
            topics=[topic.pk for topic in data["topics"]],
            language=data["language"],
        )
        return conflict_response(request, statement, conflict, fresh)
    except TextFrozen:
        messages.error(request, _("Der Text ist eingefroren, weil die Abstimmung läuft."))
        return redirect(statement)
    _saved_message(request, revision)
    return redirect(statement)


def _saved_message(request: HttpRequest, revision: Revision | None) -> None:
    if revision is None:
        messages.info(request, _("Der Text ist unverändert; Themen und Sprache sind gespeichert."))
    elif revision.merged_with_id:
        merged_with = Revision.objects.select_related("author").get(pk=revision.merged_with_id)
        messages.success(
            request,
            _(
                "Während Sie geschrieben haben, wurde Fassung %(other)s gespeichert. Ihre "
                "Änderungen und die von Fassung %(other)s sind zusammengeführt: Fassung "
                "%(number)s ist gespeichert."
            )
            % {"other": merged_with.number, "number": revision.number},
        )
    else:
        messages.success(
            request, _("Fassung %(number)s ist gespeichert.") % {"number": revision.number}
        )


def _resolve(request: HttpRequest, statement: Statement) -> HttpResponse:
    """The conflict page's form: the same merge again, with a decision per conflict."""
    probe = ConflictForm(request.POST)
    conflict = None
    if probe.is_valid():
        try:
            conflict = edit_conflict_for(
                statement_id=statement.pk,
                base_revision_id=probe.cleaned_data["base_revision"],
                theirs_revision_id=probe.cleaned_data["theirs_revision"],
                text=probe.mine(),
            )
        except Revision.DoesNotExist:
            conflict = None
    if conflict is None or conflict.merge is None or conflict.current is None:
        # A broken or tampered page: back to the editor with whatever text came along.
        return _broken_conflict_page(request, statement)
    form = ConflictForm(
        request.POST,
        conflicts=conflict.merge.conflicts,
        theirs_label=theirs_label(conflict.current),
    )
    if not form.is_valid():
        return conflict_response(request, statement, conflict, form, status=400)
    try:
        ratelimit.consume("revision", request.user)
    except ratelimit.RateLimited as exc:
        form.add_error(None, exc.message)
        response = conflict_response(request, statement, conflict, form, status=exc.status)
        response["Retry-After"] = str(exc.retry_after)
        return response
    data = form.cleaned_data
    topics = [topic.pk for topic in data["topics"]]
    try:
        revision = statement_edit(
            statement_id=statement.pk,
            author=request.user,
            text=form.mine(),
            message=data["message"],
            base_revision_id=data["base_revision"],
            topics=data["topics"],
            language=data["language"],
            resolutions=form.resolutions(),
            resolved_against_id=data["theirs_revision"],
        )
    except EditConflict as newer:
        # Yet another revision came in and overlaps the decided text: decide again.
        fresh = conflict_form(
            newer,
            statement=statement,
            message=data["message"],
            topics=topics,
            language=data["language"],
        )
        return conflict_response(request, statement, newer, fresh)
    except TextFrozen:
        messages.error(request, _("Der Text ist eingefroren, weil die Abstimmung läuft."))
        return redirect(statement)
    _saved_message(request, revision)
    return redirect(statement)


def _broken_conflict_page(request: HttpRequest, statement: Statement) -> HttpResponse:
    post = request.POST
    form = StatementForm(
        {
            "title": post.get("mine_title", ""),
            "occasion": post.get("mine_occasion", ""),
            "summary": post.get("mine_summary", ""),
            "body": post.get("mine_body", ""),
            "language": post.get("language", statement.language),
            "message": post.get("message", ""),
            "base_revision": statement.current_revision_id,
        }
    )
    form.is_valid()
    form.add_error(
        None,
        _(
            "Die Konfliktseite war unvollständig. Ihr Text steht unten; bitte vergleichen "
            "Sie ihn mit der aktuellen Fassung und speichern Sie erneut."
        ),
    )
    return _editor(request, statement, form, status=400)


def _editor(
    request: HttpRequest,
    statement: Statement | None,
    form: StatementForm,
    *,
    preview: str | None = None,
    status: int = 200,
    autosave: Autosave | None = None,
) -> HttpResponse:
    context = {
        "statement": statement,
        "form": form,
        "preview_html": preview,
        "hide_errors": preview is not None,  # a preview is not a failed save
        "autosave": autosave,
        "recent_editors": _recent_editors(statement, request.user) if statement else [],
        "preview_url": reverse("statements:preview", kwargs={"slug": statement.slug})
        if statement
        else reverse("statements:new_preview"),
        "presence": presence_context(request, statement, form["base_revision"].value())
        if statement
        else None,
    }
    return render(request, "statements/edit.html", context, status=status)


def _editor_refused(
    request: HttpRequest,
    statement: Statement | None,
    form: StatementForm,
    exc: ratelimit.RateLimited,
) -> HttpResponse:
    """429: too many saves in a short time; the editor comes back with the text as sent."""
    form.add_error(None, exc.message)
    response = _editor(request, statement, form, status=exc.status)
    response["Retry-After"] = str(exc.retry_after)
    return response


@require_POST
@member_required
def preview_new(request: HttpRequest) -> HttpResponse:
    return render(request, "statements/_preview.html", {"preview_html": _preview_html(request)})


@require_POST
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    statement_for(request.user, slug, "edit")
    return render(request, "statements/_preview.html", {"preview_html": _preview_html(request)})


# --- reading ----------------------------------------------------------------------------


@require_safe
def history(request: HttpRequest, slug: str) -> HttpResponse:
    statement = statement_for(request.user, slug, "history")
    revisions = (
        statement.revisions.select_related("author")
        .only(
            "number", "created_at", "message", "author__display_name", "statement_id", "author_id"
        )
        # The authors of the revisions a merge took in are credited beside the saver.
        .prefetch_related(Prefetch("credited", queryset=User.objects.only("display_name")))
        .order_by("-number")
    )
    page = Paginator(revisions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    latest = statement.current_revision.number if statement.current_revision else 0
    context = {
        "statement": statement,
        "page": page,
        "revisions": list(page.object_list),
        "latest": latest,
        "base_url": statement.get_absolute_url(),
        "can_edit": perms.can_edit(request.user, statement),
    }
    return render(request, "statements/history.html", context)


@require_safe
def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    statement = statement_for(request.user, slug, "history")
    revision = _revision(statement, number)
    line_view = lines_toggle(request, statement)
    return render(
        request,
        "statements/revision.html",
        {
            "statement": statement,
            "revision": revision,
            "can_edit": perms.can_edit(request.user, statement),
            "lines": line_view,
            "lines_html": lines.numbering(revision).html if line_view["on"] else "",
        },
    )


@require_safe
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    """The history page's compare form (GET a, b) → the canonical diff URL."""
    statement = statement_for(request.user, slug, "history")
    try:
        a, b = int(request.GET["a"]), int(request.GET["b"])
    except (KeyError, ValueError):
        messages.error(request, _("Bitte zwei Fassungen zum Vergleich wählen."))
        return redirect("statements:history", slug=statement.slug)
    a, b = min(a, b), max(a, b)
    return redirect("statements:diff", slug=statement.slug, a=a, b=b)


@require_safe
def diff(request: HttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    statement = statement_for(request.user, slug, "history")
    old, new = _revision(statement, a), _revision(statement, b)
    context = {
        "statement": statement,
        "old": old,
        "new": new,
        "diffs": [
            (label, word_diff(getattr(old, field), getattr(new, field)), None)
            for label, field in (
                (_("Titel"), "title"),
                (_("Anlass"), "occasion"),
                (_("Zusammenfassung"), "summary"),
            )
        ]
        # The text formatted (from the stored HTML), its Markdown source one click away.
        + [(_("Text"), html_diff(old.body_html, new.body_html), word_diff(old.body, new.body))],
    }
    return render(request, "statements/diff.html", context)


def _revision(statement: Statement, number: int) -> Revision:
    if number > MAX_ID:
        raise Http404
    try:
        return statement.revisions.select_related("author").get(number=number)
    except Revision.DoesNotExist:
        raise Http404 from None


@require_POST
def restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    statement = statement_for(request.user, slug, "edit")
    _revision(statement, number)
    page = confirmation_needed(
        request,
        title=_("Fassung %(number)s wiederherstellen?") % {"number": number},
        text=_(
            "Der Text von Fassung %(number)s wird als neue Fassung gespeichert; die heutige "
            "Fassung bleibt in der Versionsgeschichte."
        )
        % {"number": number},
        button=_("Ja, Fassung %(number)s wiederherstellen") % {"number": number},
        cancel_url=reverse("statements:history", kwargs={"slug": statement.slug}),
    )
    if page is not None:
        return page
    try:
        base = int(request.POST.get("base_revision", ""))
    except ValueError:
        base = None
    if base is not None and not 0 < base <= MAX_ID:
        base = None
    try:
        ratelimit.consume("revision", request.user)
    except ratelimit.RateLimited as exc:
        messages.error(request, exc.message)
        return redirect("statements:history", slug=statement.slug)
    try:
        revision = revision_restore(
            statement_id=statement.pk,
            author=request.user,
            revision_number=number,
            base_revision_id=base,
        )
    except EditConflict as conflict:
        # A newer revision changed the same places: the conflict page, as for an edit.
        form = conflict_form(
            conflict,
            statement=statement,
            message=restore_message(number),
            topics=list(statement.topics.values_list("pk", flat=True)),
            language=statement.language,
        )
        return conflict_response(request, statement, conflict, form)
    except TextFrozen:
        messages.error(request, _("Der Text ist eingefroren, weil die Abstimmung läuft."))
        return redirect(statement)
    if revision is None:
        messages.info(
            request,
            _(
                "Nichts wiederhergestellt: der Text entspricht schon dem, was Fassung "
                "%(old)s ändern würde."
            )
            % {"old": number},
        )
    elif revision.merged_with_id:
        messages.success(
            request,
            _(
                "Fassung %(old)s ist als neue Fassung %(new)s wiederhergestellt, "
                "zusammengeführt mit den Änderungen, die inzwischen gespeichert wurden."
            )
            % {"old": number, "new": revision.number},
        )
    else:
        messages.success(
            request,
            _("Fassung %(old)s ist als neue Fassung %(new)s wiederhergestellt.")
            % {"old": number, "new": revision.number},
        )
    return redirect("statements:history", slug=statement.slug)


# --- co-authors -------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def coauthors(request: HttpRequest, slug: str) -> HttpResponse:
    statement = statement_for(request.user, slug, "coauthors", queryset=page_statements())
    form = CoauthorAddForm(request.POST or None, statement=statement)
    if request.method == "POST" and form.is_valid():
        coauthor_add(statement=statement, user=form.cleaned_data["user"], added_by=request.user)
        messages.success(
            request,
            _("%(name)s ist jetzt Mitautor*in.") % {"name": form.cleaned_data["user"]},
        )
        return redirect("statements:coauthors", slug=statement.slug)
    context = {
        "statement": statement,
        "form": form,
        "coauthorships": list(statement.coauthorships.all()),
    }
    return render(
        request,
        "statements/coauthors.html",
        context,
        status=400 if form.is_bound else 200,
    )


@require_POST
def coauthor_remove_view(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    statement = statement_for(request.user, slug, "coauthors")
    if user_id <= MAX_ID and coauthor_remove(statement=statement, user_id=user_id):
        messages.success(request, _("Die Mitautorschaft ist beendet."))
    return redirect("statements:coauthors", slug=statement.slug)


# --- autosave (issue 16) ------------------------------------------------------------------


def _editor_start(
    request: HttpRequest, statement: Statement
) -> tuple[StatementForm, Autosave | None]:
    """The editor's form, and the person's unsaved text if it differs from the paper's.

    `?autosave=restore` puts that text into the form, continuing from the revision it was
    typed on (a save then merges with what others saved since). Reading only: nothing is
    written on GET.
    """
    form = StatementForm.for_statement(statement)
    kept = Autosave.objects.filter(user=request.user, statement=statement).first()
    current = (statement.title, statement.occasion, statement.summary, statement.body)
    if kept is None or kept.text() == current:
        return form, None
    if request.GET.get("autosave") != "restore":
        return form, kept
    initial = dict(form.initial)
    initial.update(
        title=kept.title,
        occasion=kept.occasion,
        summary=kept.summary,
        body=kept.body,
        base_revision=kept.base_revision_id or initial["base_revision"],
    )
    messages.info(
        request,
        _("Ihr ungespeicherter Text ist eingesetzt. Speichern Sie, um ihn zu behalten."),
    )
    return StatementForm(initial=initial), None


@require_POST
def autosave(request: HttpRequest, slug: str) -> HttpResponse:
    """The editor's throttled background save (static/js/editor.js): 204, never a revision."""
    statement = statement_for(request.user, slug, "edit")
    form = AutosaveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    autosave_store(
        user=request.user,
        statement_id=statement.pk,
        text=form.text(),
        base_revision_id=form.cleaned_data["base_revision"],
    )
    return HttpResponse(status=204)


@require_POST
def autosave_discard_view(request: HttpRequest, slug: str) -> HttpResponse:
    statement = statement_for(request.user, slug, "edit")
    autosave_discard(user=request.user, statement_id=statement.pk)
    messages.info(request, _("Der ungespeicherte Text ist verworfen."))
    return redirect("statements:edit", slug=statement.slug)
