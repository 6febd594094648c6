"""Who is editing now: the editor's poll records presence, shows the other authors and
warns about a newer revision; only people who may edit the paper learn any of it."""

from __future__ import annotations

import time

import pytest

from statements.presence import PRESENCE_SECONDS, others_editing, presence_record
from statements.services import TextFields, revision_save
from tests.factories import make_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(author, coauthor):
    return make_statement(author=author, coauthors=[coauthor], state="draft")


def poll(client, statement, base=None, shown=""):
    statement.refresh_from_db()
    return client.post(
        f"/statements/{statement.slug}/presence/",
        {"base_revision": base or statement.current_revision_id, "shown": shown},
    )


def test_poll_shows_the_other_author_not_oneself(draft, author, coauthor, client_for):
    assert "Anna Autorin" not in poll(client_for(coauthor), draft).content.decode()
    answer = poll(client_for(author), draft).content.decode()
    assert "Gerade ebenfalls im Editor:" in answer and "<bdi>Carl Koautor</bdi>" in answer
    assert "Anna Autorin" not in answer


def test_editor_page_shows_who_is_editing_without_javascript(draft, author, coauthor, client_for):
    poll(client_for(coauthor), draft)
    html = client_for(author).get(f"/statements/{draft.slug}/edit/").content.decode()
    assert "<bdi>Carl Koautor</bdi>" in html
    # Loading the page records nobody (only the poll does): a GET changes nothing.
    assert others_editing(statement=draft, user=coauthor) == []


def test_presence_expires(draft, author, coauthor):
    start = time.time()
    presence_record(statement=draft, user=coauthor, now=start)
    assert others_editing(statement=draft, user=author, now=start + 10) == ["Carl Koautor"]
    late = start + PRESENCE_SECONDS + 1
    assert others_editing(statement=draft, user=author, now=late) == []


def test_removed_coauthor_is_no_longer_shown(draft, author, coauthor, client_for):
    poll(client_for(coauthor), draft)
    draft.coauthorships.filter(user=coauthor).delete()
    answer = poll(client_for(author), draft).content.decode()
    assert "Carl Koautor" not in answer


def test_stale_base_warns_and_unchanged_state_is_204(draft, author, coauthor, client_for):
    client = client_for(author)
    draft.refresh_from_db()
    base = draft.current_revision_id
    first = poll(client, draft, base)
    assert first.status_code == 200 and "Inzwischen wurde" not in first.content.decode()
    shown = first.content.decode().split('name="shown" value="', 1)[1].split('"', 1)[0]
    assert poll(client, draft, base, shown).status_code == 204  # nothing new: htmx keeps it
    rev = draft.current_revision
    revision_save(
        statement_id=draft.pk,
        author=coauthor,
        text=TextFields(title=rev.title, occasion=rev.occasion, summary=rev.summary, body="Neu."),
        message="",
        base_revision_id=rev.pk,
    )
    answer = poll(client, draft, base, shown)
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Inzwischen wurde Fassung 2 gespeichert." in text and "(von Carl Koautor)" in text
    assert f'href="/statements/{draft.slug}/edit/"' in text


@pytest.mark.parametrize(
    "who, status",
    [("author", 200), ("coauthor", 200), ("coordinator", 403), ("member", 404), ("anonymous", 404)],
)
def test_only_those_who_may_edit_see_presence(who, status, draft, request, client_for):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = poll(client_for(user), draft)
    assert response.status_code == status
    if status != 200:
        assert "Autor" not in response.content.decode()


def test_no_presence_once_the_text_is_frozen(author, coauthor, client_for):
    voting = make_statement(author=author, coauthors=[coauthor], state="voting")
    assert poll(client_for(author), voting).status_code == 403
    assert client_for(author).get(f"/statements/{voting.slug}/presence/").status_code == 405


def test_bad_base_is_not_an_error(draft, author, client_for):
    response = client_for(author).post(
        f"/statements/{draft.slug}/presence/", {"base_revision": "kaputt"}
    )
    assert response.status_code == 200


def test_presence_in_real_redis_carries_a_time_to_live(draft, author, coauthor, settings):
    """With the production cache backend: each editor has its own key that expires."""
    import os
    import uuid

    import redis

    from tests.realservices import require_redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    require_redis(url)
    prefix = f"test-presence-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    from django.core import cache as cache_module

    try:
        presence_record(statement=draft, user=coauthor)
        assert others_editing(statement=draft, user=author) == ["Carl Koautor"]
        client = redis.Redis.from_url(url)
        keys = client.keys(f"{prefix}:*presence*")
        assert len(keys) == 1
        assert 0 < client.ttl(keys[0]) <= PRESENCE_SECONDS
        client.delete(*keys)
        assert others_editing(statement=draft, user=author) == []
    finally:
        cache_module.cache.close()
