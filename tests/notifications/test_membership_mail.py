"""A suspended or reinstated person hears it from the platform, with the reason."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.services import member_reinstate, member_suspend
from notifications.models import Channel, Kind, Notification, Status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_suspension_mails_the_person_in_their_language_with_the_reason(
    coordinator, django_capture_on_commit_callbacks
):
    emma = UserFactory(display_name="Emma", language="en")
    bystander = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        member_suspend(user_id=emma.pk, by=coordinator, reason="Beleidigende <Kommentare>.")
    assert [m.to for m in mail.outbox] == [[emma.email]]
    message = mail.outbox[0]
    assert "suspended" in message.subject.lower()
    assert "Beleidigende <Kommentare>." in message.body  # plain text, as written
    html = message.alternatives[0][0]
    assert "Beleidigende &lt;Kommentare&gt;." in html  # escaped in HTML
    # Account mail cannot be unsubscribed from, and nobody else hears of it.
    assert "List-Unsubscribe" not in message.extra_headers
    assert not Notification.objects.filter(recipient=bystander).exists()
    assert not Notification.objects.filter(recipient=coordinator).exists()
    # The suspended person still sees it in the app (other notifications stay hidden).
    assert Notification.objects.filter(
        recipient=emma, channel=Channel.INAPP, kind=Kind.MEMBERSHIP_CHANGED
    ).exists()


def test_reinstatement_is_mailed_too(coordinator, django_capture_on_commit_callbacks):
    greta = UserFactory(display_name="Greta", language="de")
    with django_capture_on_commit_callbacks(execute=True):
        member_suspend(user_id=greta.pk, by=coordinator, reason="Bitte Pause.")
    with django_capture_on_commit_callbacks(execute=True):
        member_reinstate(user_id=greta.pk, by=coordinator)
    assert [m.subject for m in mail.outbox] == [
        "[RTM] Ihre Mitgliedschaft ist gesperrt",
        "[RTM] Ihre Mitgliedschaft gilt wieder",
    ]
    assert "Bitte Pause." not in mail.outbox[1].body


def test_a_decision_overtaken_before_delivery_is_not_mailed(coordinator):
    """Suspended and reinstated before the worker ran: only the current state is mailed."""
    from notifications.tasks import deliver_pending

    lena = UserFactory(display_name="Lena")
    member_suspend(user_id=lena.pk, by=coordinator, reason="Versehen")
    member_reinstate(user_id=lena.pk, by=coordinator)
    deliver_pending()
    assert [m.subject for m in mail.outbox] == ["[RTM] Ihre Mitgliedschaft gilt wieder"]
    rows = Notification.objects.filter(recipient=lena, channel=Channel.EMAIL)
    assert rows.count() == 2 and not rows.filter(status=Status.PENDING).exists()


def test_the_suspended_person_sees_the_notice_in_the_app(client_for, coordinator):
    sven = UserFactory(display_name="Sven")
    member_suspend(user_id=sven.pk, by=coordinator, reason="Pause")
    page = client_for(sven).get("/notifications/").content.decode()
    assert str(Kind.MEMBERSHIP_CHANGED.label) in page
