"""The monthly meeting: places, meetings (alone or planned as a series), RSVPs,
check-in and each member's secret calendar token.

Times are stored as aware datetimes (UTC in the database); a meeting is planned and
shown in Europe/Berlin wall-clock time (settings.TIME_ZONE), so a series keeps 18:00
across the change to and from summer time (meetings.services.series_dates).
Every write goes through meetings/services.py.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


class Place(models.Model):
    """A venue the round table met at or will meet at (the list remembers them)."""

    name = models.CharField(_("Name des Ortes"), max_length=200, unique=True)
    town = models.CharField(_("Gemeinde"), max_length=100)
    address = models.CharField(_("Adresse"), max_length=300)
    transit = models.TextField(_("Anreise mit Bus und Bahn"), blank=True, max_length=2000)
    step_free = models.BooleanField(_("Stufenloser Zugang"), default=False)
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("Gastgebende Organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_places",
    )

    class Meta:
        ordering = ["town", "name"]
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")

    def __str__(self) -> str:
        return f"{self.name}, {self.town}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    CONFIRMED = "confirmed", _("bestätigt")
    CANCELLED = "cancelled", _("abgesagt")
    HELD = "held", _("stattgefunden")


class MeetingSeries(models.Model):
    """How a run of meetings was planned ("every 2nd Wednesday, rotating places")."""

    weekday = models.PositiveSmallIntegerField(_("Wochentag"))  # 0 = Monday
    ordinal = models.SmallIntegerField(_("Woche im Monat"))  # 1..4, -1 = last
    start_time = models.TimeField(_("Beginn"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__lte=6) & Q(ordinal__in=[1, 2, 3, 4, -1]),
                name="meeting_series_rule_valid",
            )
        ]

    def __str__(self) -> str:
        return f"series {self.pk}: {self.ordinal}/{self.weekday} {self.start_time}"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def public(self) -> MeetingQuerySet:
        """The only meetings a visitor may learn about (pages, home, public feed)."""
        return self.filter(is_public=True)

    def upcoming(self, now=None) -> MeetingQuerySet:
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")


class Meeting(models.Model):
    # Empty: "Monatstreffen des RTM" in the reader's language (display_title).
    title = models.CharField(_("Titel (optional)"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("Beginn"), db_index=True)
    ends_at = models.DateTimeField(_("Ende"))
    place = models.ForeignKey(
        Place, verbose_name=_("Ort"), on_delete=models.PROTECT, related_name="meetings"
    )
    dial_in = models.CharField(_("Online-Zugang (optional)"), max_length=500, blank=True)
    is_public = models.BooleanField(
        _("Öffentlich angekündigt"),
        default=True,
        help_text=_("Sonst sehen nur Mitglieder das Treffen."),
    )
    guests_welcome = models.BooleanField(_("Gäste willkommen"), default=True)
    status = models.CharField(
        _("Status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    cancel_reason = models.TextField(_("Grund der Absage"), blank=True, max_length=2000)
    change_note = models.TextField(_("Grund der letzten Änderung"), blank=True, max_length=2000)
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    # The calendar identity: the UID never changes, SEQUENCE rises with every change a
    # calendar program must apply (RFC 5546), so an invitation updates or cancels in place.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    guest_count = models.PositiveIntegerField(_("Gäste (Anzahl)"), default=0)
    guest_names = models.TextField(_("Gäste (Namen, optional)"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("Treffen")
        verbose_name_plural = _("Treffen")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="meeting_cancel_has_reason",
            ),
        ]

    def __str__(self) -> str:
        # The reader's date style (rtm_workflow/formats), not a German one in English.
        when = date_format(timezone.localtime(self.starts_at), "SHORT_DATETIME_FORMAT")
        return f"{self.display_title} ({when})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        return self.title or str(_("Monatstreffen des RTM"))

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED


class RsvpAnswer(models.TextChoices):
    YES = "yes", _("Ich komme")
    MAYBE = "maybe", _("Vielleicht")
    NO = "no", _("Ich komme nicht")


class Rsvp(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_rsvps"
    )
    answer = models.CharField(max_length=8, choices=RsvpAnswer.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_rsvp_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.meeting_id}: {self.answer}"


class Presence(models.Model):
    """A member checked in at the meeting by the coordination: the room's electorate."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_presences"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_presence_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.meeting_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a member's personal calendar address. It opens that feed and nothing
    else (no session, no other page reads it); resetting it makes the old address 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar token of {self.user_id}"


