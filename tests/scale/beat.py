"""The scale test's beat host: the project's beat schedule with the minute-long
intervals compressed to RTM_SCALE_BEAT_SECONDS, so a run sees several ticks in seconds.
Everything else (the tasks, the scheduler, the broker) is production's."""

from __future__ import annotations

import os
import tempfile

from rtm_workflow.celery import app

SECONDS = float(os.environ.get("RTM_SCALE_BEAT_SECONDS", "3"))

if __name__ == "__main__":
    for entry in app.conf.beat_schedule.values():
        if isinstance(entry["schedule"], float):
            entry["schedule"] = SECONDS
    from celery.apps.beat import Beat

    # In the run's temporary directory, removed with it (the scheduler keeps no state).
    schedule = os.path.join(os.environ.get("RTM_VAR_DIR") or tempfile.mkdtemp(), "beat")
    Beat(app=app, loglevel="INFO", schedule=schedule, max_interval=1).run()
