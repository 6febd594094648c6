"""The agenda is drafted from the work; a paper whose vote is due is decided in the room
through the same transition service and audit trail as an online vote."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings import selectors, services
from meetings.models import AgendaItem, AgendaKind, RoomDecision
from statements.states import State
from tests.factories import UserFactory, make_statement
from tests.meetings.conftest import plan
from voting.models import Ballot
from voting.rules import Counts
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_draft_agenda_from_papers_report_and_urgent_adoptions(settings, coordinator, author, place):
    settings.RTM_ADVISORY_BOARD_DELEGATES = "Amal Beirat, Jonas Beirat"
    meeting = plan(coordinator, place)
    consultation = make_statement(author=author, state="consultation", title="Bezahlkarte")
    voting = make_statement(author=author, state="voting", title="Wohnsitzauflage")
    make_statement(author=author, state="draft", title="Entwurf")
    urgent = make_statement(author=author, state="accepted", title="Eilige Erklärung")
    urgent.is_urgent = True
    urgent.save(update_fields=["is_urgent"])
    services.agenda_draft(actor=coordinator, meeting_id=meeting.pk)
    services.agenda_draft(actor=coordinator, meeting_id=meeting.pk)  # nothing twice
    items = list(meeting.agenda.all())
    assert [(i.kind, i.title) for i in items] == [
        (AgendaKind.REPORT, "Bericht aus dem Integrationsbeirat"),
        (AgendaKind.PAPER, "Bezahlkarte"),
        (AgendaKind.PAPER, "Wohnsitzauflage"),
        (AgendaKind.CONFIRMATION, "Eilige Erklärung"),
    ]
    assert items[0].presenter == "Amal Beirat, Jonas Beirat" and items[0].is_public
    assert {i.statement for i in items[1:3]} == {consultation, voting}
    # Confirmed at this meeting: the next meeting's draft does not propose it again.
    later = plan(coordinator, place, days=40)
    services.agenda_draft(actor=coordinator, meeting_id=later.pk)
    assert not later.agenda.filter(kind=AgendaKind.CONFIRMATION).exists()


def test_members_propose_coordinators_order_and_the_public_sees_public_items(
    client_for, coordinator, member, author, place
):
    meeting = plan(coordinator, place)
    make_statement(author=author, state="voting", title="Interne Stellungnahme")
    services.agenda_draft(actor=coordinator, meeting_id=meeting.pk)
    response = client_for(member).post(
        reverse("meetings:agenda_propose", args=[meeting.pk]),
        {"title": "Sprachkurse in Wurzen", "note": ""},
    )
    assert response.status_code == 302
    proposal = AgendaItem.objects.get(title="Sprachkurse in Wurzen")
    assert not proposal.accepted
    visitor_page = client_for(None).get(meeting.get_absolute_url()).content.decode()
    assert "Bericht aus dem Integrationsbeirat" in visitor_page
    assert "Interne Stellungnahme" not in visitor_page
    assert "Sprachkurse in Wurzen" not in visitor_page
    # The coordination takes it, first, with a time and a person, and makes it public.
    response = client_for(coordinator).post(
        reverse("meetings:agenda_item", args=[proposal.pk]),
        {f"item{proposal.pk}-position": "0", f"item{proposal.pk}-minutes": "20",
         f"item{proposal.pk}-presenter": "Mia Mitglied", f"item{proposal.pk}-is_public": "on",
         f"item{proposal.pk}-accepted": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    agenda = selectors.agenda_for(member, meeting)
    assert agenda[0].title == "Sprachkurse in Wurzen" and agenda[0].minutes == 20
    assert (
        "Sprachkurse in Wurzen" in client_for(None).get(meeting.get_absolute_url()).content.decode()
    )
    # An unpublished paper cannot be made public on the agenda.
    paper = meeting.agenda.get(kind=AgendaKind.PAPER)
    with pytest.raises(services.MeetingError):
        services.agenda_item_update(
            actor=coordinator,
            item_id=paper.pk,
            change=services.AgendaChange(
                position=1, minutes=None, presenter="", is_public=True, accepted=True
            ),
        )


def _room(coordinator, place, present: int):
    meeting = plan(coordinator, place, days=0)
    people = [UserFactory() for _ in range(present)]
    services.attendance_record(
        actor=coordinator,
        meeting_id=meeting.pk,
        check_in=services.CheckIn(user_ids=tuple(p.pk for p in people)),
    )
    return meeting


def _voting_paper(author, *, quorum_percent: int):
    statement = make_statement(author=author, state="voting", title="Handzeichen")
    Ballot.objects.filter(statement=statement).update(
        quorum_kind="share", quorum_value=quorum_percent, rule="majority"
    )
    return statement


def test_decision_in_the_room_closes_the_ballot_through_the_transition_service(
    client_for, coordinator, author, place
):
    meeting = _room(coordinator, place, present=6)
    statement = _voting_paper(author, quorum_percent=50)
    response = client_for(coordinator).post(
        reverse("meetings:decide", args=[meeting.pk, statement.pk]),
        {"yes": "4", "no": "1", "abstain": "0", "object": "0", "block": "0"},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.state == State.ACCEPTED
    ballot = Ballot.objects.get(statement=statement)
    assert ballot.closed_at is not None
    assert (ballot.count_yes, ballot.count_no, ballot.eligible_count) == (4, 1, 6)
    assert ballot.quorum_required == 3 and ballot.quorum_met
    entry = AuditEntry.objects.get(statement=statement, transition="close_vote")
    assert entry.actor == coordinator and "Entscheidung im Treffen am" in entry.note
    decision = RoomDecision.objects.get()
    assert decision.ballot == ballot and decision.present == 6
    page = client_for(coordinator).get(meeting.get_absolute_url()).content.decode()
    assert "Handzeichen" in page and "6 anwesend" in page
    # Once closed, nobody closes it again, in the room or online.
    with pytest.raises(services.MeetingError) as again:
        services.room_decision_record(
            actor=coordinator, meeting_id=meeting.pk, statement_id=statement.pk,
            counts=Counts(yes=6),
        )  # fmt: skip
    assert again.value.status == 409


def test_quorum_is_counted_against_those_present(coordinator, author, place):
    UserFactory.create_batch(20)  # many members online; only the room counts
    meeting = _room(coordinator, place, present=10)
    statement = _voting_paper(author, quorum_percent=50)
    services.room_decision_record(
        actor=coordinator,
        meeting_id=meeting.pk,
        statement_id=statement.pk,
        counts=Counts(yes=4),
    )
    statement.refresh_from_db()
    ballot = Ballot.objects.get(statement=statement)
    assert (ballot.eligible_count, ballot.quorum_required, ballot.quorum_met) == (10, 5, False)
    assert ballot.outcome == "no_quorum" and statement.state == State.REJECTED


def test_room_decision_needs_attendance_and_plausible_counts(
    client_for, coordinator, author, place
):
    statement = _voting_paper(author, quorum_percent=0)
    empty = plan(coordinator, place, days=0)
    url = reverse("meetings:decide", args=[empty.pk, statement.pk])
    data = {"yes": "3", "no": "0", "abstain": "0", "object": "0", "block": "0"}
    assert client_for(coordinator).post(url, data).status_code == 400
    meeting = _room(coordinator, place, present=2)
    url = reverse("meetings:decide", args=[meeting.pk, statement.pk])
    response = client_for(coordinator).post(url, data)
    assert response.status_code == 400 and 'value="3"' in response.content.decode()
    statement.refresh_from_db()
    assert statement.state == State.VOTING


def test_an_urgent_adoption_goes_onto_the_next_agenda_by_itself(coordinator, author, place):
    later = plan(coordinator, place, days=40)
    nxt = plan(coordinator, place, days=5)
    urgent = make_statement(author=author, state="accepted", title="Eilerklärung Abschiebung")
    urgent.is_urgent = True
    urgent.save(update_fields=["is_urgent"])
    make_statement(author=author, state="accepted", title="Normal angenommen")
    assert services.agenda_add_confirmations() == 1
    assert services.agenda_add_confirmations() == 0  # once
    item = nxt.agenda.get()
    assert (item.kind, item.statement) == (AgendaKind.CONFIRMATION, urgent)
    assert not later.agenda.exists()
