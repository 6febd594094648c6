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
