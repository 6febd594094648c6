"""Suggested changes: credited, conflict-safe, never garbling the text; anchors."""

from __future__ import annotations

import re

from django.urls import reverse

from core.events import EventKind
from discussion.models import Comment, SuggestionStatus
from statements.models import Revision
from statements.services import TextFields, revision_save
from tests.discussion.conftest import block_ids, comment_on


def edit_body(statement, user, body: str) -> None:
    statement.refresh_from_db()
    revision_save(
        statement_id=statement.pk,
        author=user,
        text=TextFields(
            title=statement.title,
            occasion=statement.occasion,
            summary=statement.summary,
            body=body,
        ),
        message="Überarbeitet",
        base_revision_id=statement.current_revision_id,
    )
    statement.refresh_from_db()


def test_apply_creates_revision_credited_to_suggester(
    in_consultation, member, author, client_for, events
):
    ids = block_ids(in_consultation)
    suggestion = comment_on(
        in_consultation, member, "Klarer so.", block_id=ids[1], suggestion_text="Zweiter, besser."
    )
    response = client_for(author).post(reverse("discussion:suggestion_apply", args=[suggestion.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{suggestion.pk}")
    in_consultation.refresh_from_db()
    revision = in_consultation.current_revision
    assert revision.author == member
    assert revision.message == "Vorschlag von Mia Mitglied übernommen"
    assert revision.body == "Erster Absatz.\n\nZweiter, besser.\n\nDritter Absatz."
    suggestion.refresh_from_db()
    assert suggestion.suggestion_status == SuggestionStatus.APPLIED
    assert suggestion.applied_revision == revision
    assert suggestion.is_resolved
    assert [e["kind"] for e in events][-1] == EventKind.SUGGESTION_APPLIED
    assert events[-1]["target"] == suggestion


def test_authors_see_the_suggestion_as_a_diff(in_consultation, member, author, client_for):
    ids = block_ids(in_consultation)
    comment_on(in_consultation, member, "", block_id=ids[0], suggestion_text="Erster Satz.")
    html = client_for(author).get(in_consultation.get_absolute_url()).content.decode()
    assert re.search(r"<del>.*Absatz.*</del>", html)
    assert re.search(r"<ins>.*Satz.*</ins>", html)
    assert "Vorschlag übernehmen" in html
    # A member who is not an author sees the diff but no apply button.
    html = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert "<ins>" in html and "Vorschlag übernehmen" not in html


def test_applying_on_a_changed_paragraph_is_refused(in_consultation, member, author, client_for):
    ids = block_ids(in_consultation)
    suggestion = comment_on(
        in_consultation, member, "", block_id=ids[1], suggestion_text="Vorschlag zu Absatz zwei."
    )
    edited = "Erster Absatz.\n\nZweiter Absatz, inzwischen umgeschrieben.\n\nDritter Absatz."
    edit_body(in_consultation, author, edited)
    revisions_before = Revision.objects.filter(statement=in_consultation).count()

    response = client_for(author).post(reverse("discussion:suggestion_apply", args=[suggestion.pk]))

    assert response.status_code == 409
    assert "geändert" in response.content.decode()
    in_consultation.refresh_from_db()
    assert in_consultation.body == edited
    assert Revision.objects.filter(statement=in_consultation).count() == revisions_before
    suggestion.refresh_from_db()
    assert suggestion.suggestion_status == SuggestionStatus.OPEN


def test_htmx_apply_on_changed_paragraph_explains_in_the_panel(
    in_consultation, member, author, client_for
):
    ids = block_ids(in_consultation)
    suggestion = comment_on(in_consultation, member, "", block_id=ids[0], suggestion_text="Neu.")
    edit_body(in_consultation, author, "Anders.\n\nZweiter Absatz mit *Betonung*.")
    response = client_for(author).post(
        reverse("discussion:suggestion_apply", args=[suggestion.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert '<section id="discussion"' in html and "<html" not in html
    assert 'role="alert"' in html
    assert Comment.objects.get(pk=suggestion.pk).suggestion_status == SuggestionStatus.OPEN


def test_two_suggestions_on_different_paragraphs_both_land(
    in_consultation, member, coordinator, author, client_for
):
    ids = block_ids(in_consultation)
    first = comment_on(in_consultation, member, "", block_id=ids[0], suggestion_text="Eins neu.")
    third = comment_on(
        in_consultation, coordinator, "", block_id=ids[2], suggestion_text="Drei neu."
    )
    client = client_for(author)
    assert client.post(reverse("discussion:suggestion_apply", args=[first.pk])).status_code == 302
    assert client.post(reverse("discussion:suggestion_apply", args=[third.pk])).status_code == 302
    in_consultation.refresh_from_db()
    assert in_consultation.body == "Eins neu.\n\nZweiter Absatz mit *Betonung*.\n\nDrei neu."
    authors = list(
        Revision.objects.filter(statement=in_consultation)
        .order_by("-number")
        .values_list("author__display_name", flat=True)[:2]
    )
    assert authors == ["Kora Koordination", "Mia Mitglied"]


def test_a_decided_suggestion_cannot_be_applied_twice(in_consultation, member, author, client_for):
    ids = block_ids(in_consultation)
    suggestion = comment_on(in_consultation, member, "", block_id=ids[0], suggestion_text="Neu.")
    client = client_for(author)
    url = reverse("discussion:suggestion_apply", args=[suggestion.pk])
    assert client.post(url).status_code == 302
    # Already decided: said so (409), not a bare 403 (issue 15).
    second = client.post(url)
    assert second.status_code == 409
    assert "schon entschieden" in second.content.decode()
    assert Revision.objects.filter(statement=in_consultation).count() == 2


def test_decline_needs_a_reason_and_keeps_it(in_consultation, member, coauthor, client_for, events):
    ids = block_ids(in_consultation)
    suggestion = comment_on(in_consultation, member, "", block_id=ids[0], suggestion_text="Neu.")
    url = reverse("discussion:suggestion_decline", args=[suggestion.pk])
    client = client_for(coauthor)
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    assert Comment.objects.get(pk=suggestion.pk).suggestion_status == SuggestionStatus.OPEN
    assert client.post(url, {"reason": "Widerspricht Absatz 3."}).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.suggestion_status == SuggestionStatus.DECLINED
    assert suggestion.decline_reason == "Widerspricht Absatz 3."
    assert events[-1]["kind"] == EventKind.SUGGESTION_DECLINED
    html = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert "Widerspricht Absatz 3." in html


def test_suggestion_without_paragraph_is_a_form_error(in_consultation, member, client_for):
    url = reverse("discussion:comment_create", args=[in_consultation.slug])
    response = client_for(member).post(url, {"body": "Hm", "suggestion_text": "Ganz neuer Text"})
    assert response.status_code == 400
    assert "Ganz neuer Text" in response.content.decode()  # input kept
    assert not Comment.objects.exists()


def test_comment_on_a_paragraph_changed_meanwhile_keeps_the_input(
    in_consultation, member, author, client_for
):
    old_id = block_ids(in_consultation)[1]
    edit_body(in_consultation, author, "Erster Absatz.\n\nUmgeschrieben.\n\nDritter Absatz.")
    url = reverse("discussion:comment_create", args=[in_consultation.slug])
    response = client_for(member).post(url, {"body": "Mein Einwand", "block_id": old_id})
    assert response.status_code == 400  # the paragraph is no longer a valid choice
    assert "Mein Einwand" in response.content.decode()
    assert not Comment.objects.exists()


def test_anchors_survive_unrelated_edits_and_age_with_their_paragraph(
    in_consultation, member, author, client_for
):
    ids = block_ids(in_consultation)
    comment = comment_on(in_consultation, member, "Zum ersten Absatz", block_id=ids[0])
    edit_body(
        in_consultation,
        author,
        "Erster Absatz.\n\nZweiter Absatz mit *Betonung*.\n\nDritter Absatz, ergänzt.\n\nVier.",
    )
    assert block_ids(in_consultation)[0] == ids[0]
    html = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert f'<a href="#comments-{ids[0]}">1 Kommentar</a>' in html
    assert f'id="comments-{ids[0]}"' in html
    assert "frühere Fassung" not in html

    edit_body(in_consultation, author, "Erster Absatz, neu gefasst.\n\nVier.")
    html = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert f'href="#comments-{ids[0]}"' not in html
    assert 'id="comments-outdated"' in html
    assert "bezieht sich auf eine frühere Fassung" in html
    section = html[html.index(f'id="comment-{comment.pk}"') :]
    assert "<blockquote" in section[:2000] and "Erster Absatz." in section[:2000]


def test_paragraph_links_count_comments_and_replies(in_consultation, member, author, client_for):
    ids = block_ids(in_consultation)
    first = comment_on(in_consultation, member, "A", block_id=ids[2])
    comment_on(in_consultation, author, "B", block_id=ids[2])
    from discussion.services import comment_reply

    comment_reply(parent=first, author=author, body="Antwort")
    html = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert f'<a href="#comments-{ids[2]}">3 Kommentare</a>' in html
    # The link sits right after that paragraph.
    para = html.index(f'id="{ids[2]}"')
    assert html.index(f'href="#comments-{ids[2]}"') > para
    assert f'href="?block={ids[2]}#new-comment"' in html


def test_paragraph_link_prefills_the_suggestion_form(in_consultation, member, client_for):
    ids = block_ids(in_consultation)
    url = f"{in_consultation.get_absolute_url()}?block={ids[1]}&suggest=1"
    html = client_for(member).get(url).content.decode()
    # The form opens right under its paragraph (before the next), the paragraph fixed.
    form = html[html.index('id="new-comment"') :]
    assert (
        html.index(f'id="{ids[1]}"') < html.index('id="new-comment"') < html.index(f'id="{ids[2]}"')
    )
    assert f'name="block_id" id="comment-block_id" value="{ids[1]}"' in form
    assert "Zweiter Absatz mit *Betonung*.</textarea>" in form


MIXED = (
    "## Forderungen\n\n"
    "Erster Absatz\nüber zwei Zeilen.\n\n"
    "- Punkt eins\n- Punkt zwei\n\n"
    "> Ein Zitat.\n\n"
    "Letzter Absatz.\n"
)


def test_suggestions_on_every_kind_of_block_apply_in_any_order(author, coauthor, member):
    import random

    from discussion.services import suggestion_apply
    from statements import markdown
    from tests.factories import make_statement

    statement = make_statement(
        author=author, coauthors=[coauthor], state="consultation", body=MIXED
    )
    blocks = markdown.blocks(statement.current_revision.body)
    replacements = {
        b.id: f"Neu {i}: ersetzt {b.kind}." if b.kind != "heading" else f"## Neu {i}"
        for i, b in enumerate(blocks)
    }
    suggestions = [
        comment_on(statement, member, "", block_id=bid, suggestion_text=text)
        for bid, text in replacements.items()
    ]
    random.Random(7).shuffle(suggestions)
    for suggestion in suggestions:
        suggestion_apply(comment=suggestion, actor=coauthor)
    statement.refresh_from_db()
    expected = "\n\n".join(replacements[b.id] for b in blocks) + "\n"
    assert statement.body == expected
    assert Revision.objects.filter(statement=statement).count() == 1 + len(blocks)


def test_a_suggestion_that_would_merge_with_its_neighbours_is_refused(
    author, coauthor, member, client_for
):
    from tests.factories import make_statement

    body = "- a\n- b\n\nZwischentext.\n\n- c\n"
    statement = make_statement(author=author, coauthors=[coauthor], state="consultation", body=body)
    middle = block_ids(statement)[1]
    suggestion = comment_on(statement, member, "", block_id=middle, suggestion_text="- x")
    response = client_for(author).post(reverse("discussion:suggestion_apply", args=[suggestion.pk]))
    assert response.status_code == 409
    assert "verschmelzen" in response.content.decode()
    statement.refresh_from_db()
    assert statement.body == body
