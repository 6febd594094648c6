"""Fixtures for the discussion tests: papers in each state and comments on them."""

from __future__ import annotations

import pytest

from discussion import services
from statements import markdown
from tests.factories import make_statement

BODY = "Erster Absatz.\n\nZweiter Absatz mit *Betonung*.\n\nDritter Absatz."


@pytest.fixture
def paper(author, coauthor):
    """paper(state) → a statement by author + coauthor in that state."""

    def make(state: str = "consultation", body: str = BODY):
        return make_statement(author=author, coauthors=[coauthor], state=state, body=body)

    return make


def block_ids(statement) -> list[str]:
    statement.refresh_from_db()
    return [b.id for b in markdown.blocks(statement.current_revision.body)]


def comment_on(statement, user, body="Ein Kommentar.", **kwargs):
    return services.comment_create(statement=statement, author=user, body=body, **kwargs)


@pytest.fixture(autouse=True)
def events(monkeypatch):
    """Record emitted events instead of running the notifications app.

    The discussion's contract is to call emit() with the right kind, target and
    extra; who gets notified is the notifications app's job (tested there).
    """
    recorded: list[dict] = []

    def record(*, kind, statement, actor, target, extra):
        recorded.append(
            {"kind": kind, "statement": statement, "actor": actor, "target": target, "extra": extra}
        )

    monkeypatch.setattr("notifications.services.notifications_for_event", record)
    return recorded


def move_to(statement, target: str):
    """Walk a paper from its current state on to `target` along the factories' paths."""
    from tests.factories import AUTHOR_TRANSITIONS, PATHS, _cast_votes_for
    from workflow.services import statement_transition

    statement.refresh_from_db()
    done = PATHS[statement.state]
    steps = PATHS[target]
    assert steps[: len(done)] == done, (statement.state, target)
    from accounts.models import User

    coordinator = User.objects.filter(is_coordinator=True, membership_status="member").first()
    for step in steps[len(done) :]:
        name, _, outcome = step.partition(":")
        if name == "close_vote":
            _cast_votes_for(statement, adopt=outcome == "yes")
        actor = statement.created_by if name in AUTHOR_TRANSITIONS else coordinator
        statement_transition(
            statement_id=statement.pk,
            name=name,
            actor=actor,
            note="Begründung" if name in ("withdraw", "retract", "back_to_draft") else "",
        )
    statement.refresh_from_db()
    return statement
