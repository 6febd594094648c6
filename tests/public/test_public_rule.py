"""One rule decides what the public sees, and every channel follows it (issue 14).

The rule (statements.models.public_q, Statement.objects.public(), Statement.is_public):
a paper in state published or retracted *with* a publication date. The world below has
papers that tell a channel with its own definition apart from one that asks the rule:

- `shown`: published; `retracted`: published, then retracted — both public;
- `undated`: in state published but without a date — a definition by state alone
  would show it (a row that satisfies one half of the rule only);
- internal papers in every other state, carrying a topic of their own, whose name must
  never reach the public topic filter (a mutant that leaked it passed every test).

A channel that drops `retracted` (state == published), lets `undated` through (state
only) or lists the internal topic (topics without the rule) fails here.
"""

from __future__ import annotations

import re

import feedparser
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from public.services import cosignature_add
from statements.models import Statement, Topic
from statements.permissions import can_view
from tests.factories import OrganisationFactory, confirm_membership, make_statement
from tests.public.conftest import client_in, walk

INTERNAL_STATES = ("draft", "consultation", "voting", "accepted", "rejected", "withdrawn")
INTERNAL_TOPIC = {"name": "Kanarienthema", "name_en": "Canary topic", "slug": "kanarienthema"}


@pytest.fixture
def world(db, author, coordinator, org_member):
    topics = {
        key: Topic.objects.create(name=name, name_en=f"{name} (en)", slug=key)
        for key, name in (
            ("bezahlkarte", "Bezahlkarte"),
            ("abschiebung", "Abschiebung"),
            ("ohnedatum", "Ohnedatum"),
        )
    }
    internal_topic = Topic.objects.create(**INTERNAL_TOPIC)

    def published(title: str, topic: Topic, cosigner: str) -> Statement:
        paper = make_statement(author=author, state="published", title=title)
        paper.topics.add(topic)
        signer = OrganisationFactory(name=cosigner)
        confirm_membership(org_member, signer)
        cosignature_add(statement=paper, organisation=signer, actor=org_member)
        return paper

    shown = published("Sichtbare Position", topics["bezahlkarte"], "Sichtbarer Verein")
    retracted = published("Widerrufene Position", topics["abschiebung"], "Widerrufender Verein")
    walk(retracted, ["retract"], coordinator=coordinator)
    undated = published("Undatierte Position", topics["ohnedatum"], "Verein ohne Datum")
    Statement.objects.filter(pk=undated.pk).update(published_at=None)
    undated.refresh_from_db()
    internal = []
    for state in INTERNAL_STATES:
        paper = make_statement(author=author, state=state, title=f"Interne Position {state}")
        paper.topics.add(internal_topic)
        internal.append(paper)
    return {
        "shown": shown,
        "retracted": retracted,
        "undated": undated,
        "internal": internal,
        "topics": topics,
        "internal_topic": internal_topic,
    }


def _papers(world) -> list[Statement]:
    return [world["shown"], world["retracted"], world["undated"], *world["internal"]]


def _public_slugs(world) -> set[str]:
    return {world["shown"].slug, world["retracted"].slug}


def _slugs_in(text: str, world) -> set[str]:
    """Our papers' slugs that a response names (links, API fields, sitemap locations)."""
    return {p.slug for p in _papers(world) if re.search(rf"/statements/{p.slug}/", text)}


def test_the_rule_agrees_with_itself(world):
    """The queryset, the property and the anonymous reader's predicate are one rule."""
    anonymous = AnonymousUser()
    public = set(Statement.objects.public().values_list("slug", flat=True))
    assert public == _public_slugs(world)
    for paper in _papers(world):
        expected = paper.slug in public
        assert paper.is_public is expected, paper.state
        assert can_view(anonymous, paper) is expected, paper.state


@pytest.mark.parametrize(
    "url",
    [
        "/statements/",
        "/statements/?q=Position",
        "/statements/feed/",
        "/api/statements/",
        "/sitemap-statements.xml",
    ],
)
def test_every_listing_shows_exactly_the_public_papers(world, url):
    text = Client().get(url).content.decode()
    assert _slugs_in(text, world) == _public_slugs(world), url


