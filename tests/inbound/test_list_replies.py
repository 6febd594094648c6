"""Replies by e-mail to a list post (issue 18 item 4, reply target "l"): every list mail
carries the reader's own reply address; a member's reply becomes a reply in the post's
thread, as visible as the post; an outside subscriber's is refused politely; forged,
wrong sender, replay, attachment and a reader who may no longer see the post: nothing
created, one bounce each, sent through the outbox."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.core import mail
from django.test import Client

from accounts.models import MembershipStatus
from inbound.models import Decision
from inbound.services import receive
from maillist import services
from maillist.models import ListSubscriber, ListSubscription, Post, PostType
from notifications import services as outbox
from notifications.models import Kind, Notification, Status
from tests.inbound.conftest import raw_reply
from tests.inbound.test_receive import TYPED

pytestmark = pytest.mark.django_db


def list_post(author, *, is_public=True, title="Förderprogramm Integration 2027"):
    return services.post_create(
        author=author,
        post_type=PostType.FUNDING if is_public else PostType.INFORMATION,
        title=title,
        body="Anträge bis Ende Januar.",
        is_public=is_public,
    )


def delivered_to(address: str):
    outbox.outbox_deliver()
    return [m for m in mail.outbox if m.to == [address] and "X-RTM-Inbound" not in m.extra_headers]


def bounce_to(address: str):
    bounces = [m for m in mail.outbox if m.to == [address] and "X-RTM-Inbound" in m.extra_headers]
    assert len(bounces) == 1, [m.subject for m in mail.outbox]
    return bounces[0]


def replies(post) -> list[Post]:
    return list(Post.objects.filter(parent=post).order_by("pk"))


@pytest.fixture
def sent(member, author, django_capture_on_commit_callbacks):
    """A public funding hint by `author`; the mail `member` got and its Reply-To."""
    with django_capture_on_commit_callbacks(execute=True):
        post = list_post(author)
    [message] = delivered_to(member.email)
    return post, message.extra_headers["Reply-To"]


@pytest.mark.parametrize("fixture", sorted(TYPED))
def test_a_members_reply_becomes_a_reply_in_the_posts_thread(
    fixture, sent, member, django_capture_on_commit_callbacks
):
    post, to = sent
    assert to.startswith("reply+l")
    raw = raw_reply(fixture, to=to, sender=member.email, message_id=f"l-{fixture}@mua")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = receive(raw)
    assert outcome.decision == Decision.ACCEPTED
    [answer] = replies(post)
    assert (answer.author, answer.body, answer.is_public) == (member, TYPED[fixture], True)
    assert answer.title == f"Re: {post.title}"
    # In the thread on the post's page, for visitors too (the post is public).
    page = Client().get(post.get_absolute_url()).text
    assert TYPED[fixture].split("\n")[0] in page
    # The post's author hears of it (like a reply to a comment), the replier does not.
    notified = Notification.objects.filter(kind=Kind.LIST_REPLY, context__post_id=answer.pk)
    assert {n.recipient for n in notified} == {post.author}
    # Not mailed to the list again, not a second funding hint on the board.
    assert not Notification.objects.filter(kind=Kind.LIST_POST, context__post_id=answer.pk)
    board = Client().get("/verteiler/foerderhinweise/").text
    assert board.count("Förderprogramm Integration 2027") == 1


def test_a_reply_to_a_members_only_post_stays_with_the_members(
    member, author, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = list_post(author, is_public=False, title="Intern: Raumfrage")
    [message] = delivered_to(member.email)
    raw = raw_reply(
        "gmail_de.eml", to=message.extra_headers["Reply-To"], sender=member.email, message_id="i@x"
    )
    assert receive(raw).decision == Decision.ACCEPTED
    [answer] = replies(post)
    assert not answer.is_public
    assert Client().get(answer.get_absolute_url()).status_code == 404
    assert "Danke für die Zusammenfassung" not in Client().get(post.get_absolute_url()).text
    assert "Danke für die Zusammenfassung" in client_for(author).get(post.get_absolute_url()).text


def test_an_outside_subscriber_gets_a_friendly_refusal(
    author, settings, django_capture_on_commit_callbacks
):
    settings.RTM_CONTACT_EMAIL = "kontakt@rtm.example"
    subscriber = ListSubscriber.objects.create(email="partner@verein.example")
    subscriber.confirmed_at = subscriber.created_at
    subscriber.save()
    ListSubscription.objects.create(subscriber=subscriber, post_type=PostType.FUNDING)
    with django_capture_on_commit_callbacks(execute=True):
        post = list_post(author)
    [message] = delivered_to("partner@verein.example")
    to = message.extra_headers["Reply-To"]
    assert to.startswith("reply+l")
    assert "erscheint im Archiv" not in message.body  # no promise to outsiders
    raw = raw_reply("outlook_de.eml", to=to, sender="partner@verein.example", message_id="o@x")
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(raw).decision == Decision.NOT_MEMBER
    assert replies(post) == []
    bounce = bounce_to("partner@verein.example")
    assert "nur von Mitgliedern" in bounce.body and "only from members" in bounce.body
    assert "kontakt@rtm.example" in bounce.body


def _refused(raw, post, sender, decision, capture):
    with capture(execute=True):
        assert receive(raw).decision == decision
    assert replies(post) == []
    return bounce_to(sender)


def test_forged_wrong_sender_and_attachment_create_nothing(
    sent, member, django_capture_on_commit_callbacks
):
    post, to = sent
    local, _, domain = to.partition("@")
    forged = f"{local[:-3]}{'aaa' if not local.endswith('aaa') else 'bbb'}@{domain}"
    capture = django_capture_on_commit_callbacks
    raw = raw_reply("gmail_de.eml", to=forged, sender=member.email, message_id="lf@x")
    assert "ungültig" in _refused(raw, post, member.email, Decision.FORGED, capture).body
    raw = raw_reply("gmail_de.eml", to=to, sender="other@example.net", message_id="lw@x")
    _refused(raw, post, "other@example.net", Decision.WRONG_SENDER, capture)
    message = EmailMessage()
    message["From"], message["To"], message["Message-ID"] = member.email, to, "<la@x>"
    message["Subject"] = "Re: Förderprogramm"
    message.set_content("Siehe Anhang.")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="a.pdf")
    mail.outbox.clear()
    bounce = _refused(message.as_bytes(), post, member.email, Decision.ATTACHMENT, capture)
    assert "Anhänge" in bounce.body


def test_the_authors_reply_mail_lets_them_answer_in_turn(
    sent, member, author, django_capture_on_commit_callbacks
):
    from notifications import services as notifications

    post, to = sent
    notifications.preference_save(user=author, kind="list_reply", mode="immediately")
    raw = raw_reply("gmail_de.eml", to=to, sender=member.email, message_id="t1@x")
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(raw).decision == Decision.ACCEPTED
    [notice] = [m for m in delivered_to(author.email) if "antwortet im Verteiler" in m.body]
    assert "Danke für die Zusammenfassung" in notice.body
    raw = raw_reply(
        "outlook_de.eml",
        to=notice.extra_headers["Reply-To"],
        sender=author.email,
        message_id="t2@x",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(raw).decision == Decision.ACCEPTED
    assert [p.author for p in replies(post)] == [member, author]


def test_a_replay_creates_one_reply_and_one_bounce(
    sent, member, django_capture_on_commit_callbacks
):
    post, to = sent
    raw = raw_reply("thunderbird_de.eml", to=to, sender=member.email, message_id="lr@x")
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(raw).decision == Decision.ACCEPTED
        assert receive(raw).decision == Decision.REPLAY
        assert receive(raw).decision == Decision.REPLAY  # told once, not again
    assert len(replies(post)) == 1
    assert "bereits empfangen" in bounce_to(member.email).body


def test_a_reader_who_may_no_longer_see_the_post_is_refused(
    member, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = list_post(author, is_public=False, title="Intern")
    [message] = delivered_to(member.email)
    member.membership_status = MembershipStatus.SUSPENDED
    member.save(update_fields=["membership_status"])
    raw = raw_reply(
        "gmail_de.eml", to=message.extra_headers["Reply-To"], sender=member.email, message_id="s@x"
    )
    bounce = _refused(
        raw, post, member.email, Decision.NOT_ALLOWED, django_capture_on_commit_callbacks
    )
    assert "Intern" not in bounce.body


def test_bounces_go_through_the_outbox(sent, member, django_capture_on_commit_callbacks):
    """A bounce is an outbox row like every other mail (retries, the coordination's list
    of failed mail, DKIM), addressed to the refused message's sender."""
    post, to = sent
    raw = raw_reply("gmail_de.eml", to=to, sender="other@example.net", message_id="ob@x")
    with django_capture_on_commit_callbacks(execute=True):
        receive(raw)
    [row] = Notification.objects.filter(kind=Kind.INBOUND_REFUSED)
    assert row.recipient is None and row.inbound_message.sender == "other@example.net"
    assert row.status == Status.SENT
    bounce = bounce_to("other@example.net")
    assert bounce.extra_headers["Message-ID"] == f"<notification-{row.pk}@positionen.example.org>"
    assert bounce.extra_headers["Auto-Submitted"] == "auto-replied"
    assert bounce.extra_headers["In-Reply-To"] == "<ob@x>"
    assert "List-Unsubscribe" not in bounce.extra_headers
