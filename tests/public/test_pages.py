"""What the public reading pages show: home, list with filters and search, statement page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from statements.models import Statement, Topic
from tests.factories import make_statement
from tests.public.conftest import client_in, publish, walk


def test_home_introduces_the_rtm_and_lists_latest(published):
    page = Client().get("/").content.decode()
    assert "Runder Tisch Migration Landkreis Leipzig" in page
    assert "25. Juni 2012" in page
    assert published.title in page
    assert "mailto:rundertischmigrationlkl@gmx.de" in page
    assert "/accounts/login/" in page
    assert "/subscribe/" in page
    assert "Nächstes Treffen" in page


def test_home_in_english(published):
    page = client_in("en").get("/").content.decode()
    assert "is an independent body" in page
    assert "Latest positions" in page


def make_public(title: str, days_ago: int, topic: Topic | None = None) -> Statement:
    statement = make_statement(state="draft", title=title)
    Statement.objects.filter(pk=statement.pk).update(
        state="published", published_at=timezone.now() - timedelta(days=days_ago)
    )
    if topic:
        statement.topics.add(topic)
    statement.refresh_from_db()
    return statement


def test_list_newest_first_with_topic_and_year_filters(db, topic):
    make_public("Alt", 800, topic)
    make_public("Mittel", 30)
    make_public("Neu", 1, topic)
    client = Client()
    page = client.get("/statements/").content.decode()
    assert page.index("Neu") < page.index("Mittel") < page.index("Alt")
    filtered = client.get(f"/statements/?topic={topic.slug}").content.decode()
    assert "Neu" in filtered and "Alt" in filtered and "Mittel" not in filtered
    year = (timezone.now() - timedelta(days=800)).year
    by_year = client.get(f"/statements/?year={year}").content.decode()
    assert "Alt" in by_year and ">Neu<" not in by_year


def test_list_paginates(db):
    for n in range(12):
        make_public(f"Position Nummer {n:02d}", n + 1)
    client = Client()
    first = client.get("/statements/").content.decode()
    assert "Position Nummer 00" in first and "Position Nummer 11" not in first
    oldest_shown = Statement.objects.get(title="Position Nummer 09")
    assert f'rel="next" href="?older={oldest_shown.pk}"' in first
    second = client.get(f"/statements/?older={oldest_shown.pk}").content.decode()
    assert "Position Nummer 11" in second and "Position Nummer 09" not in second
    assert "Position Nummer 11" in client.get("/statements/?page=2").content.decode()
    # Nonsense page numbers land on a real page instead of an error.
    assert client.get("/statements/?page=999").status_code == 200
    assert client.get("/statements/?page=abc").status_code == 200


@pytest.mark.parametrize("query", ["year=zwei", "year=1700", "topic=<script>", "q=" + "x" * 500])
def test_bad_filters_show_errors_not_500(db, query):
    response = Client().get(f"/statements/?{query}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_retracted_statement_is_marked_in_list_and_page(published, coordinator):
    walk(published, ["retract"], coordinator=coordinator)
    client = Client()
    assert "widerrufen" in client.get("/statements/").content.decode()
    page = client.get(f"/statements/{published.slug}/").content.decode()
    assert "notice-retracted" in page and "Begründung" in page


def test_statement_page_meta(published):
    page = Client().get(f"/statements/{published.slug}/").content.decode()
    canonical = f"http://127.0.0.1:8000/statements/{published.slug}/"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert f'<meta property="og:title" content="{published.title}">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert '<html lang="de" dir="ltr">' in page
    assert published.occasion in page and published.summary in page
    assert "Wir fordern Bargeld." in page
    assert "Bezahlkarte</a>" in page  # topic link
    assert 'href="/static/css/print.css" media="print"' in page


def test_the_page_speaks_the_readers_language_the_text_its_own(coordinator):
    from statements.services import statement_create
    from tests.factories import TextFields

    statement = statement_create(
        author=coordinator,
        text=TextFields(title="In English", occasion="", summary="Summary", body="Body text."),
        language="en",
    )
    publish(statement, coordinator=coordinator)
    page = Client().get(f"/statements/{statement.slug}/").content.decode()
    assert '<html lang="de" dir="ltr">' in page  # the navigation and labels are German
    assert '<h1 id="statement-title" lang="en" dir="ltr">In English</h1>' in page
    assert '<p class="summary" lang="en" dir="ltr">Summary</p>' in page
    assert '<div class="prose" lang="en" dir="ltr">' in page
    assert 'content="en_GB"' in page
    listing = Client().get("/statements/").content.decode()
    assert 'class="statement-title" lang="en"' in listing
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/statements/{statement.slug}/")
    assert '<html lang="en" dir="ltr">' in english.content.decode()


def test_previous_and_next(db):
    old, middle, new = make_public("Alt", 3), make_public("Mitte", 2), make_public("Neu", 1)
    page = Client().get(f"/statements/{middle.slug}/").content.decode()
    assert f'rel="next" href="/statements/{old.slug}/"' in page
    assert f'rel="prev" href="/statements/{new.slug}/"' in page


def test_search_fallback_marks_hits_and_escapes(coordinator):
    statement = make_statement(
        state="draft",
        title="Sprachkurse",
        body="Wir fordern mehr <b>Sprachkurse</b> und <script>alert(1)</script> Kitaplätze.",
    )
    publish(statement, coordinator=coordinator)
    page = Client().get("/statements/?q=Sprachkurse").content.decode()
    main = page.split("<main", 1)[1]
    assert "<mark>Sprachkurse</mark>" in main
    assert "<script>alert" not in main and "<b>" not in main
    assert "1 Position" in main
    none = Client().get("/statements/?q=Gibtesnicht").content.decode()
    assert "Keine Positionen gefunden." in none


def test_print_stylesheet_hides_navigation_and_prints_link_targets():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "print.css").read_text()
    assert ".site-header" in css and "nav" in css
    assert 'content: " (" attr(href) ")"' in css


def test_statement_page_and_list_in_english(published, topic):
    client = client_in("en")
    page = client.get(f"/statements/{published.slug}/").content.decode()
    assert "Published on" in page and "Payment card" in page
    listing = client.get(f"/statements/?topic={topic.slug}").content.decode()
    assert "1 position" in listing and "Payment card" in listing
    assert f'href="/statements/feed/{topic.slug}/"' in listing
