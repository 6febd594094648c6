"""Calendar arithmetic in the group's time zone (settings.TIME_ZONE, Europe/Berlin)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone


def add_days(moment: datetime, days: int) -> datetime:
    """`days` calendar days later at the same local wall-clock time.

    A 7-day vote opened at 12:00 closes at 12:00 local time even when a daylight-saving
    change lies between (168 ± 1 hours), not at 11:00 or 13:00. Python's arithmetic on an
    aware datetime in a ZoneInfo zone is wall-clock arithmetic; the offset is the one of
    the day it lands on.
    """
    local = timezone.localtime(moment)
    return timezone.localtime(local + timedelta(days=days), timezone.get_default_timezone())
