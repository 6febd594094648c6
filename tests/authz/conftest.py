"""The world every authorization test walks (tests/authz/world.py), built once per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from tests.authz.world import ROLES, World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """One world for all rows (each request is rolled back), undone after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            for role in ROLES:  # sessions made now live as long as the world
                built.client(role)
                built.client(role, csrf=True)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
