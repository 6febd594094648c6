"""The notification outbox, preferences, follows and public subscribers.

A Notification row is written in the same transaction as the event it reports
(notifications.services.notifications_for_event); Celery only delivers rows
that exist. The row is the single source of truth for "was this sent?".
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.events import EventKind


class Kind(models.TextChoices):
    """Every kind of notification: the domain events plus the app's own mails."""

    CONSULTATION_OPENED = EventKind.CONSULTATION_OPENED.value, _("Konsultation eröffnet")
    COMMENT_CREATED = EventKind.COMMENT_CREATED.value, _("Neuer Kommentar oder Antwort")
    MENTIONED = EventKind.MENTIONED.value, _("Erwähnung")
    SUGGESTION_APPLIED = EventKind.SUGGESTION_APPLIED.value, _("Änderungsvorschlag übernommen")
    SUGGESTION_DECLINED = EventKind.SUGGESTION_DECLINED.value, _("Änderungsvorschlag abgelehnt")
    COAUTHOR_INVITED = EventKind.COAUTHOR_INVITED.value, _("Einladung als Mitautor*in")
    VOTING_OPENED = EventKind.VOTING_OPENED.value, _("Abstimmung eröffnet")
    VOTING_REMINDER = EventKind.VOTING_REMINDER.value, _("Erinnerung an die Abstimmung")
    VOTING_EXTENDED = EventKind.VOTING_EXTENDED.value, _("Abstimmungsfrist verlängert")
    VOTING_RESULT = EventKind.VOTING_RESULT.value, _("Abstimmungsergebnis")
    PUBLISHED = EventKind.PUBLISHED.value, _("Veröffentlichung")
    ADMISSION_REQUESTED = EventKind.ADMISSION_REQUESTED.value, _("Neuer Aufnahmeantrag")
    ADMISSION_DECIDED = EventKind.ADMISSION_DECIDED.value, _("Entscheidung über die Aufnahme")
    MEMBERSHIP_CHANGED = EventKind.MEMBERSHIP_CHANGED.value, _("Änderung Ihrer Mitgliedschaft")
    MEMBER_INVITED = EventKind.MEMBER_INVITED.value, _("Einladung zum Runden Tisch")
    MEETING_INVITATION = EventKind.MEETING_INVITATION.value, _("Einladung zu einem Treffen")
    MEETING_CHANGED = EventKind.MEETING_CHANGED.value, _("Änderung eines Treffens")
    MEETING_CANCELLED = EventKind.MEETING_CANCELLED.value, _("Absage eines Treffens")
    MEETING_REMINDER = EventKind.MEETING_REMINDER.value, _("Erinnerung am Vortag eines Treffens")
    MINUTES_READY = EventKind.MINUTES_READY.value, _("Protokoll zur Durchsicht")
    MINUTES_APPROVED = EventKind.MINUTES_APPROVED.value, _("Protokoll genehmigt")
    LIST_POST = EventKind.LIST_POST.value, _("Beitrag im E-Mail-Verteiler")
    LIST_SUBSCRIPTION_REQUESTED = (
        EventKind.LIST_SUBSCRIPTION_REQUESTED.value,
        _("Bestätigung des Verteiler-Abonnements"),
    )
    FUNDING_REMINDER = EventKind.FUNDING_REMINDER.value, _("Erinnerung an eine Förderfrist")
    DIGEST = "digest", _("Tägliche Zusammenfassung")
    SUBSCRIPTION_CONFIRM = "subscription_confirm", _("Bestätigung des Abonnements")
    # Issue 19: a published position sent to an addressee of the address book.
    POSITION_SENT = "position_sent", _("Stellungnahme an Adressat*in")
    LIST_REPLY = EventKind.LIST_REPLY.value, _("Antwort auf einen Beitrag im Verteiler")
    ANSWER_RECEIVED = EventKind.ANSWER_RECEIVED.value, _("Antwort einer Adressat*in per E-Mail")
    # The bounce to a reply by e-mail that was not taken (inbound), to its sender.
    INBOUND_REFUSED = EventKind.INBOUND_REFUSED.value, _("Antwort per E-Mail nicht übernommen")


