"""Issue 13, item 5: floods are bounded.

The attack: a member sent 150 mails in 3 seconds by posting 30 comments that each
mentioned five people. Comments, replies, edits, suggestions, editor saves and the
people notified of mentions now have per-member limits (core/ratelimit.py), one
comment mentions at most RTM_MAX_MENTIONS_PER_COMMENT people, and a refused write is
a 429 that keeps what was typed, for plain and htmx requests alike.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from core.ratelimit import RateLimited, consume, parse_rates
from discussion.models import Comment
from discussion.services import comment_create
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIMITED = "Zu viele Beiträge in kurzer Zeit. Bitte warten Sie einen Moment."


def first_rate(action: str) -> int:
    """The tightest window's allowance of `action` under the deployed defaults."""
    return parse_rates(settings.RTM_RATE_LIMITS[action])[0].amount


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """Pin the limiter's clock mid-window: a minute turning during a test would reset it."""
    monkeypatch.setattr("core.ratelimit.clock", lambda: 1_800_000_030.0)


@pytest.fixture
def five(db):
    return [UserFactory(display_name=f"Ziel {i}") for i in range(5)]


def comment_url(statement):
    return reverse("discussion:comment_create", args=[statement.slug])


def test_mention_flood_sends_a_bounded_number_of_mails(in_consultation, member, five, client_for):
    client = client_for(member)
    names = ", ".join(person.display_name for person in five)
    statuses = []
    for i in range(30):
        body = f"Flut {i}: bitte alle lesen"
        response = client.post(comment_url(in_consultation), {"body": body, "mention_names": names})
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert body in response.content.decode()  # the typed text comes back
    assert 429 in statuses
    mentioned = Notification.objects.filter(kind="mentioned")
    people_notified = mentioned.values_list("event_key", "recipient_id").distinct().count()
    assert people_notified <= first_rate("mention")  # not 150
    assert Comment.objects.filter(author=member).count() <= first_rate("comment")


def test_one_comment_cannot_mention_thirty_people(in_consultation, member, client_for):
    crowd = [UserFactory(display_name=f"Person {i:02d}") for i in range(30)]
    body = "Alle: " + " ".join(f"@{p.display_name}" for p in crowd)
    response = client_for(member).post(comment_url(in_consultation), {"body": body})
    assert response.status_code == 400
    page = response.content.decode()
    cap = settings.RTM_MAX_MENTIONS_PER_COMMENT
    assert f"höchstens {cap} Personen erwähnen" in page
    assert "@Person 29" in page  # the input is kept
    assert not Comment.objects.exists()
    assert not Notification.objects.filter(kind="mentioned").exists()


def test_the_same_person_thirty_times_is_one_mention(in_consultation, member, author, client_for):
    body = " ".join(["@Anna Autorin"] * 30)
    response = client_for(member).post(comment_url(in_consultation), {"body": body})
    assert response.status_code == 302
    assert Comment.objects.get().mentions.count() == 1


