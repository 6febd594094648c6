"""Saving from an older base: three-way merge, the conflict page and its decisions.

Two co-authors editing different places both land in one revision crediting both;
only overlapping changes reach the conflict page, which refuses a save until every
overlap has a decision and never lets the newer revision's words go unseen.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statements.merge import merge_body, merge_fields
from statements.models import Revision, Statement
from statements.services import EditConflict, TextFields, revision_restore, revision_save
from tests.factories import TopicFactory, make_statement

pytestmark = pytest.mark.django_db

BODY = (
    "# Forderungen\n\n"
    "Die Bezahlkarte begrenzt Bargeld auf 50 Euro. Das trifft Familien hart.\n\n"
    "Wir fordern Sprachkurse ab dem ersten Tag.\n\n"
    "Der Landkreis soll die Grenze aufheben."
)


def _save(statement: Statement, user, body: str, *, base: int, **fields: str) -> Revision:
    return revision_save(
        statement_id=statement.pk,
        author=user,
        text=TextFields(
            fields.get("title", statement.title),
            fields.get("occasion", statement.occasion),
            fields.get("summary", statement.summary),
            body,
        ),
        message=fields.get("message", ""),
        base_revision_id=base,
    )


@pytest.fixture
def paper(author, coauthor):
    return make_statement(author=author, coauthors=[coauthor], body=BODY)


# --- the merge itself -------------------------------------------------------------------


def test_edits_in_different_paragraphs_merge():
    theirs = BODY.replace("50 Euro", "50 Euro im Monat")
    mine = BODY.replace("ersten Tag", "ersten Tag an")
    merged = merge_body(BODY, theirs, mine)
    assert not merged.conflicts
    assert merged.text() == BODY.replace("50 Euro", "50 Euro im Monat").replace(
        "ersten Tag", "ersten Tag an"
    )


def test_edits_in_different_sentences_of_one_paragraph_merge():
    theirs = BODY.replace("begrenzt Bargeld", "begrenzt das Bargeld")
    mine = BODY.replace("Familien hart", "Familien mit Kindern hart")
    merged = merge_body(BODY, theirs, mine)
    assert not merged.conflicts
    assert "begrenzt das Bargeld auf 50 Euro. Das trifft Familien mit Kindern hart." in (
        merged.text()
    )


def test_two_new_paragraphs_at_the_same_place_are_both_kept():
    merged = merge_body(BODY, BODY + "\n\nAmiras Absatz.", BODY + "\n\nJonas' Absatz.")
    assert not merged.conflicts
    assert merged.text() == BODY + "\n\nAmiras Absatz.\n\nJonas' Absatz."


def test_same_words_changed_twice_is_a_conflict_with_both_variants():
    theirs = BODY.replace("Wir fordern Sprachkurse", "Wir verlangen Sprachkurse")
    mine = BODY.replace("Wir fordern Sprachkurse", "Wir wünschen Sprachkurse").replace(
        "Grenze aufheben", "Grenze sofort aufheben"
    )
    merged = merge_body(BODY, theirs, mine)
    [conflict] = merged.conflicts
    assert conflict.theirs == "Wir verlangen Sprachkurse ab dem ersten Tag.\n\n"
    assert conflict.mine == "Wir wünschen Sprachkurse ab dem ersten Tag.\n\n"
    assert conflict.spots == (("verlangen", "wünschen"),)
    # The rest merged already: my other change is there whatever the decision.
    assert merged.text({conflict.key: conflict.theirs}).endswith("Grenze sofort aufheben.")


def test_a_blank_line_never_lines_up_two_different_paragraphs():
    """Found by the state machine: merged by lines, the blank line after "w4" was taken
    for the one after "w1", so "w3 w1" counted as an addition and deciding for theirs
    doubled "w1"."""
    merged = merge_body("w1", "w2 w1", "w4\n\nw3 w1")
    [conflict] = merged.conflicts
    for side in (conflict.theirs, conflict.mine):
        assert merged.text({conflict.key: side}).split().count("w1") == 1


@given(st.text(alphabet=" \t\n\xa0ab#-*", max_size=60))
def test_paragraph_units_cover_the_whole_text(text):
    from statements.merge import _units

    units = _units(text)
    if text.rstrip("\n"):
        assert "".join(units) == text.rstrip("\n") + "\n\n"
    else:
        assert units == []
    # Merging a text with itself and with nothing changed gives it back.
    assert merge_body(text, text, text).text() == text.rstrip("\n") + text[len(text.rstrip("\n")) :]


def test_title_merges_as_a_whole_field():
    base = {"title": "T", "occasion": "O", "summary": "S", "body": "B"}
    merged = merge_fields(base, dict(base, title="T neu"), dict(base, summary="S neu"))
    assert not merged.conflicts
    assert merged.texts() == {"title": "T neu", "occasion": "O", "summary": "S neu", "body": "B"}
    clash = merge_fields(base, dict(base, title="Ihr Titel"), dict(base, title="Mein Titel"))
    assert [c.key for c in clash.conflicts] == ["title"]


def test_without_a_base_nothing_is_guessed():
    theirs = {"title": "T", "occasion": "", "summary": "", "body": "A\n\nB\n\n"}
    mine = dict(theirs, body="A\n\nB geändert\n\n")
    merged = merge_fields(None, theirs, mine)
    assert [c.field for c in merged.conflicts] == ["body"]


# --- through the service ----------------------------------------------------------------


def test_concurrent_saves_in_different_paragraphs_both_land_crediting_both(paper, author, coauthor):
    base = paper.current_revision_id
    first = _save(paper, coauthor, BODY.replace("50 Euro", "50 Euro im Monat"), base=base)
    second = _save(
        paper, author, BODY.replace("ersten Tag", "ersten Tag an"), base=base, message="Anna"
    )
    paper.refresh_from_db()
    assert paper.current_revision_id == second.pk
    assert "50 Euro im Monat" in paper.body and "ersten Tag an" in paper.body
    assert second.author == author and list(second.credited.all()) == [coauthor]
    assert (second.based_on_id, second.merged_with_id) == (base, first.pk)
    assert second.message == "Anna – zusammengeführt mit Fassung 2"


def test_overlapping_saves_raise_with_the_merge_and_write_nothing(paper, author, coauthor):
    base = paper.current_revision_id
    _save(paper, coauthor, BODY.replace("fordern", "verlangen"), base=base)
    with pytest.raises(EditConflict) as caught:
        _save(paper, author, BODY.replace("fordern", "wünschen"), base=base)
    assert caught.value.current.number == 2 and caught.value.base.pk == base
    assert len(caught.value.merge.conflicts) == 1
    assert Revision.objects.filter(statement=paper).count() == 2


def test_a_base_from_another_paper_is_not_merged(paper, author, coauthor):
    other = make_statement(author=author, body="Ganz anderer Text.\n\nNoch einer.")
    _save(paper, coauthor, BODY + "\n\nNeu.", base=paper.current_revision_id)
    with pytest.raises(EditConflict) as caught:
        _save(paper, author, "Ganz anderer Text.\n\nNoch einer. Meins.", base=other.pk)
    assert caught.value.base is None


def test_restore_from_an_outdated_history_page_merges(paper, author, coauthor):
    base = paper.current_revision_id
    two = _save(paper, author, BODY.replace("Euro.", "Euro!"), base=base)
    _save(paper, coauthor, two.body + "\n\nCarls Absatz.", base=two.pk)
    # Anna restores revision 1 from a history page that still showed revision 2.
    restored = revision_restore(
        statement_id=paper.pk, author=author, revision_number=1, base_revision_id=two.pk
    )
    assert restored.body == BODY + "\n\nCarls Absatz."
    assert restored.message == "Fassung 1 wiederhergestellt – zusammengeführt mit Fassung 3"
    assert list(restored.credited.all()) == [coauthor]


# --- through the editor -----------------------------------------------------------------


def test_editor_auto_merge_shows_a_notice_not_a_conflict(
    paper, author, coauthor, client_for, edit_data
):
    stale = edit_data(paper, body=BODY.replace("ersten Tag", "ersten Tag an"))
    _save(paper, coauthor, BODY.replace("50 Euro", "50 Euro im Monat"), base=stale["base_revision"])
    response = client_for(author).post(f"/statements/{paper.slug}/edit/", stale, follow=True)
    assert response.redirect_chain[-1][1] == 302
    page = response.content.decode()
    assert "sind zusammengeführt: Fassung 3 ist gespeichert" in page
    paper.refresh_from_db()
    assert "50 Euro im Monat" in paper.body and "ersten Tag an" in paper.body
    history = client_for(author).get(f"/statements/{paper.slug}/history/").content.decode()
    assert "Zusammengeführt mit Fassung 2" in history
    assert "zusammengeführt mit Änderungen von Carl Koautor" in history


def _conflict_page(paper, author, coauthor, client, edit_data):
    """Carl changes a word of the third paragraph; Anna changes the same word and
    something elsewhere from the same base."""
    stale = edit_data(
        paper,
        body=BODY.replace("Wir fordern", "Wir wünschen").replace("Grenze", "Obergrenze"),
        title="Annas Titel",
        message="Annas Notiz",
    )
    _save(
        paper,
        coauthor,
        BODY.replace("Wir fordern", "Wir verlangen"),
        base=stale["base_revision"],
        title="Carls Titel",
    )
    response = client.post(f"/statements/{paper.slug}/edit/", stale)
    return response, stale


def _form_fields(page: str) -> dict[str, str]:
    """The hidden and text fields of the conflict form, as a browser would send them."""
    import html

    fields: dict[str, str] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        fields[name] = html.unescape(value)
    for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        fields[name] = html.unescape(value)
    fields["message"] = "Annas Notiz"
    return fields


def test_same_sentence_edits_get_the_conflict_page_starting_from_the_merge(
    paper, author, coauthor, client_for, edit_data
):
    response, _stale = _conflict_page(paper, author, coauthor, client_for(author), edit_data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Bearbeitungskonflikt" in page
    # Both sides, rendered, with the other revision's author; my other change merged already.
    assert "Wir verlangen Sprachkurse" in page and "Wir wünschen Sprachkurse" in page
    assert "Fassung 2 von Carl Koautor" in page
    assert "Der Landkreis soll die Obergrenze aufheben." in page
    assert "<h1>Forderungen</h1>" in page  # rendered Markdown, not source
    assert page.count('<fieldset class="conflict" id="conflict-') == 2  # title, paragraph
    assert 'type="radio"' in page and "Carls Titel" in page
    assert Revision.objects.filter(statement=paper).count() == 2


def test_conflict_page_refuses_a_save_without_every_decision_and_keeps_everything(
    paper, author, coauthor, client_for, edit_data
):
    client = client_for(author)
    response, _ = _conflict_page(paper, author, coauthor, client, edit_data)
    fields = _form_fields(response.content.decode())
    keys = sorted({k.removeprefix("manual-") for k in fields if k.startswith("manual-")})
    assert keys == ["body-0", "title"]
    half = dict(fields, **{"choice-title": "mine"})
    refused = client.post(f"/statements/{paper.slug}/edit/", half)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Bitte entscheiden Sie, welcher Text hier gelten soll." in page
    assert 'href="#conflict-2"' in page and 'href="#conflict-1"' not in page
    # The decision made is kept, and so is the whole text.
    assert re.search(r'value="mine"[^>]*checked', page) or re.search(
        r'checked[^>]*value="mine"', page
    )
    assert "Wir wünschen Sprachkurse" in page and "Obergrenze" in page
    assert Revision.objects.filter(statement=paper).count() == 2


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("theirs", "Wir verlangen Sprachkurse ab dem ersten Tag."),
        ("mine", "Wir wünschen Sprachkurse ab dem ersten Tag."),
        ("manual", "Wir verlangen und wünschen Sprachkurse ab dem ersten Tag."),
    ],
)
def test_each_decision_gives_the_expected_text(
    paper, author, coauthor, client_for, edit_data, choice, expected
):
    client = client_for(author)
    response, _ = _conflict_page(paper, author, coauthor, client, edit_data)
    fields = _form_fields(response.content.decode())
    fields.update(
        {
            "choice-title": "theirs",
            "choice-body-0": choice,
            "manual-body-0": "Wir verlangen und wünschen Sprachkurse ab dem ersten Tag.",
        }
    )
    saved = client.post(f"/statements/{paper.slug}/edit/", fields, follow=True)
    assert saved.status_code == 200
    paper.refresh_from_db()
    assert paper.body == BODY.replace(
        "Wir fordern Sprachkurse ab dem ersten Tag.", expected
    ).replace("Grenze", "Obergrenze")
    assert paper.title == "Carls Titel"
    revision = paper.current_revision
    assert revision.number == 3 and revision.author == author
    assert revision.message == "Annas Notiz – zusammengeführt mit Fassung 2"
    assert list(revision.credited.all()) == [coauthor]


def test_manual_choice_prefills_both_texts(paper, author, coauthor, client_for, edit_data):
    response, _ = _conflict_page(paper, author, coauthor, client_for(author), edit_data)
    fields = _form_fields(response.content.decode())
    assert fields["manual-body-0"] == (
        "Wir verlangen Sprachkurse ab dem ersten Tag.\n\n"
        "Wir wünschen Sprachkurse ab dem ersten Tag.\n\n"
    )
    assert fields["manual-title"] == "Carls Titel\nAnnas Titel"


def test_a_third_save_meanwhile_is_merged_again(
    paper, author, coauthor, other_member, client_for, edit_data
):
    client = client_for(author)
    response, _ = _conflict_page(paper, author, coauthor, client, edit_data)
    fields = _form_fields(response.content.decode())
    fields.update({"choice-title": "mine", "choice-body-0": "mine"})
    # Before Anna decides, Carl adds a paragraph at the end.
    two = Statement.objects.get(pk=paper.pk).current_revision
    _save(paper, coauthor, two.body + "\n\nCarls Nachtrag.", base=two.pk, title=two.title)
    saved = client.post(f"/statements/{paper.slug}/edit/", fields)
    assert saved.status_code == 302
    paper.refresh_from_db()
    assert paper.title == "Annas Titel"
    assert "Wir wünschen Sprachkurse" in paper.body and "Obergrenze" in paper.body
    assert paper.body.endswith("Carls Nachtrag.")
    assert paper.current_revision.merged_with.number == 3


def test_a_third_overlapping_save_brings_the_conflict_page_back(
    paper, author, coauthor, client_for, edit_data
):
    client = client_for(author)
    response, _ = _conflict_page(paper, author, coauthor, client, edit_data)
    fields = _form_fields(response.content.decode())
    fields.update({"choice-title": "mine", "choice-body-0": "mine"})
    two = Statement.objects.get(pk=paper.pk).current_revision
    _save(paper, coauthor, two.body.replace("Wir verlangen", "Wir erwarten"), base=two.pk)
    again = client.post(f"/statements/{paper.slug}/edit/", fields)
    assert again.status_code == 409
    page = again.content.decode()
    assert "Wir erwarten Sprachkurse" in page and "Wir wünschen Sprachkurse" in page
    assert "Fassung 3 von Carl Koautor" in page
    assert Revision.objects.filter(statement=paper).count() == 3


def test_tampered_conflict_form_is_a_400_with_the_text_kept(paper, author, client_for):
    response = client_for(author).post(
        f"/statements/{paper.slug}/edit/",
        {
            "resolve": "1",
            "theirs_revision": "999999",
            "mine_title": "Mein Titel",
            "mine_body": "Mein kostbarer Text",
            "language": "de",
        },
    )
    assert response.status_code == 400
    assert "Mein kostbarer Text" in response.content.decode()


def test_conflict_page_keeps_topics_and_language(paper, author, coauthor, client_for, edit_data):
    topic = TopicFactory()
    client = client_for(author)
    stale = edit_data(paper, body=BODY.replace("fordern", "wünschen"), topics=[topic.pk])
    stale["language"] = "en"
    _save(paper, coauthor, BODY.replace("fordern", "verlangen"), base=stale["base_revision"])
    page = client.post(f"/statements/{paper.slug}/edit/", stale).content.decode()
    fields = _form_fields(page)
    assert fields["topics"] == str(topic.pk) and fields["language"] == "en"
    fields["choice-body-0"] = "mine"
    assert client.post(f"/statements/{paper.slug}/edit/", fields).status_code == 302
    paper.refresh_from_db()
    assert list(paper.topics.all()) == [topic] and paper.language == "en"


def test_restore_that_overlaps_shows_the_conflict_page(paper, author, coauthor, client_for):
    base = paper.current_revision_id
    two = _save(paper, author, BODY.replace("fordern", "verlangen"), base=base)
    _save(paper, coauthor, BODY.replace("fordern", "erwarten"), base=two.pk)
    response = client_for(author).post(
        f"/statements/{paper.slug}/revisions/1/restore/",
        {"base_revision": two.pk, "confirmed": "1"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Wir erwarten Sprachkurse" in page and "Wir fordern Sprachkurse" in page
    assert 'value="Fassung 1 wiederhergestellt"' in page
    assert Revision.objects.filter(statement=paper).count() == 3


def test_conflict_page_in_english(paper, author, coauthor, client_for, edit_data):
    client = client_for(author)
    client.cookies["django_language"] = "en"
    response, _ = _conflict_page(paper, author, coauthor, client, edit_data)
    page = response.content.decode()
    assert "Edit conflict" in page and "Your text" in page
    assert "Revision 2 by Carl Koautor" in page
