"""Named people for every test: visitor, registered, member, author, co-author, coordinator…"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import pytest
from django.test import Client
from django.utils.http import urlencode

from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_statement,
)
from tests.realservices import (  # noqa: F401
    controllable_smtp,
    private_redis,
    smtp_server,
    use_real_broker,
)
from tests.realservices import require_postgres as _require_postgres

PASSWORD = "rtm-test-pass-2026"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """The `postgres` marker (pyproject.toml): skipped on SQLite, a failure where
    RTM_REQUIRE_SERVICES=1 (CI). Declared before, but nothing acted on it."""
    if item.get_closest_marker("postgres") is not None:
        _require_postgres()

_FORM = "application/x-www-form-urlencoded"
_DEFAULT: Any = object()


def _has_files(data: object) -> bool:
    values = data.values() if isinstance(data, Mapping) else []
    return any(
        hasattr(v, "read") or (isinstance(v, list | tuple) and any(hasattr(i, "read") for i in v))
        for v in values
    )


def _post_like_a_browser(original: Any) -> Any:
    """Django's test client posts multipart by default; browsers and htmx send a form
    without a file input urlencoded, and the app refuses multipart bodies on views that
    take no files (rtm_workflow.security.RefuseMultipartMiddleware). So a plain
    `client.post(url, {...})` is urlencoded here; an explicit content_type or a file in
    the data keeps Django's behaviour."""

    @functools.wraps(original)
    def post(self, path, data=None, content_type=_DEFAULT, *args, **kwargs):
        if content_type is _DEFAULT:
            if (data is None or isinstance(data, Mapping)) and not _has_files(data):
                data, content_type = urlencode(data or {}, doseq=True), _FORM
            else:
                return original(self, path, data, *args, **kwargs)
        return original(self, path, data, content_type, *args, **kwargs)

    return post


Client.post = _post_like_a_browser(Client.post)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from core import pagecache
    from public import cache as page_cache

    def clear() -> None:
        cache.clear()
        # The early page cache's memory in this process (a cleared cache starts a new
        # generation, but a page remembered from the last test could match it by chance).
        pagecache._recent = None
        page_cache._local.clear()

    clear()
    yield
    clear()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def registered(db):
    return UserFactory(display_name="Rita Registriert", membership_status="registered")


@pytest.fixture
def member(db):
    return UserFactory(display_name="Mia Mitglied")


@pytest.fixture
def author(db):
    return UserFactory(display_name="Anna Autorin")


@pytest.fixture
def coauthor(db):
    return UserFactory(display_name="Carl Koautor")


@pytest.fixture
def coordinator(db):
    return UserFactory(display_name="Kora Koordination", is_coordinator=True)


@pytest.fixture
def suspended(db):
    return UserFactory(display_name="Sven Gesperrt", membership_status="suspended")


@pytest.fixture
def draft(author, coauthor):
    return make_statement(author=author, coauthors=[coauthor], state="draft")


@pytest.fixture
def in_consultation(author, coauthor):
    return make_statement(author=author, coauthors=[coauthor], state="consultation")


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def client_for(db):
    """client_for(user) → a logged-in test client (None → anonymous)."""

    def make(user=None):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make
