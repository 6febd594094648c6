"""Thin Celery tasks: each calls one service. All are idempotent (rows are claimed
with SKIP LOCKED and a lease), so acks_late redelivery or a duplicate is harmless."""

from __future__ import annotations

from celery import shared_task

from notifications import services


@shared_task(name="notifications.tasks.deliver_pending")
def deliver_pending(event_key: str | None = None) -> int:
    return services.outbox_deliver(event_key=event_key)


@shared_task(name="notifications.tasks.sweep_outbox")
def sweep_outbox() -> int:
    return services.outbox_sweep()


@shared_task(name="notifications.tasks.send_daily_digests")
def send_daily_digests() -> int:
    return services.digests_build()
