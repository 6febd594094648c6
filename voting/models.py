"""Ballots, the voters fixed when a ballot opens, and their votes.

A ballot is one voting round on one revision of a paper. Everything that decides
the outcome (rule, quorum, secrecy, deadline, the eligible voters) is fixed when
it opens and never changed; the result is stored on the ballot when it closes.
A rejected paper that is revised and voted on again gets a new ballot (round + 1);
old ballots stay on record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DecisionRule(models.TextChoices):
    MAJORITY = "majority", _("Einfache Mehrheit")
    TWO_THIRDS = "two_thirds", _("Zweidrittelmehrheit")
    CONSENSUS = "consensus", _("Konsens")
    SILENCE = "silence", _("Schweigeverfahren")


class QuorumKind(models.TextChoices):
    SHARE = "share", _("Anteil der Stimmberechtigten (Prozent)")
    ABSOLUTE = "absolute", _("Mindestzahl an Teilnehmenden")
    NONE = "none", _("kein Quorum")


class VoteChoice(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nein")
    ABSTAIN = "abstain", _("Enthaltung")
    BLOCK = "block", _("Veto")
    OBJECT = "object", _("Einspruch")


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("angenommen")
    REJECTED = "rejected", _("abgelehnt")
    NO_QUORUM = "no_quorum", _("abgelehnt: Quorum nicht erreicht")


class Ballot(models.Model):
    statement = models.ForeignKey(
        "statements.Statement", on_delete=models.CASCADE, related_name="ballots"
    )
    round = models.PositiveIntegerField(_("Runde"), default=1)
    revision = models.ForeignKey(
        "statements.Revision",
        null=True,
        # RESTRICT, not PROTECT: the revision may go only together with its statement.
        on_delete=models.RESTRICT,
        related_name="+",
        verbose_name=_("abgestimmte Fassung"),
    )

    # The rule, fixed at opening.
    rule = models.CharField(_("Entscheidungsregel"), max_length=12, choices=DecisionRule.choices)
    quorum_kind = models.CharField(
        _("Quorum"), max_length=10, choices=QuorumKind.choices, default=QuorumKind.SHARE
    )
    quorum_value = models.PositiveIntegerField(_("Quorum-Wert"), default=0)
    silence_threshold = models.PositiveIntegerField(_("Einsprüche bis zur Ablehnung"), default=1)
    single_block_suffices = models.BooleanField(_("Ein Veto genügt"), default=False)
    is_secret = models.BooleanField(_("Geheime Abstimmung"), default=False)

    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("geöffnet am"), default=timezone.now)
    closes_at = models.DateTimeField(_("Frist"), db_index=True)
    closed_at = models.DateTimeField(_("geschlossen am"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    # The stored result (filled in by ballot_close; meaningless while open).
    eligible_count = models.PositiveIntegerField(_("Stimmberechtigte"), default=0)
    count_yes = models.PositiveIntegerField(_("Ja"), default=0)
    count_no = models.PositiveIntegerField(_("Nein"), default=0)
    count_abstain = models.PositiveIntegerField(_("Enthaltungen"), default=0)
    count_block = models.PositiveIntegerField(_("Vetos"), default=0)
    count_object = models.PositiveIntegerField(_("Einsprüche"), default=0)
    turnout = models.PositiveIntegerField(_("Beteiligung"), default=0)
    quorum_required = models.PositiveIntegerField(_("erforderliche Beteiligung"), default=0)
    # NULL: no quorum applies (silence procedure, or no quorum chosen).
    quorum_met = models.BooleanField(_("Quorum erreicht"), null=True, blank=True)
    outcome = models.CharField(_("Ergebnis"), max_length=12, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("Abstimmung")
        verbose_name_plural = _("Abstimmungen")
        # Not "statement": ordering through the FK would join (and lock) the statement row.
        ordering = ["-opened_at", "-round"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "round"], name="unique_ballot_round"),
            models.UniqueConstraint(
                fields=["statement"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_ballot_per_statement",
            ),
            models.CheckConstraint(
                condition=models.Q(rule__in=DecisionRule.values), name="ballot_rule_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_kind__in=QuorumKind.values),
                name="ballot_quorum_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(quorum_kind=QuorumKind.SHARE) | models.Q(quorum_value__lte=100),
                name="ballot_quorum_share_max_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} / {self.round}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def adopted(self) -> bool:
        return self.outcome == Outcome.ADOPTED


class EligibleVoter(models.Model):
    """One person entitled to vote, fixed when the ballot opened (members at that moment).

    `voted_at` records participation. For a secret ballot it is set to the closing
    time when the ballot closes, so its order cannot be matched to anything.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="eligible_voters")
    # SET_NULL: the seat stays counted when a person deletes their account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    voted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Stimmberechtigte Person")
        verbose_name_plural = _("Stimmberechtigte")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "user"], name="one_eligibility_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.user_id}"


class Vote(models.Model):
    """One voter's current choice. Changing it updates this row (one per voter, by the DB).

    Secret ballots keep no individual votes once closed: ballot_close stores the
    counts on the ballot and deletes these rows.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    choice = models.CharField(_("Stimme"), max_length=8, choices=VoteChoice.choices)
    reason = models.CharField(_("Begründung"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter"], name="one_vote_per_voter"),
            models.CheckConstraint(
                condition=models.Q(choice__in=VoteChoice.values), name="vote_choice_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.voter_id}"
