"""Health probes for /healthz: each returns {"ok": bool, ...} and never raises."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

TOKEN_HEADER = "X-Health-Token"  # noqa: S105 - a header name, not a secret


def may_see_health_details(request: HttpRequest) -> bool:
    """Staff signed in, or a monitor presenting RTM_HEALTH_TOKEN (if one is set)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    token = settings.RTM_HEALTH_TOKEN
    offered = request.headers.get(TOKEN_HEADER, "")
    return bool(token) and constant_time_compare(offered, token)


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}


def check_broker() -> dict[str, Any]:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        return {"ok": True, "transport": "filesystem"}
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return {"ok": True, "transport": "redis"}
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return {"ok": False, "transport": "redis", "error": type(exc).__name__}


def check_cache() -> dict[str, Any]:
    """The cache answers. Down is "degraded", not unhealthy: core/cache.py fails open."""
    from django.core.cache import cache

    try:
        ping = getattr(cache, "ping", None)
        if ping is not None:
            ping()
        else:
            cache.get("healthz:probe")
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001 - any failure means "not answering"
        return {"ok": False, "error": type(exc).__name__}
