"""Thin Celery tasks: call a service."""

from __future__ import annotations

from celery import shared_task

from meetings.services import (
    agenda_add_confirmations,
    meetings_send_reminders,
    minutes_approve_due,
)


@shared_task(name="meetings.tasks.send_meeting_reminders")
def send_meeting_reminders() -> int:
    # Urgent adoptions go onto the next agenda on the same beat.
    agenda_add_confirmations()
    return meetings_send_reminders()


@shared_task(name="meetings.tasks.approve_due_minutes")
def approve_due_minutes() -> int:
    return minutes_approve_due()
