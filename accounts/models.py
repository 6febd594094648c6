"""People, their organisations and their standing in the round table."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import display_name_key


class MembershipStatus(models.TextChoices):
    REGISTERED = "registered", _("registriert")
    REQUESTED = "requested", _("Aufnahme beantragt")
    # Context: "Mitglied" is also a form label ("Member") in statements and workflow.
    MEMBER = "member", pgettext_lazy("membership status", "Mitglied")
    DECLINED = "declined", _("Aufnahme abgelehnt")
    SUSPENDED = "suspended", _("gesperrt")


class Language(models.TextChoices):
    """The interface languages (settings.LANGUAGES), each named in itself."""

    DE = "de", "Deutsch"
    EN = "en", "English"
    AR = "ar", "العربية"
    FA = "fa", "فارسی"
    UK = "uk", "Українська"
    RU = "ru", "Русский"
    TR = "tr", "Türkçe"


def member_q(relation: str = "") -> Q:
    """Who is a member: an admitted person whose account is active (coordinators too).

    The one definition for queries; `relation` reaches people from another model
    ("user__" from a ballot seat). accounts.permissions.is_member is the same rule for
    one loaded user. A suspended, declined or only registered person is no member.
    """
    return Q(
        **{f"{relation}is_active": True, f"{relation}membership_status": MembershipStatus.MEMBER}
    )


MEMBER_Q = member_q()


class UserQuerySet(models.QuerySet["User"]):
    def members(self) -> UserQuerySet:
        return self.filter(MEMBER_Q)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("membership_status", MembershipStatus.MEMBER)
        extra.setdefault("is_coordinator", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a login. E-mail is the login; the display name is what others see."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    display_name = models.CharField(_("Anzeigename"), max_length=80)
    # core.text.display_name_key(display_name), kept by save(): names that look alike
    # (case, width, Cyrillic/Greek look-alikes, invisible characters) share a key, and the
    # database lets only one person have it. NULL while no name is chosen.
    display_name_key = models.CharField(max_length=64, unique=True, null=True, editable=False)
    language = models.CharField(
        _("Sprache"), max_length=5, choices=Language.choices, default=Language.DE
    )
    membership_status = models.CharField(
        _("Status"),
        max_length=12,
        choices=MembershipStatus.choices,
        default=MembershipStatus.REGISTERED,
        db_index=True,
    )
    is_coordinator = models.BooleanField(_("Koordination"), default=False)
    member_since = models.DateTimeField(_("Mitglied seit"), null=True, blank=True)
    # Set while suspended: the person and the coordination see when and why.
    suspended_at = models.DateTimeField(_("Gesperrt seit"), null=True, blank=True)
    suspension_reason = models.TextField(_("Grund der Sperre"), blank=True, max_length=2000)
    # Private: visible to coordinators only, never on a public page.
    phone = models.CharField(_("Telefon (nur für die Koordination)"), max_length=40, blank=True)
    is_staff = models.BooleanField(_("Admin-Zugang"), default=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("registriert am"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.display_name or self.email.split("@", 1)[0]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.display_name_key = display_name_key(self.display_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "display_name_key"}
        super().save(*args, **kwargs)

    def get_short_name(self) -> str:
        return str(self)

    def get_full_name(self) -> str:
        return str(self)


class OrganisationKind(models.TextChoices):
    VEREIN = "verein", _("Verein")
    INITIATIVE = "initiative", _("Initiative")
    TRAEGER = "traeger", _("Freier Träger")
    KIRCHGEMEINDE = "kirchgemeinde", _("Kirchgemeinde")
    WOHLFAHRTSVERBAND = "wohlfahrtsverband", _("Wohlfahrtsverband")
    PRIVATPERSON = "privatperson", _("Privatperson")
    SONSTIGE = "sonstige", _("Sonstige")


class Organisation(models.Model):
    name = models.CharField(_("Name"), max_length=200, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=200, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=OrganisationKind.choices)
    website = models.URLField(_("Website"), blank=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationMembershipStatus(models.TextChoices):
    # Contexts: "bestätigt"/"abgelehnt" are also words for suggestions and admissions.
    REQUESTED = "requested", pgettext_lazy("organisation membership", "angefragt")
    CONFIRMED = "confirmed", pgettext_lazy("organisation membership", "bestätigt")
    DECLINED = "declined", pgettext_lazy("organisation membership", "abgelehnt")


class OrganisationMembership(models.Model):
    """A person's claim to belong to an organisation, and who confirmed (or declined) it.

    Only a confirmed membership lets the person speak for the organisation (co-sign or
    revoke in its name): anyone can tick an organisation, so the tick alone is a request.
    An organisation contact is a confirmed member who may confirm the others.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("Organisation"),
    )
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=OrganisationMembershipStatus.choices,
        default=OrganisationMembershipStatus.REQUESTED,
        db_index=True,
    )
    is_contact = models.BooleanField(_("Ansprechperson der Organisation"), default=False)
    requested_at = models.DateTimeField(_("angefragt am"), default=timezone.now)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entschieden von"),
    )

    class Meta:
        verbose_name = _("Zugehörigkeit zu einer Organisation")
        verbose_name_plural = _("Zugehörigkeiten zu Organisationen")
        ordering = ["organisation__name", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_person_and_organisation"
            ),
            # Only a confirmed member can be the organisation's contact.
            models.CheckConstraint(
                condition=models.Q(is_contact=False) | models.Q(status="confirmed"),
                name="organisation_contact_is_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_status_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == OrganisationMembershipStatus.CONFIRMED


class AdmissionDecision(models.TextChoices):
    # Contexts keep these apart from the same German words for paper states and
    # suggestions: Django merges all apps' catalogues, and the first app would win.
    PENDING = "pending", pgettext_lazy("admission", "offen")
    ADMITTED = "admitted", _("aufgenommen")
    DECLINED = "declined", pgettext_lazy("admission", "abgelehnt")


class AdmissionRequest(models.Model):
    """A registered person's request to be admitted, and the coordinators' answer."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="admission_requests")
    organisation_text = models.CharField(_("Organisation"), max_length=200, blank=True)
    reason = models.TextField(_("Warum möchten Sie mitmachen?"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        max_length=10, choices=AdmissionDecision.choices, default=AdmissionDecision.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_message = models.TextField(_("Nachricht an die Person"), blank=True, max_length=2000)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(decision="pending"),
                name="one_pending_admission_request_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_decision_display()})"


class Invitation(models.Model):
    """A coordinator's invitation by e-mail; the signed link pre-approves admission."""

    email = models.EmailField(_("E-Mail-Adresse"))
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(_("Nachricht"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A coordinator may take back an invitation sent to the wrong address; the link then dies.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email
