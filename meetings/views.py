"""Meetings pages: the list and a meeting's page (public meetings for everyone,
members-only ones for members), RSVPs, the calendar feeds and the coordination's
planning pages. Rules live in meetings/services.py and meetings/permissions.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import coordinator_required, member_required
from accounts.permissions import is_member
from meetings import ical, selectors, services
from meetings.forms import (
    AgendaItemForm,
    AgendaProposeForm,
    AttendanceForm,
    CancelForm,
    CirculateForm,
    MeetingChangeForm,
    MeetingForm,
    MinutesAutosaveForm,
    MinutesForm,
    PlaceForm,
    RemarkForm,
    RoomDecisionForm,
    RsvpForm,
    SeriesForm,
)
from meetings.models import (
    AgendaItem,
    CalendarToken,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesAutosave,
    MinutesStatus,
    Place,
    RemarkKind,
)
from meetings.permissions import can_rsvp, can_see_meeting
from statements import markdown
from statements.diff import html_diff, word_diff
from statements.models import Statement
from voting.rules import Counts


def _meeting_for(user, pk: int) -> Meeting:
    """The meeting, or 404 for anyone who may not know it exists."""
    meeting = get_object_or_404(Meeting.objects.select_related("place", "place__host"), pk=pk)
    if not can_see_meeting(user, meeting):
        raise Http404
    return meeting


# --- everyone -------------------------------------------------------------------------------


@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    # 1 query each: upcoming and past meetings with their places (+1 for the RSVPs).
    visible = selectors.meetings_visible_to(request.user)
    upcoming = list(visible.filter(ends_at__gte=now).order_by("starts_at")[:24])
    past = list(visible.filter(ends_at__lt=now).order_by("-starts_at")[:12])
    answers = selectors.rsvps_of(request.user, upcoming)
    for meeting in upcoming:
        meeting.my_answer = answers.get(meeting.pk)
    return render(request, "meetings/list.html", {"upcoming": upcoming, "past": past, "now": now})


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request.user, pk)
    context = {
        "meeting": meeting,
        "may_rsvp": can_rsvp(request.user, meeting),
        "agenda": selectors.agenda_for(request.user, meeting),
        "decisions": list(meeting.decisions.select_related("statement", "ballot")),
        "minutes": Minutes.objects.filter(meeting=meeting).first(),
    }
    if is_member(request.user):
        context["propose_form"] = AgendaProposeForm()
        context["my_answer"] = selectors.rsvps_of(request.user, [meeting]).get(meeting.pk)
        context["counts"] = selectors.rsvp_counts(meeting)
        context["rsvp_form"] = RsvpForm(initial={"answer": context["my_answer"]})
    return render(request, "meetings/detail.html", context)


@require_POST
@member_required
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request.user, pk)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte eine Antwort wählen."))
        return redirect(meeting)
    try:
        services.rsvp_set(
            user=request.user, meeting_id=meeting.pk, answer=form.cleaned_data["answer"]
        )
    except services.MeetingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Ihre Antwort wurde gespeichert."))
    return redirect(meeting)


@require_safe
def public_feed(request: HttpRequest) -> HttpResponse:
    body = ical.meetings_calendar(selectors.feed_meetings(), name=_("Treffen des RTM"))
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="rtm-treffen.ics"'
    return response


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The member's own calendar. The token opens this feed only, and only while the
    person is a member; a reset or a suspension makes it 404 like an unknown token."""
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not is_member(found.user):
        raise Http404
    body = ical.personal_calendar(
        meetings=selectors.feed_meetings(found.user),
        deadlines=selectors.deadlines_for(found.user),
        funding=selectors.funding_deadlines_for(found.user),
    )
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="rtm-meine-termine.ics"'
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
@member_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    token = services.calendar_token_for(user=request.user)
    return render(request, "meetings/my_calendar.html", {"feed_url": ical.feed_url(token.token)})


@require_POST
@member_required
def calendar_reset(request: HttpRequest) -> HttpResponse:
    services.calendar_token_reset(user=request.user)
    messages.success(request, _("Die alte Kalenderadresse gilt nicht mehr."))
    return redirect("meetings:my_calendar")


