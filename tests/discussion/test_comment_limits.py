"""What people may not do with comments that are not theirs, or no longer open.

test_matrix.py tries every action on a fresh comment of one's own or of someone else,
as the action needs. A mutation run (docs/mutation.md) found the neighbours it left
out: editing or deleting somebody else's comment, editing a suggestion that has been
decided (issue 14: neither editable nor offered for editing), the reply form under a
deleted thread, and resolving a reply. Each passed every test when the rule was broken.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from discussion.models import Comment, SuggestionStatus
from tests.discussion.test_matrix import target

pytestmark = pytest.mark.django_db


def url(name: str, comment: Comment) -> str:
    return reverse(f"discussion:{name}", args=[comment.pk])


def page_of(client, statement) -> str:
    return client.get(statement.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["member", "coauthor", "coordinator"])
def test_nobody_edits_or_deletes_someone_elses_comment(
    who, in_consultation, member, coauthor, coordinator, client_for
):
    people = {"member": member, "coauthor": coauthor, "coordinator": coordinator}
    other = next(p for name, p in people.items() if name != who)
    comment = target(in_consultation, other)
    client = client_for(people[who])
    assert f'href="{url("comment_edit", comment)}"' not in page_of(client, in_consultation)
    assert client.post(url("comment_edit", comment), {"body": "Übernommen"}).status_code == 403
    assert client.post(url("comment_delete", comment)).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Zielkommentar" and not comment.is_deleted


@pytest.mark.parametrize("decided", [SuggestionStatus.APPLIED, SuggestionStatus.DECLINED])
def test_a_decided_suggestion_is_neither_editable_nor_offered_for_editing(
    decided, in_consultation, member, client_for
):
    suggestion = target(in_consultation, member, suggestion=True)
    Comment.objects.filter(pk=suggestion.pk).update(suggestion_status=decided)
    client = client_for(member)
    edit = url("comment_edit", suggestion)
    assert f'href="{edit}"' not in page_of(client, in_consultation)
    assert client.get(edit).status_code == 403
    response = client.post(edit, {"body": "Nachträglich", "suggestion_text": "Anderer Text."})
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert (suggestion.body, suggestion.suggestion_text) == (
        "Zielkommentar",
        "Ersetzter erster Absatz.",
    )


def test_an_open_suggestion_stays_editable_by_its_author(in_consultation, member, client_for):
    suggestion = target(in_consultation, member, suggestion=True)
    client = client_for(member)
    edit = url("comment_edit", suggestion)
    assert f'href="{edit}"' in page_of(client, in_consultation)
    response = client.post(edit, {"body": "Besser so", "suggestion_text": "Neuer erster Absatz."})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.body, suggestion.suggestion_text) == ("Besser so", "Neuer erster Absatz.")


def test_a_deleted_thread_offers_no_reply_form(in_consultation, member, author, client_for):
    kept, deleted = target(in_consultation, author), target(in_consultation, author)
    Comment.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now(), body="")
    page = page_of(client_for(member), in_consultation)
    # The page has one reply form, opened by a link under each thread that takes replies.
    assert f"reply={kept.pk}#reply-{kept.pk}" in page
    assert f"reply={deleted.pk}#" not in page
    client = client_for(member)
    opened = client.get(f"{in_consultation.get_absolute_url()}?reply={kept.pk}").content.decode()
    assert url("comment_reply", kept) in opened
    refused = client.get(f"{in_consultation.get_absolute_url()}?reply={deleted.pk}").content
    assert url("comment_reply", deleted) not in refused.decode()


def test_replies_are_neither_answered_nor_resolved(in_consultation, member, author, client_for):
    root = target(in_consultation, member)
    reply = Comment.objects.create(
        statement=in_consultation,
        revision=root.revision,
        parent=root,
        author=member,
        body="Antwort",
        body_html="<p>Antwort</p>",
    )
    client = client_for(author)
    page = page_of(client, in_consultation)
    assert f"reply={root.pk}#" in page and f"reply={reply.pk}#" not in page
    assert client.post(url("comment_reply", reply), {"body": "Tiefer"}).status_code == 403
    assert client.post(url("comment_resolve", reply)).status_code == 403
    reply.refresh_from_db()
    assert not reply.is_resolved and not reply.replies.exists()
    assert client.post(url("comment_resolve", root)).status_code == 302  # the thread itself
