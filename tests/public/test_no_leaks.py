"""Nothing internal reaches the public: canaries planted everywhere must never show up.

Canary words sit in drafts, consultation texts, papers in voting/rejected/withdrawn
states, comments, suggestions, decline reasons, vote reasons, messages and texts of
earlier revisions, members' names, e-mail addresses and phone numbers. Every
anonymous URL (also in English, also searching for each canary) is scanned.
"""

from __future__ import annotations

import pytest
from django.test import Client

from discussion.services import comment_create, suggestion_decline
from statements.markdown import blocks
from statements.services import TextFields, revision_save
from tests.factories import OrganisationFactory, UserFactory, confirm_membership, make_statement
from tests.public.conftest import client_in, publish, walk

CANARIES = {
    "draft": "kanarienentwurf",
    "consultation": "kanarienkonsultation",
    "voting": "kanarienabstimmung",
    "rejected": "kanarienabgelehnt",
    "withdrawn": "kanarienzurueckgezogen",
    "accepted": "kanarienangenommen",
    "old_body": "kanarienaltfassung",
    "revision_message": "kanariennotiz",
    "comment": "kanarienkommentar",
    "suggestion": "kanarienvorschlag",
    "vote_reason": "kanarienstimmgrund",
    "author_name": "Kanarienautorin",
    "signer_name": "Kanarienzeichner",
    "email": "kanarienpost",
    "phone": "0341-7777-kanarie",
}


@pytest.fixture
def world(db, coordinator, topic):
    author = UserFactory(
        display_name=CANARIES["author_name"],
        email=f"{CANARIES['email']}@example.org",
        phone=CANARIES["phone"],
    )
    voter = UserFactory(display_name="Vera Voter", phone=CANARIES["phone"])
    for state in ("draft", "consultation", "voting", "rejected", "withdrawn", "accepted"):
        s = make_statement(
            author=author,
            state=state,
            title=f"Titel {CANARIES[state]}",
            summary=f"Zusammenfassung {CANARIES[state]}",
            body=f"Text {CANARIES[state]} mit Bezahlkarte.",
        )
        s.topics.add(topic)

    # A published paper with an internal history: earlier text, revision notes,
    # comments, a suggestion, vote reasons. Only its final text is public.
    paper = make_statement(
        author=author,
        state="draft",
        title="Unterbringung dezentral",
        summary="Der RTM fordert dezentrale Unterbringung.",
        body=f"Erste Fassung {CANARIES['old_body']}.",
    )
    paper.topics.add(topic)
    revision_save(
        statement_id=paper.pk,
        author=author,
        text=TextFields(
            title="Unterbringung dezentral",
            occasion="Neue Sammelunterkunft",
            summary="Der RTM fordert dezentrale Unterbringung.",
            body="Wohnungen statt Sammelunterkünfte.\n\nZweiter Absatz zur Bezahlkarte.",
        ),
        message=f"Notiz {CANARIES['revision_message']}",
        base_revision_id=paper.current_revision_id,
    )
    walk(paper, ["submit"], coordinator=coordinator)
    comment_create(statement=paper, author=voter, body=f"Kommentar {CANARIES['comment']}")
    paper.refresh_from_db()
    block = blocks(paper.body)[0]
    suggestion = comment_create(
        statement=paper,
        author=voter,
        body="Vorschlag",
        block_id=block.id,
        suggestion_text=f"Ersatz {CANARIES['suggestion']}",
    )
    suggestion_decline(comment=suggestion, actor=author, reason=f"Nein {CANARIES['comment']}")
    walk(paper, ["open_vote"], coordinator=coordinator)
    from voting.services import vote_cast

    vote_cast(statement=paper, voter=voter, choice="yes", reason=CANARIES["vote_reason"])
    walk(paper, ["close_vote:yes", "publish"], coordinator=coordinator)

    # Co-signed by an organisation whose signer must stay anonymous.
    from public.services import cosignature_add

    signer = UserFactory(display_name=CANARIES["signer_name"], phone=CANARIES["phone"])
    organisation = OrganisationFactory(name="Willkommensinitiative Grimma")
    confirm_membership(signer, organisation)
    cosignature_add(statement=paper, organisation=organisation, actor=signer)

    retracted = make_statement(author=author, state="draft", title="Widerrufene Position")
    publish(retracted, coordinator=coordinator)
    walk(retracted, ["retract"], coordinator=coordinator)
    return {"paper": paper, "retracted": retracted, "topic": topic}


def public_urls(world) -> list[str]:
    paper, retracted, topic = world["paper"], world["retracted"], world["topic"]
    urls = [
        "/",
        "/statements/",
        f"/statements/?topic={topic.slug}",
        "/statements/?year=2026",
        "/statements/?page=2",
        f"/statements/{paper.slug}/",
        f"/statements/{retracted.slug}/",
        "/statements/feed/",
        f"/statements/feed/{topic.slug}/",
        "/api/statements/",
        f"/api/statements/?topic={topic.slug}",
        f"/api/statements/{paper.slug}/",
        f"/api/statements/{retracted.slug}/",
        "/sitemap.xml",
        "/sitemap-statements.xml",
        "/sitemap-pages.xml",
        "/about/",
        "/privacy/",
        "/imprint/",
    ]
    for word in [*CANARIES.values(), "Bezahlkarte", "Unterbringung"]:
        urls.append(f"/statements/?q={word}")
        urls.append(f"/statements/?q={word}&topic={topic.slug}")
    return urls


def searched_canary(url: str) -> str | None:
    for canary in CANARIES.values():
        if f"q={canary}" in url:
            return canary.lower()
    return None


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_canary_in_any_anonymous_response(world, language):
    client = client_in(language)
    checked = 0
    for url in public_urls(world):
        # Twice: the first answer is rendered, the second comes from the cache.
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            text = response.content.decode().lower()
            searched = searched_canary(url)
            if searched:
                # The page repeats the query (search field, result line); nothing else may.
                assert "statement-item" not in text, f"a hit for {searched}"
                text = text.replace(searched, "")
            for name, canary in CANARIES.items():
                assert canary.lower() not in text, f"{name} canary leaked on {url}"
            checked += 1
    assert checked == 2 * len(public_urls(world))


def test_the_public_text_is_there(world):
    """The scan above would pass on empty pages; make sure it looked at real content."""
    client = Client()
    paper = world["paper"]
    page = client.get(f"/statements/{paper.slug}/").content.decode()
    assert "Wohnungen statt Sammelunterkünfte." in page
    assert "Willkommensinitiative Grimma" in page
    hits = client.get("/statements/?q=Bezahlkarte").content.decode()
    assert paper.title in hits
    assert "<mark>" in hits
    assert "Titel kanarien" not in hits.lower()


def test_internal_paper_urls_are_404_for_the_public(world, db):
    client = Client()
    from statements.models import Statement

    for statement in Statement.objects.exclude(state__in=["published", "retracted"]):
        assert client.get(f"/statements/{statement.slug}/").status_code == 404
        assert client.get(f"/api/statements/{statement.slug}/").status_code == 404