def test_comment_flood_is_429_with_the_text_kept(in_consultation, member, client_for):
    client = client_for(member)
    for i in range(first_rate("comment")):
        assert client.post(comment_url(in_consultation), {"body": f"K {i}"}).status_code == 302
    response = client.post(comment_url(in_consultation), {"body": "Noch einer, bitte behalten"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    page = response.content.decode()
    assert LIMITED in page and "Noch einer, bitte behalten" in page
    assert "<html" in page  # the form page, not a bare fragment


def test_htmx_comment_flood_gets_the_panel_with_message_and_text(
    in_consultation, member, client_for
):
    client = client_for(member)
    for i in range(first_rate("comment")):
        client.post(comment_url(in_consultation), {"body": f"K {i}"}, HTTP_HX_REQUEST="true")
    response = client.post(
        comment_url(in_consultation),
        {"body": "Per htmx getippt", "mention_names": "Anna Autorin"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "<html" not in html and '<section id="discussion"' in html
    assert LIMITED in html
    assert "Per htmx getippt</textarea>" in html and 'value="Anna Autorin"' in html
    assert not Comment.objects.filter(body="Per htmx getippt").exists()


def test_htmx_reply_flood_keeps_the_reply_in_its_thread(in_consultation, member, client_for):
    root = comment_create(statement=in_consultation, author=member, body="Wurzel")
    client = client_for(member)
    url = reverse("discussion:comment_reply", args=[root.pk])
    for i in range(first_rate("comment")):
        assert client.post(url, {"body": f"A {i}"}, HTTP_HX_REQUEST="true").status_code == 200
    response = client.post(url, {"body": "Meine Antwort"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    html = response.content.decode()
    assert LIMITED in html
    kept = f'id="reply-{root.pk}" dir="auto" rows="3" maxlength="10000" required autofocus>'
    assert kept + "Meine Antwort</textarea>" in html


def test_suggestion_flood_is_limited(in_consultation, member, client_for):
    from tests.discussion.conftest import block_ids

    block = block_ids(in_consultation)[0]
    client = client_for(member)
    for i in range(first_rate("suggestion")):
        data = {"body": f"V {i}", "block_id": block, "suggestion_text": f"Neuer Absatz {i}."}
        assert client.post(comment_url(in_consultation), data).status_code == 302
    data = {"body": "Noch ein Vorschlag", "block_id": block, "suggestion_text": "Mein Absatz."}
    response = client.post(comment_url(in_consultation), data)
    assert response.status_code == 429
    assert "Mein Absatz." in response.content.decode()


def test_comment_edit_flood_is_limited(in_consultation, member, client_for):
    comment = comment_create(statement=in_consultation, author=member, body="Original")
    client = client_for(member)
    url = reverse("discussion:comment_edit", args=[comment.pk])
    for i in range(first_rate("comment_edit")):
        assert client.post(url, {"body": f"Fassung {i}"}).status_code == 302
    response = client.post(url, {"body": "Letzte Fassung"})
    assert response.status_code == 429
    assert "Letzte Fassung" in response.content.decode()


def test_editor_save_flood_is_429_with_the_text_kept(draft, author, client_for):
    client = client_for(author)
    url = reverse("statements:edit", kwargs={"slug": draft.slug})

    def data(body: str) -> dict:
        draft.refresh_from_db()
        return {
            "title": draft.title,
            "occasion": draft.occasion,
            "summary": draft.summary,
            "body": body,
            "language": draft.language,
            "message": "",
            "base_revision": draft.current_revision_id,
        }

    for i in range(first_rate("revision")):
        assert client.post(url, data(f"Fassung {i}")).status_code == 302
    response = client.post(url, data("Mein ungespeicherter Text"))
    assert response.status_code == 429
    page = response.content.decode()
    assert LIMITED in page and "Mein ungespeicherter Text" in page


def test_limits_are_per_person_and_refused_hits_do_not_count(settings, member, author):
    settings.RTM_RATE_LIMITS = {"comment": "2/m"}
    consume("comment", member)
    consume("comment", member)
    for _ in range(3):
        with pytest.raises(RateLimited):
            consume("comment", member)
    consume("comment", author)  # someone else is not affected
    with pytest.raises(RateLimited):
        consume("comment", author, amount=2)  # a batch over the rest is refused whole
    consume("comment", author)


def test_rates_parse():
    assert [(r.amount, r.seconds) for r in parse_rates("10/m, 30/10m,100/h")] == [
        (10, 60),
        (30, 600),
        (100, 3600),
    ]
    with pytest.raises(ValueError):
        parse_rates("10/week")


def test_the_budget_comes_back_when_the_window_turns(settings, monkeypatch, member):
    settings.RTM_RATE_LIMITS = {"comment": "1/m"}
    consume("comment", member)
    with pytest.raises(RateLimited) as refused:
        consume("comment", member)
    assert refused.value.retry_after == 30  # the pinned clock is 30 s into its minute
    monkeypatch.setattr("core.ratelimit.clock", lambda: 1_800_000_090.0)
    consume("comment", member)
