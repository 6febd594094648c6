"""Posting by e-mail over a real SMTP session (the inbound_mail listener, aiosmtpd):
a member's mail to their personal address becomes a post (held or sent per type);
a forged address, a wrong sender, a replay or an attachment creates nothing and the
sending server gets a 550 with the reason."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest

from inbound.smtp import controller as smtp_controller
from maillist import services
from maillist.inbound import posting_address
from maillist.models import Post, PostState
from tests.realservices import free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def listener():
    port = free_port()
    controller = smtp_controller("127.0.0.1", port)  # the one listener (inbound/smtp.py)
    controller.start()
    yield port
    controller.stop()


def send(port: int, *, to: str, sender: str, subject: str, msgid: str, attach: bool = False):
    message = EmailMessage()
    message["From"] = f"Jemand <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = msgid
    message.set_content("Liebe alle,\n\ndas Treffen ist am Dienstag.\n")
    if attach:
        message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf")
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.send_message(message)


def test_a_member_posts_by_mail(listener, member):
    send(
        listener,
        to=posting_address(member),
        sender=member.email.upper(),
        subject="[Termin] Treffen im Januar",
        msgid="<a1@example.org>",
    )
    post = Post.objects.get()
    assert (post.author, post.post_type, post.title) == (member, "date", "Treffen im Januar")
    assert post.state == PostState.SENT and "Dienstag" in post.body_html


def test_held_when_the_type_needs_approval(listener, member, coordinator):
    services.type_setting_save(post_type="information", approval_required=True, by=coordinator)
    send(
        listener,
        to=posting_address(member),
        sender=member.email,
        subject="Hinweis",
        msgid="<a2@example.org>",
    )
    assert Post.objects.get().state == PostState.HELD


@pytest.mark.parametrize("case", ["forged", "wrong_sender", "replay", "attachment", "non_member"])
def test_refusals_create_nothing_and_say_why(listener, member, registered, case):
    to, sender, msgid = posting_address(member), member.email, "<r@example.org>"
    if case == "replay":
        send(listener, to=to, sender=sender, subject="Erst", msgid=msgid)
    if case == "forged":
        local, domain = to.split("@")
        to = local.rsplit(".", 1)[0] + "." + "0" * 20 + "@" + domain
    if case == "wrong_sender":
        sender = "fremd@example.org"
    if case == "non_member":
        to, sender = posting_address(registered), registered.email
    before = Post.objects.count()
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(
            listener,
            to=to,
            sender=sender,
            subject="Zweit",
            msgid=msgid,
            attach=case == "attachment",
        )
    assert refused.value.smtp_code == 550 and refused.value.smtp_error
    assert Post.objects.count() == before


DSN = """From: MAILER-DAEMON@mx.example.net
To: {to}
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{n}@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=utf-8

Die Nachricht konnte nicht zugestellt werden.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {failed}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

Final-Recipient: rfc822; {delayed}
Action: delayed
Status: 4.2.2

--B--
"""


def test_hard_bounces_stop_list_mail_after_the_threshold(listener, member, settings):
    from maillist.inbound import bounce_address
    from maillist.models import ListSubscriber
    from maillist.selectors import active_list_subscriber_ids

    settings.RTM_LIST_BOUNCE_THRESHOLD = 2
    for email in ("weg@example.org", "voll@example.org"):
        services.subscriber_subscribe(email=email, post_types=["date"])
        services.subscriber_confirm(token=ListSubscriber.objects.get(email=email).token)
    for n in range(2):
        raw = DSN.format(
            to=bounce_address(), n=n, failed="Weg@example.org", delayed="voll@example.org"
        )
        with smtplib.SMTP("127.0.0.1", listener) as smtp:
            smtp.sendmail("", [bounce_address()], raw.encode())
    gone = ListSubscriber.objects.get(email="weg@example.org")
    assert gone.bounce_count == 2 and gone.last_bounce_at is not None
    assert ListSubscriber.objects.get(email="voll@example.org").bounce_count == 0  # 4.x.x
    assert active_list_subscriber_ids("date") == [
        ListSubscriber.objects.get(email="voll@example.org").pk
    ]
