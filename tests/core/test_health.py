from __future__ import annotations

import socket

import pytest

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends


def test_healthz_ok_with_local_broker(client, settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["broker"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_503_when_broker_unreachable(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "unhealthy"
    assert data["broker"]["ok"] is False
    assert data["database"]["ok"] is True


def test_healthz_503_when_database_fails(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "filesystem://"
    import core.views

    monkeypatch.setattr(core.views, "check_database", lambda: {"ok": False, "error": "X"})
    assert client.get("/healthz").status_code == 503


def test_healthz_only_get(client):
    assert client.post("/healthz").status_code == 405
