"""Two-factor authentication for coordinators and admins, re-authentication, admin login.

RTM_MFA_REQUIRED is on in production (DEBUG off) and off in the test settings; these
tests switch it on.
"""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "rtm-test-pass-2026"


@pytest.fixture
def mfa_on(settings):
    settings.RTM_MFA_REQUIRED = True
    return settings


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_code(secret: str) -> str:
    import time

    return f"{hotp_value(secret, int(time.time()) // 30):06d}"


def test_coordinator_without_totp_is_sent_to_set_it_up(mfa_on, coordinator, client_for):
    client = client_for(coordinator)
    response = client.get(reverse("statements:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The set-up page itself, and logging out, stay reachable.
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)
    assert client.post(reverse("account_logout")).status_code == 302


def test_staff_without_totp_cannot_reach_the_admin(mfa_on, db, client_for):
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = client_for(admin).get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_coordinator_with_totp_gets_through(mfa_on, coordinator, client_for):
    with_totp(coordinator)
    assert client_for(coordinator).get(reverse("statements:dashboard")).status_code == 200


def test_members_may_but_need_not_use_totp(mfa_on, member, client_for):
    assert client_for(member).get(reverse("statements:dashboard")).status_code == 200


def test_visitors_are_not_affected(mfa_on, client):
    assert client.get("/about/").status_code == 200


def test_off_switch(settings, coordinator, client_for):
    settings.RTM_MFA_REQUIRED = False
    assert client_for(coordinator).get(reverse("statements:dashboard")).status_code == 200


def test_login_with_totp_asks_for_the_code(mfa_on, coordinator):
    secret = with_totp(coordinator)
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    # Not signed in yet: the dashboard still wants a login.
    assert client.get(reverse("statements:dashboard")).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200  # wrong code: form again
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("statements:dashboard")).status_code == 200


def test_changing_password_needs_the_current_password(member, client_for):
    # allauth's password change re-authenticates by asking for the current password.
    client = client_for(member)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "falsch-falsch",
            "password1": "neu-sehr-geheim-1",
            "password2": "neu-sehr-geheim-1",
        },
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_adding_an_email_needs_recent_authentication(member, client_for):
    client = client_for(member)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "neu@example.org"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    from allauth.account.models import EmailAddress

    assert not EmailAddress.objects.filter(email="neu@example.org").exists()


def test_reauthentication_then_adding_an_email(member, client_for):
    client = client_for(member)
    response = client.post(reverse("account_reauthenticate"), {"password": "falsch-falsch"})
    assert response.status_code == 200  # wrong password: form again
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("account_email"), {"action_add": "", "email": "neu@example.org"})
    assert response.status_code == 302
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.filter(email="neu@example.org", user=member).exists()


def test_activating_totp_needs_recent_authentication(member, client_for):
    response = client_for(member).post(reverse("mfa_activate_totp"), {"code": "123456"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_admin_login_goes_through_the_site_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_refuses_non_staff(member, client_for):
    response = client_for(member).get("/admin/")
    assert response.status_code in (302, 403)
    assert client_for(member).get("/admin/login/").status_code == 403
