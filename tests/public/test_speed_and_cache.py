"""Public pages: a fixed number of SQL queries, zero from the cache, fresh after changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.pagecache import generation, invalidate_public_pages
from public.services import cosignature_add, cosignature_revoke
from statements.models import Statement, Topic
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    confirm_membership,
    confirmed_organisation,
    make_statement,
)
from tests.public.conftest import client_in, publish, walk


def build(n: int, coordinator) -> object:
    """n public statements with n topics each; the newest co-signed by n organisations."""
    topics = [Topic.objects.create(name=f"Thema {i}", slug=f"thema-{i}") for i in range(n)]
    statements = []
    for i in range(n):
        statement = make_statement(state="draft", title=f"Position {i}")
        # Published by a bulk update: the workflow path is tested elsewhere, this is volume.
        Statement.objects.filter(pk=statement.pk).update(
            state="published", published_at=timezone.now() - timedelta(days=n - i)
        )
        statement.refresh_from_db()
        statement.topics.add(*topics)
        statements.append(statement)
    signer = UserFactory(display_name="Sabine Signer")
    for i in range(n):
        organisation = OrganisationFactory(name=f"Verein {i:02d}")
        confirm_membership(signer, organisation)
        cosignature_add(statement=statements[-1], organisation=organisation, actor=signer)
    return statements[-1]


@pytest.mark.parametrize("n", [3, 30])
def test_list_page_queries_are_fixed(n, coordinator, django_assert_num_queries):
    build(n, coordinator)
    client = Client()
    # 1 count for the paginator, 2 the page's statements, 3 their topics,
    # 4 topics for the filter, 5 years for the filter. No session, no user.
    with django_assert_num_queries(5):
        assert client.get("/statements/?topic=thema-0").status_code == 200
    with django_assert_num_queries(0):  # the anonymous copy from the cache
        assert client.get("/statements/?topic=thema-0").status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_statement_page_queries_are_fixed(n, coordinator, django_assert_num_queries):
    statement = build(n, coordinator)
    client = Client()
    # 1 the statement with its current revision (statements.access.statement_for),
    # 2 its co-authors (the statements app's permission check), 3 topics,
    # 4 co-signing organisations, 5 the older and 6 the newer neighbour,
    # 7 the adopted ballot (decision date and vote result, public/record.py),
    # 8 the approved plain-language and translated versions, 9 the mails to addressees,
    # 10 the public answers (issue 19), 11 the public meetings that had it on the agenda
    # and 12 those that decided it in the room (meetings.panels, issue 17).
    with django_assert_num_queries(12):
        response = client.get(f"/statements/{statement.slug}/")
    assert response.status_code == 200
    assert response.content.decode().count("<li>Verein ") == n
    with django_assert_num_queries(0):
        assert client.get(f"/statements/{statement.slug}/").status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_home_feed_api_queries_are_fixed(n, coordinator, django_assert_num_queries):
    statement = build(n, coordinator)
    client = Client()
    # Home: 1 latest statements, 2 their topics, 3 the next public meeting with its place.
    with django_assert_num_queries(3):
        client.get("/")
    # Feed: 1 statements with revisions, 2 topics, 3 co-signers, 4 approved versions.
    with django_assert_num_queries(4):
        client.get("/statements/feed/")
    # API list: 1 count, 2 statements with revisions, 3 topics, 4 co-signers, 5 versions.
    with django_assert_num_queries(5):
        client.get("/api/statements/")
    with django_assert_num_queries(4):
        client.get(f"/api/statements/{statement.slug}/")
    # Sitemap index: per section with papers (statements, companions) a count (its
    # paginator) and the latest change.
    with django_assert_num_queries(4):
        client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        for url in ("/", "/statements/feed/", "/api/statements/", "/sitemap.xml"):
            assert client.get(url).status_code == 200


def test_members_get_a_fresh_page_not_the_cached_one(published, member, client_for):
    anonymous = Client()
    anonymous.get("/statements/")
    signed_in = client_for(member)
    response = signed_in.get("/statements/")
    assert "ETag" not in response
    assert "private" in response["Cache-Control"]
    page = signed_in.get(f"/statements/{published.slug}/").content.decode()
    assert 'id="mitzeichnung"' in page  # the members' page with the co-signing panel


def test_cached_page_gives_each_visitor_their_own_csrf_token(published):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/statements/")
    response = second.get("/statements/")  # from the cache
    token = response.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert "__PUBLIC_CACHE" not in token
    switched = second.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    if switched.status_code == 404:  # the language view may live elsewhere
        switched = second.post("/language/", {"language": "en", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302


def test_pending_message_is_shown_not_cached(published, member):
    client = Client()
    client.get("/")  # cached copy exists
    client.force_login(member)
    client.post("/accounts/logout/")
    page = client.get("/").content.decode()
    assert 'class="messages"' in page
    assert 'class="messages"' not in Client().get("/").content.decode()


def test_publish_invalidates_list_and_home(published, coordinator):
    client = Client()
    assert "Neue Position" not in client.get("/statements/").content.decode()
    client.get("/")
    statement = make_statement(state="draft", title="Neue Position")
    publish(statement, coordinator=coordinator)
    assert "Neue Position" in client.get("/statements/").content.decode()
    assert "Neue Position" in client.get("/").content.decode()


def test_retract_invalidates_the_statement_page(published, coordinator):
    client = Client()
    assert "widerrufen" not in client.get(f"/statements/{published.slug}/").content.decode()
    walk(published, ["retract"], coordinator=coordinator)
    page = client.get(f"/statements/{published.slug}/").content.decode()
    assert "Diese Stellungnahme wurde am" in page and "Begründung" in page


def test_cosigning_invalidates_the_statement_page(published, org_member):
    client = Client()
    url = f"/statements/{published.slug}/"
    organisation = confirmed_organisation(org_member)
    assert organisation.name not in client.get(url).content.decode()
    cosignature_add(statement=published, organisation=organisation, actor=org_member)
    assert organisation.name in client.get(url).content.decode()
    cosignature_revoke(statement=published, organisation=organisation, actor=org_member)
    assert organisation.name not in client.get(url).content.decode()


def test_generation_survives_a_cleared_cache_without_repeating(db):
    from django.core.cache import cache

    before = generation()
    invalidate_public_pages()
    bumped = generation()
    assert bumped > before
    cache.clear()
    assert generation() >= bumped


def test_each_language_has_its_own_copy(published):
    german = client_in("de").get("/statements/").content.decode()
    english = client_in("en").get("/statements/").content.decode()
    again = client_in("de").get("/statements/").content.decode()
    assert "Positionen des RTM" in german and "Positionen des RTM" in again
    assert "Positions of the RTM" in english


def test_unknown_query_parameters_are_never_stored(published, django_assert_max_num_queries):
    from django.core.cache import cache

    client = Client()
    client.get("/statements/?utm_source=x")
    client.get(f"/statements/{published.slug}/?junk=1")
    client.get("/api/statements/?junk=1")
    assert not [k for k in cache._cache if ":page:" in k or ":doc:" in k]
    # ... and such a URL is rendered each time, not served from someone's copy.
    with django_assert_max_num_queries(10) as ctx:
        client.get("/statements/?utm_source=x")
    assert len(ctx) > 0


def test_statements_app_routes_under_the_same_prefix_still_work(member, client_for):
    """/statements/<slug>/ is served through the public cache; /statements/new/ is not a slug."""
    response = client_for(member).get("/statements/new/")
    assert response.status_code == 200
    assert Client().get("/statements/new/").status_code == 302  # to the login page


class BrokenCache:
    """A cache whose server is down: every call raises, like RedisCache without Redis."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache server down")

        return fail


def test_public_pages_and_publishing_work_while_the_cache_is_down(
    published, coordinator, monkeypatch
):
    monkeypatch.setattr("public.cache.cache", BrokenCache())
    monkeypatch.setattr("core.pagecache.cache", BrokenCache())
    client = Client()
    for url in ("/", "/statements/", f"/statements/{published.slug}/", "/api/statements/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "ETag" not in response
    statement = make_statement(state="draft", title="Trotz Cache-Ausfall")
    publish(statement, coordinator=coordinator)
    assert "Trotz Cache-Ausfall" in client.get("/statements/").content.decode()