class Mode(models.TextChoices):
    IMMEDIATELY = "immediately", _("sofort per E-Mail")
    DIGEST = "digest", _("in der täglichen Zusammenfassung")
    OFF = "off", _("keine E-Mail")


# What each kind means for delivery (recipients, default mode, locked, builder,
# templates) is in notifications/kinds.py.


class Channel(models.TextChoices):
    EMAIL = "email", _("E-Mail")
    INAPP = "inapp", _("In der Anwendung")


class Status(models.TextChoices):
    PENDING = "pending", _("wartet")
    SENDING = "sending", _("wird gesendet")
    SENT = "sent", _("gesendet")
    # The server took the whole message but never answered its end: maybe delivered.
    UNANSWERED = "unanswered", _("ohne Antwort des Mailservers")
    FAILED = "failed", _("fehlgeschlagen")
    SKIPPED = "skipped", _("ausgelassen")
    DIGEST = "digest", _("wartet auf Zusammenfassung")
    DIGESTED = "digested", _("in Zusammenfassung gesendet")


class PublicSubscriber(models.Model):
    """A visitor who wants publication mails. The address is used for nothing else."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="de")
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Abonnent*in")
        verbose_name_plural = _("Abonnent*innen")

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class AddresseeKind(models.TextChoices):
    ADMINISTRATION = "administration", _("Verwaltung")
    FACTION = "faction", _("Kreistagsfraktion")
    ADVISORY_BOARD = "advisory_board", _("Beirat")
    PRESS = "press", _("Presse")


class Addressee(models.Model):
    """An entry of the coordinators' address book: who a published position is sent to
    (issue 19). Never deleted while a mail to it exists (PROTECT); switched off instead."""

    name = models.CharField(_("Name"), max_length=200)
    organisation = models.CharField(_("Organisation oder Amt"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"))
    kind = models.CharField(_("Art"), max_length=16, choices=AddresseeKind.choices)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Adressat*in")
        verbose_name_plural = _("Adressbuch")
        ordering = ["kind", "organisation", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


# Exactly one of these says who a row goes to (the check constraint below).
RECIPIENT_FIELDS = (
    "recipient",
    "subscriber",
    "invitation",
    "list_subscriber",
    "addressee",
    "inbound_message",
)


def _one_of(fields: tuple[str, ...]) -> Q:
    condition = Q()
    for chosen in fields:
        condition |= Q(**{f"{f}__isnull": f != chosen for f in fields})
    return condition


class Notification(models.Model):
    """One message to one recipient on one channel for one event (the outbox row)."""

    kind = models.CharField(max_length=32, choices=Kind.choices)
    event_key = models.CharField(max_length=160)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subscriber = models.ForeignKey(
        PublicSubscriber, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Someone without an account, invited by a coordinator: the address is read from the
    # invitation at send time, and the row goes when the invitation does (account deletion).
    invitation = models.ForeignKey(
        "accounts.Invitation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # An outside subscriber of the e-mail list (maillist), read at send time.
    list_subscriber = models.ForeignKey(
        "maillist.ListSubscriber",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # An addressee of the address book (issue 19): a position sent to them.
    addressee = models.ForeignKey(
        Addressee, null=True, blank=True, on_delete=models.PROTECT, related_name="mails"
    )
    # The sender of a refused reply by e-mail (inbound): the bounce goes to its address.
    inbound_message = models.ForeignKey(
        "inbound.InboundMessage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    statement = models.ForeignKey(
        "statements.Statement", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Ids only (comment, ballot, actor, admission request, digest items): the text is
    # loaded at send time, so a comment hidden meanwhile is never mailed.
    context = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Set at the first temporary failure: retried until then, failed after.
    retry_until = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient", "channel"],
                condition=Q(recipient__isnull=False),
                name="one_notification_per_event_recipient_channel",
            ),
            models.UniqueConstraint(
                fields=["event_key", "subscriber", "channel"],
                condition=Q(subscriber__isnull=False),
                name="one_notification_per_event_subscriber_channel",
            ),
            models.UniqueConstraint(
                fields=["event_key", "invitation", "channel"],
                condition=Q(invitation__isnull=False),
                name="one_notification_per_event_invitation_channel",
            ),
            models.UniqueConstraint(
                fields=["event_key", "list_subscriber", "channel"],
                condition=Q(list_subscriber__isnull=False),
                name="one_notification_per_event_list_subscriber_channel",
            ),
            models.UniqueConstraint(
                fields=["event_key", "addressee", "channel"],
                condition=Q(addressee__isnull=False),
                name="one_notification_per_event_addressee_channel",
            ),
            models.UniqueConstraint(
                fields=["event_key", "inbound_message", "channel"],
                condition=Q(inbound_message__isnull=False),
                name="one_notification_per_event_inbound_message_channel",
            ),
            models.CheckConstraint(
                condition=_one_of(RECIPIENT_FIELDS), name="notification_has_one_recipient"
            ),
            models.CheckConstraint(
                # Only members have an in-app list.
                condition=Q(recipient__isnull=False) | Q(channel="email"),
                name="outsiders_get_email_only",
            ),
        ]
        indexes = [
            # The delivery claim and the sweep: due e-mail rows.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="notification_due",
            ),
            # The header's unread count and the in-app list.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(channel="inapp"),
                name="notification_inapp",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(status="digest"),
                name="notification_digest_waiting",
            ),
        ]

    def __str__(self) -> str:
        to = (
            self.recipient_id
            or self.subscriber_id
            or self.invitation_id
            or self.list_subscriber_id
            or self.addressee_id
            or self.inbound_message_id
        )
        return f"{self.kind} → {to} ({self.channel})"


class Preference(models.Model):
    """A member's choice for one kind; no row means the kind's default (kinds.SPECS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    mode = models.CharField(max_length=12, choices=Mode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} = {self.mode}"


class Follow(models.Model):
    """A member follows a statement: new comments on it reach them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    statement = models.ForeignKey(
        "statements.Statement", on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "statement"], name="one_follow_per_statement")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.statement_id}"


class Answer(models.Model):
    """An answer to a published position, entered by a coordinator (issue 19): shown on
    the public page only when marked public."""

    statement = models.ForeignKey(
        "statements.Statement", on_delete=models.CASCADE, related_name="answers"
    )
    addressee = models.ForeignKey(
        Addressee,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
        verbose_name=_("Adressat*in"),
    )
    sender = models.CharField(_("Absender*in"), max_length=200)
    received_on = models.DateField(_("eingegangen am"))
    text = models.TextField(_("Text"), blank=True)
    is_public = models.BooleanField(_("öffentlich zeigen"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Received by mail (the reply address of the position's mail, inbound): the From as
    # it came, which may differ from the addressee's (forwarded inside an office).
    sender_email = models.EmailField(_("Absendeadresse"), blank=True)
    subject = models.CharField(_("Betreff"), max_length=200, blank=True)
    by_mail = models.BooleanField(_("per E-Mail eingegangen"), default=False)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.sender} → {self.statement_id}"


class AnswerFileStorage(FileSystemStorage):
    """Letters attached to answers: outside MEDIA_ROOT (never served as static files),
    read only through the coordinators' download view. The directory is read from the
    settings on each use (tests point it elsewhere)."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.RTM_ANSWER_FILES_DIR)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)


class AnswerFile(models.Model):
    """A file an addressee sent with an answer by mail (a letter as PDF, a scan)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=AnswerFileStorage(), upload_to="%Y/%m/")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
