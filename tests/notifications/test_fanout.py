"""Render once, substitute per recipient (notifications/fanout.py): every recipient gets
exactly the mail rendered for them alone, signed for them alone; a template that treats
a recipient's value in a way substitution cannot follow is rendered per recipient."""

from __future__ import annotations

import base64
import re
from email.header import decode_header, make_header

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from accounts.models import User
from core.events import EventKind
from notifications import emails, services
from notifications.fanout import RenderOnce, fingerprint
from notifications.models import Channel, Notification, Status
from notifications.tokens import read_unsubscribe
from statements.models import Statement
from tests.factories import UserFactory, make_statement
from tests.notifications.conftest import html_of, text_of

pytestmark = pytest.mark.django_db

NAMES = ["Ümit Çağlar", "<b>Anna & Co</b>", "O'Brien", "Jana", "Марія Коваль", "Lin"]


def members_with_names() -> list[User]:
    return User.objects.bulk_create(
        [
            User(
                email=f"fan{i}@example.org",
                display_name=name,
                language="en" if i % 2 else "de",
                membership_status="member",
                member_since=timezone.now(),
            )
            for i, name in enumerate(NAMES)
        ]
    )


def open_consultation(author) -> Statement:
    statement = make_statement(author=author, state="draft", title="Bezahlkarte – „Bargeld“")
    Statement.objects.filter(pk=statement.pk).update(state="consultation")
    statement.refresh_from_db()
    services.notifications_for_event(
        kind=EventKind.CONSULTATION_OPENED, statement=statement, actor=author, target=None, extra={}
    )
    return statement


def same(text: str) -> str:
    """`text` with its signed unsubscribe token cut out: the token carries the second it
    was signed in, so two renderings a second apart differ there and nowhere else."""
    return re.sub(r"/unsubscribe/[^/\s\"<>]+/", "/unsubscribe/TOKEN/", text.replace("\r\n", "\n"))


def token_user(text: str) -> int:
    token = re.search(r"/unsubscribe/([^/\s\"<>]+)/", text).group(1)
    return read_unsubscribe(token)["u"]


def direct(row: Notification):
    """The mail for `row` rendered on its own, without any sharing."""
    return emails.build(row, emails.Loaded([row]))


def sent_rows() -> dict[str, Notification]:
    rows = Notification.objects.filter(channel=Channel.EMAIL).select_related(
        "recipient", "statement"
    )
    return {row.recipient.email: row for row in rows}


@pytest.fixture
def dkim_key(tmp_path, settings):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "dkim.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    settings.RTM_DKIM_DOMAIN = "example.org"
    settings.RTM_DKIM_SELECTOR = "rtm2026"
    settings.RTM_DKIM_PRIVATE_KEY_FILE = str(path)
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def test_every_recipient_gets_the_mail_rendered_for_them_alone(smtp_server, dkim_key):
    author = UserFactory(membership_status="member")
    members = members_with_names()
    open_consultation(author)
    sent = services.outbox_deliver()
    assert sent >= len(members)
    received = {m["To"]: m for m in smtp_server.wait_for(sent)}
    rows = sent_rows()
    for member in members:
        message, expected = received[member.email], direct(rows[member.email])
        assert str(make_header(decode_header(message["Subject"]))) == expected.subject
        assert same(text_of(message)) == same(expected.body)
        assert same(html_of(message)) == same(expected.alternatives[0][0])
        # Each one's own unsubscribe link, in both parts and the header.
        assert token_user(text_of(message)) == member.pk == token_user(html_of(message))
        assert token_user(message["List-Unsubscribe"]) == member.pk
        assert message["Message-ID"] == expected.extra_headers["Message-ID"]
        assert f"notification-{rows[member.email].pk}@" in message["Message-ID"]
        # Each mail is signed over its own To, Message-ID and unsubscribe link.
        data = message.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        assert dkim.verify(data, dnsfunc=lambda name, timeout=5: dkim_key), member.email
        assert not dkim.verify(
            data.replace(member.email.encode(), b"someone@example.org"),
            dnsfunc=lambda name, timeout=5: dkim_key,
        )
    # The greeting carries each one's own name, escaped in HTML and nowhere else.
    anna = received["fan1@example.org"]
    assert "&lt;b&gt;Anna &amp; Co&lt;/b&gt;" in html_of(anna)
    assert "<b>Anna & Co</b>" in text_of(anna)
    assert "Ümit Çağlar" in text_of(received["fan0@example.org"])
    assert "Ümit" not in text_of(received["fan3@example.org"])


