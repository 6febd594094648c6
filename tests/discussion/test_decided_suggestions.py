"""A decided suggestion is history: neither editable nor offered for editing (issue 14).

Editing an applied suggestion would rewrite what the text says was taken over from its
author; editing a declined one would make the recorded reason answer a text nobody
declined. A mutant that let the suggester edit them again passed every test; these
fail on it at the page (no link), the form (403) and the write (403, nothing stored).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from discussion import services
from discussion.models import Comment, CommentVersion, SuggestionStatus
from tests.discussion.conftest import block_ids, comment_on


@pytest.fixture
def suggestions(in_consultation, member, author):
    ids = block_ids(in_consultation)
    made = {
        status: comment_on(
            in_consultation,
            member,
            f"Vorschlag, bald {status}.",
            block_id=ids[index],
            suggestion_text=f"Neuer Absatz {index}.",
        )
        for index, status in enumerate(("open", "applied", "declined"))
    }
    services.suggestion_apply(comment=made["applied"], actor=author)
    services.suggestion_decline(comment=made["declined"], actor=author, reason="Passt nicht.")
    for status, comment in made.items():
        comment.refresh_from_db()
        assert comment.suggestion_status == status
    return made


def _edit_link(comment: Comment) -> str:
    return f'href="{reverse("discussion:comment_edit", args=[comment.pk])}"'


def test_the_page_offers_editing_only_for_the_open_suggestion(
    suggestions, in_consultation, member, client_for
):
    html = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert _edit_link(suggestions["open"]) in html  # the same person, the same page
    assert _edit_link(suggestions["applied"]) not in html
    assert _edit_link(suggestions["declined"]) not in html


@pytest.mark.parametrize("status", [SuggestionStatus.APPLIED, SuggestionStatus.DECLINED])
def test_a_decided_suggestion_cannot_be_edited(suggestions, member, client_for, status):
    comment = suggestions[status]
    before = (comment.body, comment.suggestion_text, comment.edited_at)
    url = reverse("discussion:comment_edit", args=[comment.pk])
    client = client_for(member)
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"body": "Umgeschrieben.", "suggestion_text": "Ganz anderer Absatz."}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert (comment.body, comment.suggestion_text, comment.edited_at) == before
    assert comment.suggestion_status == status
    assert not CommentVersion.objects.filter(comment=comment).exists()
    # Those who may not see the discussion do not learn the comment exists.
    assert client_for(None).get(url).status_code == 404


def test_the_open_suggestion_can_still_be_edited(suggestions, member, client_for):
    """The control: the refusals above are about the decision, not about the person."""
    comment = suggestions["open"]
    url = reverse("discussion:comment_edit", args=[comment.pk])
    client = client_for(member)
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Besser begründet.", "suggestion_text": "Neu 0."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.suggestion_text) == ("Besser begründet.", "Neu 0.")
