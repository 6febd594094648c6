"""The production server as the web container runs it: gunicorn, DEBUG off, .env.example.

Without Docker here, this starts the same command on a free loopback port with a SQLite
database in a temporary directory, and looks at what a browser behind the TLS proxy gets.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.deploy.test_compose import ROOT, production_environment
from tests.realservices import free_port, wait_for_port

HOST = "positionen.example.org"  # the first ALLOWED_HOSTS entry of .env.example


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[int]:
    tmp = tmp_path_factory.mktemp("prod")
    env = production_environment(tmp)
    env.pop("REDIS_URL")  # no Redis needed: file cache and file broker
    env.update(DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}", EMAIL_HOST="")
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=180,
        )
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "rtm_workflow.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--forwarded-allow-ips",
            "*",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=30)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def get(port: int, path: str, *, https: bool = True) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    headers = {"Host": HOST}
    if https:
        headers["X-Forwarded-Proto"] = "https"  # what the TLS proxy adds (BEHIND_PROXY=true)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()
    return response


def test_health_check_answers_over_plain_http(server):
    response = get(server, "/healthz", https=False)
    assert response.status == 200, response.body
    assert b'"status": "ok"' in response.body


def test_plain_http_is_redirected_to_https(server):
    response = get(server, "/about/", https=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/about/"


def test_security_headers_behind_the_proxy(server):
    response = get(server, "/about/")
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains"
    )
    policy = response.getheader("Content-Security-Policy")
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("Referrer-Policy") == "same-origin"
    for cookie in response.headers.get_all("Set-Cookie") or []:
        assert "Secure" in cookie, cookie


def test_static_files_are_served_hashed_and_cached(server):
    page = get(server, "/about/").body.decode()
    path = next(part.split('"')[0] for part in page.split('href="')[1:] if "site." in part)
    assert (
        path.startswith("/static/css/site.")
        and path.endswith(".css")
        and path != "/static/css/site.css"
    )
    response = get(server, path)
    assert response.status == 200
    assert "max-age=31536000" in response.getheader("Cache-Control")


def test_friendly_404_in_production(server):
    response = get(server, "/gibt-es-nicht/")
    assert response.status == 404
    assert "Seite nicht gefunden" in response.body.decode()
    assert response.getheader("Content-Security-Policy")


def test_unknown_host_is_refused(server):
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=15)
    conn.request("GET", "/about/", headers={"Host": "evil.example", "X-Forwarded-Proto": "https"})
    assert conn.getresponse().status == 400
