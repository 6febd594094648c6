"""Beat polls the mailbox when one is configured (rtm_workflow/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from inbound.imap import poll


@shared_task(name="inbound.tasks.poll_imap")
def poll_imap() -> int:
    return poll() if settings.RTM_IMAP_HOST else 0