class AgendaKind(models.TextChoices):
    PAPER = "paper", _("Stellungnahme")
    CONFIRMATION = "confirmation", _("Bestätigung einer Eilentscheidung")
    REPORT = "report", _("Bericht")
    TOPIC = "topic", _("Thema")


class AgendaItem(models.Model):
    """One point of a meeting's agenda. Drafted from the papers (meetings.services.
    agenda_draft), proposed by members (not accepted until the coordination takes it),
    ordered and given a time and a person by the coordination."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(_("Art"), max_length=14, choices=AgendaKind.choices)
    title = models.CharField(_("Titel"), max_length=300)
    note = models.TextField(_("Anmerkung"), blank=True, max_length=2000)
    statement = models.ForeignKey(
        "statements.Statement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agenda_items",
    )
    minutes = models.PositiveSmallIntegerField(_("Minuten"), null=True, blank=True)
    presenter = models.CharField(_("Wer"), max_length=200, blank=True)
    is_public = models.BooleanField(_("öffentlich"), default=False)
    accepted = models.BooleanField(_("auf der Tagesordnung"), default=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "statement", "kind"],
                condition=Q(statement__isnull=False),
                name="paper_once_per_agenda",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.position}: {self.title}"


class RoomDecision(models.Model):
    """A paper decided by a show of hands at a meeting. The ballot it closed is unique:
    a ballot is closed once, online or in the room (workflow.services.statement_transition
    holds the paper's lock while counting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    statement = models.ForeignKey(
        "statements.Statement", on_delete=models.CASCADE, related_name="room_decisions"
    )
    ballot = models.OneToOneField(
        "voting.Ballot", on_delete=models.CASCADE, related_name="room_decision"
    )
    present = models.PositiveIntegerField(_("Anwesende Stimmberechtigte"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.statement_id} @ {self.meeting_id}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    OBJECTIONS = "objections", _("Einspruchsfrist läuft")
    APPROVED = "approved", _("genehmigt")


class Minutes(models.Model):
    """The minutes (Protokoll) of one meeting: drafted from its agenda, decisions and
    attendance, edited in revisions, circulated for objections for a set period, then
    approved (at the next meeting, or by the system after the period without objections)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(
        _("Status"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    current_revision = models.ForeignKey(
        "MinutesRevision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    objections_until = models.DateTimeField(_("Einsprüche bis"), null=True, blank=True)
    approved_at = models.DateTimeField(_("genehmigt am"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"minutes of {self.meeting_id}"


class MinutesRevision(models.Model):
    """Immutable, like a paper's revisions. `public_body` is the part published once the
    minutes are approved (for a public meeting); `body` stays with the members."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField(max_length=100_000)
    body_html = models.TextField()
    public_body = models.TextField(blank=True, max_length=50_000)
    public_html = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="unique_minutes_revision")
        ]

    def __str__(self) -> str:
        return f"minutes {self.minutes_id} r{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("minutes revisions are immutable")
        super().save(*args, **kwargs)


class RemarkKind(models.TextChoices):
    COMMENT = "comment", _("Anmerkung")
    OBJECTION = "objection", _("Einspruch")


class MinutesObjection(models.Model):
    """A member's remark on the minutes: a comment, or an objection (only an objection
    stops the approval by the end of the period). It may point at one paragraph of the
    revision it was written on (`block_id`, the id statements.markdown gives each
    top-level block); `block_source` keeps that paragraph's text, so the quote survives
    later revisions. The name stays from when only objections existed (one table)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="objections")
    revision = models.ForeignKey(MinutesRevision, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="minutes_objections"
    )
    kind = models.CharField(
        _("Art"), max_length=10, choices=RemarkKind.choices, default=RemarkKind.OBJECTION
    )
    block_id = models.CharField(_("Absatz"), max_length=100, blank=True)
    block_source = models.TextField(blank=True)
    text = models.TextField(_("Text"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} on {self.minutes_id}"

    @property
    def is_objection(self) -> bool:
        return self.kind == RemarkKind.OBJECTION


class MinutesAutosave(models.Model):
    """The minutes editor's unsaved text, one per person and minutes (like the paper
    editor's statements.Autosave): posted in the background while someone types,
    offered back on the next visit, removed by a save. Never a revision."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(blank=True)
    public_body = models.TextField(blank=True)
    base_revision = models.ForeignKey(
        MinutesRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "minutes"], name="one_minutes_autosave_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"minutes autosave {self.user_id}@{self.minutes_id}"
