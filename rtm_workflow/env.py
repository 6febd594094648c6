"""Small typed readers for configuration from the environment.

Every reader fails loudly with the variable's name when a value cannot be
understood: a typo in production must stop start-up, not quietly fall back.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class ConfigError(Exception):
    """Raised for a malformed or missing environment value."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    return (environ if environ is not None else os.environ).get(name)


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None or value == "":
        if default is None:
            raise ConfigError(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(
        f"Environment variable {name}={value!r} is not a boolean (use true/false, 1/0, yes/no)."
    )


def env_int(name: str, default: int, *, environ: Mapping[str, str] | None = None) -> int:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise ConfigError(f"Environment variable {name}={value!r} is not an integer.") from None


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ConfigError(
            f"Environment variable {name}={value!r} has an empty item; use a comma-separated list."
        )
    return items


def env_url(
    name: str,
    default: str | None,
    *,
    schemes: tuple[str, ...],
    environ: Mapping[str, str] | None = None,
) -> str | None:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    value = value.strip()
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in schemes:
        raise ConfigError(
            f"Environment variable {name}={value!r} must start with one of: "
            + ", ".join(f"{s}://" for s in schemes)
        )
    return value


def load_env_file(path: os.PathLike[str] | str) -> None:
    """Read KEY=VALUE lines into os.environ where the key is not set yet.

    Only for a developer's checkout: `make` writes `.env.local` with DEBUG=true so that
    `python manage.py …` works there without exporting anything (manage.py calls this; the
    settings do not, so gunicorn and Celery never see the file). The real environment
    always wins, and production images never contain the file (.dockerignore).
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip().isidentifier():
            raise ConfigError(f"{path}:{number}: expected KEY=VALUE, got {line!r}")
        os.environ.setdefault(key.strip(), value.strip())
