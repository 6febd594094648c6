"""Meetings post to the e-mail list (issue 18 item 1): a meeting's invitation becomes a
"Termin" post, approved minutes a "Protokoll" post, from the meeting itself; public or
members-only as the meeting; not mailed to members a second time; posted once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from maillist.models import ListSubscriber, ListSubscription, Post, PostType
from meetings import services
from notifications.models import Kind, Notification
from tests.meetings.conftest import plan
from tests.meetings.test_minutes import held  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(db):
    subscriber = ListSubscriber.objects.create(
        email="partner@verein.example", confirmed_at=timezone.now()
    )
    for post_type in (PostType.DATE, PostType.MINUTES):
        ListSubscription.objects.create(subscriber=subscriber, post_type=post_type)
    return subscriber


def test_a_public_meetings_invitation_is_a_public_termin_post(
    coordinator, place, member, partner, client_for
):
    meeting = plan(coordinator, place, public=True, title="Treffen im Mai")
    post = Post.objects.get(origin=f"meeting:{meeting.pk}:invitation")
    assert (post.post_type, post.is_public, post.author) == (PostType.DATE, True, coordinator)
    assert "Treffen im Mai" in post.title
    assert "Bürgerhaus am Markt" in post.body and meeting.get_absolute_url() in post.body
    # The archive shows it to visitors; the outside subscriber gets it by mail; the
    # members had the invitation with its .ics and get no second mail.
    assert Client().get(post.get_absolute_url()).status_code == 200
    rows = Notification.objects.filter(kind=Kind.LIST_POST, context__post_id=post.pk)
    assert {r.list_subscriber_id for r in rows} == {partner.pk}
    assert not rows.filter(recipient__isnull=False).exists()
    assert Notification.objects.filter(kind=Kind.MEETING_INVITATION, recipient=member).exists()


def test_a_members_only_meeting_stays_with_the_members(coordinator, place, member, partner):
    meeting = plan(coordinator, place, public=False)
    post = Post.objects.get(origin=f"meeting:{meeting.pk}:invitation")
    assert not post.is_public
    assert Client().get(post.get_absolute_url()).status_code == 404
    assert not Notification.objects.filter(kind=Kind.LIST_POST, context__post_id=post.pk)


def test_approved_minutes_post_their_public_part_once(coordinator, held, partner):  # noqa: F811
    meeting, paper = held
    minutes = services.minutes_draft(actor=coordinator, meeting_id=meeting.pk)
    services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk, days=1)
    assert not Post.objects.filter(origin=f"meeting:{meeting.pk}:minutes").exists()
    services.minutes_approve(actor=coordinator, minutes_id=minutes.pk)
    post = Post.objects.get(origin=f"meeting:{meeting.pk}:minutes")
    assert (post.post_type, post.is_public) == (PostType.MINUTES, True)
    assert "Bericht aus dem Integrationsbeirat" in post.body
    assert "Wohnsitzauflage" not in post.body  # the internal part stays on the meeting page
    assert f"/meetings/{meeting.pk}/minutes/" in post.body
    rows = Notification.objects.filter(kind=Kind.LIST_POST, context__post_id=post.pk)
    assert {r.list_subscriber_id for r in rows} == {partner.pk}
    # A second call (a retried task) posts nothing new.
    from maillist.meeting_posts import minutes_post

    minutes.refresh_from_db()
    assert minutes_post(minutes=minutes, actor=coordinator, minutes_url="/x/") == post
    assert Post.objects.filter(post_type=PostType.MINUTES).count() == 1


def test_minutes_of_a_members_only_meeting_are_a_members_only_post(coordinator, place, member):
    meeting = plan(coordinator, place, public=False, days=0)
    minutes = services.minutes_draft(actor=coordinator, meeting_id=meeting.pk)
    services.minutes_circulate(actor=coordinator, minutes_id=minutes.pk, days=1)
    services.minutes_approve(actor=coordinator, minutes_id=minutes.pk)
    post = Post.objects.get(origin=f"meeting:{meeting.pk}:minutes")
    assert not post.is_public
    assert post.body.startswith(minutes.current_revision.body.strip()[:40])
