"""Invitations: a signed, expiring, single-use link that pre-approves admission."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client

from accounts.models import Invitation, MembershipStatus, User
from accounts.services import INVITATION_SALT, invitation_token
from tests.accounts.conftest import confirm_from_mail, link_from_last_mail, sign_up

pytestmark = pytest.mark.django_db


def _invite(client_for, coordinator, django_capture_on_commit_callbacks, email="neu@example.org"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            "/coordination/invitations/", {"email": email, "message": "Komm dazu!"}
        )
    assert response.status_code == 302
    return Invitation.objects.get(email=email)


def test_invited_person_becomes_member_after_verification(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    invitation = _invite(client_for, coordinator, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neu@example.org"]
    assert "Komm dazu!" in mail.outbox[0].body
    link = link_from_last_mail(r"https?://[^\s]+/invitation/[^\s]+")

    client = Client()
    page = client.get(link)  # opening the link changes nothing: a page with a button
    assert page.status_code == 200
    assert "neu@example.org" in page.content.decode() and 'method="post"' in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signup/?email=neu%40example.org")
    signup_page = client.get(response["Location"]).content.decode()
    assert 'value="neu@example.org"' in signup_page

    sign_up(client, "neu@example.org", name="Nadia Neu")
    user = User.objects.get(email="neu@example.org")
    assert user.membership_status == MembershipStatus.REGISTERED  # not before verification
    confirm_from_mail(client)
    user.refresh_from_db()
    assert user.membership_status == MembershipStatus.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == user
    assert client.login(email="neu@example.org", password="Gute-Frage-2026!")
    assert client.get("/dashboard/").status_code == 200

    # Single use: the same link does not work twice.
    assert Client().get(link).status_code == 410


def test_signup_with_another_address_is_not_pre_approved(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    _invite(client_for, coordinator, django_capture_on_commit_callbacks)
    link = link_from_last_mail(r"https?://[^\s]+/invitation/[^\s]+")
    client = Client()
    client.post(link)
    sign_up(client, "jemand-anders@example.org")
    confirm_from_mail(client)
    assert (
        User.objects.get(email="jemand-anders@example.org").membership_status
        == MembershipStatus.REGISTERED
    )


def test_tampered_link_is_refused(client_for, coordinator, django_capture_on_commit_callbacks):
    invitation = _invite(client_for, coordinator, django_capture_on_commit_callbacks)
    token = invitation_token(invitation)
    response = Client().get(f"/invitation/{token[:-2]}xx/")
    assert response.status_code == 400
    assert "verändert" in response.content.decode()
    # A correctly signed token for another id/e-mail pair is refused as well.
    forged = signing.dumps({"i": invitation.pk, "e": "boese@example.org"}, salt=INVITATION_SALT)
    assert Client().get(f"/invitation/{forged}/").status_code == 400
    assert Client().get("/invitation/nonsense/").status_code == 400


def test_expired_link_is_refused(
    client_for, coordinator, django_capture_on_commit_callbacks, settings, monkeypatch
):
    invitation = _invite(client_for, coordinator, django_capture_on_commit_callbacks)
    token = invitation_token(invitation)
    import time

    later = time.time() + (settings.RTM_INVITATION_MAX_AGE_DAYS + 1) * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    response = Client().get(f"/invitation/{token}/")
    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()


def test_inviting_an_existing_member_is_a_form_error(client_for, coordinator, member):
    response = client_for(coordinator).post("/coordination/invitations/", {"email": member.email})
    assert response.status_code == 400
    assert "bereits Mitglied" in response.content.decode()
    assert f'value="{member.email}"' in response.content.decode()


def test_invitation_mail_is_not_sent_inside_the_transaction(client_for, coordinator):
    # Without running on_commit callbacks (the test's transaction never commits) no mail leaves.
    client_for(coordinator).post("/coordination/invitations/", {"email": "x@example.org"})
    assert Invitation.objects.filter(email="x@example.org").exists()
    assert mail.outbox == []


def test_only_coordinators_invite(client_for, member):
    assert client_for(member).get("/coordination/invitations/").status_code == 403
    assert (
        client_for(member)
        .post("/coordination/invitations/", {"email": "x@example.org"})
        .status_code
        == 403
    )
    assert not Invitation.objects.exists()


def test_expiry_is_within_configured_days(settings):
    assert settings.RTM_INVITATION_MAX_AGE_DAYS > 0
    assert timedelta(days=settings.RTM_INVITATION_MAX_AGE_DAYS) < timedelta(days=365)


def test_signed_in_registered_person_opening_their_link_becomes_member(client_for, registered):
    from accounts.services import invitation_create

    invitation = invitation_create(email=registered.email, invited_by=None)
    link = f"/invitation/{invitation_token(invitation)}/"
    # Issue 14: a GET admitted. Now it shows the invitation with a button; only the POST
    # (the person's own click) admits, so a mail scanner opening the link changes nothing.
    page = client_for(registered).get(link)
    assert page.status_code == 200 and "Einladung annehmen" in page.content.decode()
    assert client_for(registered).head(link).status_code == 200
    registered.refresh_from_db()
    assert registered.membership_status == MembershipStatus.REGISTERED
    invitation.refresh_from_db()
    assert invitation.accepted_by is None and invitation.accepted_at is None

    response = client_for(registered).post(link)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    registered.refresh_from_db()
    assert registered.membership_status == MembershipStatus.MEMBER


def test_link_of_someone_else_is_refused_when_signed_in(client_for, registered):
    from accounts.services import invitation_create

    invitation = invitation_create(email="andere@example.org", invited_by=None)
    link = f"/invitation/{invitation_token(invitation)}/"
    assert client_for(registered).get(link).status_code == 403
    response = client_for(registered).post(link)
    assert response.status_code == 403
    registered.refresh_from_db()
    assert registered.membership_status == MembershipStatus.REGISTERED


def test_revoked_invitation_link_no_longer_admits(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    invitation = _invite(client_for, coordinator, django_capture_on_commit_callbacks)
    link = link_from_last_mail(r"https?://[^\s]+/invitation/[^\s]+")
    client = Client()
    client.post(link)  # the invitee followed the link before the coordinator took it back
    page = client_for(coordinator).get("/coordination/invitations/").content.decode()
    revoke = f"/coordination/invitations/{invitation.pk}/revoke/"
    assert revoke in page
    response = client_for(coordinator).post(revoke)
    assert response.status_code == 302
    assert client_for(coordinator).post(revoke).status_code == 302  # a double click is harmless
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_by == coordinator
    page = client_for(coordinator).get("/coordination/invitations/").content.decode()
    assert "zurückgenommen am" in page and revoke not in page

    response = Client().get(link)
    assert response.status_code == 410
    assert "zurückgenommen" in response.content.decode()
    assert Client().post(link).status_code == 410
    # Signing up with the remembered invitation does not make the person a member.
    sign_up(client, "neu@example.org", name="Nadia Neu")
    confirm_from_mail(client)
    assert User.objects.get(email="neu@example.org").membership_status == (
        MembershipStatus.REGISTERED
    )


def test_accepted_invitation_cannot_be_revoked(
    client_for, coordinator, registered, django_capture_on_commit_callbacks
):
    invitation = _invite(client_for, coordinator, django_capture_on_commit_callbacks)
    invitation.accepted_at = invitation.created_at
    invitation.accepted_by = registered
    invitation.save()
    response = client_for(coordinator).post(
        f"/coordination/invitations/{invitation.pk}/revoke/", follow=True
    )
    assert "bereits angenommen" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_only_coordinators_revoke_and_only_by_post(
    client_for, coordinator, member, django_capture_on_commit_callbacks
):
    invitation = _invite(client_for, coordinator, django_capture_on_commit_callbacks)
    revoke = f"/coordination/invitations/{invitation.pk}/revoke/"
    assert client_for(member).post(revoke).status_code == 403
    assert client_for(coordinator).get(revoke).status_code == 405
    missing = "/coordination/invitations/999999/revoke/"
    assert client_for(coordinator).post(missing).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_mail_server_that_is_down_delays_the_invitation_but_never_fails_the_request(
    client_for, coordinator, settings, django_capture_on_commit_callbacks
):
    """Issue 14: the invitation was sent inline after commit; an SMTP failure gave the
    coordinator a 500 with the row already saved. Now it is an outbox row like every mail."""
    from datetime import timedelta

    from django.utils import timezone

    from notifications.models import Channel, Kind, Notification, Status
    from notifications.services import outbox_deliver, outbox_sweep

    settings.EMAIL_BACKEND = "tests.mailbackends.DownBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            "/coordination/invitations/", {"email": "neu@example.org", "message": "Komm dazu!"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="neu@example.org")
    row = Notification.objects.get(invitation=invitation)
    assert (row.kind, row.channel, row.status) == (Kind.MEMBER_INVITED, Channel.EMAIL, "pending")
    assert row.attempts == 1 and "SMTP down" in row.last_error
    assert mail.outbox == []

    # The server is back; the sweep finds the row once its back-off is over.
    assert row.next_attempt_at > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=row.pk).update(
        next_attempt_at=row.next_attempt_at - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep() == 1
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert [m.to for m in mail.outbox] == [["neu@example.org"]]
    body = mail.outbox[0].body
    assert "Komm dazu!" in body and "/invitation/" in body
    # Both languages: the invitee has no account, so no language yet.
    assert "lädt Sie ein" in body and "invites you" in body
    html = mail.outbox[0].alternatives[0][0]
    assert 'lang="en"' in html and "Komm dazu!" in html
    # No unsubscribe header: there is nothing to unsubscribe from.
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    assert outbox_deliver() == 0  # never twice


def test_an_invitation_taken_back_before_delivery_is_not_mailed(
    coordinator, django_capture_on_commit_callbacks
):
    from accounts.services import invitation_create, invitation_revoke
    from notifications.models import Notification, Status

    invitation = invitation_create(email="falsch@example.org", invited_by=coordinator)
    invitation_revoke(invitation_id=invitation.pk, revoked_by=coordinator)
    from notifications.services import outbox_deliver

    assert outbox_deliver() == 0
    assert mail.outbox == []
    assert Notification.objects.get(invitation=invitation).status == Status.SKIPPED


def test_deleting_the_invited_persons_account_removes_the_invitation_mail(
    client_for, coordinator, registered, django_capture_on_commit_callbacks
):
    from accounts.services import account_delete, invitation_create
    from notifications.models import Notification

    invitation_create(email=registered.email, invited_by=coordinator)
    assert Notification.objects.filter(invitation__email=registered.email).exists()
    account_delete(user=registered)
    assert not Notification.objects.filter(invitation__isnull=False).exists()


def test_a_failed_invitation_mail_is_listed_with_its_address(client_for, coordinator):
    from accounts.services import invitation_create
    from notifications.models import Notification, Status

    invitation = invitation_create(email="fehlschlag@example.org", invited_by=coordinator)
    Notification.objects.filter(invitation=invitation).update(status=Status.FAILED)
    page = client_for(coordinator).get("/coordination/notifications/").content.decode()
    assert "fehlschlag@example.org" in page


def test_an_anonymous_get_leaves_the_session_alone(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    from accounts.forms import INVITATION_SESSION_KEY

    _invite(client_for, coordinator, django_capture_on_commit_callbacks)
    link = link_from_last_mail(r"https?://[^\s]+/invitation/[^\s]+")
    client = Client()
    client.get(link)
    assert INVITATION_SESSION_KEY not in client.session
    client.post(link)
    assert INVITATION_SESSION_KEY in client.session


def test_a_member_opening_an_invitation_is_told_and_nothing_changes(
    client_for, member, coordinator
):
    from accounts.services import invitation_create

    invitation = invitation_create(email="frei@example.org", invited_by=coordinator)
    link = f"/invitation/{invitation_token(invitation)}/"
    page = client_for(member).get(link)
    assert page.status_code == 200 and "bereits Mitglied" in page.content.decode()
    assert client_for(member).post(link)["Location"] == "/profile/"
    invitation.refresh_from_db()
    assert invitation.accepted_by is None
