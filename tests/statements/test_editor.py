"""The editor through the client: create, preview (with and without JavaScript),
save, conflict page and merge, recent editors, topics and language."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from statements.models import Revision, Statement
from statements.services import TextFields, TextFrozen, revision_save, statement_create
from tests.factories import TopicFactory, make_statement

pytestmark = pytest.mark.django_db


def test_member_starts_a_draft(member, client_for):
    topic = TopicFactory(name="Wohnen")
    response = client_for(member).post(
        "/statements/new/",
        {
            "title": "Wohnungen statt Sammelunterkünfte",
            "occasion": "Kreistagsbeschluss vom März",
            "summary": "Dezentral wohnen.",
            "body": "# Forderung\n\nWohnungen statt Lager.",
            "topics": [topic.pk],
            "language": "de",
            "message": "",
        },
    )
    statement = Statement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/statements/{statement.slug}/"
    assert statement.slug == "wohnungen-statt-sammelunterkuenfte"
    assert statement.created_by == member and statement.state == "draft"
    assert list(statement.topics.all()) == [topic]
    revision = statement.current_revision
    assert revision.number == 1 and revision.author == member
    assert '<h1 id="h-forderung">Forderung</h1>' in revision.body_html
    page = client_for(member).get(response["Location"]).content.decode()
    assert "Wohnungen statt Lager." in page and "Kreistagsbeschluss vom März" in page


def test_missing_title_keeps_the_input(member, client_for):
    response = client_for(member).post(
        "/statements/new/", {"title": "", "body": "Mein langer Text", "language": "de"}
    )
    assert response.status_code == 400
    assert "Mein langer Text" in response.content.decode()
    assert not Statement.objects.exists()


def test_reserved_slug_is_never_taken(member):
    statement = statement_create(
        author=member, text=TextFields(title="New", occasion="", summary="", body="")
    )
    assert statement.slug != "new"


def test_preview_button_rerenders_form_without_saving(author, draft, client_for, edit_data):
    response = client_for(author).post(
        f"/statements/{draft.slug}/edit/",
        edit_data(draft, body="## Vorschau-Test\n\n**fett**", preview="1"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="h-vorschau-test">Vorschau-Test</h2>' in page
    assert "<strong>fett</strong>" in page
    assert "## Vorschau-Test" in page  # the text stays in the textarea
    assert Revision.objects.filter(statement=draft).count() == 1


def test_live_preview_partial(author, draft, client_for):
    response = client_for(author).post(
        f"/statements/{draft.slug}/preview/", {"body": "*kursiv*"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    fragment = response.content.decode().strip()
    assert fragment.startswith('<p id="b-') and fragment.endswith("><em>kursiv</em></p>")


def test_live_preview_requires_csrf(author, draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.post(f"/statements/{draft.slug}/preview/", {"body": "x"})
    assert response.status_code == 403


def test_edit_page_wires_htmx_preview_and_base_revision(author, draft, client_for):
    TopicFactory(name="Asyl")
    page = client_for(author).get(f"/statements/{draft.slug}/edit/").content.decode()
    assert f'hx-post="/statements/{draft.slug}/preview/"' in page
    assert f'name="base_revision" value="{draft.current_revision_id}"' in page
    for name in ("title", "occasion", "summary", "body", "message", "topics", "language"):
        assert f'name="{name}"' in page


def test_coauthor_saves_a_new_revision(coauthor, draft, client_for, edit_data):
    response = client_for(coauthor).post(
        f"/statements/{draft.slug}/edit/",
        edit_data(draft, body="Von Carl überarbeitet.", message="Kürzer"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    revision = draft.current_revision
    assert (revision.number, revision.author, revision.message) == (2, coauthor, "Kürzer")
    assert revision.based_on_id is not None
    assert draft.body == "Von Carl überarbeitet."


def test_unchanged_text_makes_no_revision_but_saves_topics(author, draft, client_for, edit_data):
    topic = TopicFactory()
    response = client_for(author).post(
        f"/statements/{draft.slug}/edit/", edit_data(draft, topics=[topic.pk], language="en")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert Revision.objects.filter(statement=draft).count() == 1
    assert list(draft.topics.all()) == [topic] and draft.language == "en"


def test_conflict_page_keeps_text_shows_newer_revision_and_decides(
    author, coauthor, draft, client_for, edit_data
):
    stale = edit_data(draft, body="Annas Fassung mit eigenem Absatz.", message="Anna")
    revision_save(
        statement_id=draft.pk,
        author=coauthor,
        text=TextFields(draft.title, draft.occasion, draft.summary, "Carls neuere Fassung."),
        message="Carl war schneller",
        base_revision_id=draft.current_revision_id,
    )
    client = client_for(author)
    response = client.post(f"/statements/{draft.slug}/edit/", stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Annas Fassung mit eigenem Absatz." in page  # her text, kept
    assert "Carls neuere Fassung." in page  # the newer revision
    assert "Fassung 2 von Carl Koautor" in page and "Carl war schneller" in page
    newest = Statement.objects.get(pk=draft.pk).current_revision_id
    assert f'name="theirs_revision" value="{newest}"' in page
    # Nothing was written by the conflicting save.
    assert Revision.objects.filter(statement=draft).count() == 2
    decided = {
        "resolve": "1",
        "base_revision": stale["base_revision"],
        "theirs_revision": newest,
        "mine_title": draft.title,
        "mine_occasion": draft.occasion,
        "mine_summary": draft.summary,
        "mine_body": stale["body"],
        "language": "de",
        "message": "Anna",
        "choice-body-0": "manual",
        "manual-body-0": "Carls neuere Fassung.\n\nAnnas Absatz.",
    }
    assert client.post(f"/statements/{draft.slug}/edit/", decided).status_code == 302
    draft.refresh_from_db()
    assert draft.current_revision.number == 3
    assert draft.body == "Carls neuere Fassung.\n\nAnnas Absatz."


def test_text_frozen_once_voting_opened(author, coordinator, client_for, edit_data):
    from workflow.services import statement_transition

    statement = make_statement(author=author, state="consultation")
    data = edit_data(statement, body="zu spät")
    statement_transition(statement_id=statement.pk, name="open_vote", actor=coordinator, note="")
    response = client_for(author).post(f"/statements/{statement.slug}/edit/", data)
    assert response.status_code == 403  # can_edit is false once voting opened
    with pytest.raises(TextFrozen):
        revision_save(
            statement_id=statement.pk,
            author=author,
            text=TextFields("t", "", "", "zu spät"),
            message="",
            base_revision_id=data["base_revision"],
        )
    assert Statement.objects.get(pk=statement.pk).body != "zu spät"


def test_recent_editors_are_named_on_the_edit_page(author, coauthor, draft, client_for):
    revision_save(
        statement_id=draft.pk,
        author=coauthor,
        text=TextFields(draft.title, draft.occasion, draft.summary, "neu"),
        message="",
        base_revision_id=draft.current_revision_id,
    )
    page = client_for(author).get(f"/statements/{draft.slug}/edit/").content.decode()
    assert "In den letzten 24 Stunden haben auch bearbeitet" in page
    assert "Carl Koautor" in page


def test_edits_older_than_a_day_are_not_recent(author, coauthor, client_for):
    statement = make_statement(author=author, coauthors=[coauthor])
    tomorrow = timezone.now() + timedelta(hours=25)
    with mock.patch("statements.views.timezone.now", return_value=tomorrow):
        page = client_for(coauthor).get(f"/statements/{statement.slug}/edit/").content.decode()
    assert "In den letzten 24 Stunden" not in page


def test_editor_in_english(author, draft, client_for):
    client = client_for(author)
    client.cookies["django_language"] = "en"
    page = client.get(f"/statements/{draft.slug}/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Edit text" in page and "Change note" in page and "Preview" in page


def test_tampered_base_revision_is_a_form_error_not_a_500(author, draft, client_for, edit_data):
    response = client_for(author).post(
        f"/statements/{draft.slug}/edit/", edit_data(draft, base_revision="abc", body="Mein Text")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Die Ausgangsfassung fehlt oder ist ungültig" in page and "Mein Text" in page


def test_missing_base_revision_is_treated_as_a_conflict(author, draft, client_for, edit_data):
    data = edit_data(draft, body="Ohne Basis")
    del data["base_revision"]
    response = client_for(author).post(f"/statements/{draft.slug}/edit/", data)
    assert response.status_code == 409
    assert "Ohne Basis" in response.content.decode()
