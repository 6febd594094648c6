"""Papers in voting with a chosen rule, and a crowd of members."""

from __future__ import annotations

import pytest

# The Chromium fixtures for test_browser.py (Playwright is imported only when used).
from tests.browser.conftest import axe_source, browser, check_a11y, pages  # noqa: F401
from tests.factories import UserFactory, make_statement


@pytest.fixture
def open_paper(db, coordinator, author, coauthor, member):
    """open_paper(**ballot_options) → a paper in voting; eligible: the members existing now."""
    from workflow.services import TransitionOptions, statement_transition

    def make(voting_ends_at=None, **ballot):
        statement = make_statement(author=author, coauthors=[coauthor], state="consultation")
        statement_transition(
            statement_id=statement.pk,
            name="open_vote",
            actor=coordinator,
            options=TransitionOptions(
                ballot=ballot,
                voting_ends_at=voting_ends_at,
                # Short test deadlines are below the group minimum: a coordinator's reason.
                short_deadline_reason="Test",
            ),
        )
        statement.refresh_from_db()
        return statement

    return make


@pytest.fixture
def crowd(db):
    """crowd(n) → n more members."""

    def make(n: int) -> list:
        return [UserFactory() for _ in range(n)]

    return make
