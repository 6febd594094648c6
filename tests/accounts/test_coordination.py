"""Coordinators manage people and organisations; nobody else can."""

from __future__ import annotations

import pytest

from accounts.models import MembershipStatus, Organisation

pytestmark = pytest.mark.django_db


def test_suspend_and_reinstate(client_for, coordinator, member):
    c = client_for(coordinator)
    url = f"/coordination/members/{member.pk}/"
    response = c.post(url, {"action": "suspend", "reason": "Wiederholt <b>beleidigend</b>."})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.SUSPENDED
    assert member.suspended_at is not None
    assert client_for(member).get("/dashboard/").status_code == 403
    assert client_for(member).get("/members/").status_code == 403
    # The person and the coordination see why (escaped).
    profile = client_for(member).get("/profile/").content.decode()
    assert "Wiederholt &lt;b&gt;beleidigend&lt;/b&gt;." in profile
    assert (
        "Wiederholt &lt;b&gt;beleidigend&lt;/b&gt;."
        in c.get("/coordination/members/").content.decode()
    )
    response = c.post(url, {"action": "reinstate"}, follow=True)
    assert "Mia Mitglied ist wieder Mitglied." in response.content.decode()
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.MEMBER
    assert member.suspended_at is None and member.suspension_reason == ""
    assert client_for(member).get("/dashboard/").status_code == 200


def test_suspension_needs_a_reason(client_for, coordinator, member):
    response = client_for(coordinator).post(
        f"/coordination/members/{member.pk}/", {"action": "suspend", "reason": "  "}, follow=True
    )
    assert "Bitte geben Sie einen Grund" in response.content.decode()
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.MEMBER


def test_coordinator_role_toggle(client_for, coordinator, member):
    c = client_for(coordinator)
    c.post(f"/coordination/members/{member.pk}/", {"action": "make_coordinator", "confirmed": "1"})
    member.refresh_from_db()
    assert member.is_coordinator
    assert client_for(member).get("/coordination/admissions/").status_code == 200
    c.post(f"/coordination/members/{member.pk}/", {"action": "remove_coordinator"})
    member.refresh_from_db()
    assert not member.is_coordinator


def test_nobody_acts_on_themselves(client_for, coordinator):
    response = client_for(coordinator).post(
        f"/coordination/members/{coordinator.pk}/", {"action": "remove_coordinator"}, follow=True
    )
    coordinator.refresh_from_db()
    assert coordinator.is_coordinator
    assert "nicht an sich selbst" in response.content.decode()


def test_unknown_action_is_400(client_for, coordinator, member):
    response = client_for(coordinator).post(f"/coordination/members/{member.pk}/", {"action": "x"})
    assert response.status_code == 400


def test_members_cannot_suspend(client_for, member, coordinator):
    response = client_for(member).post(
        f"/coordination/members/{coordinator.pk}/", {"action": "suspend"}
    )
    assert response.status_code == 403
    coordinator.refresh_from_db()
    assert coordinator.membership_status == MembershipStatus.MEMBER


def test_organisations_create_and_edit(client_for, coordinator):
    c = client_for(coordinator)
    response = c.post(
        "/coordination/organisations/",
        {"name": "Tafel Wurzen e. V.", "kind": "verein", "website": "https://tafel.example.org"},
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="Tafel Wurzen e. V.")
    assert org.slug == "tafel-wurzen-e-v"
    response = c.post(
        f"/coordination/organisations/{org.pk}/edit/",
        {"name": "Tafel Wurzen", "kind": "initiative", "website": ""},
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.kind) == ("Tafel Wurzen", "initiative")


def test_organisation_form_errors_keep_input(client_for, coordinator, organisation):
    response = client_for(coordinator).post(
        "/coordination/organisations/",
        {"name": organisation.name, "kind": "verein", "website": "kein url"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "gibt es schon" in html
    assert 'value="kein url"' in html


def test_members_cannot_manage_organisations(client_for, member, organisation):
    c = client_for(member)
    assert (
        c.post("/coordination/organisations/", {"name": "X", "kind": "verein"}).status_code == 403
    )
    assert (
        c.post(f"/coordination/organisations/{organisation.pk}/edit/", {"name": "X"}).status_code
        == 403
    )
    assert not Organisation.objects.filter(name="X").exists()
