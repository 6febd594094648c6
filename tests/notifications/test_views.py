"""The in-app list, header count, follow, preferences and public subscription pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from notifications.models import (
    Channel,
    Follow,
    Kind,
    Mode,
    Notification,
    Preference,
    PublicSubscriber,
)
from notifications.services import notifications_for_event
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db


def inapp(user, statement, kind=Kind.CONSULTATION_OPENED, **extra):
    return Notification.objects.create(
        kind=kind,
        event_key=f"t:{kind}:{statement.pk}:{user.pk}:{extra.get('n', 0)}",
        recipient=user,
        channel=Channel.INAPP,
        status="sent",
        statement=statement,
        context={},
    )


@pytest.mark.parametrize("path", ["/notifications/", "/notifications/preferences/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_coordination_page_needs_a_coordinator(client, client_for, member, coordinator):
    assert client.get("/coordination/notifications/").status_code == 302
    assert client_for(member).get("/coordination/notifications/").status_code == 403
    assert (
        client_for(member).post("/coordination/notifications/retry/", {"all": 1}).status_code == 403
    )
    assert client_for(coordinator).get("/coordination/notifications/").status_code == 200


def test_list_shows_only_my_notifications_and_the_header_counts_unread(
    client_for, member, in_consultation, django_assert_num_queries
):
    other = UserFactory()
    Notification.objects.all().delete()  # start from a clean list
    for n in range(3):
        inapp(member, in_consultation, n=n)
    inapp(other, in_consultation)
    client = client_for(member)
    page = client.get("/notifications/")
    text = page.content.decode()
    assert page.status_code == 200
    # Grouped by paper (issue 16): one card with the title, three entries in it.
    assert text.count(in_consultation.title) == 1
    assert len(re.findall(r'action="/notifications/\d+/read/"', text)) == 3
    assert re.search(r'class="badge">3<', text)
    # The list's queries do not grow with the rows: session, user, count, page, the
    # papers' co-authors (who may still see each paper), header count.
    for n in range(3, 30):
        inapp(member, in_consultation, n=n)
    with django_assert_num_queries(6):
        client.get("/notifications/")


def test_header_count_is_not_queried_for_anonymous_pages(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/subscribe/")
    assert not any("notifications_notification" in q["sql"] for q in queries.captured_queries)


def test_mark_read_and_mark_all_read_are_post_only_and_mine_only(
    client_for, member, in_consultation
):
    mine = [inapp(member, in_consultation, n=n) for n in range(3)]
    theirs = inapp(UserFactory(), in_consultation)
    client = client_for(member)
    assert client.get(f"/notifications/{mine[0].pk}/read/").status_code == 405
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    response = client.post(f"/notifications/{mine[0].pk}/read/", {"open": "1"})
    assert (
        response.status_code == 302 and response["Location"] == in_consultation.get_absolute_url()
    )
    mine[0].refresh_from_db()
    assert mine[0].read_at is not None
    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(
        recipient=member, channel=Channel.INAPP, read_at__isnull=True
    ).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_follow_and_unfollow_a_statement(client_for, member, in_consultation, draft):
    client = client_for(member)
    url = f"/statements/{in_consultation.slug}/follow/"
    assert client.get(url).status_code == 405
    assert client.post(url, {"follow": "1"}).status_code == 302
    assert Follow.objects.filter(user=member, statement=in_consultation).exists()
    htmx = client.post(url, {"follow": "0"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and "Folgen" in htmx.content.decode()
    assert not Follow.objects.filter(user=member).exists()
    # Someone else's draft: not visible, so 404; registered people may not follow.
    assert client.post(f"/statements/{draft.slug}/follow/", {"follow": "1"}).status_code == 404
    assert (
        client_for(UserFactory(membership_status="registered"))
        .post(url, {"follow": "1"})
        .status_code
        == 403
    )


def test_followers_get_new_comments(
    member, author, in_consultation, django_capture_on_commit_callbacks
):
    from discussion.services import comment_create

    Follow.objects.create(user=member, statement=in_consultation)
    Preference.objects.create(user=member, kind=Kind.COMMENT_CREATED, mode=Mode.IMMEDIATELY)
    bystander = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(statement=in_consultation, author=UserFactory(), body="Hallo")
    assert Notification.objects.filter(recipient=member, kind=Kind.COMMENT_CREATED).exists()
    assert Notification.objects.filter(recipient=author, kind=Kind.COMMENT_CREATED).exists()
    assert not Notification.objects.filter(recipient=bystander, kind=Kind.COMMENT_CREATED).exists()
    assert [m.to for m in mail.outbox] == [[member.email]]  # the author has the digest default


def test_preferences_page_saves_modes_and_keeps_locked_kinds(client_for, coordinator):
    client = client_for(coordinator)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    data = {kind: Mode.DIGEST for kind in (Kind.CONSULTATION_OPENED, Kind.COMMENT_CREATED)}
    data[Kind.VOTING_OPENED] = Mode.OFF
    data[Kind.ADMISSION_REQUESTED] = Mode.OFF  # locked: ignored
    for kind in (
        Kind.MENTIONED,
        Kind.SUGGESTION_APPLIED,
        Kind.SUGGESTION_DECLINED,
        Kind.COAUTHOR_INVITED,
        Kind.VOTING_REMINDER,
        Kind.VOTING_EXTENDED,
        Kind.VOTING_RESULT,
        Kind.PUBLISHED,
        Kind.MEETING_INVITATION,
        Kind.MEETING_CHANGED,
        Kind.MEETING_CANCELLED,
        Kind.MEETING_REMINDER,
        Kind.MINUTES_READY,
        Kind.MINUTES_APPROVED,
        Kind.LIST_POST,
        Kind.LIST_REPLY,
        Kind.FUNDING_REMINDER,
        Kind.ANSWER_RECEIVED,
    ):
        data[kind] = Mode.IMMEDIATELY
    assert client.post("/notifications/preferences/", data).status_code == 302
    saved = dict(Preference.objects.filter(user=coordinator).values_list("kind", "mode"))
    assert saved[Kind.VOTING_OPENED] == Mode.OFF and saved[Kind.CONSULTATION_OPENED] == Mode.DIGEST
    assert Kind.ADMISSION_REQUESTED not in saved
    bad = client.post("/notifications/preferences/", {**data, Kind.PUBLISHED: "sometimes"})
    assert bad.status_code == 400


def test_public_subscription_double_opt_in_and_one_click_unsubscribe(
    client, author, django_capture_on_commit_callbacks
):
    assert client.post("/subscribe/", {"email": "kein-email"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/subscribe/", {"email": "Leserin@Example.org"})
    assert response.status_code == 200
    [confirm] = mail.outbox
    assert confirm.to == ["leserin@example.org"] and "List-Unsubscribe" not in confirm.extra_headers
    link = re.search(r"http://[^/]+(/subscribe/confirm/\S+/)", confirm.body).group(1)
    # Not yet confirmed: a publication does not reach the address.
    statement = make_statement(author=author, state="published")
    subscriber = PublicSubscriber.objects.get()
    assert subscriber.confirmed_at is None
    assert client.get(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None  # GET only shows the button
    assert client.post(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.is_active
    # Subscribing again reveals nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/subscribe/", {"email": "leserin@example.org"})
    assert len(mail.outbox) == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications_for_event(
            kind=Kind.PUBLISHED, statement=statement, actor=author, target=None, extra={}
        )
    [published] = [m for m in mail.outbox if m.to == ["leserin@example.org"]]
    assert statement.title in published.subject
    unsubscribe = published.extra_headers["List-Unsubscribe"].strip("<>").split("://", 1)[1]
    unsubscribe = "/" + unsubscribe.split("/", 1)[1]
    assert Client(enforce_csrf_checks=True).post(unsubscribe).status_code == 200
    subscriber.refresh_from_db()
    assert not subscriber.is_active
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications_for_event(
            kind=Kind.PUBLISHED, statement=statement, actor=author, target=None, extra={}
        )
    assert not any(m.to == ["leserin@example.org"] for m in mail.outbox)


def test_bad_confirmation_link_is_a_clear_400(client):
    assert client.get("/subscribe/confirm/nonsense/").status_code == 400
    assert client.get("/notifications/unsubscribe/nonsense/").status_code == 400


def test_demo_seed_is_idempotent(member, in_consultation):
    from notifications.demo import seed

    member.email = "amira@example.org"
    member.save(update_fields=["email"])
    inapp(member, in_consultation, n=1)
    inapp(member, in_consultation, n=2)
    demo_papers = {in_consultation.pk}  # seed_demo passes the papers the demo made
    seed(papers=demo_papers)
    assert Follow.objects.filter(user=member, statement=in_consultation).exists()
    unread = Notification.objects.filter(recipient=member, channel="inapp", read_at=None)
    assert unread.count() == 1  # the header shows a count, the list read and unread rows
    state = list(Notification.objects.order_by("pk").values_list("pk", "read_at"))
    seed(papers=demo_papers)
    assert list(Notification.objects.order_by("pk").values_list("pk", "read_at")) == state
    assert Follow.objects.filter(user=member).count() == 1


def test_suspended_people_no_longer_see_notifications_about_internal_papers(
    client_for, member, in_consultation
):
    inapp(member, in_consultation)
    member.membership_status = "suspended"
    member.save(update_fields=["membership_status"])
    client = client_for(member)
    page = client.get("/notifications/").content.decode()
    assert in_consultation.title not in page
    assert 'class="badge"' not in page
    hidden = Notification.objects.filter(recipient=member, channel=Channel.INAPP).first()
    response = client.post(f"/notifications/{hidden.pk}/read/", {"open": "1"})
    assert response.status_code == 404


def test_registered_applicants_still_see_the_answer_to_their_request(client_for, registered):
    from accounts.models import AdmissionRequest

    request = AdmissionRequest.objects.create(user=registered, reason="Mitmachen")
    Notification.objects.create(
        kind=Kind.ADMISSION_DECIDED,
        event_key=f"t:adm:{request.pk}",
        recipient=registered,
        channel=Channel.INAPP,
        status="sent",
        context={},
    )
    page = client_for(registered).get("/notifications/").content.decode()
    assert str(Kind.ADMISSION_DECIDED.label) in page


def test_public_sign_ups_are_rate_limited_per_client_and_keep_the_input(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "subscribe": "3/h/ip"}
    for n in range(3):
        assert client.post("/subscribe/", {"email": f"leser{n}@example.org"}).status_code == 200
    response = client.post("/subscribe/", {"email": "viertens@example.org"})
    assert response.status_code == 429
    text = response.content.decode()
    assert "viertens@example.org" in text
    assert "Zu viele Anmeldungen" in text
    assert PublicSubscriber.objects.count() == 3
    assert not PublicSubscriber.objects.filter(email="viertens@example.org").exists()
    # Another client is not affected.
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post("/subscribe/", {"email": "anders@example.org"}).status_code == 200


def test_an_applied_suggestion_shows_its_change_in_the_list(
    client_for, member, author, in_consultation, django_assert_num_queries
):
    """Issue 15: the in-app item of an applied suggestion shows the change formatted,
    insertions and deletions marked; one query for all of them."""
    from discussion.services import comment_create, suggestion_apply
    from statements.markdown import blocks

    Notification.objects.all().delete()
    block = blocks(in_consultation.body)[0]
    suggestion = comment_create(
        statement=in_consultation,
        author=member,
        body="Betonen",
        block_id=block.id,
        suggestion_text=block.source + " Das ist **wichtig**.",
    )
    suggestion_apply(comment=suggestion, actor=author)
    assert Notification.objects.filter(recipient=member, channel=Channel.INAPP).exists()
    client = client_for(member)
    text = client.get("/notifications/").content.decode()
    change = text[text.index('class="notification-change"') :]
    assert "<strong><ins" in change and "wichtig" in change
    assert "[eingefügt:]" in change
    # More rows with suggestions cost no more queries.
    for n in range(1, 20):
        Notification.objects.create(
            kind=Kind.SUGGESTION_APPLIED,
            event_key=f"t:more:{n}",
            recipient=member,
            channel=Channel.INAPP,
            status="sent",
            statement=in_consultation,
            context={"comment_id": suggestion.pk},
        )
    # Session, user, count, rows, actors, co-authors, the suggestions' changes, header.
    with django_assert_num_queries(8):
        client.get("/notifications/")
