"""The paper (Statement), its immutable revisions, topics and co-authors.

The workflow's transitions are declared in statements/transitions.py and mixed in
here, so the state machine lives in one file the diagram command can read.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from statements import markdown
from statements.states import PUBLIC_STATES, State
from statements.transitions import StatementTransitions

# The original is written in German or English; the community languages of the interface
# (settings.LANGUAGES) get reviewed companion versions instead (Companion). Each named in itself.
PAPER_LANGUAGES = [("de", "Deutsch"), ("en", "English")]


class Topic(models.Model):
    name = models.CharField(_("Name"), max_length=80, unique=True)
    name_en = models.CharField(_("Name (englisch)"), max_length=80, blank=True)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's interface language: German, or English for everyone
        else where it exists (the community languages fall back to English, as their
        interface does)."""
        if self.name_en and get_language() != "de":
            return self.name_en
        return self.name


def public_q(relation: str = "") -> Q:
    """What the public sees: a published or retracted paper with a publication date.

    The one definition of the rule. `relation` reaches statements from another model
    ("statements__" from a topic); Statement.objects.public() and Statement.is_public
    are the same rule for querysets and for one loaded paper. Both parts matter: the
    state keeps drafts out, the date orders every list, feed and sitemap.
    """
    return Q(**{f"{relation}state__in": PUBLIC_STATES, f"{relation}published_at__isnull": False})


class StatementQuerySet(models.QuerySet["Statement"]):
    def public(self) -> StatementQuerySet:
        return self.filter(public_q())


