"""Default deadlines add calendar days in Europe/Berlin (issue 21, item 7): a 7-day vote
opened at 12:00 closes at 12:00 local time across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.dates import add_days
from tests.factories import make_statement
from workflow import services

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("opened", "days", "closes"),
    [
        # Into summer time (29 March 2026): 167 hours, still 12:00.
        (datetime(2026, 3, 25, 12, 0, tzinfo=BERLIN), 7, datetime(2026, 4, 1, 12, 0)),
        # Into winter time (25 October 2026): 169 hours, still 12:00.
        (datetime(2026, 10, 21, 12, 0, tzinfo=BERLIN), 7, datetime(2026, 10, 28, 12, 0)),
        (datetime(2026, 10, 24, 23, 30, tzinfo=BERLIN), 1, datetime(2026, 10, 25, 23, 30)),
        (datetime(2026, 6, 1, 9, 15, tzinfo=BERLIN), 14, datetime(2026, 6, 15, 9, 15)),
    ],
)
def test_calendar_days_keep_the_local_time(opened, days, closes):
    result = add_days(opened.astimezone(UTC), days)
    local = result.astimezone(BERLIN)
    assert local.replace(tzinfo=None) == closes


@pytest.mark.django_db
def test_the_default_voting_deadline_keeps_noon_across_the_change(author, settings, monkeypatch):
    settings.RTM_VOTING_DAYS = 7
    statement = make_statement(author=author, state="consultation")
    noon = datetime(2026, 10, 21, 12, 0, tzinfo=BERLIN).astimezone(UTC)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    deadline = services.default_deadline(statement, "open_vote")
    assert deadline.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 10, 28, 12, 0)
    assert (deadline - noon).total_seconds() == 169 * 3600
