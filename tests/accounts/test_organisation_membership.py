"""Membership in an organisation: requested by the person, confirmed by the coordination
or the organisation's contact. Only a confirmed membership speaks for the organisation."""

from __future__ import annotations

import pytest

from accounts.models import OrganisationMembership
from tests.factories import OrganisationFactory, UserFactory, confirm_membership

pytestmark = pytest.mark.django_db


def save_profile(client, user, *organisations):
    return client.post(
        "/profile/",
        {
            "display_name": user.display_name,
            "language": "de",
            "organisations": [o.pk for o in organisations],
        },
        follow=True,
    )


def act(client, membership, action, **extra):
    return client.post(f"/organisations/memberships/{membership.pk}/", {"action": action, **extra})


def status_of(membership) -> str:
    membership.refresh_from_db()
    return membership.status


def test_a_tick_is_a_request_with_a_visible_status(client_for, member, coordinator):
    organisation = OrganisationFactory(name="Netzwerk Asyl Borna e. V.")
    client = client_for(member)
    page = save_profile(client, member, organisation).content.decode()
    membership = OrganisationMembership.objects.get(user=member)
    assert membership.status == "requested" and membership.decided_by is None
    assert "Netzwerk Asyl Borna e. V. (angefragt)" in page
    assert "Ihre Zugehörigkeit ist angefragt." in page

    response = act(client_for(coordinator), membership, "confirm")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "confirmed"
    assert membership.decided_by == coordinator and membership.decided_at is not None
    assert "Netzwerk Asyl Borna e. V. (bestätigt)" in client.get("/profile/").content.decode()
    # Saving the profile again keeps the confirmation (no new request).
    save_profile(client, member, organisation)
    assert status_of(membership) == "confirmed"


def test_unticking_withdraws_but_a_decline_stays_and_a_new_tick_asks_again(
    client_for, member, coordinator
):
    organisation = OrganisationFactory(name="Initiative X")
    client = client_for(member)
    save_profile(client, member, organisation)
    save_profile(client, member)
    assert not OrganisationMembership.objects.exists()

    save_profile(client, member, organisation)
    membership = OrganisationMembership.objects.get()
    act(client_for(coordinator), membership, "decline")
    assert status_of(membership) == "declined"
    page = save_profile(client, member).content.decode()
    assert "Initiative X (abgelehnt)" in page
    assert status_of(membership) == "declined"  # unticked: the decision stays on record
    save_profile(client, member, organisation)
    assert status_of(membership) == "requested"


def test_coordination_queue_lists_open_requests(client_for, member, coordinator):
    organisation = OrganisationFactory(name="Kirchgemeinde Y")
    save_profile(client_for(member), member, organisation)
    client = client_for(coordinator)
    page = client.get("/coordination/memberships/").content.decode()
    assert "Kirchgemeinde Y" in page and member.display_name in page
    membership = OrganisationMembership.objects.get()
    response = act(client, membership, "confirm", back="queue")
    assert response["Location"] == "/coordination/memberships/"
    assert "Keine offenen Anfragen." in client.get("/coordination/memberships/").content.decode()
    page = client.get(f"/organisations/{organisation.pk}/members/").content.decode()
    assert member.display_name in page and "Bestätigte Mitglieder" in page


def test_a_member_cannot_confirm_their_own_request(client_for, member):
    """The attack: tick the organisation, then POST 'confirm' on one's own request."""
    organisation = OrganisationFactory()
    client = client_for(member)
    save_profile(client, member, organisation)
    membership = OrganisationMembership.objects.get()
    assert act(client, membership, "confirm").status_code == 403
    assert act(client, membership, "make_contact").status_code == 403
    assert client.get(f"/organisations/{organisation.pk}/members/").status_code == 403
    assert status_of(membership) == "requested"


