"""Malformed ids and slugs in every URL pattern: 404 (or a clear 4xx), never a 500."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"  # beyond any 64-bit integer column
WEIRD = ["..", "a" * 300, "%00", "ümlaut"]


def routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            found += routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if "<" in route and not route.startswith(("admin/", "^", "accounts/^")):
                found.append(route)
    return found


def fill(route: str, int_value: str, str_value: str) -> str:
    route = re.sub(r"<int:[^>]+>", int_value, route)
    route = re.sub(r"<(?:slug|str|path):[^>]+>", str_value, route)
    return "/" + route


@pytest.fixture
def clients(client_for, member, coordinator):
    anonymous = client_for(None)
    signed_in = [client_for(member), client_for(coordinator)]
    for c in [anonymous, *signed_in]:
        c.raise_request_exception = False
    return [anonymous, *signed_in]


def test_huge_ids_never_cause_a_server_error(clients):
    failures = []
    for route in routes():
        url = fill(route, HUGE, "kein-solches-papier")
        for client in clients:
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if status >= 500:
                    failures.append(f"{method.upper()} {url}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("value", WEIRD)
def test_malformed_slugs_and_tokens_never_cause_a_server_error(clients, value):
    failures = []
    for route in routes():
        url = fill(route, "1", value)
        for client in clients:
            status = client.get(url).status_code
            if status >= 500:
                failures.append(f"GET {url}: {status}")
    assert not failures, "\n".join(failures)


def test_unknown_statement_is_404_for_everyone(clients):
    for client in clients:
        assert client.get("/statements/gibt-es-nicht/").status_code == 404
        assert client.get("/api/statements/gibt-es-nicht/").status_code == 404
