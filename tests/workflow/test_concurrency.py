"""Real PostgreSQL: concurrent attempts at the same transition apply exactly once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from statements.states import State
from tests.factories import UserFactory, make_statement
from tests.realservices import require_postgres
from voting.testing import set_voting_deadline
from workflow.models import AuditEntry
from workflow.services import TransitionAlreadyDone, TransitionError, statement_transition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


def race(statement_id: int, name: str, actor) -> list[str]:
    """Run `name` from THREADS threads released at once; return each outcome."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        try:
            barrier.wait()
            statement_transition(statement_id=statement_id, name=name, actor=actor)
            outcome = "done"
        except TransitionAlreadyDone:
            outcome = "already"
        except TransitionError as exc:
            outcome = f"refused {exc!r}"
        except Exception as exc:  # noqa: BLE001 - reported in the assertion
            outcome = f"error {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_twenty_concurrent_publishes_apply_once():
    require_postgres()
    coordinator = UserFactory(is_coordinator=True)
    statement = make_statement(state="accepted")
    outcomes = race(statement.pk, "publish", coordinator)
    assert sorted(outcomes) == ["already"] * (THREADS - 1) + ["done"]
    statement.refresh_from_db()
    assert statement.state == State.PUBLISHED
    assert AuditEntry.objects.filter(statement=statement, transition="publish").count() == 1


def test_twenty_concurrent_deadline_closes_apply_once():
    require_postgres()
    statement = make_statement(state="voting")
    set_voting_deadline(statement=statement, when=timezone.now() - timedelta(minutes=1))
    outcomes = race(statement.pk, "close_vote", None)
    assert sorted(outcomes) == ["already"] * (THREADS - 1) + ["done"]
    statement.refresh_from_db()
    assert statement.state in (State.ACCEPTED, State.REJECTED)
    entries = AuditEntry.objects.filter(statement=statement, transition="close_vote")
    assert entries.count() == 1 and entries.get().is_system
