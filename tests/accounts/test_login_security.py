"""Login rate limits, logout by POST only, the admin login behind allauth."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _login(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_sixth_bad_password_is_refused_even_when_right(member):
    client = Client()
    for _ in range(5):
        response = _login(client, member.email, "falsch-falsch")
        assert response.status_code == 200  # the form again, with an error
    response = _login(client, member.email, "rtm-test-pass-2026")
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert client.get("/profile/").status_code == 302


def test_a_stranger_cannot_lock_the_coordinator_out(coordinator):
    """Issue 13: ten wrong passwords from one address used to lock the account for
    everyone (the limit counted per e-mail address alone). It counts per address + IP."""
    stranger = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(10):
        _login(stranger, coordinator.email, "falsch-falsch")
    at_home = Client(REMOTE_ADDR="198.51.100.20")
    response = _login(at_home, coordinator.email, "rtm-test-pass-2026")
    assert response.status_code == 302
    assert at_home.session["_auth_user_id"] == str(coordinator.pk)
    # The stranger stays limited, even with the right password.
    _login(stranger, coordinator.email, "rtm-test-pass-2026")
    assert "_auth_user_id" not in stranger.session


def test_failures_count_per_account_and_address(member, settings):
    """With only the account limit in force: five failures lock that account from that
    address, not from another one."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "5/5m/key"}
    there = Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(5):
        _login(there, member.email, "falsch-falsch")
    _login(there, member.email, "rtm-test-pass-2026")
    assert "_auth_user_id" not in there.session
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    _login(elsewhere, member.email, "rtm-test-pass-2026")
    assert elsewhere.session["_auth_user_id"] == str(member.pk)


def test_unknown_address_looks_like_a_wrong_password(member):
    a = _login(Client(), member.email, "falsch-falsch").content.decode()
    b = _login(Client(), "niemand@example.org", "falsch-falsch").content.decode()
    assert ("errorlist" in a) and ("errorlist" in b)


def test_login_form_keeps_the_address(member):
    html = _login(Client(), member.email, "falsch-falsch").content.decode()
    assert f'value="{member.email}"' in html


def test_logout_only_by_post(client_for, member):
    client = client_for(member)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200  # a confirmation page, still signed in
    assert client.get("/profile/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/profile/").status_code == 302


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_admin_login_refuses_signed_in_non_staff(client_for, member):
    assert client_for(member).get("/admin/login/").status_code == 403


def test_admin_reachable_for_staff(client_for):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    assert client_for(staff).get("/admin/").status_code == 200
    assert client_for(staff).get("/admin/accounts/user/").status_code == 200


def test_signup_survives_a_mail_server_failure(client, settings, monkeypatch):
    import smtplib

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", broken)
    response = client.post(
        "/accounts/signup/",
        {
            "email": "pech@example.org",
            "password1": "Gute-Frage-2026!",
            "password2": "Gute-Frage-2026!",
            "display_name": "Pia Pech",
            "language": "de",
        },
    )
    assert response.status_code == 302  # on to "please verify", where a resend is possible


def test_password_reset_mail_names_the_site(client, member):
    from django.core import mail

    response = client.post("/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302
    assert "RTM Positionen" in mail.outbox[-1].body
    # Unknown addresses get the same answer (no enumeration).
    response = client.post("/accounts/password/reset/", {"email": "niemand@example.org"})
    assert response.status_code == 302