# --- the coordination -----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def manage(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(actor=request.user, fields=form.meeting_fields())
        except services.MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Das Treffen wurde geplant."))
            return redirect(meeting)
    meetings = list(
        Meeting.objects.select_related("place")
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at")[:50]
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/manage.html",
        {
            "form": form,
            "meetings": meetings,
            "has_places": Place.objects.exists(),
            "open_minutes": selectors.open_minutes(),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def series(request: HttpRequest) -> HttpResponse:
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            planned = services.series_plan(actor=request.user, rule=form.rule())
        except services.MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("%(count)d Treffen wurden geplant.") % {"count": len(planned)}
            )
            return redirect("meetings:manage")
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/series.html", {"form": form}, status=status)


def _initial(meeting: Meeting) -> dict:
    local = timezone.localtime(meeting.starts_at)
    return {
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "minutes": int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
        "place": meeting.place_id,
        "title": meeting.title,
        "dial_in": meeting.dial_in,
        "is_public": meeting.is_public,
        "guests_welcome": meeting.guests_welcome,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingChangeForm(request.POST or None, initial=_initial(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user,
                meeting_id=meeting.pk,
                fields=form.meeting_fields(),
                reason=form.cleaned_data["reason"],
            )
        except services.MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Das Treffen wurde geändert."))
            return redirect(meeting)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/edit.html", {"form": form, "meeting": meeting}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user, meeting_id=meeting.pk, reason=form.cleaned_data["reason"]
            )
        except services.MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Das Treffen wurde abgesagt."))
            return redirect(meeting)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "meetings/cancel.html", {"form": form, "meeting": meeting}, status=status
    )


@require_POST
@coordinator_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        services.meeting_confirm(actor=request.user, meeting_id=meeting.pk)
    except services.MeetingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Das Treffen ist bestätigt."))
    return redirect(meeting)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("place"), pk=pk)
    present = list(meeting.presences.values_list("user_id", flat=True))
    form = AttendanceForm(
        request.POST or None,
        initial={
            "present": present,
            "guest_count": meeting.guest_count,
            "guest_names": meeting.guest_names,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                actor=request.user,
                meeting_id=meeting.pk,
                check_in=services.CheckIn(
                    user_ids=tuple(u.pk for u in form.cleaned_data["present"]),
                    guest_count=form.cleaned_data["guest_count"],
                    guest_names=form.cleaned_data["guest_names"],
                ),
            )
        except services.MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Die Anwesenheit wurde gespeichert."))
            return redirect("meetings:attendance", pk=meeting.pk)
    presences = list(meeting.presences.select_related("user", "organisation"))
    organisations = sorted({p.organisation.name for p in presences if p.organisation})
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/attendance.html",
        {
            "form": form,
            "meeting": meeting,
            "presences": presences,
            "organisations": organisations,
            "cancelled": meeting.status == MeetingStatus.CANCELLED,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def places(request: HttpRequest) -> HttpResponse:
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_save(actor=request.user, fields=form.place_fields())
        except services.MeetingError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("Der Ort wurde gespeichert."))
            return redirect("meetings:places")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/places.html",
        {"form": form, "places": Place.objects.select_related("host")},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=pk)
    form = PlaceForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_save(actor=request.user, fields=form.place_fields(), place_id=place.pk)
        except services.MeetingError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("Der Ort wurde gespeichert."))
            return redirect("meetings:places")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "meetings/place_edit.html", {"form": form, "place": place}, status=status
    )


# --- the agenda and decisions in the room ---------------------------------------------------


@require_POST
@member_required
def agenda_propose(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request.user, pk)
    form = AgendaProposeForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_propose(
                user=request.user,
                meeting_id=meeting.pk,
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
            )
        except services.MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Ihr Vorschlag ist bei der Koordination."))
            return redirect(meeting)
    context = {
        "meeting": meeting,
        "may_rsvp": can_rsvp(request.user, meeting),
        "agenda": selectors.agenda_for(request.user, meeting),
        "decisions": [],
        "propose_form": form,
        "counts": selectors.rsvp_counts(meeting),
        "rsvp_form": RsvpForm(),
    }
    return render(request, "meetings/detail.html", context, status=400)


