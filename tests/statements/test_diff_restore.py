"""Word-level diffs (added, removed, changed paragraphs) and restoring old revisions."""

from __future__ import annotations

import re

import pytest

from statements.diff import word_diff
from statements.models import Revision, Statement
from statements.services import EditConflict, TextFields, revision_restore, revision_save
from tests.factories import make_statement

BASE = "Erster Absatz bleibt.\n\nZweiter Absatz über die Bezahlkarte.\n\nDritter Absatz."


def _marked(html: str, tag: str) -> list[str]:
    """The visible text inside each <ins>/<del>, without the screen-reader labels."""
    chunks = re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S)
    return [re.sub(r'<span class="visually-hidden">.*?</span>', "", c) for c in chunks]


def test_added_paragraph_is_one_insertion():
    new = BASE.replace("Dritter Absatz.", "Neuer Absatz zu Sprachkursen.\n\nDritter Absatz.")
    d = word_diff(BASE, new)
    assert [s.strip() for s in _marked(d.html, "ins")] == ["Neuer Absatz zu Sprachkursen."]
    assert _marked(d.html, "del") == []
    assert (d.inserted_words, d.deleted_words) == (4, 0)


def test_removed_paragraph_is_one_deletion():
    new = "Erster Absatz bleibt.\n\nDritter Absatz."
    d = word_diff(BASE, new)
    assert [s.strip() for s in _marked(d.html, "del")] == ["Zweiter Absatz über die Bezahlkarte."]
    assert _marked(d.html, "ins") == []


def test_changed_paragraph_marks_only_changed_words():
    new = BASE.replace("über die Bezahlkarte", "gegen die Bezahlkarte im Landkreis")
    d = word_diff(BASE, new)
    assert _marked(d.html, "del") == ["über"]
    assert _marked(d.html, "ins") == ["gegen", " im Landkreis"]
    assert "Erster Absatz bleibt." in d.html and "Dritter Absatz." in d.html


def test_identical_texts_have_no_changes():
    d = word_diff(BASE, BASE)
    assert not d.changed
    assert "<ins>" not in d.html and "<del>" not in d.html


def test_diff_escapes_html_and_labels_changes_for_screen_readers():
    d = word_diff("a", "a <script>alert(1)</script>")
    assert "<script>" not in d.html
    assert "&lt;script&gt;" in d.html
    assert '<span class="visually-hidden">[eingefügt:] </span>' in d.html


@pytest.mark.django_db
def test_diff_page_shows_changes_between_any_two_revisions(author, client_for):
    statement = make_statement(author=author, body=BASE)
    for body in (BASE.replace("Dritter", "Letzter"), BASE + "\n\nNachtrag."):
        statement.refresh_from_db()
        revision_save(
            statement_id=statement.pk,
            author=author,
            text=TextFields(statement.title, statement.occasion, statement.summary, body),
            message="",
            base_revision_id=statement.current_revision_id,
        )
    page = client_for(author).get(f"/statements/{statement.slug}/diff/1/3/").content.decode()
    assert "Nachtrag." in _marked(page, "ins")[0]
    assert client_for(author).get(f"/statements/{statement.slug}/diff/1/9/").status_code == 404
    compare = client_for(author).get(f"/statements/{statement.slug}/compare/?a=3&b=1")
    assert compare["Location"] == f"/statements/{statement.slug}/diff/1/3/"


@pytest.mark.django_db
def test_restore_creates_a_new_revision_with_the_old_text(author, client_for):
    statement = make_statement(author=author, body=BASE)
    revision_save(
        statement_id=statement.pk,
        author=author,
        text=TextFields("Anderer Titel", "", "", "Alles neu."),
        message="Umbau",
        base_revision_id=statement.current_revision_id,
    )
    statement.refresh_from_db()
    response = client_for(author).post(
        f"/statements/{statement.slug}/revisions/1/restore/",
        {"base_revision": statement.current_revision_id, "confirmed": "1"},
    )
    assert response.status_code == 302
    statement = Statement.objects.get(pk=statement.pk)
    revisions = list(statement.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[2].body == revisions[0].body == BASE
    assert revisions[2].title == revisions[0].title
    assert revisions[2].message == "Fassung 1 wiederhergestellt"
    assert revisions[1].body == "Alles neu."  # history kept, nothing overwritten
    assert statement.current_revision_id == revisions[2].pk
    assert statement.body == BASE


@pytest.mark.django_db
def test_restore_on_outdated_base_conflicts_where_the_changes_overlap(author, client_for):
    statement = make_statement(author=author, body=BASE)
    two = revision_save(
        statement_id=statement.pk,
        author=author,
        text=TextFields("T", "", "", BASE.replace("Bezahlkarte", "Karte")),
        message="",
        base_revision_id=statement.current_revision_id,
    )
    revision_save(
        statement_id=statement.pk,
        author=author,
        text=TextFields("T", "", "", two.body.replace("Karte", "Karte im Landkreis")),
        message="",
        base_revision_id=two.pk,
    )
    # The history page still showed revision 2 as the newest.
    with pytest.raises(EditConflict):
        revision_restore(
            statement_id=statement.pk, author=author, revision_number=1, base_revision_id=two.pk
        )
    response = client_for(author).post(
        f"/statements/{statement.slug}/revisions/1/restore/",
        {"base_revision": two.pk, "confirmed": "1"},
    )
    assert response.status_code == 409
    assert "Bearbeitungskonflikt" in response.content.decode()
    assert Revision.objects.filter(statement=statement).count() == 3


@pytest.mark.django_db
def test_restore_that_changes_nothing_writes_nothing(author, client_for):
    statement = make_statement(author=author, body=BASE)
    one = statement.current_revision_id
    revision_save(
        statement_id=statement.pk,
        author=author,
        text=TextFields("T", "", "", "neu"),
        message="",
        base_revision_id=one,
    )
    # Restoring revision 1 from a page on which revision 1 was the newest asks for no change.
    assert (
        revision_restore(
            statement_id=statement.pk, author=author, revision_number=1, base_revision_id=one
        )
        is None
    )
    response = client_for(author).post(
        f"/statements/{statement.slug}/revisions/1/restore/",
        {"base_revision": one, "confirmed": "1"},
    )
    assert response.status_code == 302
    assert Revision.objects.filter(statement=statement).count() == 2


@pytest.mark.django_db
def test_revisions_are_immutable(author):
    statement = make_statement(author=author)
    revision = statement.current_revision
    revision.body = "überschrieben"
    with pytest.raises(TypeError):
        revision.save()
    with pytest.raises(TypeError):
        Revision.objects.filter(pk=revision.pk).update(body="x")


@pytest.mark.django_db
def test_history_is_paginated_newest_first(author, client_for):
    statement = make_statement(author=author)
    base = statement.current_revision_id
    for i in range(54):
        base = revision_save(
            statement_id=statement.pk,
            author=author,
            text=TextFields("T", "", "", f"Text {i}"),
            message=f"Notiz {i}",
            base_revision_id=base,
        ).pk
    client = client_for(author)
    first = client.get(f"/statements/{statement.slug}/history/").content.decode()
    second = client.get(f"/statements/{statement.slug}/history/?page=2").content.decode()
    assert first.count('<th scope="row">') == 50 and second.count('<th scope="row">') == 5
    assert "Notiz 53" in first and "Notiz 3" in second and "Erste Fassung" in second
    assert f"/statements/{statement.slug}/revisions/55/restore/" not in first  # current one
    assert f"/statements/{statement.slug}/revisions/54/restore/" in first
