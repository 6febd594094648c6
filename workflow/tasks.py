"""Celery tasks of the workflow: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from workflow import services


@shared_task(name="workflow.tasks.run_due_work", ignore_result=True)
def run_due_work() -> dict[str, list[int]]:
    """Beat, every minute: close votes and publish papers whose time has come."""
    result = services.run_due_work()
    return {"closed": result.closed, "published": result.published}
