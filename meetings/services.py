"""Every write of the meetings app: places, planning (one date or a series), changing
and cancelling a date, RSVPs, check-in and the personal calendar token.

A change a calendar program must apply (time, place, dial-in, cancellation) raises the
meeting's SEQUENCE under the row lock; the UID never changes (meetings/ical.py). What
the public sees changes with a meeting, so each such write invalidates the public pages.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationMembership, OrganisationMembershipStatus, User
from accounts.permissions import is_coordinator, is_member
from core.errors import ServiceError
from core.events import EventKind, emit
from core.pagecache import invalidate_public_pages
from maillist import meeting_posts
from meetings.models import (
    AgendaItem,
    AgendaKind,
    CalendarToken,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesAutosave,
    MinutesObjection,
    MinutesRevision,
    MinutesStatus,
    Place,
    Presence,
    RemarkKind,
    RoomDecision,
    Rsvp,
    RsvpAnswer,
    new_feed_token,
)
from statements.markdown import blocks, render
from statements.models import Statement
from statements.states import State
from voting.models import Ballot
from voting.rules import Counts
from workflow.services import RoomTally, TransitionError, TransitionOptions, statement_transition

MAX_SERIES = 24
MAX_MINUTES = 12 * 60
REMINDER_BEFORE = dt.timedelta(hours=24)


class MeetingError(ServiceError):
    status = 409


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def wall_clock(day: dt.date, at: dt.time) -> dt.datetime:
    """`day` at `at` on the clock in Berlin: 18:00 stays 18:00 in winter and summer.

    Combining with the zone (not adding hours to a UTC instant) is what keeps the wall
    clock; fold=0 picks the earlier of an hour that happens twice in October.
    """
    return dt.datetime.combine(day, at, tzinfo=local_zone())


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> dt.date | None:
    """The `ordinal`-th `weekday` (0 = Monday) of the month; -1 = the last one."""
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == weekday
    ]
    if ordinal == -1:
        return days[-1]
    return days[ordinal - 1] if 0 < ordinal <= len(days) else None


def series_dates(
    *, first: dt.date, count: int, weekday: int, ordinal: int, at: dt.time
) -> list[dt.datetime]:
    """The starts of `count` monthly meetings from the month of `first` (not before it)."""
    starts: list[dt.datetime] = []
    year, month = first.year, first.month
    while len(starts) < count:
        day = nth_weekday(year, month, weekday, ordinal)
        if day is not None and day >= first:
            starts.append(wall_clock(day, at))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return starts


def _require_coordinator(actor: Any) -> None:
    if not is_coordinator(actor):
        raise MeetingError(_("Nur die Koordination plant Treffen."), status=403)


def _check_times(starts_at: dt.datetime, minutes: int) -> None:
    if timezone.is_naive(starts_at):
        raise MeetingError(_("Zeitangabe ohne Zeitzone."), status=400)
    if not 15 <= minutes <= MAX_MINUTES:
        raise MeetingError(_("Ein Treffen dauert zwischen 15 Minuten und 12 Stunden."), status=400)


# --- places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceFields:
    name: str
    town: str
    address: str
    transit: str = ""
    step_free: bool = False
    host_id: int | None = None


def place_save(*, actor: Any, fields: PlaceFields, place_id: int | None = None) -> Place:
    _require_coordinator(actor)
    with transaction.atomic():
        if place_id is None:
            place = Place()
        else:
            place = Place.objects.select_for_update().get(pk=place_id)
        if Place.objects.filter(name=fields.name.strip()).exclude(pk=place.pk).exists():
            raise MeetingError(_("Einen Ort mit diesem Namen gibt es schon."), status=400)
        place.name = fields.name.strip()
        place.town = fields.town.strip()
        place.address = fields.address.strip()
        place.transit = fields.transit.strip()
        place.step_free = fields.step_free
        place.host_id = fields.host_id
        place.save()
        # Upcoming meetings show the place: their calendar entries change too.
        if place_id is not None:
            for meeting in Meeting.objects.select_for_update().filter(
                place=place, ends_at__gte=timezone.now()
            ):
                meeting.sequence += 1
                meeting.updated_at = timezone.now()
                meeting.save(update_fields=["sequence", "updated_at"])
        invalidate_public_pages()
    return place


# --- planning -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFields:
    starts_at: dt.datetime
    minutes: int
    place_id: int
    is_public: bool = True
    guests_welcome: bool = True
    dial_in: str = ""
    title: str = ""


def meeting_plan(
    *, actor: Any, fields: MeetingFields, series: MeetingSeries | None = None
) -> Meeting:
    _require_coordinator(actor)
    _check_times(fields.starts_at, fields.minutes)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            title=fields.title.strip(),
            starts_at=fields.starts_at,
            ends_at=fields.starts_at + dt.timedelta(minutes=fields.minutes),
            place_id=fields.place_id,
            is_public=fields.is_public,
            guests_welcome=fields.guests_welcome,
            dial_in=fields.dial_in.strip(),
            series=series,
        )
        emit(EventKind.MEETING_INVITATION, actor=actor, target=meeting)
        # The invitation goes to the e-mail list's archive as a "Termin" post (issue 18).
        meeting_posts.meeting_invitation_post(meeting=meeting, actor=actor)
        invalidate_public_pages()
    return meeting


@dataclass(frozen=True)
class SeriesRule:
    first: dt.date
    count: int
    weekday: int
    ordinal: int
    at: dt.time
    minutes: int
    place_ids: tuple[int, ...]  # used in turn: rotating places
    is_public: bool = True
    guests_welcome: bool = True


def series_plan(*, actor: Any, rule: SeriesRule) -> list[Meeting]:
    """Plan `rule.count` monthly meetings, the places taken in turn."""
    _require_coordinator(actor)
    if not 1 <= rule.count <= MAX_SERIES:
        raise MeetingError(_("Eine Reihe umfasst 1 bis 24 Treffen."), status=400)
    if not rule.place_ids:
        raise MeetingError(_("Bitte mindestens einen Ort wählen."), status=400)
    starts = series_dates(
        first=rule.first,
        count=rule.count,
        weekday=rule.weekday,
        ordinal=rule.ordinal,
        at=rule.at,
    )
    with transaction.atomic():
        series = MeetingSeries.objects.create(
            weekday=rule.weekday, ordinal=rule.ordinal, start_time=rule.at, created_by=actor
        )
        return [
            meeting_plan(
                actor=actor,
                series=series,
                fields=MeetingFields(
                    starts_at=start,
                    minutes=rule.minutes,
                    place_id=rule.place_ids[i % len(rule.place_ids)],
                    is_public=rule.is_public,
                    guests_welcome=rule.guests_welcome,
                ),
            )
            for i, start in enumerate(starts)
        ]


def _locked(meeting_id: int) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting_id)


def meeting_update(*, actor: Any, meeting_id: int, fields: MeetingFields, reason: str) -> Meeting:
    """Adjust one date (time, place, dial-in, visibility), with the reason members read."""
    _require_coordinator(actor)
    _check_times(fields.starts_at, fields.minutes)
    reason = reason.strip()
    if not reason:
        raise MeetingError(_("Bitte den Grund der Änderung angeben."), status=400)
    with transaction.atomic():
        meeting = _locked(meeting_id)
        if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
            raise MeetingError(_("Ein abgesagtes oder vergangenes Treffen bleibt, wie es war."))
        meeting.title = fields.title.strip()
        meeting.starts_at = fields.starts_at
        meeting.ends_at = fields.starts_at + dt.timedelta(minutes=fields.minutes)
        meeting.place_id = fields.place_id
        meeting.is_public = fields.is_public
        meeting.guests_welcome = fields.guests_welcome
        meeting.dial_in = fields.dial_in.strip()
        meeting.change_note = reason
        meeting.sequence += 1
        meeting.updated_at = timezone.now()
        meeting.save()
        emit(EventKind.MEETING_CHANGED, actor=actor, target=meeting)
        invalidate_public_pages()
    return meeting


def meeting_confirm(*, actor: Any, meeting_id: int) -> Meeting:
    _require_coordinator(actor)
    with transaction.atomic():
        meeting = _locked(meeting_id)
        if meeting.status != MeetingStatus.PLANNED:
            raise MeetingError(_("Nur ein geplantes Treffen kann bestätigt werden."))
        meeting.status = MeetingStatus.CONFIRMED
        meeting.sequence += 1
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=["status", "sequence", "updated_at"])
        invalidate_public_pages()
    return meeting


def meeting_mark_held(*, actor: Any, meeting_id: int) -> Meeting:
    """After the date: the meeting took place (its agenda and attendance are final)."""
    _require_coordinator(actor)
    with transaction.atomic():
        meeting = _locked(meeting_id)
        if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.CONFIRMED):
            raise MeetingError(_("Nur ein geplantes oder bestätigtes Treffen kann stattfinden."))
        if meeting.starts_at > timezone.now():
            raise MeetingError(_("Das Treffen hat noch nicht begonnen."))
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
        invalidate_public_pages()
    return meeting


def meeting_cancel(*, actor: Any, meeting_id: int, reason: str) -> Meeting:
    _require_coordinator(actor)
    reason = reason.strip()
    if not reason:
        raise MeetingError(_("Bitte den Grund der Absage angeben."), status=400)
    with transaction.atomic():
        meeting = _locked(meeting_id)
        if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
            raise MeetingError(_("Dieses Treffen ist bereits abgesagt oder vorbei."))
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancel_reason = reason
        meeting.sequence += 1
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
        emit(EventKind.MEETING_CANCELLED, actor=actor, target=meeting)
        invalidate_public_pages()
    return meeting


def meetings_send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind once per meeting starting within the next 24 hours ("the day before");
    rows are claimed with SKIP LOCKED, so two beat runs at once remind once."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = Meeting.objects.select_for_update(skip_locked=True).filter(
            status__in=[MeetingStatus.PLANNED, MeetingStatus.CONFIRMED],
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + REMINDER_BEFORE,
        )
        for meeting in due:
            meeting.reminder_sent_at = now
            meeting.save(update_fields=["reminder_sent_at"])
            emit(EventKind.MEETING_REMINDER, target=meeting)
            sent += 1
    return sent


# --- attendance -----------------------------------------------------------------------------


def rsvp_set(*, user: Any, meeting_id: int, answer: str) -> Rsvp:
    if not is_member(user):
        raise MeetingError(_("Nur Mitglieder melden sich an."), status=403)
    if answer not in RsvpAnswer.values:
        raise MeetingError(_("Ungültige Antwort."), status=400)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
            raise MeetingError(_("Für dieses Treffen ist keine Zusage mehr möglich."))
        rsvp, _created = Rsvp.objects.update_or_create(
            meeting=meeting,
            user=user,
            defaults={"answer": answer, "answered_at": timezone.now()},
        )
    return rsvp


@dataclass(frozen=True)
class CheckIn:
    user_ids: tuple[int, ...]
    guest_count: int = 0
    guest_names: str = ""


def attendance_record(*, actor: Any, meeting_id: int, check_in: CheckIn) -> Meeting:
    """The coordinator's list of who is in the room: replaces the previous list.

    Each member present is recorded with their confirmed organisation (the first one),
    so the minutes can name the organisations represented.
    """
    _require_coordinator(actor)
    with transaction.atomic():
        meeting = _locked(meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            raise MeetingError(_("Ein abgesagtes Treffen hat keine Anwesenden."))
        members = list(User.objects.members().filter(pk__in=check_in.user_ids))
        organisations: dict[int, int] = {}
        for membership in OrganisationMembership.objects.filter(
            user__in=members, status=OrganisationMembershipStatus.CONFIRMED
        ).order_by("requested_at"):
            organisations.setdefault(membership.user_id, membership.organisation_id)
        Presence.objects.filter(meeting=meeting).exclude(user__in=members).delete()
        known = set(Presence.objects.filter(meeting=meeting).values_list("user_id", flat=True))
        Presence.objects.bulk_create(
            [
                Presence(meeting=meeting, user=u, organisation_id=organisations.get(u.pk))
                for u in members
                if u.pk not in known
            ]
        )
        meeting.guest_count = max(0, check_in.guest_count)
        meeting.guest_names = check_in.guest_names.strip()
        meeting.save(update_fields=["guest_count", "guest_names"])
    return meeting


# --- the personal calendar ------------------------------------------------------------------


def calendar_token_for(*, user: Any) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


def calendar_token_reset(*, user: Any) -> CalendarToken:
    """A new secret: the old address answers 404 from now on."""
    with transaction.atomic():
        token, created = CalendarToken.objects.select_for_update().get_or_create(user=user)
        if not created:
            token.token = new_feed_token()
            token.created_at = timezone.now()
            token.save(update_fields=["token", "created_at"])
    return token


# --- the agenda -----------------------------------------------------------------------------

ADVISORY_BOARD_REPORT = _("Bericht aus dem Integrationsbeirat")


def _next_position(meeting: Meeting) -> int:
    last = meeting.agenda.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def agenda_draft(*, actor: Any, meeting_id: int) -> list[AgendaItem]:
    """Propose what the work asks for (idempotent: nothing is added twice):

    - every paper in consultation or voting (internal: not shown to the public),
    - every paper adopted in the urgent track and not yet confirmed at a meeting,
    - the standing report from the district's integration advisory board, naming the
      delegates (settings.RTM_ADVISORY_BOARD_DELEGATES).
    """
    _require_coordinator(actor)
    with transaction.atomic():
        meeting = _locked(meeting_id)
        if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
            raise MeetingError(_("Ein abgesagtes oder vergangenes Treffen bleibt, wie es war."))
        position = _next_position(meeting)
        on_agenda = set(meeting.agenda.values_list("statement_id", "kind"))
        confirmed = set(
            AgendaItem.objects.filter(kind=AgendaKind.CONFIRMATION).values_list(
                "statement_id", flat=True
            )
        )
        added: list[AgendaItem] = []

        def add(**fields: Any) -> None:
            nonlocal position
            added.append(AgendaItem(meeting=meeting, position=position, **fields))
            position += 1

        if not meeting.agenda.filter(kind=AgendaKind.REPORT, title=ADVISORY_BOARD_REPORT).exists():
            add(
                kind=AgendaKind.REPORT,
                title=str(ADVISORY_BOARD_REPORT),
                presenter=getattr(settings, "RTM_ADVISORY_BOARD_DELEGATES", ""),
                is_public=True,
            )
        for statement in Statement.objects.filter(
            state__in=[State.CONSULTATION, State.VOTING]
        ).order_by("pk"):
            if (statement.pk, AgendaKind.PAPER) not in on_agenda:
                add(kind=AgendaKind.PAPER, title=statement.title, statement=statement)
        for statement in Statement.objects.filter(
            state__in=[State.ACCEPTED, State.PUBLISHED], is_urgent=True
        ).exclude(pk__in=confirmed - {None}):
            add(
                kind=AgendaKind.CONFIRMATION,
                title=statement.title,
                statement=statement,
                note=str(_("Im Eilverfahren angenommen: Bestätigung durch das Treffen.")),
            )
        AgendaItem.objects.bulk_create(added)
    return added


def agenda_add_confirmations(*, now: dt.datetime | None = None) -> int:
    """Beat: a paper adopted in the urgent track goes onto the next meeting's agenda for
    confirmation, without waiting for the coordination to draft the agenda."""
    nxt = (
        Meeting.objects.upcoming(now)
        .filter(status__in=[MeetingStatus.PLANNED, MeetingStatus.CONFIRMED])
        .first()
    )
    if nxt is None:
        return 0
    with transaction.atomic():
        meeting = _locked(nxt.pk)
        confirmed = AgendaItem.objects.filter(kind=AgendaKind.CONFIRMATION).values("statement_id")
        position = _next_position(meeting)
        added = [
            AgendaItem(
                meeting=meeting,
                position=position + i,
                kind=AgendaKind.CONFIRMATION,
                title=statement.title,
                statement=statement,
                note=str(_("Im Eilverfahren angenommen: Bestätigung durch das Treffen.")),
            )
            for i, statement in enumerate(
                Statement.objects.filter(
                    state__in=[State.ACCEPTED, State.PUBLISHED], is_urgent=True
                )
                .exclude(pk__in=confirmed)
                .order_by("pk")
            )
        ]
        AgendaItem.objects.bulk_create(added)
    return len(added)


def agenda_send(*, actor: Any, meeting_id: int) -> Meeting:
    """Mail the settled agenda to every member, with the updated calendar entry."""
    _require_coordinator(actor)
    with transaction.atomic():
        meeting = _locked(meeting_id)
        if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
            raise MeetingError(_("Ein abgesagtes oder vergangenes Treffen bleibt, wie es war."))
        if not meeting.agenda.filter(accepted=True).exists():
            raise MeetingError(_("Die Tagesordnung ist noch leer."), status=400)
        meeting.change_note = str(_("Die Tagesordnung steht fest."))
        meeting.sequence += 1
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=["change_note", "sequence", "updated_at"])
        emit(EventKind.MEETING_CHANGED, actor=actor, target=meeting)
    return meeting


def agenda_propose(*, user: Any, meeting_id: int, title: str, note: str = "") -> AgendaItem:
    """A member proposes a point; it is on the agenda once the coordination accepts it."""
    if not is_member(user):
        raise MeetingError(_("Nur Mitglieder schlagen Themen vor."), status=403)
    title = title.strip()
    if not title:
        raise MeetingError(_("Bitte ein Thema angeben."), status=400)
    with transaction.atomic():
        meeting = _locked(meeting_id)
        if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
            raise MeetingError(_("Für dieses Treffen sind keine Vorschläge mehr möglich."))
        return AgendaItem.objects.create(
            meeting=meeting,
            position=_next_position(meeting),
            kind=AgendaKind.TOPIC,
            title=title,
            note=note.strip(),
            accepted=False,
            proposed_by=user,
        )


@dataclass(frozen=True)
class AgendaChange:
    position: int
    minutes: int | None
    presenter: str
    is_public: bool
    accepted: bool


def agenda_item_update(*, actor: Any, item_id: int, change: AgendaChange) -> AgendaItem:
    _require_coordinator(actor)
    with transaction.atomic():
        item = (
            AgendaItem.objects.select_for_update(of=("self",))
            .select_related("statement")
            .get(pk=item_id)
        )
        if change.is_public and item.statement is not None and not item.statement.is_public:
            raise MeetingError(
                _("Eine Stellungnahme, die nicht veröffentlicht ist, bleibt intern."), status=400
            )
        item.position = change.position
        item.minutes = change.minutes
        item.presenter = change.presenter.strip()
        item.is_public = change.is_public
        item.accepted = change.accepted
        item.save()
        invalidate_public_pages()
    return item


def agenda_item_delete(*, actor: Any, item_id: int) -> None:
    _require_coordinator(actor)
    AgendaItem.objects.filter(pk=item_id).delete()
    invalidate_public_pages()


# --- decisions in the room ------------------------------------------------------------------


def room_decision_record(
    *, actor: Any, meeting_id: int, statement_id: int, counts: Counts
) -> RoomDecision:
    """Close the paper's open ballot with the show of hands at the meeting.

    The members checked in are the electorate (the quorum is counted against them); the
    paper's rule applies; the ballot closes through the same transition service and audit
    trail as an online vote. Under the paper's lock, so if beat closes the online vote at
    the same moment, exactly one of the two counts and the other is told it is done.
    """
    _require_coordinator(actor)
    with transaction.atomic():
        meeting = _locked(meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            raise MeetingError(_("Ein abgesagtes Treffen entscheidet nichts."))
        present = meeting.presences.count()
        if present == 0:
            raise MeetingError(_("Bitte zuerst die Anwesenheit erfassen."), status=400)
        if counts.participants > present:
            raise MeetingError(
                _("Es wurden mehr Stimmen gezählt als Mitglieder anwesend sind (%(n)d).")
                % {"n": present},
                status=400,
            )
        day = timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y")
        try:
            statement = statement_transition(
                statement_id=statement_id,
                name="close_vote",
                actor=actor,
                expected_state=State.VOTING,
                note=str(_("Entscheidung im Treffen am %(date)s") % {"date": day}),
                options=TransitionOptions(room_tally=RoomTally(counts=counts, present=present)),
            )
        except TransitionError as exc:
            raise MeetingError(exc.message, status=exc.status) from exc
        ballot = Ballot.objects.filter(statement=statement).order_by("-round").first()
        decision = RoomDecision.objects.create(
            meeting=meeting,
            statement=statement,
            ballot=ballot,
            present=present,
            recorded_by=actor,
        )
        if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CONFIRMED):
            meeting.status = MeetingStatus.HELD
            meeting.save(update_fields=["status"])
        # The paper's public page names the meeting that decided it.
        invalidate_public_pages()
    return decision


# --- minutes --------------------------------------------------------------------------------

OBJECTION_DAYS = 14


def _minutes_text(meeting: Meeting) -> tuple[str, str]:
    """The first draft: agenda, decisions (paper, revision voted on, counts), attendance.
    Returns (members' text, public part)."""
    day = timezone.localtime(meeting.starts_at)
    place = meeting.place
    presences = list(meeting.presences.select_related("user", "organisation"))
    organisations = sorted({p.organisation.name for p in presences if p.organisation})
    title, where, present = _("Protokoll"), _("Ort"), _("Anwesend")
    agenda_title = _("Tagesordnung")
    lines = [
        f"# {title}: {meeting.display_title}, {day:%d.%m.%Y %H:%M}",
        "",
        f"{where}: {place.name}, {place.address}, {place.town}",
        "",
        f"## {present}",
        "",
        ", ".join(p.user.display_name for p in presences) or "–",
        "",
        _("Gäste: %(count)d %(names)s")
        % {"count": meeting.guest_count, "names": meeting.guest_names},
        "",
        _("Vertretene Organisationen: %(names)s") % {"names": ", ".join(organisations) or "–"},
        "",
        f"## {agenda_title}",
        "",
    ]
    public = [f"# {meeting.display_title}, {day:%d.%m.%Y}", "", f"## {agenda_title}", ""]
    decisions = {d.statement_id: d for d in meeting.decisions.select_related("ballot__revision")}
    for number, item in enumerate(meeting.agenda.filter(accepted=True), 1):
        lines += [f"### {number}. {item.title}", ""]
        shown = item.is_public and (item.statement is None or item.statement.is_public)
        if shown:
            public += [f"{number}. {item.title}"]
        decision = decisions.get(item.statement_id)
        if decision is not None:
            ballot = decision.ballot
            revision = ballot.revision.number if ballot.revision else "–"
            lines += [
                _(
                    "Entscheidung im Treffen über Fassung %(revision)s: %(outcome)s – "
                    "%(yes)d ja, %(no)d nein, %(abstain)d Enthaltungen, "
                    "%(objections)d Einsprüche; %(present)d Stimmberechtigte anwesend. "
                    "[Zur Stellungnahme](%(url)s)"
                )
                % {
                    "revision": revision,
                    "outcome": ballot.get_outcome_display(),
                    "yes": ballot.count_yes,
                    "no": ballot.count_no,
                    "abstain": ballot.count_abstain,
                    "objections": ballot.count_object,
                    "present": decision.present,
                    # Absolute: the Markdown sanitiser keeps only http(s), mailto and anchors.
                    "url": settings.SITE_URL + item.statement.get_absolute_url(),
                },
                "",
            ]
        lines += [str(_("(Verlauf der Diskussion)")), ""]
    return "\n".join(lines), "\n".join(public)


def _add_revision(minutes: Minutes, *, author: Any, body: str, public_body: str) -> None:
    number = (minutes.current_revision.number if minutes.current_revision else 0) + 1
    revision = MinutesRevision.objects.create(
        minutes=minutes,
        number=number,
        body=body,
        body_html=render(body),
        public_body=public_body,
        public_html=render(public_body) if public_body.strip() else "",
        author=author,
    )
    minutes.current_revision = revision
    minutes.save(update_fields=["current_revision"])


def minutes_draft(*, actor: Any, meeting_id: int) -> Minutes:
    """The minutes of a meeting, drafted from its agenda, decisions and attendance (once)."""
    _require_coordinator(actor)
    with transaction.atomic():
        meeting = _locked(meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            raise MeetingError(_("Ein abgesagtes Treffen hat kein Protokoll."))
        minutes, created = Minutes.objects.get_or_create(meeting=meeting)
        if created:
            body, public_body = _minutes_text(meeting)
            _add_revision(minutes, author=actor, body=body, public_body=public_body)
    return minutes


class MinutesConflict(MeetingError):
    status = 409
    message = _("Das Protokoll wurde inzwischen geändert. Bitte die neue Fassung prüfen.")


def minutes_save(
    *, actor: Any, minutes_id: int, body: str, public_body: str, base_revision_id: int
) -> Minutes:
    """A new revision, from the revision the editor started from (else 409, text kept)."""
    _require_coordinator(actor)
    if not body.strip():
        raise MeetingError(_("Das Protokoll darf nicht leer sein."), status=400)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes_id)
        if minutes.status == MinutesStatus.APPROVED:
            raise MeetingError(_("Ein genehmigtes Protokoll bleibt, wie es ist."))
        if minutes.current_revision_id != base_revision_id:
            raise MinutesConflict()
        _add_revision(minutes, author=actor, body=body, public_body=public_body)
        # What the editor kept for this person is in the minutes now.
        MinutesAutosave.objects.filter(user=actor, minutes=minutes).delete()
    return minutes


def minutes_autosave_store(
    *, actor: Any, minutes_id: int, body: str, public_body: str, base_revision_id: int | None
) -> MinutesAutosave:
    """Keep the minutes editor's unsaved text for this person (one row, overwritten).
    Never a revision; nobody but the same person's editor reads it."""
    _require_coordinator(actor)
    base = (
        MinutesRevision.objects.filter(pk=base_revision_id, minutes_id=minutes_id)
        .values_list("pk", flat=True)
        .first()
        if base_revision_id
        else None
    )
    autosave, _created = MinutesAutosave.objects.update_or_create(
        user=actor,
        minutes_id=minutes_id,
        defaults={
            "body": body,
            "public_body": public_body,
            "base_revision_id": base,
            "saved_at": timezone.now(),
        },
    )
    return autosave


def minutes_autosave_discard(*, actor: Any, minutes_id: int) -> None:
    MinutesAutosave.objects.filter(user=actor, minutes_id=minutes_id).delete()


def minutes_circulate(*, actor: Any, minutes_id: int, days: int = OBJECTION_DAYS) -> Minutes:
    """Send the minutes to every member; objections are possible for `days` days."""
    _require_coordinator(actor)
    if not 1 <= days <= 60:
        raise MeetingError(_("Die Einspruchsfrist beträgt 1 bis 60 Tage."), status=400)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes_id)
        if minutes.status != MinutesStatus.DRAFT:
            raise MeetingError(_("Das Protokoll wurde schon versandt."))
        minutes.status = MinutesStatus.OBJECTIONS
        minutes.objections_until = timezone.now() + dt.timedelta(days=days)
        minutes.save(update_fields=["status", "objections_until"])
        emit(EventKind.MINUTES_READY, actor=actor, target=minutes)
    return minutes


