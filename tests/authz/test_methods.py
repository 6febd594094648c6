"""HTTP methods over every URL pattern of the authorization matrix (issue 13).

HEAD answers exactly like GET (monitors, link checkers and caches send it), and no
endpoint takes a multipart body: none accepts files, so such a body is refused with
415 before anything parses it.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from tests.authz.test_matrix import EXTRA_POSTS, MATRIX, Row
from tests.authz.world import STATES, World

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "member", "author", "coordinator")
# allauth's pages are outside the matrix; they answer GET too.
EXTRA_GETS = ["account_login", "account_signup", "account_reset_password", "set_language"]


def urls_of(row: Row, world: World) -> list[str]:
    states = STATES if row.per_state else (None,)
    return [reverse(row.name, kwargs=row.kwargs(world, state)) for state in states]


def rolled_back(client, method: str, url: str, **kwargs):
    with transaction.atomic():
        response = getattr(client, method)(url, **kwargs)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.name)
def test_head_answers_like_get(row: Row, world: World):
    wrong = []
    for url in urls_of(row, world):
        for role in ROLES:
            client = world.client(role)
            got = rolled_back(client, "get", url)
            head = rolled_back(client, "head", url)
            if head.status_code != got.status_code or head.content:
                wrong.append(f"{url} as {role}: GET {got.status_code}, HEAD {head.status_code}")
    assert not wrong, "\n".join(wrong)


def test_head_answers_like_get_on_pages_outside_the_matrix(world: World):
    client = world.client("visitor")
    for name in EXTRA_GETS:
        url = reverse(name)
        assert client.head(url).status_code == client.get(url).status_code, url


def post_urls(world: World) -> list[str]:
    return [
        reverse(row.name, kwargs=row.kwargs(world, "consultation" if row.per_state else None))
        for row in MATRIX
        if row.method == "POST"
    ] + [reverse(name) for name in [*EXTRA_POSTS, "admin:login"]]


@pytest.mark.parametrize("role", ["visitor", "member", "coordinator"])
def test_multipart_bodies_are_refused_before_anything_parses_them(
    world: World,
    role: str,
    monkeypatch,
):
    """Issue 13: every POST endpoint parsed multipart bodies (and spooled file parts to
    disk) although none takes files. Now 415, before CSRF or a form reads the body."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http.multipartparser import MultiPartParser
    from django.test.client import MULTIPART_CONTENT

    def must_not_parse(self, *args, **kwargs):
        raise AssertionError("a multipart body was parsed")

    monkeypatch.setattr(MultiPartParser, "parse", must_not_parse)
    from django.urls import resolve

    client = world.client(role, csrf=True)
    wrong = []
    targets = post_urls(world)
    # The one view that takes a file (a PDF to check against the adopted wording).
    takes_files = {url for url in targets if getattr(resolve(url).func, "accepts_files", False)}
    assert {resolve(url).view_name for url in takes_files} == {"public:verify"}
    for url in targets:
        if url in takes_files:
            continue
        upload = SimpleUploadedFile("x.bin", b"\0" * 100_000)
        for data in ({"x": "1"}, {"x": "1", "file": upload}):
            response = rolled_back(client, "post", url, data=data, content_type=MULTIPART_CONTENT)
            if response.status_code != 415:
                wrong.append(f"{url}: {response.status_code}")
    assert not wrong, "multipart body not refused:\n" + "\n".join(wrong)
    assert len(targets) >= 35


def test_the_refusal_is_a_readable_page(client):
    from django.test.client import MULTIPART_CONTENT

    response = client.post("/accounts/login/", {"login": "a"}, content_type=MULTIPART_CONTENT)
    assert response.status_code == 415
    assert "Hier können keine Dateien hochgeladen werden" in response.content.decode()


def test_a_view_marked_as_taking_files_still_gets_them(rf):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http import HttpResponse

    from rtm_workflow.security import RefuseMultipartMiddleware, accepts_files

    @accepts_files
    def upload(request):
        return HttpResponse(request.FILES["file"].read())

    request = rf.post("/", {"file": SimpleUploadedFile("a.txt", b"hallo")})
    middleware = RefuseMultipartMiddleware(lambda r: HttpResponse())
    assert middleware.process_view(request, upload, (), {}) is None
    assert upload(request).content == b"hallo"
    assert middleware.process_view(request, lambda r: HttpResponse(), (), {}).status_code == 415
