"""Beat runs without a schedule file on disk (issue 21, item 7): a full or read-only disk
cannot crash-loop it, and its jobs are idempotent, so a restart loses nothing."""

from __future__ import annotations

from celery.beat import Service

from rtm_workflow.celery import app


def test_beat_keeps_its_schedule_in_memory_and_writes_no_file(tmp_path):
    # As `celery beat` and `celery worker --beat` build it: the class from beat_scheduler.
    service = Service(
        app,
        schedule_filename=str(tmp_path / "celerybeat-schedule"),
        scheduler_cls=app.conf.beat_scheduler,
    )
    scheduler = service.get_scheduler()
    try:
        assert {"workflow-due-work", "notifications-sweep", "voting-reminders"} <= set(
            scheduler.schedule
        )
        scheduler.tick()
        scheduler.sync()
    finally:
        scheduler.close()
    assert list(tmp_path.iterdir()) == []
