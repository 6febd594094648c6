"""One rule decides who is a member, and every place that lists members follows it (issue 14).

The rule (accounts.models.member_q / MEMBER_Q, User.objects.members(); for one loaded user
accounts.permissions.is_member): an admitted person whose account is active. The people
below tell a place with its own definition apart from one that asks the rule: a
deactivated account that still carries the status "member" (a definition by status
alone lets it in) and active people who are suspended, declined, waiting or only
registered (a definition by is_active alone lets them in).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import MembershipStatus, User
from accounts.permissions import is_member
from accounts.services import MembershipError, admission_request_create, invitation_create
from notifications.models import Notification
from statements.forms import CoauthorAddForm
from tests.factories import UserFactory, make_statement
from voting.models import EligibleVoter
from voting.selectors import ballot_can_close, eligible_non_voter_ids, open_ballot_for
from voting.services import vote_cast

MEMBERS = ("Zora Mitglied", "Zora Koordination")
NOT_MEMBERS = (
    "Zora Deaktiviert",
    "Zora Gesperrt",
    "Zora Abgelehnt",
    "Zora Wartend",
    "Zora Registriert",
)


@pytest.fixture
def people(db):
    made = {
        "Zora Mitglied": UserFactory(display_name="Zora Mitglied"),
        "Zora Koordination": UserFactory(display_name="Zora Koordination", is_coordinator=True),
        "Zora Deaktiviert": UserFactory(display_name="Zora Deaktiviert", is_active=False),
        "Zora Gesperrt": UserFactory(
            display_name="Zora Gesperrt", membership_status=MembershipStatus.SUSPENDED
        ),
        "Zora Abgelehnt": UserFactory(
            display_name="Zora Abgelehnt", membership_status=MembershipStatus.DECLINED
        ),
        "Zora Wartend": UserFactory(
            display_name="Zora Wartend", membership_status=MembershipStatus.REQUESTED
        ),
        "Zora Registriert": UserFactory(
            display_name="Zora Registriert", membership_status=MembershipStatus.REGISTERED
        ),
    }
    assert set(made) == {*MEMBERS, *NOT_MEMBERS}
    return made


def _zoras(names) -> set[str]:
    return {name for name in names if name.startswith("Zora ")}


def test_the_rule_agrees_with_itself(people):
    """The queryset and the predicate for one user are one rule, for every status."""
    assert _zoras(User.objects.members().values_list("display_name", flat=True)) == set(MEMBERS)
    for name, user in people.items():
        assert is_member(user) is (name in MEMBERS), name
    # Coordinators are members too; a deactivated coordinator is neither.
    user = people["Zora Koordination"]
    user.is_active = False
    assert not is_member(user)


def test_the_directory_lists_members_only(people, client_for):
    html = client_for(people["Zora Mitglied"]).get(reverse("accounts:directory")).content.decode()
    assert all(name in html for name in MEMBERS)
    assert not any(name in html for name in NOT_MEMBERS)


def test_mention_suggestions_offer_members_only(people, client_for):
    client = client_for(people["Zora Mitglied"])
    html = client.get(reverse("discussion:member_autocomplete"), {"q": "Zora"}).content.decode()
    assert all(name in html for name in MEMBERS)
    assert not any(name in html for name in NOT_MEMBERS)


def test_only_members_can_be_added_as_coauthors(people):
    statement = make_statement(author=people["Zora Mitglied"])
    offered = CoauthorAddForm(statement=statement).fields["user"].queryset
    assert _zoras(offered.values_list("display_name", flat=True)) == {"Zora Koordination"}


@pytest.mark.parametrize("kind", ["consultation_opened", "published"])
def test_only_members_are_told_of_a_paper(people, author, coordinator, kind):
    """A published paper may be seen by anyone, so for its notification the recipients'
    rule is the only thing between the news and a registered or deactivated account.
    (`author` submits and `coordinator` publishes: the actor is not told.)"""
    make_statement(author=author, state="published")
    told = Notification.objects.filter(kind=kind).values_list("recipient__display_name", flat=True)
    assert _zoras(told) == set(MEMBERS)


def test_only_active_coordinators_are_asked_to_admit(people):
    for name, changes in (
        ("Zora Gesperrt", {"is_coordinator": True}),
        ("Zora Deaktiviert", {"is_coordinator": True}),
    ):
        User.objects.filter(pk=people[name].pk).update(**changes)
    admission_request_create(user=people["Zora Registriert"], organisation_text="", reason="Gern")
    told = Notification.objects.filter(kind="admission_requested").values_list(
        "recipient__display_name", flat=True
    )
    assert set(told) == {"Zora Koordination"}


def test_only_members_get_a_seat_and_only_members_hold_an_early_close(people):
    statement = make_statement(author=people["Zora Mitglied"], state="voting")
    ballot = open_ballot_for(statement)
    seats = EligibleVoter.objects.filter(ballot=ballot).values_list("user__display_name", flat=True)
    assert _zoras(seats) == set(MEMBERS)
    # A member deactivated during the vote no longer holds the early close up.
    User.objects.filter(pk=people["Zora Koordination"].pk).update(is_active=False)
    waiting = User.objects.filter(pk__in=eligible_non_voter_ids(ballot))
    assert _zoras(waiting.values_list("display_name", flat=True)) == {"Zora Mitglied"}
    for user in waiting:
        vote_cast(statement=statement, voter=user, choice="yes")
    assert ballot_can_close(statement)


def test_a_member_cannot_be_invited_again_others_can(people, coordinator):
    with pytest.raises(MembershipError):
        invitation_create(email=people["Zora Mitglied"].email, invited_by=coordinator)
    invitation = invitation_create(email=people["Zora Abgelehnt"].email, invited_by=coordinator)
    assert invitation.pk


@pytest.mark.parametrize(
    ("name", "may"),
    [
        ("Zora Registriert", True),
        ("Zora Abgelehnt", True),
        ("Zora Wartend", False),
        ("Zora Mitglied", False),
        ("Zora Gesperrt", False),
    ],
)
def test_who_may_ask_to_be_admitted_is_one_rule(people, client_for, name, may):
    """The profile offers the request form exactly to those the service accepts it from."""
    user = people[name]
    page = client_for(user).get(reverse("accounts:profile")).content.decode()
    assert ("Aufnahme beantragen" in page) is may
    if may:
        admission_request_create(user=user, organisation_text="", reason="Ich mache mit.")
    else:
        with pytest.raises(MembershipError):
            admission_request_create(user=user, organisation_text="", reason="Ich mache mit.")
