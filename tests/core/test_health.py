from __future__ import annotations

import socket

import pytest

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends


@pytest.fixture
def monitor(settings):
    """A monitoring client presenting the configured health token."""
    from django.test import Client

    settings.RTM_HEALTH_TOKEN = "monitor-secret-1"
    return Client(headers={"X-Health-Token": "monitor-secret-1"})


def test_healthz_ok_with_local_broker(monitor, settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    response = monitor.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["broker"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_degraded_when_broker_unreachable(monitor, settings):
    """The site still serves without Redis (issue 21): "degraded", not a dead container."""
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = monitor.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "degraded"
    assert data["broker"]["ok"] is False
    assert data["database"]["ok"] is True


def test_healthz_503_when_database_fails(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "filesystem://"
    import core.views

    monkeypatch.setattr(core.views, "check_database", lambda: {"ok": False, "error": "X"})
    assert client.get("/healthz").status_code == 503


def test_healthz_only_get(client):
    assert client.post("/healthz").status_code == 405


def test_anonymous_callers_learn_only_ok_or_not(client, settings):
    """Issue 13: a stranger probing /healthz saw the database vendor, the broker transport
    and the type of each error. Now: the status and the HTTP code, nothing else."""
    settings.RTM_HEALTH_TOKEN = "monitor-secret-1"
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    for headers in ({}, {"X-Health-Token": "guessed"}, {"X-Health-Token": ""}):
        response = client.get("/healthz", headers=headers)
        assert response.status_code == 200
        assert response.json() == {"status": "degraded"}
    settings.CELERY_BROKER_URL = "filesystem://"
    assert client.get("/healthz").json() == {"status": "ok"}


def test_no_token_configured_means_no_token_is_accepted(client, settings):
    settings.RTM_HEALTH_TOKEN = ""
    settings.CELERY_BROKER_URL = "filesystem://"
    assert client.get("/healthz", headers={"X-Health-Token": ""}).json() == {"status": "ok"}


def test_staff_see_the_details(client, settings):
    from tests.factories import UserFactory

    settings.CELERY_BROKER_URL = "filesystem://"
    client.force_login(UserFactory(is_staff=True))
    data = client.get("/healthz").json()
    assert data["database"]["ok"] is True and data["broker"]["transport"] == "filesystem"
    client.force_login(UserFactory(is_coordinator=True))
    assert client.get("/healthz").json() == {"status": "ok"}


def test_head_gives_the_status_without_a_body(client, settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    response = client.head("/healthz")
    assert response.status_code == 200 and response.content == b""
