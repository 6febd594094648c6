"""Fixtures for the statements tests."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory


@pytest.fixture
def other_member(db):
    return UserFactory(display_name="Olga Andere")


@pytest.fixture
def edit_data():
    """edit_data(statement, **changes) → the POST data the editor would send."""

    def make(statement, **changes):
        statement.refresh_from_db()
        data = {
            "title": statement.title,
            "occasion": statement.occasion,
            "summary": statement.summary,
            "body": statement.body,
            "language": statement.language,
            "message": "",
            "base_revision": statement.current_revision_id,
        }
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    return make
