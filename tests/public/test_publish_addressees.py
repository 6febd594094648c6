"""Choosing addressees while publishing (issue 19, item 3): the publication's confirmation
page lists the address book to coordinators; publishing now sends the position to the
chosen ones through the outbox, an embargoed publication refuses a choice (nothing can go
out before the paper is public) and keeps what was ticked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Addressee, Kind, Notification
from statements.states import State
from tests.factories import make_statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents_dir(settings, tmp_path):
    settings.RTM_DOCUMENTS_DIR = tmp_path / "documents"


@pytest.fixture
def book(db):
    office = Addressee.objects.create(
        name="Büro des Landrats",
        organisation="Landratsamt",
        email="landrat@lk.example",
        kind="administration",
    )
    faction = Addressee.objects.create(
        name="Fraktion", organisation="Kreistag", email="fraktion@lk.example", kind="faction"
    )
    Addressee.objects.create(
        name="Ehemals", organisation="Alt", email="alt@lk.example", kind="press", is_active=False
    )
    return office, faction


def url(statement) -> str:
    return reverse("workflow:transition", kwargs={"slug": statement.slug, "name": "publish"})


def sent_to(statement) -> set[str]:
    rows = Notification.objects.filter(kind=Kind.POSITION_SENT, statement=statement)
    return {row.addressee.email for row in rows.select_related("addressee")}


def test_the_page_offers_the_active_addressees(client_for, coordinator, book):
    statement = make_statement(state="accepted")
    page = client_for(coordinator).get(url(statement)).content.decode()
    assert "Gleich nach der Veröffentlichung senden an" in page
    assert "Büro des Landrats" in page and "Fraktion" in page
    assert "Ehemals" not in page  # inactive entries are not offered


def test_an_empty_address_book_says_where_to_fill_it(client_for, coordinator):
    statement = make_statement(state="accepted")
    page = client_for(coordinator).get(url(statement)).content.decode()
    assert "Das Adressbuch ist leer" in page
    assert reverse("public:address_book") in page


def test_publishing_now_sends_to_the_chosen(
    client_for, coordinator, book, mailoutbox, django_capture_on_commit_callbacks
):
    office, _faction = book
    statement = make_statement(state="accepted")
    data = {
        "expected_state": "accepted",
        "when": "now",
        "note": "",
        "dispatch-addressees": [office.pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(url(statement), data, follow=True)
    assert response.status_code == 200
    statement.refresh_from_db()
    assert statement.state == State.PUBLISHED
    assert sent_to(statement) == {"landrat@lk.example"}
    assert "Die Stellungnahme geht an 1 Adresse." in response.content.decode()
    # Through the outbox like every mail (eager in tests): the office got its PDF.
    [mail] = [m for m in mailoutbox if m.to == ["landrat@lk.example"]]
    assert any(name.endswith(".pdf") for name, _content, _type in mail.attachments)


def test_publishing_without_a_choice_sends_nothing(client_for, coordinator, book):
    statement = make_statement(state="accepted")
    data = {"expected_state": "accepted", "when": "now", "note": ""}
    assert client_for(coordinator).post(url(statement), data).status_code == 302
    statement.refresh_from_db()
    assert statement.state == State.PUBLISHED
    assert sent_to(statement) == set()


def test_an_embargo_refuses_a_choice_and_keeps_the_input(client_for, coordinator, book):
    office, faction = book
    statement = make_statement(state="accepted")
    data = {
        "expected_state": "accepted",
        "when": "scheduled",
        "publish_at": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "note": "Sperrfrist bis zur Pressekonferenz",
        "dispatch-addressees": [office.pk, faction.pk],
    }
    response = client_for(coordinator).post(url(statement), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bei einer Veröffentlichung mit Sperrfrist kann noch nichts versandt werden" in page
    assert "Sperrfrist bis zur Pressekonferenz" in page
    assert page.count("checked") >= 3  # both addressees and the "scheduled" radio
    statement.refresh_from_db()
    assert statement.state == State.ACCEPTED and statement.publish_at is None
    assert sent_to(statement) == set()


def test_an_unknown_addressee_is_a_form_error_and_publishes_nothing(client_for, coordinator):
    statement = make_statement(state="accepted")
    data = {"expected_state": "accepted", "when": "now", "dispatch-addressees": [999999]}
    response = client_for(coordinator).post(url(statement), data)
    assert response.status_code == 400
    statement.refresh_from_db()
    assert statement.state == State.ACCEPTED


def test_the_author_sees_no_address_book(client_for, author, book):
    """Only coordinators publish: an author's request is refused before any form, and the
    address book's names never show."""
    statement = make_statement(author=author, state="accepted")
    response = client_for(author).get(url(statement))
    assert response.status_code == 403
    assert "Büro des Landrats" not in response.content.decode()
