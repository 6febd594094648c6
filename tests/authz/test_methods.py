"""HTTP methods over every URL pattern of the authorization matrix (issue 13).

HEAD answers exactly like GET (monitors, link checkers and caches send it), and no
endpoint takes a multipart body: none accepts files, so such a body is refused with
415 before anything parses it.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from tests.authz.test_matrix import EXTRA_POSTS, MATRIX, Row, world  # noqa: F401
from tests.authz.world import STATES, World

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "member", "author", "coordinator")
# allauth's pages are outside the matrix; they answer GET too.
EXTRA_GETS = ["account_login", "account_signup", "account_reset_password", "set_language"]


def urls_of(row: Row, world: World) -> list[str]:
    states = STATES if row.per_state else (None,)
    return [reverse(row.name, kwargs=row.kwargs(world, state)) for state in states]


def rolled_back(client, method: str, url: str, **kwargs):  # noqa: ANN001, ANN003, ANN201
    with transaction.atomic():
        response = getattr(client, method)(url, **kwargs)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.name)
def test_head_answers_like_get(row: Row, world: World):  # noqa: F811
    wrong = []
    for url in urls_of(row, world):
        for role in ROLES:
            client = world.client(role)
            got = rolled_back(client, "get", url)
            head = rolled_back(client, "head", url)
            if head.status_code != got.status_code or head.content:
                wrong.append(f"{url} as {role}: GET {got.status_code}, HEAD {head.status_code}")
    assert not wrong, "\n".join(wrong)


def test_head_answers_like_get_on_pages_outside_the_matrix(world: World):  # noqa: F811
    client = world.client("visitor")
    for name in EXTRA_GETS:
        url = reverse(name)
        assert client.head(url).status_code == client.get(url).status_code, url
