"""Every statement predicate, for every kind of person, in every state: against a table.

The view matrices (test_role_matrix.py, tests/authz) reach a predicate only where a view
asks it, and several views ask the state machine first. A mutation run
(docs/mutation.md) showed predicates whose rule could be turned around without a test
noticing: a member opening the vote as soon as the consultation ended, papers withdrawn
from draft shown to every member, drafts viewable by anyone through can_view (used for
every mail), the coordination unable to send a paper back or to withdraw it.

The expectations below restate the rules from docs/architecture.md and the product's
role table on their own (literal state names, no import of statements.states), so a
change in either place shows up as a difference here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from statements import permissions as perms
from statements.models import Coauthorship, Statement
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "registered", "suspended_coauthor", "member", "creator", "coauthor", "coord")
AUTHORS = {"creator", "coauthor"}
MEMBERS = {"member", "creator", "coauthor", "coord"}

# (label, state, withdrawn_from)
SITUATIONS = (
    ("draft", "draft", ""),
    ("consultation", "consultation", ""),
    ("voting", "voting", ""),
    ("accepted", "accepted", ""),
    ("rejected", "rejected", ""),
    ("published", "published", ""),
    ("retracted", "retracted", ""),
    ("withdrawn from draft", "withdrawn", "draft"),
    ("withdrawn from consultation", "withdrawn", "consultation"),
    ("withdrawn from voting", "withdrawn", "voting"),
)
READ_BY_MEMBERS = {"consultation", "voting", "accepted", "rejected", "published", "retracted"}
PUBLIC = {"published", "retracted"}
TEXT_OPEN = {"draft", "consultation"}


def sees_internal(role: str, state: str, withdrawn_from: str) -> bool:
    if role not in MEMBERS:
        return False
    if role in AUTHORS or role == "coord":
        return True
    if state == "withdrawn":
        return withdrawn_from in READ_BY_MEMBERS
    return state in READ_BY_MEMBERS


EXPECTED = {
    "is_author": lambda role, state, wf: role in AUTHORS,
    "is_creator": lambda role, state, wf: role == "creator",
    "can_view_internal": sees_internal,
    "can_view_history": sees_internal,
    "can_view": lambda role, state, wf: state in PUBLIC or sees_internal(role, state, wf),
    "can_edit": lambda role, state, wf: state in TEXT_OPEN and role in AUTHORS,
    "can_manage_coauthors": lambda role, state, wf: state in TEXT_OPEN and role == "creator",
    # The transitions' permission hooks: who, whatever the state (django-fsm checks that).
    "can_submit": lambda role, state, wf: role in AUTHORS,
    "can_revise": lambda role, state, wf: role in AUTHORS,
    "can_back_to_draft": lambda role, state, wf: role in AUTHORS | {"coord"},
    "can_withdraw": lambda role, state, wf: role in AUTHORS | {"coord"},
    "can_close_vote": lambda role, state, wf: role == "coord",
    "can_publish": lambda role, state, wf: role == "coord",
    "can_retract": lambda role, state, wf: role == "coord",
    "can_mark_urgent": lambda role, state, wf: role == "coord" and state in TEXT_OPEN,
}


@pytest.fixture
def people() -> dict:
    creator = UserFactory(display_name="Anna Autorin")
    cast = {
        "visitor": AnonymousUser(),
        "registered": UserFactory(membership_status="registered"),
        "suspended_coauthor": UserFactory(membership_status="suspended"),
        "member": UserFactory(),
        "creator": creator,
        "coauthor": UserFactory(),
        "coord": UserFactory(is_coordinator=True),
    }
    return cast


@pytest.fixture
def paper_in(people):
    """paper_in(state, withdrawn_from="", consultation_ends_at=None) → a fresh instance."""
    paper = make_statement(author=people["creator"], coauthors=[people["coauthor"]])
    Coauthorship.objects.create(
        statement=paper, user=people["suspended_coauthor"], added_by=people["creator"]
    )

    def make(state: str, withdrawn_from: str = "", consultation_ends_at=None) -> Statement:
        # A public paper has a publication date (the public rule asks for both).
        Statement.objects.filter(pk=paper.pk).update(
            state=state,
            withdrawn_from=withdrawn_from,
            consultation_ends_at=consultation_ends_at,
            published_at=timezone.now() if state in PUBLIC else None,
        )
        return Statement.objects.get(pk=paper.pk)

    return make


@pytest.mark.parametrize("predicate", sorted(EXPECTED))
def test_predicate_table(predicate, people, paper_in):
    check = getattr(perms, predicate)
    actual, expected = {}, {}
    for label, state, withdrawn_from in SITUATIONS:
        paper = paper_in(state, withdrawn_from)
        for role in ROLES:
            actual[label, role] = bool(check(people[role], paper))
            expected[label, role] = EXPECTED[predicate](role, state, withdrawn_from)
    wrong = {key: value for key, value in actual.items() if value != expected[key]}
    assert not wrong, f"{predicate} answers differently from the table: {wrong}"


@pytest.mark.parametrize(
    ("ends", "over"),
    [
        (None, False),  # no deadline set: never over by itself
        (timedelta(hours=1), False),
        (timedelta(seconds=-1), True),
        (timedelta(days=-3), True),
    ],
)
def test_opening_the_vote_needs_a_coordinator_or_an_ended_consultation(
    ends, over, people, paper_in
):
    when = None if ends is None else timezone.now() + ends
    paper = paper_in("consultation", consultation_ends_at=when)
    assert perms.consultation_over(paper) is over
    may = {role: perms.can_open_vote(people[role], paper) for role in ROLES}
    assert may == {role: role == "coord" or (role in AUTHORS and over) for role in ROLES}, (
        f"consultation over: {over}"
    )