def test_one_rendering_per_kind_and_language():
    author = UserFactory(membership_status="member")
    members_with_names()
    open_consultation(author)
    rows = list(
        Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING).select_related(
            "recipient", "statement"
        )
    )
    renders, loaded = RenderOnce(), emails.Loaded(rows)
    built = [emails.build(row, loaded, renders) for row in rows]
    assert all(message is not None and message.prefab for message in built)
    assert renders.stats["groups"] == 2  # German and English
    assert renders.stats["grouped"] == len(rows) and renders.stats["fallbacks"] == 0
    for row, message in zip(rows, built, strict=True):
        alone = direct(row)
        assert message.subject == alone.subject
        assert same(message.body) == same(alone.body)
        assert same(message.alternatives[0][0]) == same(alone.alternatives[0][0])


def test_a_template_that_transforms_the_name_is_rendered_per_recipient(settings, tmp_path):
    # Shadows the kind's own templates (DIRS come before the apps' folders).
    folder = tmp_path / "templates"
    (folder / "notifications" / "email").mkdir(parents=True)
    base = folder / "notifications" / "email" / "consultation_opened"
    base.with_name("consultation_opened_subject.txt").write_text("Hallo")
    base.with_suffix(".txt").write_text("HALLO {{ recipient_name|upper }}")
    base.with_suffix(".html").write_text("<p>{{ recipient_name|truncatechars:3 }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    author = UserFactory(membership_status="member")
    members_with_names()
    open_consultation(author)
    rows = list(
        Notification.objects.filter(channel=Channel.EMAIL).select_related("recipient", "statement")
    )
    renders, loaded = RenderOnce(), emails.Loaded(rows)
    built = {row.recipient.display_name: emails.build(row, loaded, renders) for row in rows}
    assert renders.stats["fallbacks"] >= 1 and renders.stats["grouped"] == 0
    assert built["Jana"].body == "HALLO JANA"
    assert built["O'Brien"].alternatives[0][0] == "<p>O&#x27;…</p>"


def test_context_fingerprints_tell_safe_from_plain_text_and_refuse_unknown_objects():
    from django.utils.safestring import mark_safe

    assert fingerprint({"a": "x"}) != fingerprint({"a": mark_safe("x")})
    assert fingerprint([1, "b"]) == fingerprint((1, "b"))
    with pytest.raises(TypeError, match="object"):
        fingerprint({"thing": object()})


@pytest.mark.parametrize(("mails", "tasks"), [(1, 1), (250, 1), (251, 2), (600, 3), (20000, 4)])
def test_a_large_event_is_delivered_by_several_tasks_side_by_side(settings, mails, tasks):
    settings.RTM_MAIL_CHUNK, settings.RTM_MAIL_PARALLEL = 250, 4
    assert services.delivery_tasks(mails) == tasks


def test_opening_a_consultation_for_many_queues_parallel_deliveries(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.RTM_MAIL_CHUNK, settings.RTM_MAIL_PARALLEL = 2, 4
    queued: list[str | None] = []
    from notifications import tasks

    monkeypatch.setattr(
        tasks.deliver_pending, "delay", lambda event_key=None: queued.append(event_key)
    )
    author = UserFactory(membership_status="member")
    members_with_names()  # six members: three chunks of two
    with django_capture_on_commit_callbacks(execute=True):
        open_consultation(author)
    mails = Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING).count()
    assert mails >= 6
    # One task per two mails, all for this event (the author's own mail included).
    assert len(queued) == min(-(-mails // 2), 4) and len(set(queued)) == 1 and queued[0]
