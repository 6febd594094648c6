from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import Organisation, OrganisationKind, User
from accounts.permissions import is_member

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    counts = (User.objects.count(), Organisation.objects.count(), EmailAddress.objects.count())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert (User.objects.count(), Organisation.objects.count(), EmailAddress.objects.count()) == (
        counts
    )
    assert "koordination@example.org" in out.getvalue()
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {
        OrganisationKind.VEREIN,
        OrganisationKind.INITIATIVE,
        OrganisationKind.TRAEGER,
        OrganisationKind.KIRCHGEMEINDE,
        OrganisationKind.WOHLFAHRTSVERBAND,
        OrganisationKind.PRIVATPERSON,
    } <= kinds
    coordinator = User.objects.get(email="koordination@example.org")
    assert coordinator.is_coordinator and is_member(coordinator)
    assert User.objects.get(email="gast@example.org").membership_status == "requested"
    from accounts.models import Invitation

    assert Invitation.objects.filter(accepted_at=None, revoked_at=None).count() == 1


def test_the_demo_is_made_through_the_services():
    """Issue 14: the demo wrote rows directly; now it goes the way real use goes, so the
    admission history, notifications, audit trail and outbox look like real use."""
    from notifications.models import Channel, Kind, Notification
    from statements.models import Statement, Topic
    from workflow.models import AuditEntry

    call_command("seed_demo", stdout=StringIO())
    coordinator = User.objects.get(email="koordination@example.org")
    for name in ("amira", "jonas", "lena"):
        request = User.objects.get(email=f"{name}@example.org").admission_requests.get()
        assert (request.decision, request.decided_by) == ("admitted", coordinator)
    guest = User.objects.get(email="gast@example.org").admission_requests.get()
    assert guest.decision == "pending"
    told = Notification.objects.filter(
        kind=Kind.ADMISSION_REQUESTED, recipient=coordinator, channel=Channel.INAPP
    )
    assert told.count() == 4
    assert Notification.objects.filter(
        kind=Kind.MEMBER_INVITED, invitation__email="eingeladen@example.org"
    ).exists()
    assert Topic.objects.get(name="Familiennachzug").slug == "familiennachzug"
    for statement in Statement.objects.exclude(state="draft"):
        assert AuditEntry.objects.filter(statement=statement).exists(), statement.slug
    for name in ("koordination", "amira", "jonas", "lena"):
        user = User.objects.get(email=f"{name}@example.org")
        assert user.follows.count() == 1
        unread = Notification.objects.filter(recipient=user, channel=Channel.INAPP, read_at=None)
        assert unread.count() == 1, name


def test_demo_logins_work(client):
    call_command("seed_demo", stdout=StringIO())
    for email in ["koordination", "amira", "jonas", "lena", "gast"]:
        assert client.login(email=f"{email}@example.org", password="rtm-demo-2026"), email
        client.logout()


def test_createcoordinator(client):
    out = StringIO()
    call_command(
        "createcoordinator",
        email="Chefin@Example.org",
        name="Carla Chefin",
        password="sehr-geheim-2026",
        stdout=out,
    )
    user = User.objects.get(email="chefin@example.org")
    assert user.is_coordinator and is_member(user)
    assert EmailAddress.objects.get(user=user).verified
    response = client.post(
        "/accounts/login/", {"login": "chefin@example.org", "password": "sehr-geheim-2026"}
    )
    assert response.status_code == 302
    assert client.get("/coordination/admissions/").status_code == 200
    # Running it again updates instead of failing.
    call_command(
        "createcoordinator",
        email="chefin@example.org",
        name="Carla C.",
        password="sehr-geheim-2027",
        stdout=out,
    )
    assert User.objects.filter(email="chefin@example.org").count() == 1


def test_createcoordinator_refuses_weak_password():
    with pytest.raises(CommandError):
        call_command("createcoordinator", email="a@example.org", name="A", password="123")
    assert not User.objects.filter(email="a@example.org").exists()
