"""factory-boy factories and helpers that build papers through the real services."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from accounts.models import (
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    OrganisationMembershipStatus,
    User,
)
from statements.models import Coauthorship, Statement, Topic
from statements.services import TextFields, statement_create


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Initiative Nummer {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    kind = OrganisationKind.INITIATIVE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    membership_status = MembershipStatus.MEMBER
    member_since = factory.LazyFunction(timezone.now)
    password = factory.django.Password("rtm-test-pass-2026")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Give the user a verified primary allauth e-mail address (default on)."""
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=obj, email=obj.email, defaults={"verified": True, "primary": True}
        )


def confirm_membership(
    user: User, organisation: Organisation, *, contact: bool = False
) -> OrganisationMembership:
    """`user` belongs to `organisation`, confirmed (as a coordinator would): may co-sign."""
    membership, _ = OrganisationMembership.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={
            "status": OrganisationMembershipStatus.CONFIRMED,
            "is_contact": contact,
            "decided_at": timezone.now(),
        },
    )
    user.__dict__.pop("_organisation_roles", None)  # the next check reads the new row
    return membership


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")


# The path through the state table to reach each state, as (transition, note).
PATHS: dict[str, list[str]] = {
    "draft": [],
    "consultation": ["submit"],
    "voting": ["submit", "open_vote"],
    "accepted": ["submit", "open_vote", "close_vote:yes"],
    "rejected": ["submit", "open_vote", "close_vote:no"],
    "published": ["submit", "open_vote", "close_vote:yes", "publish"],
    "retracted": ["submit", "open_vote", "close_vote:yes", "publish", "retract"],
    "withdrawn": ["withdraw"],
}


def make_statement(
    *,
    author: User | None = None,
    coauthors: list[User] | tuple[User, ...] = (),
    state: str = "draft",
    title: str = "Bezahlkarte: Bargeldgrenze aufheben",
    occasion: str = "Einführung der Bezahlkarte im Landkreis Leipzig",
    summary: str = "Der RTM fordert, die Bargeldgrenze der Bezahlkarte aufzuheben.",
    body: str = "Erster Absatz.\n\nZweiter Absatz mit *Betonung*.\n\nDritter Absatz.",
    **extra: Any,
) -> Statement:
    """Create a paper through the services and walk it along the state table to `state`."""
    author = author or UserFactory()
    statement = statement_create(
        author=author,
        text=TextFields(title=title, occasion=occasion, summary=summary, body=body),
        message="Erste Fassung",
    )
    for user in coauthors:
        Coauthorship.objects.create(statement=statement, user=user, added_by=author)
    advance(statement, state)
    statement.refresh_from_db()
    return statement


AUTHOR_TRANSITIONS = {"submit", "revise", "withdraw"}


def advance(statement: Statement, state: str) -> Statement:
    """Move a draft along PATHS[state] with a coordinator as actor (votes cast as needed)."""
    from workflow.services import statement_transition

    coordinator = User.objects.filter(is_coordinator=True, membership_status="member").first()
    if coordinator is None:
        coordinator = UserFactory(display_name="Factory Koordination", is_coordinator=True)
    for step in PATHS[state]:
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
    return statement


def _cast_votes_for(statement: Statement, *, adopt: bool) -> None:
    """Make the open ballot come out as wanted."""
    from voting.testing import cast_votes_for_outcome

    cast_votes_for_outcome(statement=statement, adopt=adopt)


def confirmed_organisation(user: User) -> Organisation:
    """The one organisation `user` is a confirmed member of."""
    return Organisation.objects.get(
        memberships__user=user, memberships__status=OrganisationMembershipStatus.CONFIRMED
    )
