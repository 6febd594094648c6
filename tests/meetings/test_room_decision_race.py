"""Real PostgreSQL: a decision in the room and the online deadline closing at the same
moment close the ballot exactly once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from meetings import services
from meetings.models import RoomDecision
from statements.states import State
from tests.factories import UserFactory, make_statement
from tests.realservices import require_postgres
from voting.models import Ballot
from voting.rules import Counts
from voting.testing import set_voting_deadline
from workflow.models import AuditEntry
from workflow.services import TransitionError, statement_transition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROUNDS = 6


def _race(coordinator, meeting, statement) -> dict[str, str]:
    """The room's decision and beat's deadline close, released at the same moment."""
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def attempt(who: str, close) -> None:
        try:
            barrier.wait()
            close()
            outcomes[who] = "done"
        except (services.MeetingError, TransitionError):
            outcomes[who] = "refused"
        except Exception as exc:  # noqa: BLE001 - reported in the assertion
            outcomes[who] = f"error {exc!r}"
        finally:
            connection.close()

    def room() -> None:
        services.room_decision_record(
            actor=coordinator,
            meeting_id=meeting.pk,
            statement_id=statement.pk,
            counts=Counts(yes=4),
        )

    def online() -> None:
        statement_transition(statement_id=statement.pk, name="close_vote", actor=None)

    threads = [
        threading.Thread(target=attempt, args=("room", room)),
        threading.Thread(target=attempt, args=("online", online)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_room_decision_and_deadline_close_race_exactly_once():
    require_postgres()
    coordinator = UserFactory(is_coordinator=True)
    place = services.place_save(
        actor=coordinator,
        fields=services.PlaceFields(name="Rathaus", town="Grimma", address="Markt 16"),
    )
    present = [UserFactory() for _ in range(4)]
    for _round in range(ROUNDS):
        meeting = services.meeting_plan(
            actor=coordinator,
            fields=services.MeetingFields(
                starts_at=timezone.now() - timedelta(hours=1), minutes=180, place_id=place.pk
            ),
        )
        services.attendance_record(
            actor=coordinator,
            meeting_id=meeting.pk,
            check_in=services.CheckIn(user_ids=tuple(p.pk for p in present)),
        )
        statement = make_statement(state="voting")
        set_voting_deadline(statement=statement, when=timezone.now() - timedelta(seconds=1))
        outcomes = _race(coordinator, meeting, statement)
        assert sorted(outcomes.values()) == ["done", "refused"], outcomes
        statement.refresh_from_db()
        assert statement.state in (State.ACCEPTED, State.REJECTED)
        entries = AuditEntry.objects.filter(statement=statement, transition="close_vote")
        assert entries.count() == 1
        ballot = Ballot.objects.get(statement=statement)
        decided_in_room = RoomDecision.objects.filter(statement=statement).exists()
        assert decided_in_room == (outcomes["room"] == "done")
        assert entries.get().is_system == (not decided_in_room)
        if decided_in_room:
            assert ballot.eligible_count == 4 and ballot.count_yes == 4
