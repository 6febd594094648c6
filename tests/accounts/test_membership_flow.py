"""The journey of a newcomer: sign-up, verification, admission request, admission."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import AdmissionRequest, MembershipStatus, User
from tests.accounts.conftest import confirm_from_mail, sign_up

pytestmark = pytest.mark.django_db


def test_signup_verify_request_admit_then_dashboard(client, client_for, coordinator):
    response = sign_up(client, "nora@example.org", name="Nora Neu", language="en")
    assert response.status_code == 302
    user = User.objects.get(email="nora@example.org")
    assert user.display_name == "Nora Neu"
    assert user.language == "en"
    assert user.membership_status == MembershipStatus.REGISTERED
    assert len(mail.outbox) == 1

    # Not verified yet: logging in does not get anyone anywhere internal.
    assert client.get("/dashboard/").status_code in (302, 403)

    response = confirm_from_mail(client)
    assert response.status_code == 302
    assert client.login(email="nora@example.org", password="Gute-Frage-2026!")

    # Registered, not admitted: profile yes, internal no.
    assert client.get("/profile/").status_code == 200
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/members/").status_code == 403

    response = client.post(
        "/profile/admission/",
        {"organisation_text": "Willkommensinitiative Colditz", "reason": "Ich gebe Deutschkurse."},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.membership_status == MembershipStatus.REQUESTED
    request = AdmissionRequest.objects.get(user=user)

    coordination = client_for(coordinator)
    queue = coordination.get("/coordination/admissions/")
    assert "Willkommensinitiative Colditz" in queue.content.decode()
    response = coordination.post(
        f"/coordination/admissions/{request.pk}/decide/",
        {f"r{request.pk}-decision": "admit", f"r{request.pk}-message": "Willkommen!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.membership_status == MembershipStatus.MEMBER
    assert user.member_since is not None
    request.refresh_from_db()
    assert request.decided_by == coordinator
    assert request.decision_message == "Willkommen!"

    assert client.get("/dashboard/").status_code == 200
    assert client.get("/members/").status_code == 200


def test_login_before_verification_is_not_possible(client):
    sign_up(client, "ungeprueft@example.org")
    other = client.__class__()
    response = other.post(
        "/accounts/login/", {"login": "ungeprueft@example.org", "password": "Gute-Frage-2026!"}
    )
    # allauth sends the person to "please verify" instead of signing in.
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert other.get("/profile/").status_code == 302


def test_login_redirect_depends_on_membership(client, registered, member):
    response = client.post(
        "/accounts/login/", {"login": registered.email, "password": "rtm-test-pass-2026"}
    )
    assert response["Location"] == "/profile/"
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": "rtm-test-pass-2026"}
    )
    assert response["Location"] == "/dashboard/"


def test_decline_needs_a_message_and_keeps_input(client_for, coordinator, registered):
    client_for(registered).post(
        "/profile/admission/", {"organisation_text": "Verein X", "reason": "Bitte aufnehmen."}
    )
    request = AdmissionRequest.objects.get(user=registered)
    response = client_for(coordinator).post(
        f"/coordination/admissions/{request.pk}/decide/", {f"r{request.pk}-decision": "decline"}
    )
    assert response.status_code == 400
    assert "Bitte begründen Sie eine Ablehnung kurz." in response.content.decode()
    assert 'value="decline" checked' in response.content.decode().replace("\n", " ") or (
        "checked" in response.content.decode()
    )
    response = client_for(coordinator).post(
        f"/coordination/admissions/{request.pk}/decide/",
        {f"r{request.pk}-decision": "decline", f"r{request.pk}-message": "Leider nicht."},
    )
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.membership_status == MembershipStatus.DECLINED
    # The person sees the message on their profile and may ask again.
    page = client_for(registered).get("/profile/").content.decode()
    assert "Leider nicht." in page
    assert 'action="/profile/admission/"' in page


def test_admission_form_keeps_input_on_error(client_for, registered):
    response = client_for(registered).post(
        "/profile/admission/", {"organisation_text": "Tafel Wurzen", "reason": "kurz"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Tafel Wurzen"' in html
    assert "mindestens 10 Zeichen" in html


def test_deciding_twice_is_refused(client_for, coordinator, registered):
    client_for(registered).post(
        "/profile/admission/", {"organisation_text": "", "reason": "Ich möchte mitmachen."}
    )
    request = AdmissionRequest.objects.get(user=registered)
    c = client_for(coordinator)
    data = {f"r{request.pk}-decision": "admit"}
    c.post(f"/coordination/admissions/{request.pk}/decide/", data)
    response = c.post(f"/coordination/admissions/{request.pk}/decide/", data, follow=True)
    assert "bereits entschieden" in response.content.decode()


def test_member_cannot_request_again(client_for, member):
    response = client_for(member).post(
        "/profile/admission/",
        {"organisation_text": "", "reason": "Noch einmal bitte."},
        follow=True,
    )
    assert response.status_code == 200
    assert not AdmissionRequest.objects.filter(user=member).exists()


def test_admission_events_are_emitted(client_for, coordinator, registered, monkeypatch):
    seen = []
    monkeypatch.setattr(
        "accounts.services.emit", lambda kind, **kw: seen.append((kind, kw["target"]))
    )
    client_for(registered).post(
        "/profile/admission/", {"organisation_text": "", "reason": "Ich möchte mitmachen."}
    )
    request = AdmissionRequest.objects.get(user=registered)
    client_for(coordinator).post(
        f"/coordination/admissions/{request.pk}/decide/", {f"r{request.pk}-decision": "admit"}
    )
    assert [k for k, _ in seen] == ["admission_requested", "admission_decided"]
    assert all(t.pk == request.pk for _, t in seen)
