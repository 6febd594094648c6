"""Nothing typed is lost by leaving the editor (issue 16, item 2): the editor's background
save per person and paper, offered back on the next visit, cleared by a save, never a
revision, never seen by anyone else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from statements.models import Autosave, Revision
from statements.services import TextFields, revision_save
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _autosave(client, statement, **fields):
    data = {
        "title": statement.title,
        "occasion": statement.occasion,
        "summary": statement.summary,
        "body": statement.body,
        "base_revision": statement.current_revision_id,
        **fields,
    }
    return client.post(reverse("statements:autosave", kwargs={"slug": statement.slug}), data)


def test_autosave_is_kept_per_person_and_offered_back(author, coauthor):
    statement = make_statement(author=author, coauthors=[coauthor])
    client = client_for(author)
    assert _autosave(client, statement, body="Halb getippt").status_code == 204
    assert _autosave(client, statement, body="Halb getippt, weiter").status_code == 204
    assert Autosave.objects.filter(statement=statement).count() == 1  # overwritten
    assert Revision.objects.filter(statement=statement).count() == 1  # never a revision
    edit = reverse("statements:edit", kwargs={"slug": statement.slug})
    page = client.get(edit).content.decode()
    assert "Ungespeicherten Text vom" in page and "wiederherstellen?" in page
    assert "Halb getippt, weiter" not in page  # offered, not put in
    # The co-author sees nothing of it.
    assert "Ungespeicherten Text" not in client_for(coauthor).get(edit).content.decode()
    restored = client.get(edit + "?autosave=restore").content.decode()
    assert "Halb getippt, weiter" in restored
    assert "Ungespeicherten Text vom" not in restored


def test_restored_text_saves_from_its_own_base_and_merges(author, coauthor):
    statement = make_statement(author=author, coauthors=[coauthor], body="Eins.\n\nZwei.")
    client = client_for(author)
    _autosave(client, statement, body="Eins, geändert.\n\nZwei.")
    # Meanwhile the co-author saves another paragraph.
    revision_save(
        statement_id=statement.pk,
        author=coauthor,
        text=TextFields(statement.title, statement.occasion, statement.summary, "Eins.\n\nZwei!"),
        message="",
        base_revision_id=statement.current_revision_id,
    )
    edit = reverse("statements:edit", kwargs={"slug": statement.slug})
    form = client.get(edit + "?autosave=restore").context["form"]
    assert form.initial["base_revision"] == statement.current_revision_id  # the old base
    response = client.post(
        edit,
        {
            "title": statement.title,
            "occasion": statement.occasion,
            "summary": statement.summary,
            "body": form.initial["body"],
            "language": "de",
            "message": "",
            "base_revision": form.initial["base_revision"],
            "save": "1",
        },
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.body == "Eins, geändert.\n\nZwei!"  # both kept
    assert not Autosave.objects.filter(statement=statement).exists()  # cleared by the save


def test_same_text_as_the_paper_is_not_offered_and_discard_removes_it(author):
    statement = make_statement(author=author)
    client = client_for(author)
    _autosave(client, statement)  # nothing changed
    edit = reverse("statements:edit", kwargs={"slug": statement.slug})
    assert "Ungespeicherten Text" not in client.get(edit).content.decode()
    _autosave(client, statement, body="Anders")
    response = client.post(
        reverse("statements:autosave_discard", kwargs={"slug": statement.slug}), follow=True
    )
    assert "Der ungespeicherte Text ist verworfen." in response.content.decode()
    assert not Autosave.objects.exists()


def test_autosave_refuses_strangers_frozen_text_and_oversized_input(author):
    statement = make_statement(author=author)
    stranger = UserFactory()
    assert _autosave(client_for(stranger), statement, body="x").status_code == 404  # a draft
    open_paper = make_statement(author=author, state="consultation", title="In Anhörung")
    assert _autosave(client_for(stranger), open_paper, body="x").status_code == 403
    assert _autosave(Client(), statement, body="x").status_code == 404
    assert _autosave(client_for(author), statement, body="x" * 100_001).status_code == 400
    voting = make_statement(author=author, state="voting", title="Abstimmung")
    assert _autosave(client_for(author), voting, body="x").status_code == 403
    assert not Autosave.objects.exists()


def test_export_holds_the_unsaved_text(author):
    from statements.export import user_data

    statement = make_statement(author=author)
    _autosave(client_for(author), statement, body="Mein Entwurf")
    [kept] = user_data(author)["unsaved_texts"]
    assert kept["statement"] == statement.slug and kept["body"] == "Mein Entwurf"
