"""Named people for every test: visitor, registered, member, author, co-author, coordinator…"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_statement,
)
from tests.realservices import private_redis, smtp_server, use_real_broker  # noqa: F401

PASSWORD = "rtm-test-pass-2026"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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


def login(client: Client, user) -> Client:  # noqa: ANN001
    client.force_login(user)
    return client


@pytest.fixture
def client_for(db):
    """client_for(user) → a logged-in test client (None → anonymous)."""

    def make(user=None):  # noqa: ANN001, ANN202
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make
