"""Voting through the client: the form, htmx, who is refused, what the page shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from voting.models import Ballot, Vote
from voting.services import vote_cast

pytestmark = pytest.mark.django_db


def vote_url(paper) -> str:
    return reverse("voting:vote", kwargs={"slug": paper.slug})


def test_plain_form_votes_and_redirects_back(open_paper, member, client_for):
    paper = open_paper()
    client = client_for(member)
    page = client.get(paper.get_absolute_url()).content.decode()
    assert 'name="choice" value="yes"' in page and "Stimme abgeben" in page
    response = client.post(vote_url(paper), {"choice": "yes", "reason": "Gute Sache"})
    assert response.status_code == 302
    assert response["Location"].endswith("#abstimmung")
    assert Vote.objects.get().choice == "yes"
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "Ihre Stimme wurde gespeichert" in page
    assert 'value="yes" required checked' in page
    assert "Stimme ändern" in page


def test_htmx_vote_returns_the_panel(open_paper, member, client_for):
    paper = open_paper(rule="consensus")
    response = client_for(member).post(vote_url(paper), {"choice": "block"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="abstimmung"')
    assert "<html" not in body
    assert "Ihre Stimme: <strong>Veto</strong>" in body
    assert Vote.objects.get().choice == "block"


def test_get_is_not_allowed(open_paper, member, client_for):
    assert client_for(member).get(vote_url(open_paper())).status_code == 405


def test_invalid_choice_is_a_form_error_keeping_the_reason(open_paper, member, client_for):
    paper = open_paper()
    response = client_for(member).post(vote_url(paper), {"choice": "block", "reason": "Mein Text"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="errorlist"' in body and 'value="Mein Text"' in body
    assert not Vote.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "registered", "suspended"])
def test_non_members_get_404_and_store_nothing(open_paper, client_for, registered, suspended, who):
    paper = open_paper()
    user = {"anonymous": None, "registered": registered, "suspended": suspended}[who]
    response = client_for(user).post(vote_url(paper), {"choice": "yes"})
    assert response.status_code == 404
    assert not Vote.objects.exists()


def test_member_suspended_after_opening_is_refused(open_paper, member, client_for):
    paper = open_paper()
    client = client_for(member)
    member.membership_status = "suspended"
    member.save()
    assert client.post(vote_url(paper), {"choice": "yes"}).status_code == 404
    assert not Vote.objects.exists()


def test_member_admitted_after_opening_gets_403(open_paper, client_for):
    paper = open_paper()
    late = UserFactory(display_name="Spät Dazugekommen")
    client = client_for(late)
    assert "nicht stimmberechtigt" in client.get(paper.get_absolute_url()).content.decode()
    response = client.post(vote_url(paper), {"choice": "yes"})
    assert response.status_code == 403
    assert "nicht stimmberechtigt" in response.content.decode()
    assert not Vote.objects.exists()


def test_after_deadline_409_and_nothing_stored(open_paper, member, client_for):
    paper = open_paper()
    Ballot.objects.update(closes_at=timezone.now() - timedelta(seconds=1))
    response = client_for(member).post(vote_url(paper), {"choice": "yes"})
    assert response.status_code == 409
    assert not Vote.objects.exists()


def test_no_open_ballot_409(member, client_for, coordinator):
    from tests.factories import make_statement

    paper = make_statement(state="consultation")
    assert client_for(member).post(vote_url(paper), {"choice": "yes"}).status_code == 409


def test_during_vote_only_turnout_no_partial_results(
    open_paper, member, author, coordinator, client_for
):
    paper = open_paper()
    vote_cast(statement=paper, voter=author, choice="no", reason="Zwischenstand-Geheimnis")
    vote_cast(statement=paper, voter=member, choice="yes")
    page = client_for(coordinator).get(paper.get_absolute_url()).content.decode()
    assert "2 von 4 Stimmberechtigten (50 %)" in page
    assert "Zwischenstand-Geheimnis" not in page
    assert "Wer wie abgestimmt hat" not in page


def test_open_ballot_result_shows_names_after_close(
    open_paper, member, author, coauthor, coordinator, client_for
):
    from workflow.services import statement_transition

    paper = open_paper(rule="majority", quorum_kind="none")
    vote_cast(statement=paper, voter=member, choice="yes", reason="Weil es stimmt")
    vote_cast(statement=paper, voter=author, choice="yes")
    vote_cast(statement=paper, voter=coauthor, choice="abstain")
    vote_cast(statement=paper, voter=coordinator, choice="no")
    statement_transition(statement_id=paper.pk, name="close_vote", actor=coordinator)
    page = client_for(member).get(paper.get_absolute_url()).content.decode()
    assert "Ergebnis der Abstimmung" in page and "angenommen" in page
    assert "Beteiligung: 4 von 4 Stimmberechtigten (100 %)" in page
    assert "Kein Quorum angewandt." in page
    assert "Mia Mitglied: <strong>Ja</strong> — Weil es stimmt" in page


def test_urgent_paper_shows_eilverfahren(open_paper, member, client_for):
    from statements.models import Statement

    paper = open_paper()
    Statement.objects.filter(pk=paper.pk).update(is_urgent=True, urgent_reason="Frist der Behörde")
    page = client_for(member).get(paper.get_absolute_url()).content.decode()
    assert "Eilverfahren" in page and "Frist der Behörde" in page


def _page_queries(client, paper) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(paper.get_absolute_url()).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("secret", [False, True])
def test_statement_page_queries_do_not_grow_with_voters(
    open_paper, crowd, member, client_for, coordinator, secret
):
    from workflow.services import statement_transition

    small = open_paper(is_secret=secret)
    for person in [member]:
        vote_cast(statement=small, voter=person, choice="yes")
    people = crowd(57)
    large = open_paper(is_secret=secret)  # 61 eligible
    for person in [member, *people]:
        vote_cast(statement=large, voter=person, choice="yes", reason="x")
    client = client_for(member)
    client.get(small.get_absolute_url())  # warm session/caches alike for both
    assert _page_queries(client, small) == _page_queries(client, large)

    # and after closing, with the names listed for the open ballot
    for paper in (small, large):
        Ballot.objects.filter(statement=paper).update(closes_at=timezone.now())
        statement_transition(statement_id=paper.pk, name="close_vote", actor=None)
    assert _page_queries(client, small) == _page_queries(client, large)


def test_voting_panel_query_budget(open_paper, crowd, member, rf, django_assert_num_queries):
    from voting.panels import panel_context

    crowd(30)
    paper = open_paper()
    request = rf.get("/")
    request.user = member
    # 1 rounds with turnout, 2 own seat, 3 own vote
    with django_assert_num_queries(3):
        panel_context(request, paper)


def test_panel_in_english(open_paper, member, client_for):
    member.language = "en"
    member.save()
    paper = open_paper(rule="two_thirds")
    page = client_for(member).get(paper.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content
    text = page.decode()
    assert "Two-thirds majority" in text and "Cast vote" in text
    assert "Interim results are not shown." in text


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", 404),
        ("consultation", 409),
        ("accepted", 409),
        ("rejected", 409),
        ("published", 409),
        ("withdrawn", 404),
    ],
)
def test_vote_outside_voting_is_refused(member, coordinator, client_for, state, expected):
    from tests.factories import make_statement

    paper = make_statement(state=state)
    before = list(Vote.objects.values_list("pk", "choice", "updated_at"))
    response = client_for(member).post(vote_url(paper), {"choice": "no"})
    assert response.status_code == expected
    assert list(Vote.objects.values_list("pk", "choice", "updated_at")) == before


def test_htmx_refusal_swaps_the_panel_with_the_reason(open_paper, client_for):
    paper = open_paper()
    late = UserFactory()
    response = client_for(late).post(vote_url(paper), {"choice": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only 2xx; the message says why
    body = response.content.decode()
    assert 'role="alert"' in body and "nicht stimmberechtigt" in body
    assert not Vote.objects.exists()


def test_panel_query_budget_after_close(
    open_paper, crowd, member, rf, coordinator, django_assert_num_queries
):
    from voting.panels import panel_context
    from voting.testing import cast_votes_for_outcome
    from workflow.services import statement_transition

    crowd(20)
    paper = open_paper()
    cast_votes_for_outcome(statement=paper, adopt=True)
    statement_transition(statement_id=paper.pk, name="close_vote", actor=coordinator)
    request = rf.get("/")
    request.user = member
    # 1 rounds with stored results, 2 the votes with their voters (open ballot)
    with django_assert_num_queries(2):
        context = panel_context(request, paper)
    assert len(context["voting_votes"]) == 24


def test_panel_names_the_revision_voted_on_as_fassung(open_paper, member, client_for):
    """The paper page says "Fassung" (revision); the panel said "Version"."""
    from django.conf import settings
    from django.utils import translation

    paper = open_paper()
    number = paper.current_revision.number
    client = client_for(member)
    assert f"<dd>Fassung {number}</dd>" in client.get(paper.get_absolute_url()).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override(settings.LANGUAGE_CODE):  # the request leaves English active
        page = client.get(paper.get_absolute_url()).content.decode()
    assert f"<dd>Revision {number}</dd>" in page
