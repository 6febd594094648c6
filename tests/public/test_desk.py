"""The coordinator's desk (issue 16, item 7): what waits for the coordination on one page,
counted in the header; the page's queries do not grow with what waits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import admission_request_create
from discussion.services import comment_create, comment_report
from notifications.models import Notification, Status
from statements.models import Statement
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _world(n: int, tag: str):
    """n of everything the desk lists."""
    members = [UserFactory(display_name=f"Mitglied {tag}{i}") for i in range(n)]
    commenter, reporter = UserFactory(), UserFactory()
    for i in range(n):
        admission_request_create(
            user=UserFactory(membership_status="registered", display_name=f"Neu {tag}{i}"),
            organisation_text="",
            reason="Bitte aufnehmen",
        )
        paper = make_statement(author=members[i], state="consultation", title=f"Anhörung {tag}{i}")
        Statement.objects.filter(pk=paper.pk).update(
            consultation_ends_at=timezone.now() - timedelta(days=1)
        )
        comment = comment_create(statement=paper, author=commenter, body=f"Kommentar {tag}{i}")
        comment_report(comment=comment, reporter=reporter, reason=f"Grund {tag}{i}")
        make_statement(author=members[i], state="voting", title=f"Abstimmung {tag}{i}")
        make_statement(author=members[i], state="accepted", title=f"Angenommen {tag}{i}")
    Notification.objects.filter(pk__in=Notification.objects.values("pk")[:n]).update(
        status=Status.FAILED
    )
    return members


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_desk_lists_what_waits_and_costs_the_same_with_more(coordinator):
    client = client_for(coordinator)
    _world(1, "a")
    few = _queries(client, "/coordination/")
    _world(4, "b")
    many = _queries(client, "/coordination/")
    assert few == many
    page = client.get("/coordination/").content.decode()
    for text in ("Neu b3", "Grund b3", "Anhörung b3", "Abstimmung b3", "Angenommen b3"):
        assert text in page, text
    assert "Noch nicht abgestimmt:" in page


def test_who_has_not_voted_is_shown_only_for_open_ballots(coordinator):
    from voting.models import Ballot

    member = UserFactory(display_name="Nora Nichtwählerin")
    paper = make_statement(author=UserFactory(), state="voting", title="Offene Abstimmung")
    client = client_for(coordinator)
    assert "Nora Nichtwählerin" in client.get("/coordination/").content.decode()
    Ballot.objects.filter(statement=paper).update(is_secret=True)
    page = client.get("/coordination/").content.decode()
    assert "Nora Nichtwählerin" not in page and "Geheime Abstimmung" in page
    assert member  # (eligible: a member when the ballot opened)


def test_header_counts_what_waits_and_only_for_coordinators(coordinator):
    member = UserFactory()
    admission_request_create(
        user=UserFactory(membership_status="registered"), organisation_text="", reason=""
    )
    page = client_for(coordinator).get("/").content.decode()
    assert 'href="/coordination/">Koordination <span class="badge">1<' in page
    assert "/coordination/" not in client_for(member).get("/").content.decode()
    assert client_for(member).get("/coordination/").status_code == 403


def test_header_count_is_one_query_and_matches_the_desk(coordinator):
    from public.desk import desk, desk_count

    _world(2, "c")
    with CaptureQueriesContext(connection) as ctx:
        counted = desk_count()
    assert len(ctx.captured_queries) == 1
    assert counted == desk().total