def test_organisation_contact_confirms_for_their_own_organisation_only(client_for, member):
    organisation, other = OrganisationFactory(name="Unsere Ini"), OrganisationFactory()
    contact = UserFactory(display_name="Conny Kontakt")
    confirm_membership(contact, organisation, contact=True)
    save_profile(client_for(member), member, organisation, other)
    ours = OrganisationMembership.objects.get(user=member, organisation=organisation)
    theirs = OrganisationMembership.objects.get(user=member, organisation=other)

    client = client_for(contact)
    profile = client.get("/profile/").content.decode()
    assert f"/organisations/{organisation.pk}/members/" in profile
    assert "1 offene Anfrage" in profile
    assert client.get(f"/organisations/{organisation.pk}/members/").status_code == 200
    assert client.get(f"/organisations/{other.pk}/members/").status_code == 403
    assert act(client, theirs, "confirm").status_code == 403
    assert status_of(theirs) == "requested"
    response = act(client, ours, "confirm")
    assert response["Location"] == f"/organisations/{organisation.pk}/members/"
    ours.refresh_from_db()
    assert ours.status == "confirmed" and ours.decided_by == contact
    # Naming contacts is the coordination's decision.
    assert act(client, ours, "make_contact").status_code == 403
    assert not OrganisationMembership.objects.get(pk=ours.pk).is_contact


def test_a_contact_cannot_remove_another_contact(client_for):
    organisation = OrganisationFactory()
    first, second = UserFactory(), UserFactory()
    confirm_membership(first, organisation, contact=True)
    other_contact = confirm_membership(second, organisation, contact=True)
    response = act(client_for(first), other_contact, "decline")
    assert response.status_code == 302
    assert status_of(other_contact) == "confirmed"


def test_a_suspended_contact_confirms_nobody(client_for, member, suspended):
    organisation = OrganisationFactory()
    confirm_membership(suspended, organisation, contact=True)
    save_profile(client_for(member), member, organisation)
    membership = OrganisationMembership.objects.get(user=member)
    assert act(client_for(suspended), membership, "confirm").status_code == 403
    assert status_of(membership) == "requested"


def test_coordinator_names_and_removes_contacts(client_for, member, coordinator):
    organisation = OrganisationFactory()
    client = client_for(coordinator)
    save_profile(client_for(member), member, organisation)
    membership = OrganisationMembership.objects.get()
    # Only a confirmed member can be the contact: refused with a message, nothing changes.
    page = client.post(
        f"/organisations/memberships/{membership.pk}/", {"action": "make_contact"}, follow=True
    ).content.decode()
    assert "Ansprechperson kann nur sein, wessen Zugehörigkeit bestätigt ist." in page
    act(client, membership, "confirm")
    act(client, membership, "make_contact")
    membership.refresh_from_db()
    assert membership.is_contact
    # Ending the membership ends the contact role with it.
    act(client, membership, "decline")
    membership.refresh_from_db()
    assert membership.status == "declined" and not membership.is_contact


def test_bad_input_and_wrong_method(client_for, coordinator, member):
    organisation = OrganisationFactory()
    membership = confirm_membership(member, organisation)
    client = client_for(coordinator)
    assert act(client, membership, "befoerdern").status_code == 400
    assert client.get(f"/organisations/memberships/{membership.pk}/").status_code == 405
    assert act(client, OrganisationMembership(pk=999999), "confirm").status_code == 404
    assert client.get("/organisations/999999/members/").status_code == 404
    assert client_for(None).get(f"/organisations/{organisation.pk}/members/").status_code == 302


def test_organisation_list_counts_confirmed_and_open(client_for, coordinator, member):
    organisation = OrganisationFactory(name="Zählverein")
    confirm_membership(UserFactory(), organisation)
    save_profile(client_for(member), member, organisation)
    page = client_for(coordinator).get("/coordination/organisations/").content.decode()
    row = page[page.index("Zählverein") :].split("</tr>")[0]
    assert "<td>1</td>\n      <td>1</td>" in row


def test_existing_profile_ticks_migrate_to_requests(transactional_db):
    """Ticks made before this change were never checked: they become requests, so none
    keeps the power to co-sign without a confirmation."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("accounts", "0004_display_name_key_unique")]
    after = [("accounts", "0005_organisation_membership_requested")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("accounts", "Organisation")
    user = User.objects.create(email="alt@example.org", display_name="Alt")
    organisation = Organisation.objects.create(name="Altverein", slug="altverein", kind="verein")
    user.organisations.add(organisation)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    membership = OrganisationMembership.objects.get(user_id=user.pk)
    assert membership.organisation_id == organisation.pk
    assert membership.status == "requested" and membership.decided_by is None
    assert not membership.is_contact

    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
