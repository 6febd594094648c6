"""Configuration: production checks, migrations, and loud failures on bad values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rtm_workflow.env import ConfigError, env_bool, env_int, env_list, env_url

ROOT = Path(__file__).resolve().parents[2]


def _env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    base.update(RTM_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="rtm_workflow.settings")
    base.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_example(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _env_example(), tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_missing_migrations(tmp_path):
    result = _run(
        ["manage.py", "makemigrations", "--check", "--dry-run"], {"DEBUG": "true"}, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://x"),
        ("ALLOWED_HOSTS", "a,,b"),
        ("RTM_VOTING_DAYS", "seven"),
        ("REDIS_URL", "http://redis"),
    ],
)
def test_malformed_setting_stops_startup_naming_the_variable(tmp_path, name, value):
    env = {"DEBUG": "true", name: value}
    result = _run(["-c", "import django; django.setup()"], env, tmp_path)
    assert result.returncode != 0
    assert "ConfigError" in result.stderr
    assert name in result.stderr


def test_missing_secret_key_in_production_is_refused(tmp_path):
    result = _run(["-c", "import django; django.setup()"], {"DEBUG": "false"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_env_readers():
    assert env_bool("X", False, environ={"X": "yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True
    with pytest.raises(ConfigError, match="X"):
        env_bool("X", False, environ={"X": "vielleicht"})
    assert env_int("N", 3, environ={"N": " 7 "}) == 7
    with pytest.raises(ConfigError, match="N"):
        env_int("N", 3, environ={"N": "7.5"})
    assert env_list("L", [], environ={"L": "a, b"}) == ["a", "b"]
    assert env_url("U", None, schemes=("redis",), environ={"U": "redis://x"}) == "redis://x"
    with pytest.raises(ConfigError, match="U"):
        env_url("U", None, schemes=("redis",), environ={"U": "x"})


def test_local_broker_publishes_without_a_hostname_warning(tmp_path):
    """`make run` (seed_demo, the web process) must not print kombu warnings."""
    code = (
        "import django; django.setup()\n"
        "from rtm_workflow.celery import app\n"
        "with app.connection_for_write() as connection:\n"
        "    connection.info()\n"
        "print('ok')\n"
    )
    result = _run(["-c", code], {"DEBUG": "true"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No hostname was supplied" not in result.stdout + result.stderr


@pytest.fixture
def checkout_env_local():
    """A developer's checkout: `make` has written .env.local with DEBUG=true."""
    path = ROOT / ".env.local"
    created = not path.exists()
    if created:
        path.write_text("# Local development only (never in production images).\nDEBUG=true\n")
    assert "DEBUG=true" in path.read_text()
    yield path
    if created:
        path.unlink()


def test_server_started_from_a_checkout_does_not_run_in_debug(tmp_path, checkout_env_local):
    """Issue 13: gunicorn from a checkout used to read .env.local and silently run with
    DEBUG on and the development key. Without DEBUG in its environment it now refuses."""
    result = _run(["-c", "import rtm_workflow.wsgi"], {}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    code = "from django.conf import settings; import django; django.setup(); print(settings.DEBUG)"
    result = _run(["-c", code], {"SECRET_KEY": "x" * 50}, tmp_path)
    assert result.stdout.strip() == "False", result.stderr


def test_manage_py_in_a_checkout_still_reads_env_local(tmp_path, checkout_env_local):
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = _run(["manage.py", "shell", "-c", code], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


@pytest.mark.parametrize("debug", [None, "false", "0"])
def test_development_key_is_refused_unless_debug_is_explicitly_true(tmp_path, debug):
    from rtm_workflow.settings import _DEV_SECRET

    env = {"SECRET_KEY": _DEV_SECRET}
    if debug is not None:
        env["DEBUG"] = debug
    result = _run(["-c", "import django; django.setup()"], env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a private value" in result.stderr
