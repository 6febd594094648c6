"""Who speaks for an organisation (accounts.permissions): what the views' guards hide.

The views put member_required in front of every organisation action, so the view tests
never reach the predicates for a suspended contact; a mutation run (docs/mutation.md)
showed that organisation_roles could hand a suspended person their roles, that the
"read the current rows" step before a decision could be skipped, and that the
one-query cache could be lost, and no test noticed. These tests go through the profile
page and the services, which check again.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import permissions
from accounts.models import OrganisationMembership
from accounts.services import organisation_membership_decide
from public.services import CosignNotAllowed, cosignature_add
from tests.factories import OrganisationFactory, UserFactory, confirm_membership, make_statement

pytestmark = pytest.mark.django_db

CONTACT_SECTION = "Ansprechperson für Ihre Organisation"


def members_page(organisation) -> str:
    return reverse("accounts:organisation_members", args=[organisation.pk])


def requested(user, organisation) -> OrganisationMembership:
    return OrganisationMembership.objects.create(user=user, organisation=organisation)


def test_an_active_contact_is_offered_their_organisation_on_the_profile(client_for):
    contact = UserFactory()
    organisation = OrganisationFactory(name="Willkommensinitiative Grimma")
    confirm_membership(contact, organisation, contact=True)
    page = client_for(contact).get("/profile/").content.decode()
    assert CONTACT_SECTION in page and members_page(organisation) in page


def test_a_suspended_contact_is_offered_no_organisation(client_for, suspended):
    organisation = OrganisationFactory(name="Willkommensinitiative Grimma")
    confirm_membership(suspended, organisation, contact=True)
    requested(UserFactory(), organisation)
    page = client_for(suspended).get("/profile/").content.decode()
    assert CONTACT_SECTION not in page and members_page(organisation) not in page


def test_a_deactivated_account_keeps_no_roles():
    person = UserFactory()
    organisation = OrganisationFactory()
    confirm_membership(person, organisation, contact=True)
    person.is_active = False
    assert permissions.organisation_roles(person) == {}
    assert not permissions.is_confirmed_member_of(person, organisation.pk)
    assert not permissions.can_decide_organisation_membership(person, organisation.pk)


def test_a_suspended_contact_cannot_decide_even_past_the_view(suspended):
    """The service checks again: called without the view's member_required, it refuses."""
    organisation = OrganisationFactory()
    confirm_membership(suspended, organisation, contact=True)
    waiting = requested(UserFactory(), organisation)
    with pytest.raises(PermissionDenied):
        organisation_membership_decide(membership_id=waiting.pk, by=suspended, confirm=True)
    waiting.refresh_from_db()
    assert waiting.status == "requested"


def test_a_contact_removed_after_the_page_was_built_decides_nothing(coordinator):
    """The roles cached on the user object while the page was built are stale once the
    coordination ended the membership: the service reads the current rows."""
    contact = UserFactory()
    organisation = OrganisationFactory()
    own = confirm_membership(contact, organisation, contact=True)
    waiting = requested(UserFactory(), organisation)
    assert permissions.can_decide_organisation_membership(contact, organisation.pk)  # cached
    organisation_membership_decide(membership_id=own.pk, by=coordinator, confirm=False)
    with pytest.raises(PermissionDenied):
        organisation_membership_decide(membership_id=waiting.pk, by=contact, confirm=True)
    waiting.refresh_from_db()
    assert waiting.status == "requested"


def test_a_member_declined_after_the_page_was_built_cannot_cosign(coordinator):
    signer = UserFactory()
    organisation = OrganisationFactory()
    membership = confirm_membership(signer, organisation)
    published = make_statement(state="published")
    assert permissions.confirmed_organisation_ids(signer) == {organisation.pk}  # cached
    organisation_membership_decide(membership_id=membership.pk, by=coordinator, confirm=False)
    with pytest.raises(CosignNotAllowed):
        cosignature_add(statement=published, organisation=organisation, actor=signer)
    assert not published.cosignatures.exists()


def test_a_request_is_not_a_membership():
    person = UserFactory()
    mine, other, asked = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    confirm_membership(person, mine)
    requested(person, asked)
    assert permissions.is_confirmed_member_of(person, mine.pk)
    assert not permissions.is_confirmed_member_of(person, asked.pk)
    assert not permissions.is_confirmed_member_of(person, other.pk)
    assert not permissions.is_organisation_contact(person, mine.pk)


def test_roles_cost_one_query_however_often_they_are_asked(django_assert_num_queries):
    """A page that checks a dozen organisations asks the database once (pinned)."""
    person = UserFactory()
    organisations = [OrganisationFactory() for _ in range(3)]
    for organisation in organisations:
        confirm_membership(person, organisation, contact=organisation is organisations[0])
    with django_assert_num_queries(1):  # the person's confirmed memberships
        for organisation in organisations * 4:
            permissions.is_confirmed_member_of(person, organisation.pk)
            permissions.can_decide_organisation_membership(person, organisation.pk)
        assert permissions.confirmed_organisation_ids(person) == {o.pk for o in organisations}


def test_nobody_at_all_is_no_member():
    """None stands for the system in the services (statement_transition's actor): the
    predicates answer no for it instead of failing on a missing attribute."""
    assert not permissions.is_member(None)
    assert not permissions.is_coordinator(None)
