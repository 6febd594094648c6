"""Answers by mail (issue 19 item 3): the position's mail carries its own reply address;
the addressee's reply (with a letter as PDF) becomes a non-public answer with the file
kept, the coordination is told; files over the limits and forged addresses are refused."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from inbound.models import Decision, InboundMessage
from inbound.services import receive
from notifications import services as outbox
from notifications.models import Answer, AnswerFile, Kind, Notification
from public import addressees

pytestmark = pytest.mark.django_db

DOMAIN = "antwort.example.org"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.RTM_DOCUMENTS_DIR = tmp_path / "documents"
    settings.RTM_ANSWER_FILES_DIR = tmp_path / "answers"
    settings.RTM_PRESS_EMAIL = "presse@rtm.example"
    settings.RTM_REPLY_DOMAIN = DOMAIN


@pytest.fixture
def office(coordinator):
    return addressees.addressee_create(
        actor=coordinator,
        name="Büro des Landrats",
        organisation="Landratsamt Landkreis Leipzig",
        email="landrat@lk.example",
        kind="administration",
    )


@pytest.fixture
def sent_mail(published, coordinator, office, django_capture_on_commit_callbacks):
    """The position mailed to the office (locmem outbox); its Reply-To address."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        addressees.position_send(
            statement_id=published.pk, actor=coordinator, addressee_ids=[office.pk]
        )
    outbox.outbox_deliver()
    [message] = [m for m in mail.outbox if m.to == ["landrat@lk.example"]]
    return message


