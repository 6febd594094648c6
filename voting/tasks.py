"""Thin Celery tasks: call a service."""

from __future__ import annotations

from celery import shared_task

from voting.services import ballots_send_reminders


@shared_task(name="voting.tasks.send_vote_reminders")
def send_vote_reminders() -> int:
    return ballots_send_reminders()
