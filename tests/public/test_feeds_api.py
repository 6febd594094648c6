"""Atom feed, JSON API, sitemap: valid formats, documented shape, validators, CORS."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
from django.test import Client

from public.services import cosignature_add
from tests.factories import confirmed_organisation, make_statement
from tests.public.conftest import publish, walk

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


@pytest.fixture
def two(published, coordinator, org_member, topic):
    cosignature_add(
        statement=published, organisation=confirmed_organisation(org_member), actor=org_member
    )
    other = make_statement(author=published.created_by, state="draft", title="Widerrufen wurde")
    publish(other, coordinator=coordinator)
    walk(other, ["retract"], coordinator=coordinator)
    return published, other


def test_feed_is_valid_atom_with_full_content(two, client):
    published, retracted = two
    response = client.get("/statements/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title
    assert len(feed.entries) == 2
    by_link = {entry.link: entry for entry in feed.entries}
    entry = by_link[f"http://127.0.0.1:8000/statements/{published.slug}/"]
    assert entry.title == published.title
    assert "Wir fordern Bargeld." in entry.content[0].value
    assert entry.content[0].type == "text/html"
    assert "Netzwerk Asyl Borna" in entry.content[0].value
    assert entry.summary == published.summary
    assert [t.term for t in entry.tags] == ["Bezahlkarte"]
    gone = by_link[f"http://127.0.0.1:8000/statements/{retracted.slug}/"]
    assert gone.title.startswith("Widerrufen:")
    assert "Begründung" in gone.content[0].value


def test_topic_feed_lists_only_that_topic(two, topic, client):
    feed = feedparser.parse(client.get(f"/statements/feed/{topic.slug}/").content)
    assert feed.bozo == 0
    assert [e.title for e in feed.entries] == [two[0].title]
    assert client.get("/statements/feed/kein-thema/").status_code == 404


def test_feed_escapes_summary_markup(coordinator, client):
    statement = make_statement(state="draft", summary="<script>alert(1)</script> & mehr")
    publish(statement, coordinator=coordinator)
    feed = feedparser.parse(client.get("/statements/feed/").content)
    assert feed.bozo == 0
    assert "<script>" not in feed.entries[0].summary


def documented_fields(section: str) -> set[str]:
    """The field names listed in a `<!-- fields:NAME -->` table of docs/api.md."""
    text = DOC.read_text()
    block = text.split(f"<!-- fields:{section} -->", 1)[1].split("<!-- /fields -->", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", block, flags=re.MULTILINE))


def test_api_list_matches_documented_shape(two, client):
    response = client.get("/api/statements/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    data = response.json()
    assert set(data) == documented_fields("list")
    assert data["count"] == 2 and data["next"] is None and data["previous"] is None
    for item in data["results"]:
        assert set(item) == documented_fields("statement")
        for topic in item["topics"]:
            assert set(topic) == documented_fields("topic")
        for cosigner in item["cosigners"]:
            assert set(cosigner) == documented_fields("cosigner")
    published = next(i for i in data["results"] if not i["retracted"])
    assert published["topics"] == [
        {"slug": "bezahlkarte", "name": "Bezahlkarte", "name_en": "Payment card"}
    ]
    assert published["cosigners"] == [{"name": "Netzwerk Asyl Borna e. V.", "website": None}]
    assert "Wir fordern Bargeld." in published["body_html"]
    assert published["retracted_at"] is None and published["retraction_reason"] is None
    retracted = next(i for i in data["results"] if i["retracted"])
    assert retracted["retraction_reason"] == "Begründung" and retracted["retracted_at"]


def test_api_detail_and_404(two, client):
    published, _ = two
    data = client.get(f"/api/statements/{published.slug}/").json()
    assert set(data) == documented_fields("statement")
    assert data["url"] == f"http://127.0.0.1:8000/statements/{published.slug}/"
    missing = client.get("/api/statements/gibt-es-nicht/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}


def test_api_pagination(coordinator, client, monkeypatch):
    monkeypatch.setattr("public.api.API_PAGE_SIZE", 2)
    for n in range(5):
        publish(make_statement(state="draft", title=f"Position {n}"), coordinator=coordinator)
    first = client.get("/api/statements/").json()
    assert first["count"] == 5 and len(first["results"]) == 2
    assert first["next"] == "http://127.0.0.1:8000/api/statements/?page=2"
    assert first["previous"] is None
    last = client.get("/api/statements/?page=3").json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert last["previous"] == "http://127.0.0.1:8000/api/statements/?page=2"
    second = client.get("/api/statements/?page=2").json()
    assert second["previous"] == "http://127.0.0.1:8000/api/statements/"
    titles = [r["title"] for page in (first, second, last) for r in page["results"]]
    assert titles == [f"Position {n}" for n in (4, 3, 2, 1, 0)]
    assert client.get("/api/statements/?page=9").status_code == 404
    assert client.get("/api/statements/?page=x").status_code == 400


def test_api_is_read_only_and_answers_preflight(published, client):
    assert client.post("/api/statements/", {}).status_code == 405
    assert client.delete(f"/api/statements/{published.slug}/").status_code == 405
    preflight = client.options(
        "/api/statements/",
        HTTP_ORIGIN="https://rtm.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_api_sets_no_cookies(published):
    client = Client()
    response = client.get("/api/statements/")
    assert not response.cookies


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/statements/",
        "/statements/{slug}/",
        "/statements/feed/",
        "/api/statements/",
        "/api/statements/{slug}/",
        "/sitemap.xml",
        "/sitemap-statements.xml",
    ],
)
def test_conditional_get_gives_304(published, url):
    url = url.format(slug=published.slug)
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_validators_change_when_the_public_changes(published, coordinator):
    client = Client()
    etag = client.get("/api/statements/")["ETag"]
    walk(published, ["retract"], coordinator=coordinator)
    response = client.get("/api/statements/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["results"][0]["retracted"] is True


def test_sitemap_lists_public_statements_and_pages(two, client):
    published, retracted = two
    draft = make_statement(state="draft", title="Geheimer Entwurf")
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index
    assert "<loc>http://127.0.0.1:8000/sitemap-statements.xml</loc>" in index
    assert "<loc>http://127.0.0.1:8000/sitemap-pages.xml</loc>" in index
    text = client.get("/sitemap-statements.xml").content.decode()
    text += client.get("/sitemap-pages.xml").content.decode()
    assert f"<loc>http://127.0.0.1:8000/statements/{published.slug}/</loc>" in text
    assert f"/statements/{retracted.slug}/</loc>" in text
    assert draft.slug not in text
    for path in ("/", "/statements/", "/about/", "/privacy/", "/imprint/"):
        assert f"<loc>http://127.0.0.1:8000{path}</loc>" in text


def test_api_json_is_utf8(published, client):
    raw = client.get(f"/api/statements/{published.slug}/").content
    assert "Geflüchtete".encode() in raw
    assert json.loads(raw)["title"] == published.title
