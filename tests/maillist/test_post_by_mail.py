"""Posting by e-mail over a real SMTP session (the inbound_mail listener, aiosmtpd):
a member's mail to their personal address becomes a post (held or sent per type);
a forged address, a wrong sender, a replay or an attachment creates nothing and the
sending server gets a 550 with the reason."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest

from maillist import services
from maillist.inbound import posting_address
from maillist.management.commands.inbound_mail import InboundHandler, smtp_controller_class
from maillist.models import Post, PostState
from tests.realservices import free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def listener():
    port = free_port()
    controller = smtp_controller_class()(InboundHandler(), hostname="127.0.0.1", port=port)
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