@require_safe
@coordinator_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("place"), pk=pk)
    items = list(meeting.agenda.select_related("statement", "proposed_by"))
    for item in items:
        item.form = AgendaItemForm(
            prefix=f"item{item.pk}",
            initial={
                "position": item.position,
                "minutes": item.minutes,
                "presenter": item.presenter,
                "is_public": item.is_public,
                "accepted": item.accepted,
            },
        )
    return render(
        request,
        "meetings/agenda.html",
        {
            "meeting": meeting,
            "items": items,
            "to_decide": selectors.papers_to_decide(meeting),
        },
    )


@require_POST
@coordinator_required
def agenda_draft(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        added = services.agenda_draft(actor=request.user, meeting_id=meeting.pk)
    except services.MeetingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(count)d Punkte vorgeschlagen.") % {"count": len(added)})
    return redirect("meetings:agenda", pk=meeting.pk)


@require_POST
@coordinator_required
def agenda_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        services.agenda_send(actor=request.user, meeting_id=meeting.pk)
    except services.MeetingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Die Tagesordnung wurde an alle Mitglieder versandt."))
    return redirect("meetings:agenda", pk=meeting.pk)


@require_POST
@coordinator_required
def agenda_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=pk)
    form = AgendaItemForm(request.POST, prefix=f"item{item.pk}")
    if not form.is_valid():
        messages.error(request, _("Bitte die Angaben zum Punkt prüfen."))
        return redirect("meetings:agenda", pk=item.meeting_id)
    data = form.cleaned_data
    try:
        services.agenda_item_update(
            actor=request.user,
            item_id=item.pk,
            change=services.AgendaChange(
                position=data["position"],
                minutes=data["minutes"],
                presenter=data["presenter"],
                is_public=data["is_public"],
                accepted=data["accepted"],
            ),
        )
    except services.MeetingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Der Punkt wurde gespeichert."))
    return redirect("meetings:agenda", pk=item.meeting_id)


@require_POST
@coordinator_required
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=pk)
    services.agenda_item_delete(actor=request.user, item_id=item.pk)
    messages.success(request, _("Der Punkt wurde entfernt."))
    return redirect("meetings:agenda", pk=item.meeting_id)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def decide(request: HttpRequest, pk: int, statement_id: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    statement = get_object_or_404(Statement, pk=statement_id)
    form = RoomDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.room_decision_record(
                actor=request.user,
                meeting_id=meeting.pk,
                statement_id=statement.pk,
                counts=Counts(**form.cleaned_data),
            )
        except services.MeetingError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Die Entscheidung wurde festgehalten."))
            return redirect(meeting)
    else:
        status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/decide.html",
        {
            "form": form,
            "meeting": meeting,
            "statement": statement,
            "present": meeting.presences.count(),
        },
        status=status,
    )


# --- minutes --------------------------------------------------------------------------------

MINUTES_PREVIEW_LIMIT = 100_000


def _minutes_for(user, pk: int) -> Minutes:
    """Members read every state; visitors only the public part of approved minutes of a
    public meeting; anyone else gets 404."""
    minutes = get_object_or_404(
        Minutes.objects.select_related("meeting__place", "current_revision"), meeting_id=pk
    )
    if is_member(user):
        return minutes
    if (
        minutes.meeting.is_public
        and minutes.status == MinutesStatus.APPROVED
        and minutes.current_revision.public_html
    ):
        return minutes
    raise Http404


def _objections_open(minutes: Minutes) -> bool:
    return minutes.status == MinutesStatus.OBJECTIONS and not (
        minutes.objections_until and minutes.objections_until < timezone.now()
    )


def _remark_form(minutes: Minutes, data=None) -> RemarkForm:
    return RemarkForm(
        data,
        blocks=markdown.blocks(minutes.current_revision.body),
        objections_open=_objections_open(minutes),
        initial={"kind": RemarkKind.OBJECTION if _objections_open(minutes) else "comment"},
    )


