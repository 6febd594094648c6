import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rtm_workflow.settings")

app = Celery("rtm_workflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
