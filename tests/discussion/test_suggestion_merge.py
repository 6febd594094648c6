"""Applying a suggestion whose paragraph changed meanwhile: the suggestion's change is
merged into the current paragraph three-way when the two do not overlap."""

from __future__ import annotations

from django.urls import reverse

from discussion.models import SuggestionStatus
from statements.models import Revision
from statements.services import TextFields, revision_save
from tests.discussion.conftest import block_ids, comment_on

PARAGRAPH = "Die Bezahlkarte begrenzt Bargeld auf 50 Euro. Das trifft Familien hart."
BODY = f"Erster Absatz.\n\n{PARAGRAPH}\n\nDritter Absatz."


def _edit(statement, user, body: str) -> None:
    statement.refresh_from_db()
    revision_save(
        statement_id=statement.pk,
        author=user,
        text=TextFields(statement.title, statement.occasion, statement.summary, body),
        message="",
        base_revision_id=statement.current_revision_id,
    )
    statement.refresh_from_db()


def test_suggestion_on_a_paragraph_changed_elsewhere_is_merged_in(
    paper, member, author, client_for
):
    statement = paper(body=BODY)
    suggestion = comment_on(
        statement,
        member,
        "",
        block_id=block_ids(statement)[1],
        suggestion_text=PARAGRAPH.replace("Familien hart", "Familien mit Kindern hart"),
    )
    # Meanwhile an author changes the first sentence of the same paragraph.
    _edit(statement, author, BODY.replace("begrenzt Bargeld", "begrenzt das Bargeld"))

    response = client_for(author).post(reverse("discussion:suggestion_apply", args=[suggestion.pk]))

    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.body == BODY.replace("begrenzt Bargeld", "begrenzt das Bargeld").replace(
        "Familien hart", "Familien mit Kindern hart"
    )
    assert statement.current_revision.author == member
    suggestion.refresh_from_db()
    assert suggestion.suggestion_status == SuggestionStatus.APPLIED


def test_suggestion_overlapping_a_later_change_is_refused_with_a_clear_message(
    paper, member, author, client_for
):
    statement = paper(body=BODY)
    suggestion = comment_on(
        statement,
        member,
        "",
        block_id=block_ids(statement)[1],
        suggestion_text=PARAGRAPH.replace("50 Euro", "100 Euro"),
    )
    _edit(statement, author, BODY.replace("50 Euro", "60 Euro"))
    count = Revision.objects.filter(statement=statement).count()

    response = client_for(author).post(reverse("discussion:suggestion_apply", args=[suggestion.pk]))

    assert response.status_code == 409
    assert "an denselben Stellen geändert" in response.content.decode()
    assert Revision.objects.filter(statement=statement).count() == count
    statement.refresh_from_db()
    assert "60 Euro" in statement.body and "100 Euro" not in statement.body
    suggestion.refresh_from_db()
    assert suggestion.suggestion_status == SuggestionStatus.OPEN
