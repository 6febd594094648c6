"""The coordinator's desk (issue 16): everything waiting for the coordination on one page.

Read-only selectors over every app below (public is the top layer). The page costs the same
number of queries whatever is waiting: one per section, plus one for the people who have
not voted yet on the open ballots that are not secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import AdmissionRequest, member_q
from discussion.models import Report
from discussion.selectors import open_reports
from notifications.models import Notification, Status
from statements.models import Statement
from statements.states import State
from voting.models import Ballot, EligibleVoter

# Each list shows at most this many rows; the count says how many there are.
SHOWN = 50


@dataclass
class Desk:
    admissions: list[Any] = field(default_factory=list)
    reports: list[Any] = field(default_factory=list)
    consultations: list[Statement] = field(default_factory=list)
    ballots: list[Ballot] = field(default_factory=list)
    to_publish: list[Statement] = field(default_factory=list)
    failed_mails: int = 0

    @property
    def closable(self) -> list[Ballot]:
        return [b for b in self.ballots if b.can_close]

    @property
    def total(self) -> int:
        return (
            len(self.admissions)
            + len(self.reports)
            + len(self.consultations)
            + len(self.closable)
            + len(self.to_publish)
            + (1 if self.failed_mails else 0)
        )


def _pending_admissions():
    return AdmissionRequest.objects.filter(decision="pending").select_related("user")


def _consultations_past_deadline(now):
    return Statement.objects.filter(state=State.CONSULTATION, consultation_ends_at__lte=now)


def _open_ballots():
    # Seats whose person can still vote (suspended or deleted people do not hold a close up).
    waiting = Q(eligible_voters__voted_at__isnull=True) & member_q("eligible_voters__user__")
    return Ballot.objects.filter(closed_at__isnull=True).annotate(
        n_eligible=Count("eligible_voters"),
        n_voted=Count("eligible_voters", filter=Q(eligible_voters__voted_at__isnull=False)),
        n_waiting=Count("eligible_voters", filter=waiting),
    )


def _accepted():
    return Statement.objects.filter(state=State.ACCEPTED)


def _failed():
    return Notification.objects.filter(status=Status.FAILED)


def desk() -> Desk:
    now = timezone.now()
    ballots = list(_open_ballots().select_related("statement").order_by("closes_at", "pk"))
    open_ids = [b.pk for b in ballots if not b.is_secret]
    not_voted: dict[int, list[Any]] = {}
    if open_ids:
        seats = (
            EligibleVoter.objects.filter(
                member_q("user__"), ballot_id__in=open_ids, voted_at__isnull=True
            )
            .select_related("user")
            .order_by("user__display_name", "pk")
        )
        for seat in seats:
            not_voted.setdefault(seat.ballot_id, []).append(seat.user)
    for ballot in ballots:
        ballot.can_close = ballot.closes_at <= now or ballot.n_waiting == 0
        ballot.not_voted = not_voted.get(ballot.pk, [])
    ballots.sort(key=lambda b: (not b.can_close, b.closes_at, b.pk))
    return Desk(
        admissions=list(_pending_admissions().order_by("created_at", "pk")[:SHOWN]),
        reports=list(open_reports()[:SHOWN]),
        consultations=list(
            _consultations_past_deadline(now).order_by("consultation_ends_at", "pk")[:SHOWN]
        ),
        ballots=ballots,
        to_publish=list(_accepted().order_by("publish_at", "pk")[:SHOWN]),
        failed_mails=_failed().count(),
    )


def _count(queryset) -> Subquery:
    """COUNT(*) of `queryset` as a scalar subquery (no GROUP BY: Func is no aggregate)."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def desk_count() -> int:
    """What the header's "Koordination" link counts: things a coordinator should act on.

    One query (it runs on every page a coordinator opens): scalar subqueries side by side.
    """
    now = timezone.now()
    waiting = EligibleVoter.objects.filter(
        member_q("user__"), ballot=OuterRef("pk"), voted_at__isnull=True
    )
    closable = Ballot.objects.filter(closed_at__isnull=True).filter(
        Q(closes_at__lte=now) | ~Exists(waiting)
    )
    row = (
        Statement.objects.order_by()
        .annotate(
            admissions=_count(_pending_admissions()),
            reports=_count(Report.objects.filter(handled=False)),
            consultations=_count(_consultations_past_deadline(now)),
            closable=_count(closable),
            accepted=_count(_accepted()),
            failed=_count(_failed()),
        )
        .values("admissions", "reports", "consultations", "closable", "accepted", "failed")[:1]
    )
    found = list(row)
    if not found:  # no paper at all yet: the subqueries need a row to hang on
        return _pending_admissions().count() + (1 if _failed().exists() else 0)
    counts = found[0]
    return (
        counts["admissions"]
        + counts["reports"]
        + counts["consultations"]
        + counts["closable"]
        + counts["accepted"]
        + min(counts["failed"], 1)
    )
