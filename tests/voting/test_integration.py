"""The ballot options on the open_vote page, the dashboard list, export, admin and demo data."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from voting.models import Ballot, Vote
from voting.services import vote_cast

pytestmark = pytest.mark.django_db


def test_coordinator_chooses_rule_when_opening(in_consultation, coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("workflow:transition", kwargs={"slug": in_consultation.slug, "name": "open_vote"})
    page = client.get(url).content.decode()
    assert 'name="ballot-rule"' in page and 'name="ballot-is_secret"' in page
    response = client.post(
        url,
        {
            "expected_state": "consultation",
            "ballot-rule": "silence",
            "ballot-quorum_kind": "none",
            "ballot-quorum_value": "",
            "ballot-is_secret": "on",
            "ballot-silence_threshold": "2",
            "ballot-single_block_suffices": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ballot = Ballot.objects.get(statement=in_consultation)
    assert (ballot.rule, ballot.quorum_kind, ballot.is_secret) == ("silence", "none", True)
    assert (ballot.silence_threshold, ballot.single_block_suffices) == (2, True)
    page = client.get(in_consultation.get_absolute_url()).content.decode()
    assert "Schweigeverfahren" in page and "Ein einzelnes Veto verhindert die Annahme." in page
    assert 'value="object"' in page and 'value="no"' not in page


def test_share_quorum_over_100_is_a_form_error(in_consultation, coordinator, client_for):
    url = reverse("workflow:transition", kwargs={"slug": in_consultation.slug, "name": "open_vote"})
    response = client_for(coordinator).post(
        url,
        {
            "expected_state": "consultation",
            "ballot-rule": "majority",
            "ballot-quorum_kind": "share",
            "ballot-quorum_value": "150",
            "ballot-silence_threshold": "3",
        },
    )
    assert response.status_code == 400
    assert "höchstens 100 Prozent" in response.content.decode()
    assert not Ballot.objects.exists()


def test_ballots_waiting_show_on_the_dashboard(open_paper, member, client_for):
    paper = open_paper()
    client = client_for(member)
    assert paper.title in client.get(reverse("statements:dashboard")).content.decode()
    vote_cast(statement=paper, voter=member, choice="yes")
    from voting.selectors import ballots_waiting_for

    assert ballots_waiting_for(member) == []


def test_export_has_open_votes_and_only_participation_for_secret(open_paper, member, client_for):
    open_ = open_paper()
    secret = open_paper(is_secret=True)
    vote_cast(statement=open_, voter=member, choice="no", reason="offen-begruendet")
    vote_cast(statement=secret, voter=member, choice="abstain", reason="geheim-begruendet")
    from voting.export import user_data

    data = user_data(member)
    assert [(v["choice"], v["reason"]) for v in data["votes_in_open_ballots"]] == [
        ("no", "offen-begruendet")
    ]
    assert [p["voted"] for p in data["participation_in_secret_ballots"]] == [True]
    body = client_for(member).get(reverse("accounts:profile_export")).content.decode()
    assert "offen-begruendet" in body and "geheim-begruendet" not in body
    json.loads(body)


def test_admin_shows_no_votes_while_open_and_none_of_secret_ballots(
    open_paper, member, author, client_for, coordinator
):
    from tests.factories import UserFactory
    from workflow.services import statement_transition

    admin = UserFactory(is_staff=True, is_superuser=True, display_name="Ada Admin")
    paper = open_paper(quorum_kind="none")
    vote_cast(statement=paper, voter=member, choice="no", reason="sichtbar-erst-danach")
    client = client_for(admin)
    assert "sichtbar-erst-danach" not in client.get("/admin/voting/vote/").content.decode()
    from django.utils import timezone

    Ballot.objects.update(closes_at=timezone.now())
    statement_transition(statement_id=paper.pk, name="close_vote", actor=None)
    page = client.get("/admin/voting/vote/").content.decode()
    assert "Mia Mitglied" in page  # an open ballot's votes are visible after the close
    assert client.get("/admin/voting/vote/add/").status_code == 403


def test_demo_seed_is_idempotent(open_paper):
    from tests.factories import UserFactory
    from voting.demo import seed

    for email in ("amira@example.org", "jonas@example.org"):
        UserFactory(email=email)
    paper = open_paper()  # eligible now include the demo people
    seed(papers={paper.pk})  # seed_demo passes the ids of the papers the demo made
    first = list(Vote.objects.values_list("pk", "choice", "updated_at"))
    seed(papers={paper.pk})
    assert list(Vote.objects.values_list("pk", "choice", "updated_at")) == first
    assert len(first) == 2 and Ballot.objects.get(statement=paper).votes.count() == 2


def test_no_missing_voting_migrations() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "voting", "--check", "--dry-run", verbosity=0)