def reply(to: str, *, sender: str, message_id: str, files=(), text: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = f"Sachgebiet Integration <{sender}>"
    message["To"] = to
    message["Subject"] = "AW: Stellungnahme des Runden Tisches Migration"
    message["Message-ID"] = f"<{message_id}>"
    message.set_content(
        text
        if text is not None
        else (
            "Sehr geehrte Damen und Herren,\n\nvielen Dank, unsere Antwort finden Sie im "
            "Anhang.\n\nMit freundlichen Grüßen\nLandratsamt\n\n"
            "Von: RTM <rtm@example.org>\nGesendet: Montag, 7. Dezember 2026 10:00\n"
            "Betreff: Stellungnahme\n\nalter Text"
        )
    )
    for name, content, (maintype, subtype) in files:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_the_position_mail_carries_its_own_reply_address(sent_mail):
    reply_to = sent_mail.extra_headers["Reply-To"]
    assert reply_to.startswith("reply+a") and reply_to.endswith("@" + DOMAIN)
    assert "presse@rtm.example" in sent_mail.body  # the press contact is still named


def test_a_reply_with_a_letter_becomes_a_private_answer_and_the_coordination_is_told(
    sent_mail, published, office, coordinator, member, django_capture_on_commit_callbacks
):
    to = sent_mail.extra_headers["Reply-To"]
    raw = reply(
        to,
        sender="landrat@lk.example",
        message_id="answer-1@lk",
        files=[("Antwort Landrat.pdf", PDF, ("application", "pdf"))],
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = receive(raw)
    assert outcome.decision == Decision.ACCEPTED
    answer = Answer.objects.get(statement=published)
    assert (answer.addressee, answer.by_mail, answer.is_public) == (office, True, False)
    assert answer.sender == "Sachgebiet Integration"
    assert answer.sender_email == "landrat@lk.example"
    assert answer.text.startswith("Sehr geehrte Damen und Herren")
    assert "alter Text" not in answer.text  # Outlook's quoted block is cut
    [stored] = answer.files.all()
    assert (stored.filename, stored.content_type, stored.size) == (
        "Antwort Landrat.pdf",
        "application/pdf",
        len(PDF),
    )
    # The coordination hears of it (mail and in-app), nobody else.
    rows = Notification.objects.filter(kind=Kind.ANSWER_RECEIVED)
    assert {r.recipient for r in rows} == {coordinator}
    [notice] = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert "Büro des Landrats" in notice.subject or "Sachgebiet Integration" in notice.subject
    assert "Antwort Landrat.pdf" in notice.body
    # Not public yet: the public page does not show it.
    assert "Sehr geehrte Damen" not in Client().get(published.get_absolute_url()).text
    # The file: coordinators download it; members and visitors do not.
    url = f"/statements/{published.slug}/versand/anhang/{stored.pk}/"
    coordination = Client()
    coordination.force_login(coordinator)
    response = coordination.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    other = Client()
    other.force_login(member)
    assert other.get(url).status_code in (302, 403, 404)
    assert Client().get(url).status_code in (302, 403, 404)
    # The coordination makes it public: the text shows, never the file.
    page = coordination.get(f"/statements/{published.slug}/versand/").text
    assert "Antwort Landrat.pdf" in page
    coordination.post(
        f"/statements/{published.slug}/versand/antwort/{answer.pk}/sichtbarkeit/", {"public": "1"}
    )
    public_page = Client().get(published.get_absolute_url()).text
    assert "Sehr geehrte Damen und Herren" in public_page
    assert "Antwort Landrat.pdf" not in public_page


def test_a_reply_forwarded_inside_the_office_is_taken_and_the_real_sender_kept(
    sent_mail, published, django_capture_on_commit_callbacks
):
    to = sent_mail.extra_headers["Reply-To"]
    raw = reply(to, sender="m.muster@lk.example", message_id="fw@lk", text="Wir prüfen das.")
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(raw).decision == Decision.ACCEPTED
    answer = Answer.objects.get(statement=published)
    assert answer.sender_email == "m.muster@lk.example" and answer.text == "Wir prüfen das."
    assert answer.files.count() == 0


@pytest.mark.parametrize(
    "files, words",
    [
        ([("setup.exe", b"MZ...", ("application", "octet-stream"))], "Dateityp"),
        ([("gross.pdf", PDF + b"x" * 2000, ("application", "pdf"))], "größer als"),
    ],
)
def test_files_over_the_limits_refuse_the_whole_answer_with_a_clear_bounce(
    sent_mail, published, settings, files, words, django_capture_on_commit_callbacks
):
    settings.RTM_ANSWER_FILE_MAX_BYTES = 1000
    to = sent_mail.extra_headers["Reply-To"]
    raw = reply(to, sender="landrat@lk.example", message_id="big@lk", files=files)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(raw).decision == Decision.REFUSED
    assert not Answer.objects.exists() and not AnswerFile.objects.exists()
    [bounce] = [m for m in mail.outbox if m.to == ["landrat@lk.example"]]
    assert words in bounce.body
    assert bounce.extra_headers["X-RTM-Inbound"] == "refused"


def test_a_signed_mail_keeps_its_letter_and_drops_the_signature_part(
    sent_mail, published, django_capture_on_commit_callbacks
):
    """Administrations sign their mail (S/MIME): the signature is no file to keep."""
    to = sent_mail.extra_headers["Reply-To"]
    raw = reply(
        to,
        sender="landrat@lk.example",
        message_id="signed@lk",
        text="Anbei unser Schreiben.",
        files=[
            ("Schreiben.pdf", PDF, ("application", "pdf")),
            ("smime.p7s", b"0\x82signature", ("application", "pkcs7-signature")),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(raw).decision == Decision.ACCEPTED
    assert [f.filename for f in AnswerFile.objects.all()] == ["Schreiben.pdf"]


def test_a_forged_answer_address_creates_nothing(
    sent_mail, published, django_capture_on_commit_callbacks
):
    to = sent_mail.extra_headers["Reply-To"]
    local, _, domain = to.partition("@")
    forged = f"{local[:-2]}{'aa' if not local.endswith('aa') else 'bb'}@{domain}"
    raw = reply(forged, sender="landrat@lk.example", message_id="forged@lk", text="Hallo")
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(raw).decision == Decision.FORGED
    assert not Answer.objects.exists()
    assert InboundMessage.objects.get(message_key="<forged@lk>").decision == Decision.FORGED
