"""Applying a suggestion updates the page at once (issue 15, item 2).

Before, the htmx answer was a client redirect to the same URL plus an anchor: the
browser only scrolled, the suggestion still said "offen", the text looked unchanged, and
a second click got a 403 that htmx does not swap, so it failed silently.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from discussion.models import SuggestionStatus
from statements.models import Revision
from tests.discussion.conftest import block_ids, comment_on


@pytest.fixture
def suggestion(in_consultation, member):
    ids = block_ids(in_consultation)
    return comment_on(
        in_consultation,
        member,
        "Klarer so.",
        block_id=ids[1],
        suggestion_text="Zweiter Absatz, viel klarer.",
    )


def _state_badge(html: str, pk: int) -> str:
    article = html[html.index(f'id="comment-{pk}"') :]
    return re.search(r'class="badge suggestion-state[^"]*">([^<]+)<', article).group(1)


def test_htmx_apply_swaps_the_panel_and_the_text(in_consultation, suggestion, author, client_for):
    client = client_for(author)
    response = client.post(
        reverse("discussion:suggestion_apply", args=[suggestion.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "HX-Redirect" not in response
    html = response.content.decode()
    in_consultation.refresh_from_db()
    revision = in_consultation.current_revision
    # The panel: the suggestion is decided, by whom, with a link to the revision it made.
    assert html.startswith('<section id="discussion"') or 'id="discussion"' in html[:200]
    assert _state_badge(html, suggestion.pk) == "übernommen"
    # Resolved threads fold; the one just applied stays open so its new state shows.
    assert "<details open>" in html[: html.index(f'id="comment-{suggestion.pk}"')][-400:]
    assert "Anna Autorin" in html[html.index(f'id="comment-{suggestion.pk}"') :]
    diff_url = reverse(
        "statements:diff", args=[in_consultation.slug, revision.number - 1, revision.number]
    )
    assert f'href="{diff_url}"' in html
    assert f"Vorschlag übernommen – Fassung {revision.number}" in html
    assert "Vorschlag übernehmen</button>" not in html
    # The text, out of band: the new paragraph is in #statement-body.
    body = html[html.index('id="statement-body"') :]
    assert 'hx-swap-oob="true"' in body[:200]
    assert "Zweiter Absatz, viel klarer." in body
    # The header's revision number follows, out of band too.
    assert re.search(
        rf'<span id="statement-revision" hx-swap-oob="true">Nr. {revision.number} vom', html
    )
    # Who decided and when, with a space between name and date (spaceless ate it once).
    assert re.search(r"von <bdi>Anna Autorin</bdi> am <time", html)


def test_apply_without_javascript_redirects_with_a_message(
    in_consultation, suggestion, author, client_for
):
    client = client_for(author)
    response = client.post(reverse("discussion:suggestion_apply", args=[suggestion.pk]))
    assert response.status_code == 302
    assert response["Location"] == (
        f"{in_consultation.get_absolute_url()}?open={suggestion.pk}#comment-{suggestion.pk}"
    )
    page = client.get(response["Location"]).content.decode()
    in_consultation.refresh_from_db()
    number = in_consultation.current_revision.number
    assert f"Vorschlag übernommen – Fassung {number}" in page
    assert _state_badge(page, suggestion.pk) == "übernommen"
    assert "<details open>" in page[: page.index(f'id="comment-{suggestion.pk}"')][-400:]
    assert "Zweiter Absatz, viel klarer." in page[page.index('id="statement-body"') :]
    assert f'<span id="statement-revision">Nr. {number} vom' in page


@pytest.mark.parametrize("htmx", [True, False])
def test_second_apply_says_already_decided_and_writes_nothing(
    in_consultation, suggestion, author, client_for, htmx
):
    client = client_for(author)
    url = reverse("discussion:suggestion_apply", args=[suggestion.pk])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    client.post(url, **headers)
    revisions = Revision.objects.filter(statement=in_consultation).count()
    suggestion.refresh_from_db()
    decided = (suggestion.suggestion_decided_at, suggestion.applied_revision_id)

    response = client.post(url, **headers)
    # htmx swaps 2xx answers only: the message must come in one, inside the panel.
    assert response.status_code == (200 if htmx else 409)
    html = response.content.decode()
    assert "Über diesen Vorschlag wurde schon entschieden." in html
    if htmx:
        assert 'role="alert"' in html and 'id="discussion"' in html
    assert Revision.objects.filter(statement=in_consultation).count() == revisions
    suggestion.refresh_from_db()
    assert (suggestion.suggestion_decided_at, suggestion.applied_revision_id) == decided
    assert suggestion.suggestion_status == SuggestionStatus.APPLIED


def test_a_member_still_may_not_apply(in_consultation, suggestion, member, client_for):
    response = client_for(member).post(
        reverse("discussion:suggestion_apply", args=[suggestion.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.suggestion_status == SuggestionStatus.OPEN


def test_decided_suggestions_stay_readable_in_the_thread(
    in_consultation, member, author, client_for
):
    from discussion import services

    ids = block_ids(in_consultation)
    applied = comment_on(in_consultation, member, "", block_id=ids[0], suggestion_text="Eins neu.")
    declined = comment_on(
        in_consultation, member, "", block_id=ids[2], suggestion_text="Drei anders."
    )
    services.suggestion_apply(comment=applied, actor=author)
    services.suggestion_decline(comment=declined, actor=author, reason="Passt nicht.")
    html = client_for(member).get(in_consultation.get_absolute_url()).content.decode()
    assert _state_badge(html, applied.pk) == "übernommen"
    assert _state_badge(html, declined.pk) == "abgelehnt"
    article = html[html.index(f'id="comment-{declined.pk}"') :]
    # The declined text, in its diff.
    assert re.search(r"<ins><span[^>]*>[^<]*</span>[^<]*anders", article)
    assert "Passt nicht." in html
