"""Fixtures for the public side: papers along the whole state table, with canaries."""

from __future__ import annotations

import pytest

from statements.models import Topic
from tests.factories import OrganisationFactory, UserFactory, confirm_membership, make_statement


def walk(statement, steps, *, coordinator):
    """Apply transitions by name through the workflow service (votes cast as needed)."""
    from workflow.services import statement_transition

    for step in steps:
        name, _, outcome = step.partition(":")
        if name == "close_vote":
            from voting.testing import cast_votes_for_outcome

            cast_votes_for_outcome(statement=statement, adopt=outcome == "yes")
        actor = statement.created_by if name in ("submit", "revise", "withdraw") else coordinator
        statement_transition(
            statement_id=statement.pk,
            name=name,
            actor=actor,
            note="Begründung" if name in ("withdraw", "retract", "back_to_draft") else "",
        )
    statement.refresh_from_db()
    return statement


def client_in(language: str):
    """An anonymous client that chose `language` with the switch (a cookie)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def publish(statement, *, coordinator):
    return walk(
        statement, ["submit", "open_vote", "close_vote:yes", "publish"], coordinator=coordinator
    )


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Bezahlkarte", name_en="Payment card", slug="bezahlkarte")


@pytest.fixture
def published(author, coordinator, topic):
    statement = make_statement(
        author=author,
        state="published",
        title="Bezahlkarte: Bargeldgrenze aufheben",
        body="Die Bezahlkarte schränkt Geflüchtete ein.\n\nWir fordern Bargeld.",
    )
    statement.topics.add(topic)
    return statement


@pytest.fixture
def org_member(db):
    organisation = OrganisationFactory(name="Netzwerk Asyl Borna e. V.")
    user = UserFactory(display_name="Olga Organisiert")
    confirm_membership(user, organisation)
    return user
