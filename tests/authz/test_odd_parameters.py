"""Odd values in every parameter of every URL: a 4xx or the page, never a 500 (issue 21).

Every route of the authorization matrix, as a visitor, a member and a coordinator, with
every query and form parameter any view reads (collected from the source, so a new one
is covered by itself) set at once to each of: a NUL character (PostgreSQL refuses it in
text), a superscript two ("²".isdigit() is True but int() refuses it), 5,000 digits
(int() refuses more than 4,300) and an Arabic-Indic digit. Path ids and slugs get the
same treatment in tests/security/test_bad_input.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.authz.test_matrix import EXTRA_POSTS, MATRIX
from tests.authz.world import World

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "core",
    "accounts",
    "statements",
    "discussion",
    "voting",
    "workflow",
    "notifications",
    "public",
)
VALUES = {"nul": "a\x00b", "superscript": "²", "digits": "9" * 5000, "arabic": "٣"}
# Parameters read by code outside the apps (allauth's forms, Django's admin is not here).
KNOWN = {"login", "password", "email", "next", "page", "p", "q", "topic", "year", "id"}


def parameters() -> list[str]:
    found = set(KNOWN)
    pattern = re.compile(
        r"(?:request\.(?:GET|POST)|query|params)(?:\.get|\.getlist|\.pop)?\(?\[?[\"']([a-z_]+)[\"']"
    )
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            found |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(found)


def targets(world: World) -> list[tuple[str, str]]:
    rows = [
        (
            row.method,
            reverse(row.name, kwargs=row.kwargs(world, "consultation" if row.per_state else None)),
        )
        for row in MATRIX
    ]
    return rows + [("POST", reverse(name)) for name in EXTRA_POSTS]


def test_the_parameter_list_is_found_in_the_source():
    names = parameters()
    assert {"q", "topic", "page", "id", "a", "b", "expected_state", "base_revision"} <= set(names)


@pytest.mark.parametrize("kind", sorted(VALUES))
@pytest.mark.parametrize("role", ["visitor", "member", "coordinator"])
def test_odd_values_in_every_parameter_never_cause_a_server_error(world: World, role, kind):
    from django.db import transaction

    value = VALUES[kind]
    params = {name: value for name in parameters()}
    client = world.client(role)
    client.raise_request_exception = False
    failures = []
    for method, url in targets(world):
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, params)
            else:
                response = client.post(url + "?" + "&".join(f"{k}=x" for k in params), params)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            failures.append(f"{method} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
