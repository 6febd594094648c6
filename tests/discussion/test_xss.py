"""The shared XSS corpus against every place discussion text reaches a page."""

from __future__ import annotations

from django.urls import reverse

from discussion import services
from tests.discussion.conftest import block_ids
from tests.factories import UserFactory
from tests.xss_corpus import XSS_CORPUS, assert_inert


def test_corpus_in_comments_suggestions_names_and_reasons(
    in_consultation, member, author, coordinator, client_for
):
    assert len(XSS_CORPUS) >= 50
    ids = block_ids(in_consultation)
    for i, hostile in enumerate(XSS_CORPUS):
        # Numbered: display names are unique up to case and look-alikes (issue 13).
        person = UserFactory(display_name=f"{i:02d}{hostile}"[:80])
        root = services.comment_create(
            statement=in_consultation,
            author=person,
            body=hostile,
            block_id=ids[i % len(ids)],
            suggestion_text=hostile if i % 2 else "",
            mention_names=hostile,
        )
        reply = services.comment_reply(parent=root, author=member, body=hostile)
        if i % 3 == 0 and i % 2:
            services.suggestion_decline(comment=root, actor=author, reason=hostile)
        if i % 3 == 0:
            services.comment_report(comment=reply, reporter=author, reason=hostile)
        if i % 5 == 0:
            services.comment_hide(comment=root, actor=coordinator, reason=hostile)
    for viewer in (member, author, coordinator):
        page = client_for(viewer).get(in_consultation.get_absolute_url())
        assert page.status_code == 200
        assert_inert(page.content.decode(), page=True)
    queue = client_for(coordinator).get(reverse("discussion:report_queue"))
    assert_inert(queue.content.decode(), page=True)


def test_corpus_in_hidden_reason_seen_by_the_author(
    in_consultation, member, coordinator, client_for
):
    for hostile in XSS_CORPUS:
        comment = services.comment_create(statement=in_consultation, author=member, body="x")
        services.comment_hide(comment=comment, actor=coordinator, reason=hostile)
    page = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert_inert(page, page=True)


def test_corpus_in_history_form_pages_and_autocomplete(in_consultation, member, client_for):
    client = client_for(member)
    comment = services.comment_create(statement=in_consultation, author=member, body="Anfang")
    for i, hostile in enumerate(XSS_CORPUS[:60]):
        services.comment_edit(comment=comment, editor=member, body=hostile + " .")
        UserFactory(display_name=f"{i:02d}{hostile}"[:80])
    history = client.get(reverse("discussion:comment_history", args=[comment.pk]))
    assert_inert(history.content.decode(), page=True)
    edit = client.get(reverse("discussion:comment_edit", args=[comment.pk]))
    assert_inert(edit.content.decode(), page=True)
    for hostile in XSS_CORPUS:
        # Invalid input (no text, hostile mention field) comes back in the form page.
        response = client.post(
            reverse("discussion:comment_create", args=[in_consultation.slug]),
            {"body": "", "mention_names": hostile[:500], "suggestion_text": hostile},
        )
        assert response.status_code == 400
        assert_inert(response.content.decode(), page=True)
        fragment = client.get(reverse("discussion:member_autocomplete"), {"q": hostile[:3]})
        assert_inert(fragment.content.decode(), page=False)


def test_corpus_in_quoted_paragraphs(author, coauthor, member, client_for):
    """Paragraph sources are quoted by comments, offered in the form and prefilled."""
    from statements.services import TextFields, revision_save
    from tests.factories import make_statement

    body = "\n\n".join(h.replace("\n", " ") for h in XSS_CORPUS)
    statement = make_statement(author=author, coauthors=[coauthor], state="consultation", body=body)
    ids = block_ids(statement)
    for block_id in ids[::2]:
        services.comment_create(
            statement=statement,
            author=member,
            body="Zitat",
            block_id=block_id,
            suggestion_text="ersetzt",
        )
    revision_save(
        statement_id=statement.pk,
        author=author,
        text=TextFields(statement.title, statement.occasion, statement.summary, "Alles neu."),
        message="neu",
        base_revision_id=statement.current_revision_id,
    )
    for block_id in ids[:3]:
        # The old paragraphs are now quoted as "earlier version"; the form offers new ones.
        page = client_for(author).get(f"{statement.get_absolute_url()}?block={block_id}&suggest=1")
        assert_inert(page.content.decode(), page=True)
    fresh = make_statement(author=author, state="consultation", body=body, title="Zweite")
    for block_id in block_ids(fresh)[::9]:
        page = client_for(author).get(f"{fresh.get_absolute_url()}?block={block_id}&suggest=1")
        assert_inert(page.content.decode(), page=True)
