"""Comments on a statement, their edit history, reports and mentions.

A comment belongs to the revision it was written on and may anchor to one
top-level block of that revision (`block_id`, with the block's source kept in
`block_source` so the quote survives later edits). A comment that carries
`suggestion_text` is a suggested change for that block. Replies are comments
with a parent; threads are one level deep.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# A suggestion replaces one paragraph: it may be up to three times as long as that
# paragraph (at least 2,000 characters, so a short one can still be rewritten), never
# more than 20,000. Without a bound, three 20,000-character suggestions on a one-line
# paragraph made the paper's page cost seconds for every reader.
SUGGESTION_MIN_LIMIT = 2_000
SUGGESTION_FACTOR = 3
SUGGESTION_MAX_LENGTH = 20_000


def suggestion_limit(block_source: str) -> int:
    """How many characters a suggestion for the paragraph `block_source` may have."""
    return min(
        SUGGESTION_MAX_LENGTH, max(SUGGESTION_MIN_LIMIT, SUGGESTION_FACTOR * len(block_source))
    )


def suggestion_too_long(text: str, block_source: str) -> str | None:
    """The error for a suggestion longer than its paragraph allows, else None."""
    limit = suggestion_limit(block_source)
    if len(text) <= limit:
        return None
    return _(
        "Ein Änderungsvorschlag darf für diesen Absatz höchstens %(limit)s Zeichen lang sein "
        "(dreimal so lang wie der Absatz, mindestens %(floor)s, höchstens %(cap)s Zeichen). "
        "Ihr Text hat %(length)s Zeichen; bitte kürzen Sie ihn."
    ) % {
        "floor": number_format(SUGGESTION_MIN_LIMIT, force_grouping=True),
        "cap": number_format(SUGGESTION_MAX_LENGTH, force_grouping=True),
        "limit": number_format(limit, force_grouping=True),
        "length": number_format(len(text), force_grouping=True),
    }


class SuggestionStatus(models.TextChoices):
    # Contexts: the same German words name admission and paper states in other apps.
    OPEN = "open", pgettext_lazy("suggestion", "offen")
    APPLIED = "applied", _("übernommen")
    DECLINED = "declined", pgettext_lazy("suggestion", "abgelehnt")


class Comment(models.Model):
    statement = models.ForeignKey(
        "statements.Statement", on_delete=models.CASCADE, related_name="comments"
    )
    revision = models.ForeignKey(
        "statements.Revision", null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField(_("Kommentar"), max_length=10000)
    body_html = models.TextField(blank=True)
    block_id = models.CharField(_("Absatz"), max_length=100, blank=True)
    block_source = models.TextField(blank=True)

    suggestion_text = models.TextField(
        _("Vorgeschlagener Text"), max_length=SUGGESTION_MAX_LENGTH, blank=True
    )
    # The word diff of block_source → suggestion_text as [op, text] pairs (statements.diff),
    # computed when the suggestion is written or edited, never on a page view.
    suggestion_diff = models.JSONField(default=list, blank=True, editable=False)
    # The same change on the rendered text (statements.diff.html_diff: formatting shown,
    # changed words marked), stored at the same moments; "=" pieces are sanitised HTML.
    suggestion_rendered = models.JSONField(default=list, blank=True, editable=False)
    # "" for plain comments; a suggestion starts as OPEN.
    suggestion_status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, blank=True, default=""
    )
    decline_reason = models.TextField(_("Begründung"), max_length=2000, blank=True)
    suggestion_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggestion_decided_at = models.DateTimeField(null=True, blank=True)
    applied_revision = models.ForeignKey(
        "statements.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    is_resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(_("Grund"), max_length=2000, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    deleted_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["statement", "created_at"])]
        constraints = [
            # Threads are one level deep, and only top-level comments anchor or suggest.
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | (Q(block_id="") & Q(suggestion_status="")),
                name="comment_reply_is_plain",
            ),
            # A suggestion always replaces one block.
            models.CheckConstraint(
                condition=Q(suggestion_status="") | ~Q(block_id=""),
                name="comment_suggestion_has_block",
            ),
        ]

    def __str__(self) -> str:
        return f"Kommentar {self.pk} zu {self.statement_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_suggestion(self) -> bool:
        return bool(self.suggestion_status)

    @property
    def thread_root_id(self) -> int:
        return self.parent_id or self.pk


class CommentVersion(models.Model):
    """The text of a comment before an edit (kept so edits stay traceable)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="versions")
    body = models.TextField()
    suggestion_text = models.TextField(blank=True)
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["comment", "written_at"]

    def __str__(self) -> str:
        return f"Fassung von Kommentar {self.comment_id} ({self.written_at:%Y-%m-%d %H:%M})"


class Report(models.Model):
    """A member's report of a comment, for the coordination's moderation queue."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("Grund der Meldung"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    handled = models.BooleanField(default=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(handled=False),
                name="one_open_report_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"Meldung {self.pk} zu Kommentar {self.comment_id}"


class Mention(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions_received"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_mention_per_comment_user")
        ]

    def __str__(self) -> str:
        return f"Erwähnung {self.user_id} in Kommentar {self.comment_id}"