def test_home_lists_the_newest_published_papers_only(world):
    """The home page's newest positions leave out retracted ones (the archive keeps them)."""
    text = Client().get("/").content.decode()
    assert _slugs_in(text, world) == {world["shown"].slug}


def test_reading_pages_and_api_details_follow_the_rule(world):
    client = Client()
    for paper in _papers(world):
        public = paper.slug in _public_slugs(world)
        page = client.get(f"/statements/{paper.slug}/")
        detail = client.get(f"/api/statements/{paper.slug}/")
        assert page.status_code == detail.status_code == (200 if public else 404), paper.state


def test_an_internal_topic_never_reaches_the_public_topic_filter(world):
    """The mutant of the review: public_topics() without the rule leaked the name of a
    topic only internal papers carry into the topic filter of the public list."""
    secret = (INTERNAL_TOPIC["name"], INTERNAL_TOPIC["name_en"])
    for language in ("de", "en"):
        client = client_in(language)
        listing = client.get("/statements/").content.decode()
        select = re.search(r'<select name="topic".*?</select>', listing, re.S).group()
        offered = set(re.findall(r'<option value="([a-z0-9-]+)"', select))
        # The topics of public papers are offered (retracted ones too), no other.
        assert offered == {"bezahlkarte", "abschiebung"}, language
        for url in (
            "/",
            "/statements/",
            "/statements/feed/",
            "/api/statements/",
            "/sitemap-statements.xml",
        ):
            text = client.get(url).content.decode()
            assert not any(name in text for name in secret), (language, url)
            assert INTERNAL_TOPIC["slug"] not in text and "ohnedatum" not in text, url
        # Asked for by its slug, the topic still names nothing and lists nothing.
        filtered = client.get(f"/statements/?topic={INTERNAL_TOPIC['slug']}").content.decode()
        assert not any(name in filtered for name in secret)
        assert _slugs_in(filtered, world) == set()
        api = client.get(f"/api/statements/?topic={INTERNAL_TOPIC['slug']}").json()
        assert api["count"] == 0 and api["results"] == []


def test_topic_feeds_exist_only_for_topics_of_public_papers(world):
    client = Client()
    for slug, paper in (("bezahlkarte", "shown"), ("abschiebung", "retracted")):
        response = client.get(f"/statements/feed/{slug}/")
        assert response.status_code == 200
        links = [entry.link for entry in feedparser.parse(response.content).entries]
        assert links == [f"http://127.0.0.1:8000/statements/{world[paper].slug}/"]
    for slug in (INTERNAL_TOPIC["slug"], "ohnedatum"):
        response = client.get(f"/statements/feed/{slug}/")
        assert response.status_code == 404
        assert INTERNAL_TOPIC["name"] not in response.content.decode()


def test_co_signing_organisations_of_hidden_papers_stay_hidden(world):
    client = Client()
    assert "Sichtbarer Verein" in client.get(f"/statements/{world['shown'].slug}/").content.decode()
    retracted = client.get(f"/statements/{world['retracted'].slug}/").content.decode()
    assert "Widerrufender Verein" in retracted
    for url in ("/statements/feed/", "/api/statements/", "/statements/", "/"):
        assert "Verein ohne Datum" not in client.get(url).content.decode(), url


def test_members_see_the_co_signing_panel_of_public_papers_only(world, client_for, member):
    client = client_for(member)
    retracted = client.get(world["retracted"].get_absolute_url()).content.decode()
    assert "Widerrufender Verein" in retracted and 'id="mitzeichnung"' in retracted
    accepted = next(p for p in world["internal"] if p.state == "accepted")
    assert 'id="mitzeichnung"' not in client.get(accepted.get_absolute_url()).content.decode()


def test_the_coordinations_topic_list_counts_public_papers_by_the_rule(
    world, client_for, coordinator
):
    response = client_for(coordinator).get(reverse("statements:topic_list"))
    counts = {t.slug: (t.paper_count, t.public_count) for t in response.context["topics"]}
    assert counts == {
        "bezahlkarte": (1, 1),
        "abschiebung": (1, 1),
        "ohnedatum": (1, 0),
        INTERNAL_TOPIC["slug"]: (len(INTERNAL_STATES), 0),
    }
