"""Who reaches which page: a role × page matrix through the test client."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INTERNAL = ["/dashboard/", "/members/"]
COORDINATION = [
    "/coordination/admissions/",
    "/coordination/members/",
    "/coordination/organisations/",
    "/coordination/invitations/",
]


@pytest.fixture
def people(registered, member, coordinator, suspended, declined):
    requested = UserFactory(display_name="Greta Gast", membership_status="requested")
    return {
        "registered": registered,
        "requested": requested,
        "declined": declined,
        "suspended": suspended,
        "member": member,
        "coordinator": coordinator,
    }


@pytest.mark.parametrize("role", ["registered", "requested", "declined", "suspended"])
@pytest.mark.parametrize("path", INTERNAL + COORDINATION)
def test_non_members_get_403_on_internal_pages(client_for, people, role, path):
    response = client_for(people[role]).get(path)
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["registered", "requested", "declined", "suspended"])
def test_non_members_keep_their_profile_and_the_public_site(client_for, people, role):
    client = client_for(people[role])
    for path in ["/profile/", "/", "/about/", "/privacy/", "/imprint/"]:
        assert client.get(path).status_code == 200, path
    # The header offers nothing internal.
    html = client.get("/").content.decode()
    assert 'href="/dashboard/"' not in html
    assert 'href="/members/"' not in html


@pytest.mark.parametrize("path", INTERNAL + COORDINATION + ["/profile/", "/profile/export/"])
def test_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", COORDINATION)
def test_members_are_not_coordinators(client_for, member, path):
    assert client_for(member).get(path).status_code == 403


@pytest.mark.parametrize("path", INTERNAL + COORDINATION)
def test_coordinators_reach_everything(client_for, coordinator, path):
    assert client_for(coordinator).get(path).status_code == 200


def test_wrong_method_is_405(client_for, coordinator, member):
    assert client_for(coordinator).get("/coordination/admissions/1/decide/").status_code == 405
    assert client_for(coordinator).get(f"/coordination/members/{member.pk}/").status_code == 405
    assert client_for(member).get("/language/").status_code == 405


def test_demo_guest_reaches_nothing_internal(client):
    from accounts.demo import PASSWORD
    from accounts.demo import seed as seed_accounts

    seed_accounts()
    assert client.login(email="gast@example.org", password=PASSWORD)
    for path in INTERNAL + COORDINATION:
        assert client.get(path).status_code == 403, path
    assert client.get("/profile/").status_code == 200


def test_directory_shows_names_and_organisations_only(client_for, member, organisation):
    from accounts.services import organisation_membership_request
    from tests.factories import OrganisationFactory, confirm_membership

    confirm_membership(member, organisation)
    # A tick nobody confirmed is not shown to the group as a fact.
    claimed = OrganisationFactory(name="Nur Behauptet e. V.")
    organisation_membership_request(user=member, organisation=claimed)
    UserFactory(display_name="Nicht Aufgenommen", membership_status="requested")
    response = client_for(member).get("/members/")
    html = response.content.decode()
    assert member.display_name in html
    assert organisation.name in html
    assert claimed.name not in html
    assert member.email not in html
    assert "Nicht Aufgenommen" not in html


def _queries_for(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm up
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/members/", "member"),
        ("/coordination/members/", "coordinator"),
        ("/coordination/admissions/", "coordinator"),
        ("/coordination/organisations/", "coordinator"),
        ("/coordination/memberships/", "coordinator"),
    ],
)
def test_list_pages_do_not_grow_queries_with_data(client_for, member, coordinator, path, who):
    from accounts.models import AdmissionRequest
    from accounts.services import organisation_membership_request
    from tests.factories import OrganisationFactory, confirm_membership

    def add_people(n: int) -> None:
        for _ in range(n):
            person = UserFactory()
            confirm_membership(person, OrganisationFactory())
            organisation_membership_request(user=person, organisation=OrganisationFactory())
            applicant = UserFactory(membership_status="requested")
            organisation_membership_request(user=applicant, organisation=OrganisationFactory())
            AdmissionRequest.objects.create(user=applicant, reason="Ich möchte mitmachen.")

    client = client_for(member if who == "member" else coordinator)
    add_people(1)  # prefetches only run for non-empty lists
    before = _queries_for(client, path)
    # Own queries: the rows + one prefetch (the rest is session, user, page header).
    assert before <= 8
    add_people(5)
    assert _queries_for(client, path) == before