def minutes_remark(
    *, user: Any, minutes_id: int, text: str, kind: str = RemarkKind.OBJECTION, block_id: str = ""
) -> MinutesObjection:
    """A member's comment on or objection to the minutes, optionally on one paragraph.

    Comments are possible until the minutes are approved; objections only while the
    objection period runs (they are what keeps beat from approving by itself). The
    paragraph must exist in the current revision; its text is kept with the remark.
    """
    if not is_member(user):
        raise MeetingError(_("Nur Mitglieder äußern sich zum Protokoll."), status=403)
    if kind not in RemarkKind.values:
        raise MeetingError(_("Ungültige Art der Äußerung."), status=400)
    text = text.strip()
    if not text:
        if kind == RemarkKind.OBJECTION:
            raise MeetingError(_("Bitte den Einspruch begründen."), status=400)
        raise MeetingError(_("Bitte einen Text eingeben."), status=400)
    with transaction.atomic():
        minutes = (
            Minutes.objects.select_for_update(of=("self",))
            .select_related("current_revision")
            .get(pk=minutes_id)
        )
        period_open = minutes.status == MinutesStatus.OBJECTIONS and not (
            minutes.objections_until and minutes.objections_until < timezone.now()
        )
        if kind == RemarkKind.OBJECTION and not period_open:
            raise MeetingError(_("Einsprüche sind gerade nicht möglich."))
        if minutes.status == MinutesStatus.APPROVED:
            raise MeetingError(_("Ein genehmigtes Protokoll bleibt, wie es ist."))
        source = ""
        if block_id:
            found = {b.id: b for b in blocks(minutes.current_revision.body)}
            if block_id not in found:
                raise MeetingError(
                    _("Diesen Absatz gibt es in der aktuellen Fassung nicht mehr."), status=400
                )
            source = found[block_id].source
        return MinutesObjection.objects.create(
            minutes=minutes,
            revision_id=minutes.current_revision_id,
            author=user,
            kind=kind,
            block_id=block_id,
            block_source=source,
            text=text,
        )


