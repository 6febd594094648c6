"""Security headers, CSP, body size limits and error pages, as a browser or attacker sees them."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_csp_forbids_inline_script_framing_and_foreign_forms(client):
    response = client.get("/about/")
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["style-src"] == "'self'"


def test_framing_and_sniffing_headers(client):
    response = client.get("/about/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_carry_no_inline_script(client):
    body = client.get("/about/").content.decode()
    assert "<script>" not in body
    for tag in body.split("<script")[1:]:
        assert "src=" in tag.split(">", 1)[0], "every script must come from a file"
    assert "includeIndicatorStyles" in body  # htmx told not to inject inline styles


@pytest.mark.parametrize("secure", [True])
def test_hsts_and_secure_cookies_when_debug_is_off(settings, secure):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    response = client.get("/about/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    response = client.get("/about/", secure=secure)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_healthz_is_exempt_from_the_https_redirect(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code in (200, 503)


def test_oversized_form_post_gets_413_without_reading_it(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = urlencode({"login": "x@example.org", "password": "p" * 5000})
    response = client.post(
        "/accounts/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "zu groß" in response.content.decode()


def test_oversized_multipart_fields_are_refused_unparsed_not_500(client, settings):
    from django.test.client import MULTIPART_CONTENT

    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.raise_request_exception = False
    data = {"login": "x@example.org", "password": "p" * 5000}
    response = client.post("/accounts/login/", data, content_type=MULTIPART_CONTENT)
    assert response.status_code == 415  # no view takes multipart (tests/authz/test_methods.py)


def test_oversized_upload_gets_413(client, settings):
    settings.RTM_MAX_UPLOAD_BYTES = 2000
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.txt", b"x" * 5000)
    response = client.post("/accounts/login/", {"file": upload})
    assert response.status_code == 413


def test_malformed_content_length_is_400(client):
    response = client.generic("POST", "/accounts/login/", b"a=b", CONTENT_LENGTH="abc")
    assert response.status_code == 400


def test_too_many_fields_is_400_not_500(client, settings):
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.raise_request_exception = False
    response = client.post("/accounts/login/", {f"f{i}": "x" for i in range(50)})
    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()


def test_unknown_page_is_a_friendly_404(client, settings):
    settings.DEBUG = False
    response = client.get("/this/does/not/exist/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Seite nicht gefunden" in body
    assert 'id="main"' in body


def test_csrf_failure_page(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Formular abgelaufen" in response.content.decode()


def test_500_page_renders_without_database_or_request():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Etwas ist schiefgelaufen" in html
    assert "/static/css/site.css" in html


def test_server_error_is_the_friendly_page(settings):
    settings.DEBUG = False
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Etwas ist schiefgelaufen" in response.content.decode()
