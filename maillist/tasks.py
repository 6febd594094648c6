"""Thin Celery tasks of the e-mail list (beat: rtm_workflow/celery.py)."""

from __future__ import annotations

from celery import shared_task

from maillist import services


@shared_task(name="maillist.tasks.send_funding_reminders")
def send_funding_reminders() -> int:
    return services.funding_reminders_send()
