"""Beat's due work run by a real Celery worker subprocess against Redis (not eager)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from statements.models import Statement
from statements.states import State
from tests.factories import make_statement
from tests.realservices import WorkerProcess, require_postgres
from voting.models import Ballot
from workflow.models import AuditEntry

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def _deadline_passed(statement: Statement) -> None:
    past = timezone.now() - timedelta(minutes=1)
    Statement.objects.filter(pk=statement.pk).update(voting_ends_at=past)
    Ballot.objects.filter(statement=statement).update(closes_at=past)


def _wait_for_finished_tasks(worker: WorkerProcess, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.output().count("workflow.tasks.run_due_work[") >= 2 * count and (
            worker.output().count("succeeded in") >= count
        ):
            return
        time.sleep(0.2)
    raise AssertionError("tasks did not finish:\n" + worker.output())


def test_worker_closes_due_vote_once_when_run_twice_at_once(
    transactional_db, private_redis, use_real_broker
):
    require_postgres()
    statement = make_statement(state="voting")
    not_due = make_statement(state="voting", title="Sprachkurse für alle Geflüchteten")
    _deadline_passed(statement)
    use_real_broker(private_redis.url)
    worker = WorkerProcess(private_redis.url, concurrency=2)
    worker.start()
    try:
        from workflow.tasks import run_due_work

        # Two runs queued at once; with concurrency 2 they race for the same paper.
        run_due_work.delay()
        run_due_work.delay()
        _wait_for_finished_tasks(worker, 2)
    finally:
        worker.stop()
    statement.refresh_from_db()
    not_due.refresh_from_db()
    assert statement.state in (State.ACCEPTED, State.REJECTED), worker.output()
    assert not_due.state == State.VOTING
    entries = AuditEntry.objects.filter(statement=statement, transition="close_vote")
    assert entries.count() == 1
    assert entries.get().is_system
