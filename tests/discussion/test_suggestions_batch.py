"""Several suggestions applied as one revision (issue 15, item 2).

One revision, every suggester credited and named; overlapping suggestions are found
before anything is written, and the author chooses; a refusal writes nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from discussion import services
from discussion.models import Comment, SuggestionStatus
from statements.models import Revision
from tests.discussion.conftest import block_ids, comment_on
from tests.discussion.test_suggestions import edit_body
from tests.factories import UserFactory

BODY = "Erster Absatz.\n\nZweiter Absatz mit *Betonung*.\n\nDritter Absatz."


@pytest.fixture
def three(paper, member):
    """A paper and three suggestions by three people on three paragraphs."""
    statement = paper(body=BODY)
    ids = block_ids(statement)
    lena = UserFactory(display_name="Lena Leser")
    omar = UserFactory(display_name="Omar Ort")
    texts = ["Erster Absatz, neu.", "Zweiter Absatz mit **Nachdruck**.", "Dritter, kürzer."]
    people = [member, lena, omar]
    suggestions = [
        comment_on(statement, who, "", block_id=block, suggestion_text=text)
        for who, block, text in zip(people, ids, texts, strict=True)
    ]
    return statement, suggestions, people


def _state(comment: Comment) -> str:
    comment.refresh_from_db()
    return comment.suggestion_status


def test_three_suggestions_make_one_revision_crediting_every_suggester(three, author, events):
    statement, suggestions, people = three
    before = Revision.objects.filter(statement=statement).count()
    revision, taken = services.suggestions_apply(
        statement=statement, comment_ids=[s.pk for s in suggestions], actor=author
    )
    assert Revision.objects.filter(statement=statement).count() == before + 1
    assert revision.body == (
        "Erster Absatz, neu.\n\nZweiter Absatz mit **Nachdruck**.\n\nDritter, kürzer."
    )
    assert revision.author == author
    assert set(revision.credited.all()) == set(people)
    assert revision.message == ("Vorschläge von Mia Mitglied, Lena Leser und Omar Ort übernommen")
    assert taken == suggestions
    for s in suggestions:
        s.refresh_from_db()
        assert s.suggestion_status == SuggestionStatus.APPLIED
        assert s.applied_revision == revision
        assert s.suggestion_decided_by == author
    assert [e["target"] for e in events[-3:]] == suggestions


def test_overlap_is_found_before_anything_is_written(three, author, coauthor):
    statement, suggestions, _people = three
    ids = block_ids(statement)
    rival = comment_on(
        statement, coauthor, "", block_id=ids[0], suggestion_text="Erster Absatz, anders."
    )
    before = Revision.objects.filter(statement=statement).count()
    selected = [s.pk for s in suggestions] + [rival.pk]
    with pytest.raises(services.SuggestionsOverlap) as caught:
        services.suggestions_apply(statement=statement, comment_ids=selected, actor=author)
    assert [o.key for o in caught.value.overlaps] == [f"{suggestions[0].pk}-{rival.pk}"]
    assert caught.value.status == 409
    # Nothing written: no revision, every suggestion still open.
    assert Revision.objects.filter(statement=statement).count() == before
    assert {_state(c) for c in [*suggestions, rival]} == {SuggestionStatus.OPEN}

    # The author chooses the rival: one revision with it and the two others.
    key = caught.value.overlaps[0].key
    revision, taken = services.suggestions_apply(
        statement=statement, comment_ids=selected, actor=author, choices={key: str(rival.pk)}
    )
    assert revision.body.startswith("Erster Absatz, anders.\n\n")
    assert "**Nachdruck**" in revision.body and "Dritter, kürzer." in revision.body
    assert {c.pk for c in taken} == {rival.pk, suggestions[1].pk, suggestions[2].pk}
    assert _state(suggestions[0]) == SuggestionStatus.OPEN  # not chosen: still open
    assert _state(rival) == SuggestionStatus.APPLIED


def test_a_missing_choice_is_refused_and_writes_nothing(three, author, coauthor):
    statement, suggestions, _people = three
    rival = comment_on(
        statement, coauthor, "", block_id=block_ids(statement)[1], suggestion_text="Anders."
    )
    before = Revision.objects.filter(statement=statement).count()
    with pytest.raises(services.SuggestionsOverlap) as caught:
        services.suggestions_apply(
            statement=statement,
            comment_ids=[suggestions[1].pk, rival.pk],
            actor=author,
            choices={"unrelated": "1"},
        )
    assert caught.value.missing and caught.value.status == 400
    assert Revision.objects.filter(statement=statement).count() == before


def test_keeping_none_of_an_overlap_applies_the_rest(three, author, coauthor):
    statement, suggestions, _people = three
    rival = comment_on(
        statement, coauthor, "", block_id=block_ids(statement)[2], suggestion_text="Drei."
    )
    key = f"{suggestions[2].pk}-{rival.pk}"
    revision, taken = services.suggestions_apply(
        statement=statement,
        comment_ids=[suggestions[0].pk, suggestions[2].pk, rival.pk],
        actor=author,
        choices={key: services.NONE_CHOSEN},
    )
    assert taken == [suggestions[0]]
    # One suggestion taken: credited to its suggester, like a single apply.
    assert revision.author == suggestions[0].author
    assert revision.body.endswith("Dritter Absatz.")


def test_second_apply_of_a_batch_says_already_decided(three, author):
    statement, suggestions, _people = three
    ids = [s.pk for s in suggestions]
    services.suggestions_apply(statement=statement, comment_ids=ids, actor=author)
    count = Revision.objects.filter(statement=statement).count()
    with pytest.raises(services.SuggestionNotOpen):
        services.suggestions_apply(statement=statement, comment_ids=ids, actor=author)
    with pytest.raises(services.SuggestionNotOpen):
        services.suggestion_apply(comment=suggestions[0], actor=author)
    assert Revision.objects.filter(statement=statement).count() == count


def test_a_paragraph_changed_meanwhile_is_merged(three, author, coauthor):
    statement, suggestions, _people = three
    # Someone rewrites the start of the second paragraph; the suggestion changed its end.
    edit_body(
        statement,
        coauthor,
        "Erster Absatz.\n\nDer zweite Absatz mit *Betonung*.\n\nDritter Absatz.",
    )
    revision, _taken = services.suggestions_apply(
        statement=statement, comment_ids=[s.pk for s in suggestions], actor=author
    )
    assert revision.body == (
        "Erster Absatz, neu.\n\nDer zweite Absatz mit **Nachdruck**.\n\nDritter, kürzer."
    )


def test_a_suggestion_from_another_paper_is_refused(three, author, paper, member):
    statement, suggestions, _people = three
    other = paper(body=BODY)
    stranger = comment_on(other, member, "", block_id=block_ids(other)[0], suggestion_text="Fremd.")
    with pytest.raises(services.SuggestionNotOpen):
        services.suggestions_apply(
            statement=statement, comment_ids=[suggestions[0].pk, stranger.pk], actor=author
        )
    assert _state(suggestions[0]) == SuggestionStatus.OPEN


# --- through the client ------------------------------------------------------------


def test_batch_page_flow_without_javascript(three, author, coauthor, client_for):
    statement, suggestions, _people = three
    rival = comment_on(
        statement, coauthor, "", block_id=block_ids(statement)[0], suggestion_text="Eins."
    )
    client = client_for(author)
    page = client.get(statement.get_absolute_url()).content.decode()
    assert 'form="batch-apply"' in page and 'id="batch-apply"' in page
    url = reverse("discussion:suggestions_apply", args=[statement.slug])
    selected = [str(s.pk) for s in suggestions] + [str(rival.pk)]

    response = client.post(url, {"suggestion": selected})
    assert response.status_code == 409
    html = response.content.decode()
    key = f"{suggestions[0].pk}-{rival.pk}"
    assert f'name="choice-{key}"' in html

    # Sent back without a choice: refused (400), the selection kept.
    response = client.post(url, {"suggestion": selected, "decided": "1"})
    assert response.status_code == 400
    assert all(f'name="suggestion" value="{pk}"' in response.content.decode() for pk in selected)
    assert Revision.objects.filter(statement=statement).count() == 1

    response = client.post(
        url, {"suggestion": selected, "decided": "1", f"choice-{key}": str(suggestions[0].pk)}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    statement.refresh_from_db()
    assert "3 Vorschläge übernommen – Fassung 2" in page
    assert statement.current_revision.number == 2


def test_members_may_not_batch_apply(three, member, client_for):
    statement, suggestions, _people = three
    url = reverse("discussion:suggestions_apply", args=[statement.slug])
    response = client_for(member).post(url, {"suggestion": [s.pk for s in suggestions]})
    assert response.status_code == 403
    assert {_state(s) for s in suggestions} == {SuggestionStatus.OPEN}


def test_the_overlap_page_costs_the_same_queries_with_more_suggestions(
    paper, author, coauthor, member, client_for
):
    """The page of choices loads every selected suggestion with its author at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(extra: int) -> int:
        statement = paper(body="\n\n".join(f"Absatz {i}." for i in range(8)))
        ids = block_ids(statement)
        selected = [
            comment_on(statement, member, "", block_id=ids[0], suggestion_text="Eins."),
            comment_on(statement, coauthor, "", block_id=ids[0], suggestion_text="Zwei."),
        ]
        selected += [
            comment_on(
                statement,
                UserFactory(),
                "",
                block_id=ids[i + 1],
                suggestion_text=f"Neu {i}.",
            )
            for i in range(extra)
        ]
        client = client_for(author)
        url = reverse("discussion:suggestions_apply", args=[statement.slug])
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, {"suggestion": [c.pk for c in selected]})
        assert response.status_code == 409
        return len(captured)

    assert queries(5) == queries(0)
