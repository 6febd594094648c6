"""The e-mail list: posts of a type, each held for approval or sent at once, and the
coordination's per-type setting. A post is written in Markdown and stored with its
sanitised HTML (statements.markdown), rendered once."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PostType(models.TextChoices):
    MINUTES = "minutes", _("Protokoll")
    DATE = "date", _("Termin")
    TOPIC = "topic", _("aktuelles Thema")
    FUNDING = "funding", _("Förderhinweis")
    INFORMATION = "information", _("Information")


class PostState(models.TextChoices):
    HELD = "held", _("wartet auf Freigabe")
    SENT = "sent", _("versandt")
    DECLINED = "declined", _("nicht versandt")


class TypeSetting(models.Model):
    """The coordination's choice for one post type; no row: sent without approval."""

    post_type = models.CharField(max_length=16, choices=PostType.choices, unique=True)
    approval_required = models.BooleanField(_("Freigabe erforderlich"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.post_type}: {self.approval_required}"


class Post(models.Model):
    post_type = models.CharField(_("Art"), max_length=16, choices=PostType.choices)
    title = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"), blank=True)
    body_html = models.TextField(blank=True)
    is_public = models.BooleanField(_("öffentlich im Archiv"), default=False)
    state = models.CharField(max_length=10, choices=PostState.choices, default=PostState.HELD)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="list_posts",
    )
    # Imported from an old archive: the sender's name as it stood in the mail.
    sender_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Funding hints (Förderhinweise): the structured part.
    funder = models.CharField(_("Fördergeber"), max_length=200, blank=True)
    programme = models.CharField(_("Programm"), max_length=200, blank=True)
    eligible = models.CharField(_("Wer kann beantragen"), max_length=300, blank=True)
    amount = models.CharField(_("Fördersumme"), max_length=100, blank=True)
    deadline = models.DateField(_("Antragsfrist"), null=True, blank=True)
    link = models.URLField(_("Link"), max_length=500, blank=True)
    # When the deadline reminder went out (once per hint; maillist.services).
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Imported from the old list's archive (import_mbox): never mailed, threaded by the
    # mail headers; a re-import finds each message by its Message-ID.
    imported = models.BooleanField(default=False)
    message_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    # Posted by another feature, not typed (maillist.meeting_posts): "meeting:12:invitation",
    # "meeting:12:minutes". Unique, so a repeated call posts once. Its members already got
    # the feature's own mail (with the .ics, the minutes mail): the post is not mailed to
    # them again (notifications.recipients.list_readers).
    origin = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["-sent_at"], condition=Q(state="sent"), name="maillist_post_sent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["origin"], condition=~Q(origin=""), name="one_list_post_per_origin"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("maillist:post", kwargs={"pk": self.pk})

    @property
    def author_name(self) -> str:
        if self.author is not None:
            return str(self.author)
        return self.sender_name or str(_("ehemaliges Mitglied"))


class OptOut(models.Model):
    """A member who does not want posts of one type by mail (no row: they get them)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="list_opt_outs"
    )
    post_type = models.CharField(max_length=16, choices=PostType.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post_type"], name="one_list_opt_out_per_type")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.post_type}"


class ListSubscriber(models.Model):
    """Someone without an account on the list (a partner organisation, the
    administration, a citizen): double opt-in, one-click unsubscribe, types chosen."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="de")
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(default=timezone.now)
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Hard bounces reported for the address (the inbound path records them).
    bounce_count = models.PositiveIntegerField(default=0)
    last_bounce_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class ListSubscription(models.Model):
    """One post type an outside subscriber wants."""

    subscriber = models.ForeignKey(
        ListSubscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    post_type = models.CharField(max_length=16, choices=PostType.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "post_type"], name="one_list_subscription_per_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id}: {self.post_type}"


class SubscriberAction(models.TextChoices):
    REMOVED = "removed", _("von der Koordination entfernt")


class SubscriberLog(models.Model):
    """The audit of what the coordination did to the subscriber list."""

    action = models.CharField(max_length=16, choices=SubscriberAction.choices)
    email = models.EmailField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.email}"
