"""Redis down is not a login outage (issue 21, item 4).

With a private redis-server as the cache (core.cache.ResilientRedisCache, as in
production) that this test kills: log-in, sign-up, password reset, e-mail confirmation
requests and the public subscription answer as usual (rate limits fail open, pages go
uncached), a warning is logged, and /healthz says "degraded". Back up, caching resumes.
"""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.test import Client

from notifications.models import PublicSubscriber

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def redis_cache(private_redis, settings):
    from core import cache as resilient

    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    resilient.ResilientRedisCache._down_until = 0.0
    yield private_redis
    resilient.ResilientRedisCache._down_until = 0.0


def test_logins_sign_ups_resets_and_subscriptions_work_while_redis_is_down(
    redis_cache, member, settings, caplog, monkeypatch
):
    from core import cache as resilient

    cache.set("probe", 1)
    assert cache.get("probe") == 1  # the real Redis is the cache
    redis_cache.stop()
    settings.CELERY_BROKER_URL = "filesystem://"  # the broker is not under test here
    monkeypatch.setattr(resilient, "RETRY_AFTER_SECONDS", 0.0)  # ask Redis every time

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        client = Client()
        response = client.post(
            "/accounts/login/", {"login": member.email, "password": "rtm-test-pass-2026"}
        )
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(member.pk)

        wrong = Client().post("/accounts/login/", {"login": member.email, "password": "falsch!"})
        assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()

        signup = Client().post(
            "/accounts/signup/",
            {
                "email": "neu@example.org",
                "password1": "ein-langes-passwort-2026",
                "password2": "ein-langes-passwort-2026",
                "display_name": "Neue Person",
            },
        )
        assert signup.status_code in (200, 302)

        reset = Client().post("/accounts/password/reset/", {"email": member.email})
        assert reset.status_code == 302

        subscribe = Client().post("/subscribe/", {"email": "leser@example.org"})
        assert subscribe.status_code in (200, 302)
        assert PublicSubscriber.objects.filter(email="leser@example.org").exists()

        assert Client().get("/").status_code == 200  # the public page, uncached

        # The members' own flood limits (comments, saves) count nothing and let it through.
        from core.ratelimit import consume

        for _ in range(50):
            consume("comment", member)
    assert any("cache (Redis) unavailable" in r.getMessage() for r in caplog.records)

    settings.RTM_HEALTH_TOKEN = "t"
    health = Client(headers={"X-Health-Token": "t"}).get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded" and health.json()["cache"]["ok"] is False

    redis_cache.start()  # back on the same port: the cache works again by itself
    cache.set("probe", 2)
    assert cache.get("probe") == 2
    assert Client(headers={"X-Health-Token": "t"}).get("/healthz").json()["status"] == "ok"
