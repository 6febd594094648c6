"""The production set-up, checked without a Docker engine: compose file, Dockerfile, .env.example.

No Docker runs on this machine, so these tests read the files as data and assert what
`docker compose up` relies on: the five services, their commands, health checks, restart
policies and volumes, and that every variable they use is documented in .env.example.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS = ROOT / "rtm_workflow" / "settings.py"

APP_SERVICES = ("web", "worker", "mailer", "beat")

# Read by the settings but set by the image or the compose file, not by the operator.
SET_BY_IMAGE_OR_COMPOSE = {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "RTM_VAR_DIR"}
# Read by the settings, deliberately left out of .env.example (defaults are right).
NOT_FOR_OPERATORS = {"CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"}


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f".env.example line without '=': {line!r}"
        values[key.strip()] = value.strip()
    return values


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_services_present(compose):
    assert set(compose["services"]) >= {"web", "worker", "mailer", "beat", "db", "redis"}


def test_app_services_share_image_env_file_and_media(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["build"] == "."
        assert service["env_file"] == ".env"
        env = service["environment"]
        assert "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert "media:/data/media" in service["volumes"]
        for dependency in ("db", "redis"):
            assert service["depends_on"][dependency]["condition"] == "service_healthy"


def test_commands(compose):
    services = compose["services"]
    web = command_text(services["web"])
    assert "migrate --noinput" in web
    assert "gunicorn rtm_workflow.wsgi:application" in web
    assert "0.0.0.0:8000" in web
    assert re.search(r"celery -A rtm_workflow worker\b", command_text(services["worker"]))
    # Mail has a queue and a worker of its own: a hanging mail server never holds the
    # worker that closes votes and publishes papers (issue 21).
    assert re.search(r"-Q celery\b", command_text(services["worker"]))
    assert re.search(r"celery -A rtm_workflow worker\b", command_text(services["mailer"]))
    assert re.search(r"-Q mail\b", command_text(services["mailer"]))
    assert re.search(r"celery -A rtm_workflow beat\b", command_text(services["beat"]))
    assert "--appendonly yes" in command_text(services["redis"]), "Redis must persist (AOF)"


def test_redis_memory_is_bounded_without_evicting_the_task_queues(compose):
    """Cached pages cannot grow Redis without limit (issue 13): maxmemory with LRU eviction,
    restricted to keys with an expiry, because Celery's queues live in the same Redis."""
    redis = command_text(compose["services"]["redis"])
    assert re.search(r"--maxmemory \d+[kmg]b\b", redis)
    assert "--maxmemory-policy volatile-lru" in redis


@pytest.mark.parametrize("name", ["web", "worker", "mailer", "beat", "db", "redis"])
def test_health_checks_and_restart_policies(compose, name):
    service = compose["services"][name]
    assert service["restart"] in {"always", "unless-stopped"}
    check = service["healthcheck"]
    assert check["test"][0] in {"CMD", "CMD-SHELL"}
    for key in ("interval", "timeout", "retries"):
        assert key in check


def test_web_health_check_uses_healthz(compose):
    assert "/healthz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])


def test_data_lives_in_named_volumes(compose):
    services = compose["services"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "redisdata:/data" in services["redis"]["volumes"]
    assert set(compose["volumes"]) >= {"pgdata", "redisdata", "media"}


def referenced_variables(text: str) -> set[str]:
    # ${NAME}, ${NAME:-default}, ${NAME:?message}; $$NAME is escaped (container-side).
    text = text.replace("$$", "")
    return set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", text)) | set(
        re.findall(r"\$([A-Z_][A-Z0-9_]*)", text)
    )


def test_every_compose_variable_is_documented():
    documented = set(env_example())
    missing = referenced_variables(COMPOSE.read_text()) - documented
    assert not missing, f"docker-compose.yml uses variables not in .env.example: {missing}"


def test_every_setting_from_the_environment_is_documented():
    read = set(
        re.findall(r'env_(?:str|bool|int|list|url)\(\s*"([A-Z_][A-Z0-9_]*)"', SETTINGS.read_text())
    )
    missing = read - set(env_example()) - SET_BY_IMAGE_OR_COMPOSE - NOT_FOR_OPERATORS
    assert not missing, f"settings read variables not documented in .env.example: {missing}"


def test_env_example_has_no_unknown_variables():
    used = set(re.findall(r'"([A-Z_][A-Z0-9_]*)"', SETTINGS.read_text())) | referenced_variables(
        COMPOSE.read_text()
    )
    unknown = set(env_example()) - used
    assert not unknown, f".env.example documents variables nothing reads: {unknown}"


def test_dockerfile():
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.11-slim", text, re.M)
    assert "pip install ." in text
    assert "PYTHONPATH=/app" in text  # celery -A rtm_workflow and gunicorn import from /app
    assert "collectstatic --noinput" in text
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in {"root", "0"}, "the app must not run as root"
    assert "gunicorn" in text
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def production_environment(tmp_path: Path) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    env.update(env_example())
    env.update(
        DJANGO_SETTINGS_MODULE="rtm_workflow.settings",
        DATABASE_URL="postgres://rtm:secret@db:5432/rtm",
        REDIS_URL="redis://redis:6379/0",
        RTM_VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    return env


def test_check_deploy_passes_with_env_example_values(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_are_hardened(tmp_path):
    probe = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.RTM_MFA_REQUIRED,"
        " s.ACCOUNT_REAUTHENTICATION_REQUIRED, s.SECURE_REFERRER_POLICY)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "True",
        "True",
        "same-origin",
    ]


def test_collectstatic_as_in_the_image_build(tmp_path):
    """The image runs collectstatic with DEBUG off: the manifest storage must find every
    file a stylesheet refers to, or `docker compose build` fails."""
    env = production_environment(tmp_path)
    env.update(SECRET_KEY="build-only-not-a-secret", DEBUG="false", ALLOWED_HOSTS="localhost")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    manifest = tmp_path / "var" / "static" / "staticfiles.json"
    assert manifest.exists()
    assert "js/htmx.min.js" in manifest.read_text()