class Statement(StatementTransitions, FSMModelMixin, models.Model):
    """A statement or position paper. Text fields mirror the current revision."""

    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    occasion = models.CharField(
        _("Anlass"),
        max_length=300,
        blank=True,
        help_text=_("Das aktuelle Ereignis, auf das die Stellungnahme antwortet."),
    )
    summary = models.TextField(_("Zusammenfassung"), max_length=1000, blank=True)
    body = models.TextField(_("Text (Markdown)"), blank=True)
    language = models.CharField(_("Sprache"), max_length=5, choices=PAPER_LANGUAGES, default="de")
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="statements", verbose_name=_("Themen")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="statements_started",
    )
    coauthors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Coauthorship",
        through_fields=("statement", "user"),
        related_name="coauthored_statements",
        blank=True,
    )
    current_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField(
        _("Status"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # Deadlines (set by the workflow services from the group defaults or per paper). The
    # voting deadline is not here: it is the open ballot's `closes_at` (voting.models).
    consultation_ends_at = models.DateTimeField(_("Ende der Konsultation"), null=True, blank=True)
    publish_at = models.DateTimeField(_("Geplante Veröffentlichung"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("Erstmals eingereicht"), null=True, blank=True)
    published_at = models.DateTimeField(
        _("Veröffentlicht am"), null=True, blank=True, db_index=True
    )

    # Urgent track (Eilverfahren).
    is_urgent = models.BooleanField(_("Eilverfahren"), default=False)
    urgent_reason = models.CharField(_("Begründung des Eilverfahrens"), max_length=500, blank=True)

    # Set by withdraw / retract; shown on the page.
    withdrawal_reason = models.TextField(_("Grund der Rücknahme"), blank=True)
    # The state the paper was withdrawn from: members keep seeing a withdrawn paper only
    # if they could see it just before (see permissions.can_view_internal).
    withdrawn_from = models.CharField(max_length=50, choices=State.choices, blank=True)
    retraction_reason = models.TextField(_("Grund des Widerrufs"), blank=True)
    retracted_at = models.DateTimeField(null=True, blank=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("Stellungnahme")
        verbose_name_plural = _("Stellungnahmen")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["state", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # Routed by the public app, the top layer: the page shows every app's panel.
        return reverse("public:statement_page", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        """public_q() for this one paper (no query)."""
        return self.state in PUBLIC_STATES and self.published_at is not None


class Coauthorship(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="coauthorships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coauthorships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "user"], name="one_coauthorship_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.statement_id}"


class RevisionQuerySet(models.QuerySet["Revision"]):
    def update(self, **kwargs: object) -> int:  # pragma: no cover - guard
        raise TypeError("Revisions are immutable.")


class Revision(models.Model):
    """One saved state of the text. Never updated: every change is a new row."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    occasion = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Both from the one parse made when the revision is written (markdown.parse): pages
    # never parse the body again. `blocks` holds [id, start line, end line, kind] per
    # top-level block (markdown.Block.stored); null only if never computed.
    body_html = models.TextField(blank=True)
    blocks = models.JSONField(null=True, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    message = models.CharField(_("Änderungsnotiz"), max_length=300, blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A save from an older base is merged three-way (statements/merge.py): `based_on` is
    # the revision the editor started from, `merged_with` the newer one it was merged into.
    merged_with = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who else wrote what this revision brings together: the authors of the revisions a
    # merge took in. Set once, when the revision is written.
    credited = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="credited_revisions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "number"], name="unique_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}#{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("Revisions are immutable; create a new one instead.")
        super().save(*args, **kwargs)

    @cached_property
    def parsed_blocks(self) -> list[markdown.Block]:
        """The top-level blocks of the body, from what was stored when it was written."""
        if self.blocks is None:  # a row written before blocks were kept
            return markdown.blocks(self.body)
        return markdown.stored_blocks(self.body, self.blocks)


class Autosave(models.Model):
    """The editor's unsaved text, one per person and paper (issue 16).

    The editor posts it every few seconds while someone types; the next visit offers it
    back; a save (`services.statement_edit`) removes it. Never a revision, never shown to
    anyone but its writer.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    occasion = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The revision the editor started from: restoring continues from it, so a save merges
    # with whatever others saved meanwhile.
    base_revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "statement"], name="one_autosave_per_person_and_paper"
            )
        ]

    def __str__(self) -> str:
        return f"autosave {self.user_id}@{self.statement_id}"

    def text(self) -> tuple[str, str, str, str]:
        return (self.title, self.occasion, self.summary, self.body)


class CompanionKind(models.TextChoices):
    PLAIN = "plain", _("Einfache Sprache")
    TRANSLATION = "translation", _("Übersetzung")


class CompanionQuerySet(models.QuerySet["Companion"]):
    def public(self) -> CompanionQuerySet:
        """Approved by a second member, of a paper the public sees (issue 19)."""
        return self.filter(public_q("statement__"), reviewed_at__isnull=False)


class Companion(models.Model):
    """A plain-language version or a translation of a published paper (issue 19).

    Written by one member, approved by another (never the writer: a check constraint)
    before anybody outside sees it; retracted with its paper (`retracted_at`).
    """

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="companions")
    kind = models.CharField(_("Art"), max_length=12, choices=CompanionKind.choices)
    language = models.CharField(_("Sprache"), max_length=8)
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(_("Text (Markdown)"))
    body_html = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geschrieben von"),
    )
    updated_at = models.DateTimeField(_("geändert am"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geprüft von"),
    )
    reviewed_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)
    retracted_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    objects = CompanionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Begleitfassung")
        verbose_name_plural = _("Begleitfassungen")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "kind", "language"], name="one_companion_per_language"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("written_by")),
                name="companion_reviewer_is_not_writer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement} [{self.code}]"

    def get_absolute_url(self) -> str:
        return reverse("public:companion", kwargs={"slug": self.statement.slug, "code": self.code})

    @property
    def hreflang(self) -> str:
        """Its BCP 47 tag for hreflang: plain language is German with a private-use subtag."""
        return "de-x-einfach" if self.kind == CompanionKind.PLAIN else self.language

    @property
    def code(self) -> str:
        """The companion's URL part: "einfach" for plain language, else the language code."""
        return "einfach" if self.kind == CompanionKind.PLAIN else self.language

    @property
    def is_public(self) -> bool:
        return self.reviewed_at is not None and self.statement.is_public

    @property
    def language_name(self) -> str:
        """The language named in itself (settings.RTM_COMPANION_LANGUAGE_NAMES)."""
        return settings.RTM_COMPANION_LANGUAGE_NAMES.get(self.language, self.language)