def minutes_object(
    *, user: Any, minutes_id: int, text: str, block_id: str = ""
) -> MinutesObjection:
    return minutes_remark(
        user=user, minutes_id=minutes_id, text=text, kind=RemarkKind.OBJECTION, block_id=block_id
    )


def _approve(minutes: Minutes, actor: Any | None) -> None:
    """Both ways to approval end here (the coordination's record and beat's period):
    the one place for whatever follows an approval (the `minutes_approved` mail now;
    posting the minutes to the e-mail list belongs here too)."""
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor
    minutes.save(update_fields=["status", "approved_at", "approved_by"])
    emit(EventKind.MINUTES_APPROVED, actor=actor, target=minutes)
    # Approved minutes go to the e-mail list as a "Protokoll" post (issue 18).
    meeting_posts.minutes_post(
        minutes=minutes,
        actor=actor,
        minutes_url=reverse("meetings:minutes", kwargs={"pk": minutes.meeting_id}),
    )
    invalidate_public_pages()


def minutes_approve(*, actor: Any, minutes_id: int) -> Minutes:
    """Approved by the next meeting (the coordination records it), objections or not."""
    _require_coordinator(actor)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes_id)
        if minutes.status != MinutesStatus.OBJECTIONS:
            raise MeetingError(_("Nur ein versandtes Protokoll kann genehmigt werden."))
        _approve(minutes, actor)
    return minutes


def minutes_approve_due(*, now: dt.datetime | None = None) -> int:
    """Beat: minutes whose objection period ended without an objection are approved
    (comments do not hold them back)."""
    now = now or timezone.now()
    approved = 0
    with transaction.atomic():
        due = (
            Minutes.objects.select_for_update(skip_locked=True)
            .filter(status=MinutesStatus.OBJECTIONS, objections_until__lte=now)
            .exclude(
                pk__in=MinutesObjection.objects.filter(kind=RemarkKind.OBJECTION).values(
                    "minutes_id"
                )
            )
        )
        for minutes in due:
            _approve(minutes, None)
            approved += 1
    return approved
