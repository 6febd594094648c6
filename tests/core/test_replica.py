"""The read-replica router (core/replica.py): what may read from the replica, and what
never does. The replica itself runs in the scale test (tests/scale); here its answer
("current" or not) is stubbed, and the rules around it are checked."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from core import replica
from tests.core.test_settings import _run

router = replica.ReplicaRouter()


def _answer(path: str, *, method: str = "get", user=None, current: bool = True, monkeypatch):
    """Run a request through the middleware; the 'view' reports where it would read."""
    monkeypatch.setattr(replica, "_replica_is_current", lambda: current)
    request = getattr(RequestFactory(), method)(path)
    request.user = user or AnonymousUser()
    request.resolver_match = resolve(path)
    seen = {}

    def view(req):
        middleware.process_view(req, None, (), {})
        seen["first"] = router.db_for_read(object)
        seen["second"] = router.db_for_read(object)
        return HttpResponse()

    middleware = replica.ReplicaReadsMiddleware(view)
    middleware(request)
    # Nothing leaks into the next request of this thread.
    seen["after"] = router.db_for_read(object)
    return seen


def test_anonymous_public_page_reads_the_current_replica(monkeypatch):
    seen = _answer("/statements/", monkeypatch=monkeypatch)
    assert seen == {"first": "replica", "second": "replica", "after": None}


def test_a_replica_behind_the_primary_is_not_read(monkeypatch):
    seen = _answer("/statements/", current=False, monkeypatch=monkeypatch)
    assert seen == {"first": None, "second": None, "after": None}


@pytest.mark.django_db
def test_members_posts_and_other_pages_read_the_primary(monkeypatch):
    from tests.factories import UserFactory

    member = UserFactory()
    assert _answer("/statements/", user=member, monkeypatch=monkeypatch)["first"] is None
    assert _answer("/statements/", method="post", monkeypatch=monkeypatch)["first"] is None
    # Not a public reading page (members' area, account pages).
    assert _answer("/accounts/login/", monkeypatch=monkeypatch)["first"] is None


@pytest.mark.django_db(transaction=True)  # no test-wide transaction around it
def test_reads_inside_a_transaction_and_after_a_write_go_to_the_primary(monkeypatch):
    monkeypatch.setattr(replica, "_replica_is_current", lambda: True)
    token = replica._choice.set("pending")
    try:
        with transaction.atomic():
            assert router.db_for_read(object) is None
        assert router.db_for_read(object) == "replica"
        assert router.db_for_write(object) == "default"
        assert router.db_for_read(object) is None  # reads its own write from now on
    finally:
        replica._choice.reset(token)


def test_writes_and_migrations_only_on_the_primary():
    assert router.db_for_write(object) == "default"
    assert router.allow_migrate("default", "statements") is True
    assert router.allow_migrate("replica", "statements") is False


def test_a_replica_that_does_not_answer_is_left_alone_for_a_while(monkeypatch):
    from django.core.cache import cache

    calls = []

    class Broken:
        def cursor(self):
            calls.append(1)
            raise OperationalError("connection refused")

        def close(self):
            pass

    cache.set(replica.POSITION_KEY, "0/0")
    monkeypatch.setattr(replica, "connections", {"default": Broken(), "replica": Broken()})
    monkeypatch.setattr(replica, "_down_until", 0.0)
    try:
        assert replica._replica_is_current() is False
        assert replica._replica_is_current() is False
    finally:
        cache.delete(replica.POSITION_KEY)
    assert len(calls) == 1  # the second request did not try again


@pytest.mark.django_db
def test_public_change_notes_the_primary_position_before_the_generation_moves(
    monkeypatch, django_capture_on_commit_callbacks
):
    """The replica's bar is set before pages of the new generation can be rendered."""
    from django.core.cache import cache

    from core import pagecache

    monkeypatch.setattr(replica, "configured", lambda: True)
    cache.delete(replica.POSITION_KEY)
    seen_at_bump = []
    real_bump = pagecache._bump
    monkeypatch.setattr(
        pagecache,
        "_bump",
        lambda: (seen_at_bump.append(cache.get(replica.POSITION_KEY)), real_bump()),
    )
    from tests.realservices import require_postgres

    require_postgres()
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.invalidate_public_pages()
    noted = cache.get(replica.POSITION_KEY)
    assert re.fullmatch(r"[0-9A-F]+/[0-9A-F]+", noted)
    # The bump before commit saw no position yet; the one after commit saw it noted.
    assert seen_at_bump == [None, noted]


def test_replica_setting_adds_the_alias_router_and_middleware(tmp_path):
    """DATABASE_REPLICA_URL set: a second alias that tests mirror onto the primary."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['replica']['HOST'], s.DATABASES['replica']['TEST'], "
        "s.DATABASE_ROUTERS, 'core.replica.ReplicaReadsMiddleware' in s.MIDDLEWARE, "
        "s.MIDDLEWARE.index('core.replica.ReplicaReadsMiddleware') "
        "> s.MIDDLEWARE.index('django.contrib.auth.middleware.AuthenticationMiddleware')]))"
    )
    env = {
        "DEBUG": "true",
        "DATABASE_URL": "postgres://u@primary:5432/rtm",
        "DATABASE_REPLICA_URL": "postgres://u@replica:5432/rtm",
    }
    result = _run(["-c", code], env, tmp_path)
    assert result.returncode == 0, result.stderr
    host, test, routers, has_middleware, after_auth = json.loads(result.stdout.splitlines()[-1])
    assert (host, test["MIRROR"]) == ("replica", "default")
    assert routers == ["core.replica.ReplicaRouter"]
    assert has_middleware and after_auth

    without = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print('replica' in s.DATABASES, s.DATABASE_ROUTERS)",
        ],
        {"DEBUG": "true", "DATABASE_URL": "postgres://u@primary:5432/rtm"},
        tmp_path,
    )
    assert without.stdout.split() == ["False", "[]"]
