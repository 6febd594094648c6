"""Co-authors (invite, remove, edit like the creator) and the members' dashboard."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone

from core.events import EventKind
from statements.models import Coauthorship
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db


def test_creator_invites_a_member_and_the_event_is_emitted(author, draft, member, client_for):
    with mock.patch("statements.services.emit") as emit:
        response = client_for(author).post(
            f"/statements/{draft.slug}/coauthors/", {"user": member.pk}
        )
    assert response.status_code == 302
    assert Coauthorship.objects.filter(statement=draft, user=member, added_by=author).exists()
    emit.assert_called_once()
    args, kwargs = emit.call_args
    assert args[0] == EventKind.COAUTHOR_INVITED
    assert kwargs["statement"].pk == draft.pk and kwargs["actor"] == author
    assert kwargs["extra"] == {"user_id": member.pk}
    # The new co-author edits like the creator.
    assert client_for(member).get(f"/statements/{draft.slug}/edit/").status_code == 200


def test_only_members_can_be_invited(author, draft, registered, suspended, client_for):
    client = client_for(author)
    for person in (registered, suspended, author):
        response = client.post(f"/statements/{draft.slug}/coauthors/", {"user": person.pk})
        assert response.status_code == 400
    assert not Coauthorship.objects.filter(user__in=[registered, suspended, author]).exists()
    page = client.get(f"/statements/{draft.slug}/coauthors/").content.decode()
    assert "Rita Registriert" not in page.split('name="user"')[1]


def test_creator_removes_a_coauthor_who_then_loses_access(author, coauthor, draft, client_for):
    response = client_for(author).post(f"/statements/{draft.slug}/coauthors/{coauthor.pk}/remove/")
    assert response.status_code == 302
    assert not Coauthorship.objects.filter(statement=draft).exists()
    assert client_for(coauthor).get(f"/statements/{draft.slug}/").status_code == 404
    # Their revisions stay credited to them.
    assert draft.revisions.filter(author=author).exists()


def test_detail_page_names_the_authors_and_shows_the_body(author, coauthor, draft, client_for):
    page = client_for(coauthor).get(f"/statements/{draft.slug}/").content.decode()
    assert "Anna Autorin" in page and "Carl Koautor" in page
    assert "Zweiter Absatz mit <em>Betonung</em>." in page
    assert f'href="/statements/{draft.slug}/edit/"' in page
    assert f'href="/statements/{draft.slug}/history/"' in page
    assert f'href="/statements/{draft.slug}/coauthors/"' not in page  # creator only


def test_history_shows_former_members(author, draft, client_for):
    from statements.services import TextFields, revision_save

    other = UserFactory(display_name="Gelöschte Person")
    Coauthorship.objects.create(statement=draft, user=other)
    revision_save(
        statement_id=draft.pk,
        author=other,
        text=TextFields(draft.title, "", "", "x"),
        message="Nachricht von früher",
        base_revision_id=draft.current_revision_id,
    )
    other.delete()
    page = client_for(author).get(f"/statements/{draft.slug}/history/").content.decode()
    assert "ehemaliges Mitglied" in page and "Nachricht von früher" in page
    assert "Gelöschte Person" not in page


def test_dashboard_lists(author, coauthor, member, client_for):
    mine = make_statement(author=author, title="Mein Entwurf")
    theirs = make_statement(author=member, coauthors=[author], title="Gemeinsamer Entwurf")
    hidden = make_statement(author=member, title="Fremder Entwurf")
    consultation = make_statement(author=member, title="In der Runde", state="consultation")
    ballot = SimpleNamespace(statement=consultation, closes_at=timezone.now() + timedelta(days=3))
    with mock.patch("voting.selectors.ballots_waiting_for", return_value=[ballot]) as waiting:
        page = client_for(author).get("/dashboard/").content.decode()
    waiting.assert_called_once_with(author)
    drafts = page.split('id="h-drafts"')[1].split("</section>")[0]
    assert mine.title in drafts and theirs.title in drafts and hidden.title not in drafts
    votes = page.split('id="h-votes"')[1].split("</section>")[0]
    assert consultation.title in votes
    assert consultation.title in page.split('id="h-consultation"')[1]


def test_personal_export_has_own_revisions_only(author, coauthor, draft):
    from statements.export import user_data

    data = user_data(coauthor)
    assert data["statements_started"] == []
    assert [c["slug"] for c in data["coauthorships"]] == [draft.slug]
    assert data["revisions"] == []
    mine = user_data(author)
    assert [r["number"] for r in mine["revisions"]] == [1]
    assert mine["revisions"][0]["body"] == draft.body


def test_admin_pages_render(admin_client, draft):
    assert admin_client.get("/admin/statements/statement/").status_code == 200
    assert admin_client.get(f"/admin/statements/statement/{draft.pk}/change/").status_code == 200
    assert admin_client.get("/admin/statements/topic/add/").status_code == 200


def test_dashboard_leads_to_papers_in_voting_and_decided(author, coordinator, client_for):
    """A coordinator finds the accepted paper to publish, an author the rejected one to revise."""
    voting = make_statement(author=author, title="In der Abstimmung", state="voting")
    accepted = make_statement(author=author, title="Angenommenes Papier", state="accepted")
    rejected = make_statement(author=author, title="Abgelehntes Papier", state="rejected")
    draft = make_statement(author=author, title="Noch ein Entwurf")
    for user in (coordinator, author):
        page = client_for(user).get("/dashboard/").content.decode()
        section = page.split('id="h-decision"')[1].split("</section>")[0]
        for paper in (voting, accepted, rejected):
            assert f'href="/statements/{paper.slug}/"' in section
        assert draft.title not in section
        assert "noch nicht veröffentlicht" in section
