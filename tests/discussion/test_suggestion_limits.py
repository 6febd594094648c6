"""Issue 13.2: three 20,000-character suggestions made a paper's page take 16 s for
every member. A suggestion is now limited relative to its paragraph, and its diff is
computed once when written, so a page view never compares texts. Nothing is timed:
the page's work is counted in Python lines (tests/cost.py)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps as global_apps
from django.urls import reverse

from discussion import services
from discussion.models import Comment
from statements import diff
from tests.cost import cost
from tests.discussion.conftest import block_ids, comment_on
from tests.factories import make_statement

WORDS = "Wir fordern faire und schnelle Verfahren für alle im Landkreis Leipzig".split()


def prose(size: int, seed: int = 1) -> str:
    words = [WORDS[(i * seed + i // 7) % len(WORDS)] for i in range(size // 4)]
    return (" ".join(words))[: size - 1].rstrip() + "."


def post_suggestion(client, statement, block_id: str, text: str):
    return client.post(
        reverse("discussion:comment_create", args=[statement.slug]),
        {"body": "Neufassung.", "block_id": block_id, "suggestion_text": text},
    )


def test_three_20000_character_suggestions_on_a_short_paragraph_are_refused(
    in_consultation, member, client_for
):
    client = client_for(member)
    target = block_ids(in_consultation)[0]  # "Erster Absatz."
    text = prose(20_000)
    for _ in range(3):
        response = post_suggestion(client, in_consultation, target, text)
        assert response.status_code == 400
        page = response.content.decode()
        assert "höchstens 2.000 Zeichen" in page
        assert "Ihr Text hat 20.000 Zeichen" in page
        assert text[:5_000] in page  # the typed text is kept in the form
    assert not Comment.objects.filter(statement=in_consultation).exists()


def test_the_limit_is_three_times_the_paragraph_between_2000_and_20000():
    from discussion.models import suggestion_limit

    assert suggestion_limit("kurz") == 2_000
    assert suggestion_limit("x" * 1_000) == 3_000
    assert suggestion_limit("x" * 10_000) == 20_000


def test_the_service_refuses_a_too_long_suggestion_as_well(in_consultation, member):
    target = block_ids(in_consultation)[0]
    with pytest.raises(services.SuggestionTooLong):
        comment_on(in_consultation, member, "", block_id=target, suggestion_text="x" * 2_001)
    comment_on(in_consultation, member, "", block_id=target, suggestion_text="x" * 2_000)


def test_editing_a_suggestion_beyond_the_limit_is_refused_and_keeps_the_text(
    in_consultation, member, client_for
):
    target = block_ids(in_consultation)[0]
    suggestion = comment_on(in_consultation, member, "", block_id=target, suggestion_text="Neu.")
    text = prose(5_000)
    response = client_for(member).post(
        reverse("discussion:comment_edit", args=[suggestion.pk]),
        {"body": "", "suggestion_text": text},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "höchstens 2.000 Zeichen" in page and text[:3_000] in page
    suggestion.refresh_from_db()
    assert suggestion.suggestion_text == "Neu."


def test_the_limit_is_explained_in_english_too(in_consultation, member, client_for):
    member.language = "en"
    member.save(update_fields=["language"])
    client = client_for(member)
    client.cookies["django_language"] = "en"
    target = block_ids(in_consultation)[0]
    page = post_suggestion(client, in_consultation, target, prose(3_000)).content.decode()
    assert "may be at most 2,000 characters" in page


@pytest.fixture
def long_paragraph_paper(author, coauthor):
    """A paper whose second paragraph is long enough for 20,000-character suggestions."""
    paragraph = prose(6_700, seed=3)
    body = f"Erster Absatz.\n\n{paragraph}\n\nDritter Absatz."
    return make_statement(author=author, coauthors=[coauthor], state="consultation", body=body)


def test_at_the_limit_the_page_shows_stored_diffs_and_costs_a_normal_page(
    long_paragraph_paper, in_consultation, member, coauthor, client_for, monkeypatch
):
    paper = long_paragraph_paper
    target = block_ids(paper)[1]
    for seed in (5, 7, 11):
        response = post_suggestion(client_for(member), paper, target, prose(20_000, seed))
        assert response.status_code == 302
    assert Comment.objects.filter(statement=paper).count() == 3
    # A normal page: the short paper with one short suggestion.
    comment_on(
        in_consultation,
        member,
        "",
        block_id=block_ids(in_consultation)[0],
        suggestion_text="Erster, klarer Absatz.",
    )
    reader = client_for(coauthor)
    reader.get(in_consultation.get_absolute_url())  # warm templates and translations
    baseline = cost(lambda: reader.get(in_consultation.get_absolute_url()))
    # The old page diffed 3 × 20,000 characters on every view (16 s).
    assert cost(lambda: reader.get(paper.get_absolute_url()), limit=2 * baseline) <= (2 * baseline)

    def refuse(*args, **kwargs):
        raise AssertionError("the page compared texts")

    # The diffs shown are the ones stored when the suggestions were written.
    monkeypatch.setattr(diff, "_opcodes", refuse, raising=False)
    page = reader.get(paper.get_absolute_url()).content.decode()
    assert page.count("<ins>") >= 3 and page.count("<del>") >= 3
    assert all(c.suggestion_diff for c in Comment.objects.filter(statement=paper))


def test_editing_a_suggestion_computes_its_diff_again_and_deleting_drops_it(
    in_consultation, member
):
    target = block_ids(in_consultation)[0]
    suggestion = comment_on(in_consultation, member, "", block_id=target, suggestion_text="Neu.")
    assert suggestion.suggestion_diff == [["-", "Erster Absatz"], ["+", "Neu"], ["=", "."]]
    services.comment_edit(
        comment=suggestion, editor=member, body="", suggestion_text="Erster neuer Absatz."
    )
    suggestion.refresh_from_db()
    assert ["+", "neuer "] in suggestion.suggestion_diff
    services.comment_delete(comment=suggestion, actor=member)
    suggestion.refresh_from_db()
    assert suggestion.suggestion_diff == []


def test_the_backfill_stores_the_diff_of_existing_suggestions(in_consultation, member):
    target = block_ids(in_consultation)[0]
    suggestion = comment_on(in_consultation, member, "", block_id=target, suggestion_text="Neu.")
    Comment.objects.filter(pk=suggestion.pk).update(suggestion_diff=[])
    migration = import_module("discussion.migrations.0002_comment_suggestion_diff")
    migration.store_suggestion_diffs(global_apps, None)
    suggestion.refresh_from_db()
    assert suggestion.suggestion_diff == [["-", "Erster Absatz"], ["+", "Neu"], ["=", "."]]


def test_the_form_tells_the_limit_before_anyone_types(in_consultation, member, client_for):
    target = block_ids(in_consultation)[0]
    url = f"{in_consultation.get_absolute_url()}?block={target}&suggest=1"
    page = client_for(member).get(url).content.decode()
    assert "Höchstens dreimal so lang wie der Absatz" in page
    # The hint is the field's description for screen readers.
    assert 'aria-describedby="comment-suggestion_text_helptext"' in page
    assert 'id="comment-suggestion_text_helptext"' in page
