"""Approved companion versions (issue 19) reach the machine-readable channels: the API
lists them with their hreflang, each Atom entry links them as alternates, and the sitemap
has a section of them, each naming itself and its original. An unapproved version shows
in none of them."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from statements import companions
from tests.public.test_feeds_api import documented_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents_dir(settings, tmp_path):
    settings.RTM_DOCUMENTS_DIR = tmp_path / "documents"


@pytest.fixture
def versions(published, member, coordinator):
    arabic = companions.companion_save(
        statement=published,
        actor=member,
        kind="translation",
        language_code="ar",
        title="موقف بشأن بطاقة الدفع",
        body="نطالب بدورات لغة مجانية للجميع.",
    )
    companions.companion_approve(companion_id=arabic.pk, actor=coordinator)
    plain = companions.companion_save(
        statement=published,
        actor=member,
        kind="plain",
        language_code="",
        title="Bezahl-Karte",
        body="Der Runde Tisch will Bargeld.",
    )
    companions.companion_approve(companion_id=plain.pk, actor=coordinator)
    unreviewed = companions.companion_save(
        statement=published,
        actor=member,
        kind="translation",
        language_code="uk",
        title="Ще не перевірено",
        body="Текст.",
    )
    return published, unreviewed


def test_the_api_lists_approved_versions_with_hreflang(versions, settings):
    published, _unreviewed = versions
    client = Client()
    detail = json.loads(client.get(f"/api/statements/{published.slug}/").content)
    listed = json.loads(client.get("/api/statements/").content)["results"]
    [entry] = [e for e in listed if e["slug"] == published.slug]
    for data in (detail["companions"], entry["companions"]):
        assert {(c["hreflang"], c["url"]) for c in data} == {
            ("ar", f"{settings.SITE_URL}/statements/{published.slug}/fassung/ar/"),
            ("de-x-einfach", f"{settings.SITE_URL}/statements/{published.slug}/fassung/einfach/"),
        }
        assert all(c["reviewed_at"] for c in data)
        assert all(set(c) == documented_fields("companion") for c in data)


def test_feed_entries_link_their_versions(versions, settings):
    published, _unreviewed = versions
    feed = Client().get("/statements/feed/").content.decode()
    base = f"{settings.SITE_URL}/statements/{published.slug}/fassung"
    # Atom: <link rel="alternate" hreflang="ar" href="…/fassung/ar/"> (attribute order free).
    links = re.findall(r"<link [^>]*>", feed)
    assert any('hreflang="ar"' in link and f'href="{base}/ar/"' in link for link in links)
    assert 'hreflang="de-x-einfach"' in feed
    assert "/fassung/uk/" not in feed


def test_the_sitemap_has_a_section_of_versions(versions, settings):
    published, _unreviewed = versions
    client = Client()
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-companions.xml" in index
    section = client.get("/sitemap-companions.xml").content.decode()
    arabic = f"{settings.SITE_URL}/statements/{published.slug}/fassung/ar/"
    original = f"{settings.SITE_URL}/statements/{published.slug}/"
    assert f"<loc>{arabic}</loc>" in section
    assert f'<xhtml:link rel="alternate" hreflang="ar" href="{arabic}"/>' in section
    assert f'<xhtml:link rel="alternate" hreflang="de" href="{original}"/>' in section
    assert "/fassung/einfach/" in section
    assert "/fassung/uk/" not in section


def test_nothing_of_an_unapproved_version_leaks(published, member):
    companions.companion_save(
        statement=published,
        actor=member,
        kind="translation",
        language_code="uk",
        title="Ще не перевірено",
        body="Текст.",
    )
    client = Client()
    for path in (
        "/api/statements/",
        f"/api/statements/{published.slug}/",
        "/statements/feed/",
        "/sitemap-companions.xml",
    ):
        body = client.get(path).content.decode()
        assert "fassung/uk" not in body and "Ще не перевірено" not in body, path
