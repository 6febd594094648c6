"""The statement page costs a fixed number of SQL queries, however long the discussion."""

from __future__ import annotations

import sys

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts import permissions
from discussion.models import Comment, Mention, Report, SuggestionStatus
from discussion.panels import REPLIES_SHOWN, THREADS_SHOWN, build_panel
from statements import markdown
from statements.models import Statement
from statements.permissions import author_ids
from tests.factories import UserFactory, make_statement

BODY = "\n\n".join(f"Absatz {i}: Die Bezahlkarte schränkt Menschen ein ({i})." for i in range(40))


def fill(statement, people, n: int) -> None:
    """n comments across all paragraphs: threads, replies, suggestions, hidden, deleted…"""
    revision = statement.current_revision
    blocks = markdown.blocks(revision.body)
    roots: list[Comment] = []
    for i in range(max(1, n * 2 // 3)):
        block = blocks[i % len(blocks)]
        roots.append(
            Comment(
                statement=statement,
                revision=revision,
                author=people[i % len(people)] if i % 17 else None,
                body=f"Kommentar {i} an @Mia",
                body_html=f"<p>Kommentar {i}</p>",
                block_id=block.id if i % 5 else "",
                block_source=block.source if i % 5 else "",
                suggestion_text="Neuer Text." if i % 7 == 1 and i % 5 else "",
                suggestion_status=SuggestionStatus.OPEN if i % 7 == 1 and i % 5 else "",
                is_resolved=i % 4 == 0,
                is_hidden=i % 11 == 3,
                hidden_reason="Grund" if i % 11 == 3 else "",
            )
        )
    roots = Comment.objects.bulk_create(roots)
    replies = [
        Comment(
            statement=statement,
            revision=revision,
            parent=roots[i % len(roots)],
            author=people[(i + 1) % len(people)],
            body=f"Antwort {i}",
            body_html=f"<p>Antwort {i}</p>",
        )
        for i in range(n - len(roots))
    ]
    Comment.objects.bulk_create(replies)
    # An outdated anchor and some mentions and reports.
    if n > 10:
        Comment.objects.filter(pk=roots[1].pk).update(block_id="b-0000000000")
        Comment.objects.filter(pk=roots[2].pk).update(deleted_at="2026-01-01T00:00Z", body="")
    Mention.objects.bulk_create([Mention(comment=c, user=people[0]) for c in roots[:5]])
    Report.objects.bulk_create(
        [Report(comment=c, reporter=people[1], reason="x") for c in roots[:: max(1, n // 10)]]
    )


@pytest.fixture
def papers(author, coauthor, member, coordinator):
    people = [member, author, coauthor, coordinator] + [UserFactory() for _ in range(6)]
    small = make_statement(author=author, coauthors=[coauthor], state="consultation", body=BODY)
    large = make_statement(
        author=author, coauthors=[coauthor], state="consultation", body=BODY, title="Zweites"
    )
    fill(small, people, 3)
    fill(large, people, 300)
    assert Comment.objects.filter(statement=large).count() == 300
    return small, large


def count_page(client, statement) -> int:
    url = statement.get_absolute_url()
    assert client.get(url).status_code == 200  # warm caches (sessions, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_page_queries_do_not_grow_with_comments(
    papers, member, author, coordinator, client_for, django_assert_num_queries
):
    """Whole page through the client: 300 comments on 40 paragraphs cost what 3 cost."""
    small, large = papers
    for user in (member, author, coordinator):
        client = client_for(user)
        fixed = count_page(client, small)
        client.get(large.get_absolute_url())
        with django_assert_num_queries(fixed):
            response = client.get(large.get_absolute_url())
        html = response.content.decode()
        # The paragraph links count every comment; the discussion is folded.
        assert html.count('class="block-comments"') == 40
        assert html.count('<div class="thread') == THREADS_SHOWN
        assert "threads=all" in html
        # Everything on demand, still in the same number of queries.
        with django_assert_num_queries(fixed):
            response = client.get(large.get_absolute_url() + "?threads=all")
        assert response.content.decode().count('class="comment') > 150


def count_is_member(monkeypatch) -> list[int]:
    """Count every call of accounts.permissions.is_member, under whichever name it was imported."""
    calls = [0]
    original = permissions.is_member

    def counted(user):
        calls[0] += 1
        return original(user)

    for module in list(sys.modules.values()):
        if getattr(module, "is_member", None) is original:
            monkeypatch.setattr(module, "is_member", counted)
    return calls


def test_ten_and_a_thousand_comments_cost_the_same(
    author, coauthor, member, coordinator, client_for, monkeypatch
):
    """Issue 20: the same SQL queries and the same permission calls for 10 and 1,000
    comments: the reader's standing is computed once, not per comment."""
    people = [member, author, coauthor, coordinator]
    papers = []
    for n in (10, 1000):
        statement = make_statement(
            author=author, coauthors=[coauthor], state="consultation", body=BODY, title=f"{n}"
        )
        fill(statement, people, n)
        papers.append(statement)
    calls = count_is_member(monkeypatch)
    for user in (member, author, coordinator):
        client = client_for(user)
        measured = []
        for statement in papers:
            queries = count_page(client, statement)
            calls[0] = 0
            assert client.get(statement.get_absolute_url()).status_code == 200
            measured.append((queries, calls[0]))
        assert measured[0] == measured[1], (user, measured)
        assert measured[0][1] < 60, measured  # a handful per page, not one per comment


def test_folded_threads_and_replies_load_on_demand(in_consultation, member, client_for):
    """The newest threads are shown, each with its newest replies; the rest by a link
    that works without JavaScript (and that htmx follows in place)."""
    from discussion.services import comment_create, comment_reply

    roots = [
        comment_create(statement=in_consultation, author=member, body=f"Thread {i}")
        for i in range(THREADS_SHOWN + 2)
    ]
    for i in range(REPLIES_SHOWN + 2):
        comment_reply(parent=roots[-1], author=member, body=f"Antwort {i}")
    client = client_for(member)
    url = in_consultation.get_absolute_url()
    html = client.get(url).content.decode()
    assert "Thread 0<" not in html and "Thread 1<" not in html and "Thread 2<" in html
    assert "Antwort 0<" not in html and "Antwort 1<" not in html and "Antwort 4<" in html
    assert "2 ältere Threads anzeigen" in html and "2 frühere Antworten anzeigen" in html
    assert f'href="?thread={roots[-1].pk}#thread-{roots[-1].pk}"' in html
    everything = client.get(url + "?threads=all").content.decode()
    assert "Thread 0<" in everything and "Thread 1<" in everything
    one = client.get(f"{url}?thread={roots[-1].pk}").content.decode()
    assert "Antwort 0<" in one and "frühere Antworten anzeigen" not in one
    # An old thread's number unfolds it (the redirect after a reply names it).
    old = client.get(f"{url}?thread={roots[0].pk}").content.decode()
    assert "Thread 0<" in old


def test_panel_itself_is_two_queries(
    papers, member, author, coordinator, django_assert_num_queries
):
    _small, large = papers
    # As the statements view loads it: current revision joined, authors computed.
    large = Statement.objects.select_related("current_revision", "created_by").get(pk=large.pk)
    author_ids(large)
    for user in (member, author, coordinator):
        request = RequestFactory().get(large.get_absolute_url())
        request.user = user
        # Two queries: every comment of the paper as a light row (for coordinators with
        # the open-report count, LEFT JOIN + GROUP BY), then the shown ones in full with
        # their authors (JOIN).
        with django_assert_num_queries(2):
            context = build_panel(request, large)
        assert context["discussion"]["total"] > 250
