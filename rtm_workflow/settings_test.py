"""Test settings: the environment's settings with fast hashing and in-memory mail.

DATABASE_URL and REDIS_URL still come from the environment, so `.ci/run` runs the
same suite against PostgreSQL and Redis.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from rtm_workflow.settings import *  # noqa: F403
from rtm_workflow.settings import DATABASES, RTM_RATE_LIMITS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Every test client searches from 127.0.0.1: tests of the search limit set their own rate.
RTM_RATE_LIMITS = {**RTM_RATE_LIMITS, "search": "10000/m", "verify": "10000/m"}
# Press documents go to a fresh folder per test run, never into var/.
RTM_DOCUMENTS_DIR = Path(tempfile.mkdtemp(prefix="rtm-test-documents-"))
# Tasks run inline unless a test starts a real worker (tests/realservices.py does).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