def _minutes_page(request, minutes: Minutes, **extra) -> HttpResponse:
    status = extra.pop("status", 200)
    context = {"minutes": minutes, "meeting": minutes.meeting, **extra}
    if is_member(request.user):
        if minutes.status != MinutesStatus.APPROVED:
            context.setdefault("remark_form", _remark_form(minutes))
        context.setdefault("circulate_form", CirculateForm())
        current_ids = {b.id for b in markdown.blocks(minutes.current_revision.body)}
        remarks = list(minutes.objections.select_related("author", "revision"))
        for remark in remarks:
            # A link to the paragraph only while it stands unchanged in the current text.
            remark.anchor = remark.block_id if remark.block_id in current_ids else ""
        context["remarks"] = remarks
        context["objection_count"] = sum(1 for r in remarks if r.is_objection)
        context["revision_count"] = minutes.revisions.count()
        context["objections_open"] = _objections_open(minutes)
    return render(request, "meetings/minutes.html", context, status=status)


@require_safe
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    return _minutes_page(request, _minutes_for(request.user, pk))


@require_POST
@coordinator_required
def minutes_draft(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        services.minutes_draft(actor=request.user, meeting_id=meeting.pk)
    except services.MeetingError as exc:
        messages.error(request, exc.message)
        return redirect(meeting)
    return redirect("meetings:minutes_edit", pk=meeting.pk)


def _minutes_editor(request, minutes: Minutes, form: MinutesForm, **extra) -> HttpResponse:
    status = extra.pop("status", 200)
    context = {
        "form": form,
        "minutes": minutes,
        "preview_url": reverse("meetings:minutes_preview", kwargs={"pk": minutes.meeting_id}),
        "autosave_url": reverse("meetings:minutes_autosave", kwargs={"pk": minutes.meeting_id}),
        "preview_html": None,
        **extra,
    }
    return render(request, "meetings/minutes_edit.html", context, status=status)


def _minutes_editor_start(request, minutes: Minutes) -> tuple[MinutesForm, MinutesAutosave | None]:
    """The editor's form and the person's unsaved text if it differs from the minutes;
    `?autosave=restore` puts that text in (continuing from the revision it was typed on,
    so a save after someone else's is refused as a conflict, the text kept)."""
    current = minutes.current_revision
    initial = {
        "body": current.body,
        "public_body": current.public_body,
        "base_revision": current.pk,
    }
    kept = MinutesAutosave.objects.filter(user=request.user, minutes=minutes).first()
    if kept is None or (kept.body, kept.public_body) == (current.body, current.public_body):
        return MinutesForm(initial=initial), None
    if request.GET.get("autosave") != "restore":
        return MinutesForm(initial=initial), kept
    initial.update(
        body=kept.body,
        public_body=kept.public_body,
        base_revision=kept.base_revision_id or current.pk,
    )
    messages.info(
        request, _("Ihr ungespeicherter Text ist eingesetzt. Speichern Sie, um ihn zu behalten.")
    )
    return MinutesForm(initial=initial), None


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_or_404(
        Minutes.objects.select_related("meeting", "current_revision"), meeting_id=pk
    )
    if request.method != "POST":
        form, offer = _minutes_editor_start(request, minutes)
        return _minutes_editor(request, minutes, form, autosave=offer)
    form = MinutesForm(request.POST)
    if request.POST.get("preview"):
        # Without JavaScript: the same page with the preview filled, nothing saved.
        preview = markdown.render(request.POST.get("body", "")[:MINUTES_PREVIEW_LIMIT])
        return _minutes_editor(request, minutes, form, preview_html=preview, hide_errors=True)
    status = 400
    if form.is_valid():
        try:
            services.minutes_save(
                actor=request.user,
                minutes_id=minutes.pk,
                body=form.cleaned_data["body"],
                public_body=form.cleaned_data["public_body"],
                base_revision_id=form.cleaned_data["base_revision"],
            )
        except services.MeetingError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Das Protokoll wurde gespeichert."))
            return redirect("meetings:minutes", pk=pk)
    return _minutes_editor(request, minutes, form, status=status)


@require_POST
@coordinator_required
def minutes_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The live preview beside the editor (htmx posts the form)."""
    get_object_or_404(Minutes, meeting_id=pk)
    html = markdown.render(request.POST.get("body", "")[:MINUTES_PREVIEW_LIMIT])
    return render(request, "statements/_preview.html", {"preview_html": html})


@require_POST
@coordinator_required
def minutes_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor's throttled background save (static/js/editor.js): 204, never a revision."""
    minutes = get_object_or_404(Minutes, meeting_id=pk)
    form = MinutesAutosaveForm(request.POST)
    if not form.is_valid() or minutes.status == MinutesStatus.APPROVED:
        return HttpResponse(status=400)
    services.minutes_autosave_store(
        actor=request.user,
        minutes_id=minutes.pk,
        body=form.cleaned_data["body"],
        public_body=form.cleaned_data["public_body"],
        base_revision_id=form.cleaned_data["base_revision"],
    )
    return HttpResponse(status=204)


@require_POST
@coordinator_required
def minutes_autosave_discard(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_or_404(Minutes, meeting_id=pk)
    services.minutes_autosave_discard(actor=request.user, minutes_id=minutes.pk)
    messages.info(request, _("Der ungespeicherte Text ist verworfen."))
    return redirect("meetings:minutes_edit", pk=pk)


@require_safe
@member_required
def minutes_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every revision of the minutes, newest first, each compared with the one before
    (open one to see what changed, e.g. after an objection)."""
    minutes = _minutes_for(request.user, pk)
    revisions = list(minutes.revisions.select_related("author").order_by("-number"))
    return render(
        request,
        "meetings/minutes_revisions.html",
        {"minutes": minutes, "meeting": minutes.meeting, "revisions": revisions},
    )


@require_safe
@member_required
def minutes_revision_diff(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    minutes = _minutes_for(request.user, pk)
    if not 1 < number < 2**31:
        raise Http404
    pair = {
        r.number: r
        for r in minutes.revisions.select_related("author").filter(number__in=[number - 1, number])
    }
    if len(pair) != 2:
        raise Http404
    old, new = pair[number - 1], pair[number]
    diffs = [
        (_("Protokoll"), html_diff(old.body_html, new.body_html), word_diff(old.body, new.body)),
        (
            _("Öffentlicher Teil"),
            html_diff(old.public_html, new.public_html),
            word_diff(old.public_body, new.public_body),
        ),
    ]
    return render(
        request,
        "meetings/minutes_diff.html",
        {"minutes": minutes, "meeting": minutes.meeting, "old": old, "new": new, "diffs": diffs},
    )


@require_POST
@coordinator_required
def minutes_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_or_404(Minutes, meeting_id=pk)
    form = CirculateForm(request.POST)
    try:
        if not form.is_valid():
            raise services.MeetingError(_("Die Einspruchsfrist beträgt 1 bis 60 Tage."), status=400)
        services.minutes_circulate(
            actor=request.user, minutes_id=minutes.pk, days=form.cleaned_data["days"]
        )
    except services.MeetingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Das Protokoll wurde an alle Mitglieder versandt."))
    return redirect("meetings:minutes", pk=pk)


@require_POST
@coordinator_required
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_or_404(Minutes, meeting_id=pk)
    try:
        services.minutes_approve(actor=request.user, minutes_id=minutes.pk)
    except services.MeetingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Das Protokoll ist genehmigt."))
    return redirect("meetings:minutes", pk=pk)


@require_POST
@member_required
def minutes_remark(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment or an objection, on a paragraph or the whole; a refusal shows the page
    again with the typed text kept."""
    minutes = _minutes_for(request.user, pk)
    if minutes.status == MinutesStatus.APPROVED:
        messages.error(request, _("Ein genehmigtes Protokoll bleibt, wie es ist."))
        return redirect("meetings:minutes", pk=pk)
    form = _remark_form(minutes, request.POST)
    if not form.is_valid():
        return _minutes_page(request, minutes, remark_form=form, status=400)
    data = form.cleaned_data
    try:
        remark = services.minutes_remark(
            user=request.user,
            minutes_id=minutes.pk,
            text=data["text"],
            kind=data["kind"],
            block_id=data["block_id"],
        )
    except services.MeetingError as exc:
        form.add_error(None, exc.message)
        return _minutes_page(request, minutes, remark_form=form, status=exc.status)
    if remark.is_objection:
        messages.success(request, _("Ihr Einspruch ist eingegangen."))
    else:
        messages.success(request, _("Ihre Anmerkung ist eingegangen."))
    return redirect(reverse("meetings:minutes", kwargs={"pk": pk}) + f"#remark-{remark.pk}")
