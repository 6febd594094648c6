"""Thin Celery tasks: each calls one service. All are idempotent (rows are claimed
with SKIP LOCKED and a lease), so acks_late redelivery or a duplicate is harmless."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_init
from django.conf import settings

from notifications import emails, services


@worker_init.connect
def _warm_up(**_kwargs: object) -> None:
    """In a worker's main process, after the task modules are imported and before the pool
    forks: every child would otherwise build the URL resolver and compile the mail
    templates on its first task (~0.3 s CPU each, bench/notifications.py)."""
    emails.warm_up()


# On its own queue ("mail", settings.CELERY_TASK_ROUTES) served by its own worker, so a
# hanging mail server never holds the worker that closes votes and publishes papers.
# The run stops starting new mails after RTM_MAIL_RUN_SECONDS; the limits are the
# backstop (a soft limit hands the untried rows back, the hard one kills the process).
@shared_task(
    name="notifications.tasks.deliver_pending",
    soft_time_limit=settings.RTM_MAIL_TASK_SOFT_LIMIT,
    time_limit=settings.RTM_MAIL_TASK_HARD_LIMIT,
)
def deliver_pending(event_key: str | None = None) -> int:
    return services.outbox_deliver(event_key=event_key)


@shared_task(name="notifications.tasks.sweep_outbox")
def sweep_outbox() -> int:
    return services.outbox_sweep()


@shared_task(name="notifications.tasks.send_daily_digests")
def send_daily_digests() -> int:
    return services.digests_build()
