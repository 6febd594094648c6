import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rtm_workflow.settings")

app = Celery("rtm_workflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job is idempotent and safe to run twice at once (each claims its
# rows with a lock), so a duplicated beat or a retry does no harm.
app.conf.beat_schedule = {
    "workflow-due-work": {"task": "workflow.tasks.run_due_work", "schedule": 60.0},
    "voting-reminders": {"task": "voting.tasks.send_vote_reminders", "schedule": 300.0},
    "meetings-reminders": {"task": "meetings.tasks.send_meeting_reminders", "schedule": 600.0},
    "meetings-minutes": {"task": "meetings.tasks.approve_due_minutes", "schedule": 600.0},
    "maillist-funding-reminders": {
        "task": "maillist.tasks.send_funding_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "notifications-sweep": {"task": "notifications.tasks.sweep_outbox", "schedule": 60.0},
    "notifications-digest": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
}

# Replies by e-mail from a polled mailbox (inbound/), only when one is configured. Read
# from the environment like settings.RTM_IMAP_*: this module loads before the settings.
if os.environ.get("RTM_IMAP_HOST"):
    app.conf.beat_schedule["inbound-poll-imap"] = {
        "task": "inbound.tasks.poll_imap",
        "schedule": float(os.environ.get("RTM_IMAP_POLL_SECONDS") or 60),
    }
