"""Addressees and answers (issue 19, item 3): a published position goes to the address
book's entries through the outbox (real SMTP, PDF attached, Reply-To the press address);
answers entered by coordinators show on the public page only when marked public."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from pypdf import PdfReader

from notifications import services as outbox
from notifications.models import Addressee, Kind, Notification, Status
from public import addressees
from tests.realservices import smtp_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents_dir(settings, tmp_path):
    settings.RTM_DOCUMENTS_DIR = tmp_path / "documents"
    settings.RTM_PRESS_EMAIL = "presse@rtm.example"


@pytest.fixture
def office(coordinator):
    return addressees.addressee_create(
        actor=coordinator,
        name="Büro des Landrats",
        organisation="Landratsamt Landkreis Leipzig",
        email="landrat@lk.example",
        kind="administration",
    )


def test_position_reaches_addressee_with_pdf_and_reply_address(
    published,
    coordinator,
    office,
    smtp_server,  # noqa: F811
):
    with transaction.atomic():
        written = addressees.position_send(
            statement_id=published.pk, actor=coordinator, addressee_ids=[office.pk]
        )
    assert written == 1
    delivered = outbox.outbox_deliver()  # with the publication's own mails to members
    messages = smtp_server.wait_for(delivered)
    [message] = [m for m in messages if m["To"] == "landrat@lk.example"]
    assert "landrat@lk.example" in smtp_server.recipients()
    assert message["Reply-To"] == "presse@rtm.example"
    pdfs = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1
    text = PdfReader(io.BytesIO(pdfs[0].get_payload(decode=True))).pages[0].extract_text()
    assert "Bezahlkarte" in text
    row = Notification.objects.get(kind=Kind.POSITION_SENT)
    assert row.status == Status.SENT and row.addressee == office
    # Sending again to the same addressee writes nothing new.
    assert (
        addressees.position_send(
            statement_id=published.pk, actor=coordinator, addressee_ids=[office.pk]
        )
        == 0
    )


def test_only_coordinators_send_and_only_published(published, member, coordinator, office):
    with pytest.raises(addressees.SendingError) as refused:
        addressees.position_send(statement_id=published.pk, actor=member, addressee_ids=[office.pk])
    assert refused.value.status == 403
    from tests.factories import make_statement

    draft = make_statement(state="accepted")
    with pytest.raises(addressees.SendingError):
        addressees.position_send(statement_id=draft.pk, actor=coordinator, addressee_ids=[])


def test_an_outbox_row_has_exactly_one_recipient(published, office, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            kind=Kind.POSITION_SENT,
            event_key="x",
            addressee=office,
            recipient=member,
            channel="email",
            statement=published,
        )


def test_public_page_shows_sent_and_public_answers_only(published, coordinator, office):
    addressees.position_send(
        statement_id=published.pk, actor=coordinator, addressee_ids=[office.pk]
    )
    addressees.answer_add(
        statement=published,
        actor=coordinator,
        sender="Landratsamt",
        received_on=dt.date(2026, 12, 1),
        text="Wir prüfen Ihre Forderung.",
        is_public=True,
        addressee=office,
    )
    addressees.answer_add(
        statement=published,
        actor=coordinator,
        sender="Fraktion Geheim",
        received_on=dt.date(2026, 12, 2),
        text="Vertraulich.",
        is_public=False,
    )
    page = Client().get(published.get_absolute_url()).content.decode()
    assert "Gesendet an" in page and "Büro des Landrats" in page
    assert "Beantwortet von Landratsamt am 1. Dezember 2026" in page
    assert "Wir prüfen Ihre Forderung." in page
    assert "Fraktion Geheim" not in page and "Vertraulich" not in page


def test_coordinator_pages(published, coordinator, member, office):
    client = Client()
    client.force_login(coordinator)
    assert client.get("/coordination/adressbuch/").status_code == 200
    response = client.post(
        "/coordination/adressbuch/",
        {"name": "Fraktion X", "organisation": "", "email": "kaputt", "kind": "faction"},
    )
    assert response.status_code == 400 and "Fraktion X" in response.content.decode()
    url = f"/statements/{published.slug}/versand/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "action": "answer",
            "sender": "Beirat",
            "received_on": "2026-12-03",
            "text": "Danke.",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    assert "Beantwortet von Beirat" in Client().get(published.get_absolute_url()).content.decode()
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert Addressee.objects.count() == 1
