"""Notifications people can scan (issue 16, item 5): grouped by paper with an excerpt of the
comment, marked read per paper, one entry per comment and person even when mentioned."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from discussion.services import comment_create
from notifications.models import Channel, Notification
from notifications.services import follow_set
from tests.factories import UserFactory, make_statement

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def inapp(user):
    return Notification.objects.filter(recipient=user, channel=Channel.INAPP)


def test_a_mention_of_a_follower_is_one_entry_not_two(django_capture_on_commit_callbacks):
    reader = UserFactory(display_name="Rita Leserin")
    paper = make_statement(author=UserFactory(), state="consultation", title="Papier A")
    follow_set(user=reader, statement=paper, following=True)
    before = inapp(reader).count()
    comment_create(statement=paper, author=UserFactory(), body="Was meint @Rita Leserin dazu?")
    rows = inapp(reader).filter(context__comment_id__isnull=False)
    assert inapp(reader).count() == before + 1
    assert [r.kind for r in rows] == ["mentioned"]


def _comments(paper, n: int, author):
    for i in range(n):
        comment_create(
            statement=paper, author=author, body=f"Kommentar Nummer {i} zu {paper.title}"
        )


def test_list_groups_by_paper_with_excerpts_and_marks_one_paper_read():
    reader = UserFactory(display_name="Rita Leserin")
    writer = UserFactory()
    first = make_statement(author=UserFactory(), state="consultation", title="Papier Eins")
    second = make_statement(author=UserFactory(), state="consultation", title="Papier Zwei")
    for paper in (first, second):
        follow_set(user=reader, statement=paper, following=True)
        _comments(paper, 2, writer)
    client = client_for(reader)
    page = client.get("/notifications/").content.decode()
    assert page.count("card notification-group") == 2
    assert "Kommentar Nummer 1 zu Papier Zwei" in page  # the excerpt
    assert "Alle zu diesem Papier als gelesen markieren" in page
    response = client.post(f"/notifications/paper/{first.pk}/read/")
    assert response.status_code == 302
    assert not inapp(reader).filter(statement=first, read_at__isnull=True).exists()
    assert inapp(reader).filter(statement=second, read_at__isnull=True).exists()
    # Someone else's rows are not touched by the same request.
    other = UserFactory()
    follow_set(user=other, statement=second, following=True)
    _comments(second, 1, writer)
    client.post(f"/notifications/paper/{second.pk}/read/")
    assert inapp(other).filter(read_at__isnull=True).exists()


def test_list_queries_do_not_grow_with_notifications():
    reader = UserFactory()
    writer = UserFactory()
    client = client_for(reader)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/notifications/").status_code == 200
        return len(ctx.captured_queries)

    paper = make_statement(author=UserFactory(), state="consultation", title="Erstes")
    follow_set(user=reader, statement=paper, following=True)
    _comments(paper, 1, writer)
    few = queries()
    for i in range(4):
        more = make_statement(author=UserFactory(), state="consultation", title=f"Papier {i}")
        follow_set(user=reader, statement=more, following=True)
        _comments(more, 3, writer)
    assert queries() == few
