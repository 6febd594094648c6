"""Subscribers: members choose types; outside addresses with double opt-in, per-type
choice and RFC 8058 one-click unsubscribe; the coordination's list, audited removal."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from maillist import services, tokens
from maillist.models import ListSubscriber, OptOut, PostType, SubscriberLog
from notifications import services as outbox
from notifications.models import Channel, Kind, Notification

pytestmark = pytest.mark.django_db


def public_post(author, post_type=PostType.FUNDING, **kw):
    data = {"title": "Neues Förderprogramm", "body": "Text", "is_public": True}
    data.update(kw)
    return services.post_create(author=author, post_type=post_type, **data)


def confirm_link(mail) -> str:
    return re.search(r"https?://\S+/verteiler/abonnieren/\S+/", mail.body).group(0)


def test_double_opt_in_then_per_type_delivery_then_one_click_unsubscribe(
    member, client, mailoutbox
):
    response = client.post(
        reverse("maillist:subscribe"),
        {"email": "Partner@Example.org", "post_types": ["funding", "date"]},
    )
    assert response.status_code == 200 and "Fast geschafft" in response.text
    subscriber = ListSubscriber.objects.get()
    assert subscriber.email == "partner@example.org" and not subscriber.is_active
    # Unconfirmed: a post reaches nobody outside.
    public_post(member)
    assert not Notification.objects.filter(list_subscriber=subscriber, kind=Kind.LIST_POST)
    outbox.outbox_deliver()
    (confirm,) = [m for m in mailoutbox if m.to == ["partner@example.org"]]
    link = confirm_link(confirm).replace("http://testserver", "")
    link = link[link.index("/verteiler/") :]
    # Opening the link (a mail scanner) changes nothing; the button confirms.
    assert client.get(link).status_code == 200
    subscriber.refresh_from_db()
    assert not subscriber.is_active
    client.post(link)
    subscriber.refresh_from_db()
    assert subscriber.is_active

    mailoutbox.clear()
    public_post(member, title="Förderung für Vereine")
    public_post(member, post_type=PostType.MINUTES, title="Protokoll")  # not chosen
    public_post(member, title="Intern", is_public=False)  # members only
    outbox.outbox_deliver()
    outside = [m for m in mailoutbox if m.to == ["partner@example.org"]]
    assert [m.subject for m in outside] == ["[RTM] [Förderhinweis] Förderung für Vereine"]
    headers = outside[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = headers["List-Unsubscribe"].strip("<>")
    path = url[url.index("/verteiler/") :]
    # RFC 8058: the mail client POSTs without a CSRF token or cookie.
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    mailoutbox.clear()
    public_post(member, title="Danach")
    outbox.outbox_deliver()
    assert not [m for m in mailoutbox if m.to == ["partner@example.org"]]


def test_a_forged_or_expired_confirmation_link_confirms_nobody(client):
    services.subscriber_subscribe(email="x@example.org", post_types=["date"])
    subscriber = ListSubscriber.objects.get()
    forged = reverse("maillist:confirm", kwargs={"token": subscriber.token})  # unsigned
    assert client.post(forged).status_code == 400
    bad_unsub = reverse("maillist:unsubscribe", kwargs={"token": "kaputt"})
    assert client.post(bad_unsub).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_subscribing_again_reveals_nothing_and_mails_at_most_once_an_hour(client):
    for _ in range(3):
        response = client.post(
            reverse("maillist:subscribe"), {"email": "y@example.org", "post_types": ["date"]}
        )
        assert "Fast geschafft" in response.text
    rows = Notification.objects.filter(kind=Kind.LIST_SUBSCRIPTION_REQUESTED)
    assert rows.count() == 1


def test_a_member_chooses_the_types_they_get(member, author, client_for):
    client = client_for(author)
    response = client.post(reverse("maillist:member_types"), {"post_types": ["funding"]})
    assert response.status_code == 302
    assert set(OptOut.objects.filter(user=author).values_list("post_type", flat=True)) == (
        set(PostType.values) - {"funding"}
    )
    public_post(member, post_type=PostType.DATE, title="Termin")
    public_post(member, title="Förderung")
    got = Notification.objects.filter(recipient=author, channel=Channel.EMAIL)
    assert [n.context["post_id"] for n in got] == [services.Post.objects.get(title="Förderung").pk]


def test_the_coordination_sees_counts_and_removes_an_address_audited(coordinator, client_for):
    services.subscriber_subscribe(email="weg@example.org", post_types=["date"])
    subscriber = ListSubscriber.objects.get()
    services.subscriber_confirm(token=subscriber.token)
    services.subscriber_bounce_record(email="WEG@example.org")
    client = client_for(coordinator)
    page = client.get(reverse("maillist:subscribers")).text
    assert "weg@example.org" in page and "Adressen mit Rückläufern" in page
    client.post(reverse("maillist:subscriber_remove", kwargs={"pk": subscriber.pk}))
    assert not ListSubscriber.objects.exists()
    log = SubscriberLog.objects.get()
    assert log.email == "weg@example.org" and log.by == coordinator
    assert "weg@example.org" in client.get(reverse("maillist:subscribers")).text  # the log


def test_unsubscribe_link_is_signed(client):
    services.subscriber_subscribe(email="z@example.org", post_types=["date"])
    subscriber = ListSubscriber.objects.get()
    url = tokens.unsubscribe_url(subscriber.token)
    assert subscriber.token not in url.split("/")[-2] or ":" in url


def test_an_outside_subscriber_changes_types_through_the_signed_link(client):
    services.subscriber_subscribe(email="t@example.org", post_types=["date", "funding"])
    subscriber = ListSubscriber.objects.get()
    services.subscriber_confirm(token=subscriber.token)
    url = tokens.unsubscribe_url(subscriber.token)
    unsubscribe_page = client.get(url[url.index("/verteiler/") :]).text
    types_path = re.search(r'href="(/verteiler/arten/[^"]+)"', unsubscribe_page).group(1)
    assert client.post(types_path, {"post_types": ["minutes"]}).status_code == 200
    assert list(subscriber.subscriptions.values_list("post_type", flat=True)) == ["minutes"]
    subscriber.refresh_from_db()
    assert subscriber.is_active
