"""Comments and replies as members use them: threads, edits, deletion, resolving, filters."""

from __future__ import annotations

from django.urls import reverse

from core.events import EventKind
from discussion.models import Comment, CommentVersion
from discussion.selectors import thread_participant_ids
from discussion.services import comment_delete, comment_reply, comment_resolve
from tests.discussion.conftest import block_ids, comment_on
from tests.factories import UserFactory


def page(client, statement, query: str = "") -> str:
    return client.get(statement.get_absolute_url() + query).content.decode()


def test_comment_and_reply_without_javascript(in_consultation, member, author, client_for, events):
    client = client_for(member)
    url = reverse("discussion:comment_create", args=[in_consultation.slug])
    response = client.post(url, {"body": "Das **überzeugt** mich."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        f"{in_consultation.get_absolute_url()}?thread={comment.pk}#comment-{comment.pk}"
    )
    assert comment.body_html == "<p>Das <strong>überzeugt</strong> mich.</p>\n"
    assert comment.revision == in_consultation.current_revision

    response = client_for(author).post(
        reverse("discussion:comment_reply", args=[comment.pk]), {"body": "Danke!"}
    )
    reply = Comment.objects.get(parent=comment)
    assert response.status_code == 302
    html = page(client, in_consultation)
    assert "Danke!" in html and f'id="comment-{reply.pk}"' in html
    assert [e["kind"] for e in events[-2:]] == [EventKind.COMMENT_CREATED] * 2
    assert events[-1]["target"] == reply
    assert thread_participant_ids(reply) == {member.pk, author.pk}


def test_replies_are_one_level_deep(in_consultation, member, author, client_for):
    comment = comment_on(in_consultation, member)
    reply = comment_reply(parent=comment, author=author, body="Antwort")
    response = client_for(member).post(
        reverse("discussion:comment_reply", args=[reply.pk]), {"body": "tiefer"}
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 2


def test_htmx_gets_the_panel_partial(in_consultation, member, client_for):
    response = client_for(member).post(
        reverse("discussion:comment_create", args=[in_consultation.slug]),
        {"body": "Per htmx"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        html.lstrip().startswith('<section id="discussion"') or '<section id="discussion"' in html
    )
    assert "<html" not in html and "Per htmx" in html


def test_htmx_comment_on_a_paragraph_updates_its_count_in_the_text(
    in_consultation, member, client_for
):
    first = block_ids(in_consultation)[0]
    response = client_for(member).post(
        reverse("discussion:comment_create", args=[in_consultation.slug]),
        {"body": "Zu diesem Absatz", "block_id": first},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    # The text above the panel is swapped out of band, with the new count by its paragraph.
    assert '<div class="prose" id="statement-body" lang="de" dir="ltr" hx-swap-oob="true">' in html
    body = html.split('id="statement-body"', 1)[1]
    assert f'<a href="#comments-{first}">1 Kommentar</a>' in body
    # The full page carries the same id, so htmx has something to replace.
    page = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert page.count('id="statement-body"') == 1


def test_empty_comment_is_a_form_error_not_a_500(in_consultation, member, client_for):
    url = reverse("discussion:comment_create", args=[in_consultation.slug])
    response = client_for(member).post(url, {"body": "  ", "mention_names": "Anna"})
    assert response.status_code == 400
    assert 'value="Anna"' in response.content.decode()
    response = client_for(member).post(url, {"body": "x", "block_id": "b-nichtda"})
    assert response.status_code == 400


def test_edit_marks_edited_and_keeps_history(in_consultation, member, coauthor, client_for):
    comment = comment_on(in_consultation, member, "Erste Fassung")
    client = client_for(member)
    edit = reverse("discussion:comment_edit", args=[comment.pk])
    assert "Erste Fassung" in client.get(edit).content.decode()
    assert client.post(edit, {"body": "Zweite Fassung"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Zweite Fassung" and comment.edited_at is not None
    assert list(CommentVersion.objects.values_list("body", flat=True)) == ["Erste Fassung"]
    html = page(client_for(coauthor), in_consultation)
    assert "bearbeitet" in html and "Zweite Fassung" in html
    history = client_for(coauthor).get(reverse("discussion:comment_history", args=[comment.pk]))
    assert "Erste Fassung" in history.content.decode()


def test_delete_leaves_placeholder_only_with_replies(in_consultation, member, author, client_for):
    lonely = comment_on(in_consultation, member, "Allein und bald weg")
    answered = comment_on(in_consultation, member, "Mit Antwort und bald weg")
    comment_reply(parent=answered, author=author, body="Die Antwort bleibt")
    client = client_for(member)
    for c in (lonely, answered):
        assert client.post(reverse("discussion:comment_delete", args=[c.pk])).status_code == 302
    html = page(client_for(author), in_consultation)
    assert "bald weg" not in html
    assert f'id="comment-{lonely.pk}"' not in html
    assert f'id="comment-{answered.pk}"' in html and "gelöscht" in html
    assert "Die Antwort bleibt" in html
    assert Comment.objects.get(pk=answered.pk).body == ""  # text really gone


def test_deleted_comment_is_gone_for_every_action(in_consultation, member, client_for):
    comment = comment_on(in_consultation, member)
    comment_delete(comment=comment, actor=member)
    for name in ("comment_edit", "comment_history"):
        assert (
            client_for(member).get(reverse(f"discussion:{name}", args=[comment.pk])).status_code
            == 404
        )


def test_resolved_threads_fold_away_and_reopen(in_consultation, member, author, client_for):
    comment = comment_on(in_consultation, member, "Bitte Quelle nennen")
    client = client_for(author)
    assert client.post(reverse("discussion:comment_resolve", args=[comment.pk])).status_code == 302
    html = page(client, in_consultation)
    thread = html[html.index(f'id="thread-{comment.pk}"') :]
    assert thread.index("<details>") < thread.index("Bitte Quelle nennen")
    assert "Wieder öffnen" in thread
    assert client.post(reverse("discussion:comment_reopen", args=[comment.pk])).status_code == 302
    assert not Comment.objects.get(pk=comment.pk).is_resolved


def test_filters(in_consultation, member, author, coordinator, client_for):
    ids = block_ids(in_consultation)
    open_one = comment_on(in_consultation, author, "offen-von-autorin")
    done = comment_on(in_consultation, coordinator, "erledigt-von-koordination")
    comment_resolve(comment=done, actor=author)
    suggestion = comment_on(
        in_consultation, coordinator, "vorschlag-text", block_id=ids[0], suggestion_text="X"
    )
    comment_reply(parent=done, author=member, body="antwort-von-mia")
    client = client_for(member)

    def shown(flt: str) -> set[int]:
        html = page(client, in_consultation, f"?filter={flt}")
        return {c.pk for c in (open_one, done, suggestion) if f'id="thread-{c.pk}"' in html}

    assert shown("") == {open_one.pk, done.pk, suggestion.pk}
    assert shown("open") == {open_one.pk, suggestion.pk}
    assert shown("resolved") == {done.pk}
    assert shown("suggestions") == {suggestion.pk}
    assert shown("mine") == {done.pk}
    assert shown("<script>") == {open_one.pk, done.pk, suggestion.pk}


def test_former_member_is_shown_as_such(in_consultation, member, client_for):
    leaver = UserFactory(display_name="Lea Geht")
    comment_on(in_consultation, leaver, "Mein letzter Beitrag")
    leaver.delete()
    html = page(client_for(member), in_consultation)
    assert "ehemaliges Mitglied" in html and "Lea Geht" not in html


def test_comments_stay_readable_but_closed_after_consultation(in_consultation, member, client_for):
    from tests.discussion.conftest import move_to

    comment_on(in_consultation, member, "Bleibt lesbar")
    move_to(in_consultation, "published")
    html = page(client_for(member), in_consultation)
    assert "Bleibt lesbar" in html
    assert "nur lesbar" in html and 'id="new-comment"' not in html
    # The public page of the published paper shows no internal discussion.
    assert "Bleibt lesbar" not in page(client_for(None), in_consultation)


def test_htmx_form_error_keeps_the_input_in_the_panel(in_consultation, member, client_for):
    response = client_for(member).post(
        reverse("discussion:comment_create", args=[in_consultation.slug]),
        {"body": "", "suggestion_text": "Mein sorgfältiger Vorschlag"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Mein sorgfältiger Vorschlag</textarea>" in html
    assert 'role="alert"' in html


def test_english_interface(in_consultation, member, author, client_for):
    ids = block_ids(in_consultation)
    comment_on(in_consultation, member, "Hallo", block_id=ids[0])
    client = client_for(author)
    client.cookies["django_language"] = "en"
    html = page(client, in_consultation)
    assert "1 comment" in html and "Write a comment" in html


def test_every_link_and_form_on_the_panel_resolves(in_consultation, member, author, client_for):
    """The panel builds comment URLs by string: each must hit the intended view."""
    import re

    from django.urls import resolve

    from tests.factories import UserFactory

    ids = block_ids(in_consultation)
    root = comment_on(in_consultation, member, "x", block_id=ids[0], suggestion_text="Neu.")
    comment_reply(parent=root, author=author, body="y")
    comment_resolve(comment=comment_on(in_consultation, member, "z"), actor=author)
    coordinator = UserFactory(is_coordinator=True)
    hidden = comment_on(in_consultation, member, "versteckt")
    from discussion.services import comment_hide

    comment_hide(comment=hidden, actor=coordinator, reason="r")
    seen: set[str] = set()
    for user in (member, author, coordinator):
        client = client_for(user)
        # With the thread's reply form opened (the page has one, under the thread asked for).
        html = client.get(f"{in_consultation.get_absolute_url()}?reply={root.pk}").content.decode()
        panel = html[html.index('id="discussion"') :]
        for url in re.findall(r'(?:action|href|hx-post|hx-get)="(/[^"#?]*)"', panel):
            if url.startswith("/static/"):
                continue
            match = resolve(url)
            if match.namespace == "discussion":
                seen.add(match.url_name)
    assert seen >= {
        "comment_reply",
        "comment_edit",
        "comment_delete",
        "comment_resolve",
        "comment_reopen",
        "suggestion_apply",
        "suggestion_decline",
        "comment_report",
        "comment_hide",
        "comment_unhide",
        "comment_create",
        "member_autocomplete",
    }
