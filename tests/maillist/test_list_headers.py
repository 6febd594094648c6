"""List mail carries List-Id, the RFC 8058 unsubscribe pair and Precedence: list, and
every mail is DKIM-signed when a key is configured (checked with dkimpy's verifier
against the test key's public half, over the bytes a real SMTP server received)."""

from __future__ import annotations

import base64

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from maillist import services
from maillist.models import PostType
from notifications import services as outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def dkim_key(tmp_path, settings):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    path = tmp_path / "dkim.pem"
    path.write_bytes(pem)
    settings.RTM_DKIM_DOMAIN = "example.org"
    settings.RTM_DKIM_SELECTOR = "rtm2026"
    settings.RTM_DKIM_PRIVATE_KEY_FILE = str(path)
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def post(author, **kw):
    data = {"post_type": PostType.INFORMATION, "title": "Info", "body": "Text **fett**"}
    data.update(kw)
    return services.post_create(author=author, is_public=True, **data)


def test_list_mail_has_list_headers(member, author, mailoutbox):
    post(member)
    outbox.outbox_deliver()
    mail = next(m for m in mailoutbox if m.to == [author.email])
    headers = mail.extra_headers
    assert "<verteiler." in headers["List-Id"]
    assert headers["Precedence"] == "list"
    assert headers["List-Unsubscribe"].startswith("<http")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_other_mail_is_not_list_mail(author, mailoutbox):
    from tests.factories import make_statement

    make_statement(author=author, state="consultation")  # consultation opened
    outbox.outbox_deliver()
    assert mailoutbox and all("List-Id" not in m.extra_headers for m in mailoutbox)


@pytest.mark.postgres
def test_mail_received_over_smtp_verifies_with_the_dkim_key(member, author, dkim_key, smtp_server):
    post(member, title="Signiert – mit Umlauten äöü")
    sent = outbox.outbox_deliver()
    smtp_server.wait_for(sent)
    raw = smtp_server.messages[0].as_bytes()
    assert raw.startswith(b"DKIM-Signature:")
    received = [m for m in smtp_server.messages]
    for message in received:
        data = message.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        assert dkim.verify(data, dnsfunc=lambda name, timeout=5: dkim_key), message["To"]
        assert message["List-Id"] and message["Precedence"] == "list"
    # A changed body fails verification: the signature covers the text.
    tampered = data.replace(b"Signiert", b"Gefaelscht", 1)
    assert not dkim.verify(tampered, dnsfunc=lambda name, timeout=5: dkim_key)


def test_without_configuration_nothing_is_signed(member, author, mailoutbox):
    post(member)
    outbox.outbox_deliver()
    assert b"DKIM-Signature" not in mailoutbox[0].message().as_bytes()
