"""Concurrency on PostgreSQL: one vote row per member, nothing counted after the deadline.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/rtm_e .venv/bin/pytest tests/voting
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.realservices import require_postgres
from voting.models import Ballot, Vote
from voting.services import NoOpenBallot, VotingClosed, vote_cast

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


# PostgreSQL allows 100 connections and other test runs share the server: at most this
# many threads (each with its own connection) submit at the same moment.
MAX_THREADS = 30


def run_at_once(jobs: list) -> list:
    """Run the callables from up to MAX_THREADS threads released together (job i in thread
    i % MAX_THREADS); return their results or exceptions, in order."""
    n = min(len(jobs), MAX_THREADS)
    barrier = threading.Barrier(n)
    results: list = [None] * len(jobs)

    def worker(t: int) -> None:
        try:
            barrier.wait()
            for i in range(t, len(jobs), n):
                try:
                    results[i] = jobs[i]()
                except Exception as exc:  # noqa: BLE001 - the result under test
                    results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_100_concurrent_votes_by_one_member_make_one_row(open_paper, member):
    """100 submissions (yes/no/abstain mixed) from 30 connections released together."""
    require_postgres()
    paper = open_paper()
    choices = ["yes", "no", "abstain"]
    results = run_at_once(
        [
            lambda c=choices[i % 3]: vote_cast(statement=paper, voter=member, choice=c)
            for i in range(100)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert Vote.objects.filter(voter=member).count() == 1
    assert Vote.objects.count() == 1


def test_concurrent_votes_of_many_members_are_all_kept(open_paper, crowd):
    require_postgres()
    people = crowd(40)
    paper = open_paper()
    results = run_at_once(
        [lambda p=p: vote_cast(statement=paper, voter=p, choice="yes") for p in people]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert Vote.objects.count() == 40


def test_50_votes_just_after_the_deadline_are_not_counted(open_paper, crowd, coordinator):
    require_postgres()
    from workflow.services import statement_transition

    people = crowd(50)
    paper = open_paper(quorum_kind="none")
    deadline = timezone.now() + timedelta(milliseconds=1)
    Ballot.objects.filter(statement=paper).update(closes_at=deadline)
    while timezone.now() <= deadline:
        pass
    # The system closes at the deadline while the late votes arrive.
    jobs = [lambda: statement_transition(statement_id=paper.pk, name="close_vote", actor=None)]
    jobs += [lambda p=p: vote_cast(statement=paper, voter=p, choice="yes") for p in people]
    results = run_at_once(jobs)
    close, votes = results[0], results[1:]
    assert not isinstance(close, Exception), close
    # Refused as too late, or (once the close committed) as no longer open.
    kinds = Counter(type(r) for r in votes)
    assert set(kinds) <= {VotingClosed, NoOpenBallot}, kinds
    assert sum(kinds.values()) == 50
    assert Vote.objects.count() == 0
    ballot = Ballot.objects.get(statement=paper)
    assert (ballot.turnout, ballot.count_yes, ballot.outcome) == (0, 0, "rejected")
    paper.refresh_from_db()
    assert paper.state == "rejected"
    assert connection.vendor == "postgresql"


def test_two_reminder_runs_at_once_remind_each_ballot_once(open_paper, monkeypatch):
    require_postgres()
    from voting.services import ballots_send_reminders

    emitted = []
    monkeypatch.setattr("voting.services.emit", lambda kind, **kw: emitted.append(kw["target"].pk))
    for _ in range(3):
        open_paper(voting_ends_at=timezone.now() + timedelta(hours=3))
    results = run_at_once([ballots_send_reminders for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(results) == 3
    assert sorted(emitted) == sorted(Ballot.objects.values_list("pk", flat=True))
