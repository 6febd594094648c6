"""@mentions: parsed from plain text (no JavaScript needed), recorded, and announced once."""

from __future__ import annotations

from django.urls import reverse

from core.events import EventKind
from discussion.mentions import find_mentions
from discussion.models import Mention
from discussion.services import comment_edit
from tests.discussion.conftest import comment_on
from tests.factories import UserFactory


def test_longest_display_name_wins():
    people = [(1, "Anna"), (2, "Anna Autorin"), (3, "Jonas")]
    assert find_mentions("Danke @Anna Autorin!", people) == {2}
    assert find_mentions("Danke @anna, und @Jonas.", people) == {1, 3}
    assert find_mentions("@Annabell meint", people) == set()  # not at a word boundary
    assert find_mentions("mail@Jonas.de", people) == {3}
    assert find_mentions("kein at-zeichen", people) == set()


def test_mention_in_text_and_field_is_recorded_and_emitted(
    in_consultation, member, author, coordinator, client_for, events
):
    response = client_for(member).post(
        reverse("discussion:comment_create", args=[in_consultation.slug]),
        {"body": "Was meint @Anna Autorin dazu?", "mention_names": "Kora Koordination, Niemand"},
    )
    assert response.status_code == 302
    assert set(Mention.objects.values_list("user_id", flat=True)) == {author.pk, coordinator.pk}
    mentioned = [e for e in events if e["kind"] == EventKind.MENTIONED]
    assert len(mentioned) == 1
    assert sorted(mentioned[0]["extra"]["user_ids"]) == sorted([author.pk, coordinator.pk])


def test_nobody_is_pointed_to_a_draft_they_cannot_open(draft, member, author, coauthor, events):
    comment_on(draft, author, "@Mia Mitglied und @Carl Koautor, bitte lesen")
    assert set(Mention.objects.values_list("user_id", flat=True)) == {coauthor.pk}


def test_self_and_non_members_are_not_mentioned(in_consultation, member, registered, suspended):
    comment_on(in_consultation, member, "@Mia Mitglied @Rita Registriert @Sven Gesperrt")
    assert not Mention.objects.exists()


def test_edit_announces_only_new_mentions(in_consultation, member, author, coauthor, events):
    comment = comment_on(in_consultation, member, "@Anna Autorin")
    comment_edit(comment=comment, editor=member, body="@Anna Autorin und @Carl Koautor")
    mentioned = [e["extra"]["user_ids"] for e in events if e["kind"] == EventKind.MENTIONED]
    assert mentioned == [[author.pk], [coauthor.pk]]


def test_autocomplete_is_for_members_and_lists_only_members(
    member, registered, suspended, client_for
):
    UserFactory(display_name="Amira Beispiel")
    UserFactory(display_name="Amir Registriert", membership_status="registered")
    url = reverse("discussion:member_autocomplete")
    assert client_for(None).get(url, {"q": "Ami"}).status_code == 302
    assert client_for(registered).get(url, {"q": "Ami"}).status_code == 403
    assert client_for(suspended).get(url, {"q": "Ami"}).status_code == 403
    assert client_for(member).post(url, {"q": "Ami"}).status_code == 405
    html = client_for(member).get(url, {"q": "ami"}).content.decode()
    assert '<option value="Amira Beispiel">' in html
    assert "Registriert" not in html
    # The plain field takes several names: the list completes the last one.
    html = client_for(member).get(url, {"mention_names": "Mia Mitglied, Ami"}).content.decode()
    assert '<option value="Mia Mitglied, Amira Beispiel">' in html


def test_autocomplete_limits_results(member, client_for):
    for i in range(12):
        UserFactory(display_name=f"Berta {i:02d}")
    html = client_for(member).get(reverse("discussion:member_autocomplete"), {"q": "Berta"})
    assert html.content.decode().count("<option") == 8


def test_mentions_are_marked_up_in_the_comment_text(in_consultation, member, author, client_for):
    comment = comment_on(
        in_consultation,
        member,
        "Danke @Anna Autorin! Nicht gemeint: @Annabell, `@Anna Autorin`, [@Anna Autorin](https://example.org)",
    )
    html = comment.body_html
    assert html.count('<strong class="mention">@Anna Autorin</strong>') == 1
    assert "<code>@Anna Autorin</code>" in html
    assert ">@Anna Autorin</a>" in html
    page = client_for(author).get(in_consultation.get_absolute_url()).content.decode()
    assert '<strong class="mention">@Anna Autorin</strong>' in page


def test_a_display_name_cannot_inject_markup_through_a_mention(in_consultation, member):
    evil = UserFactory(display_name='<img src=x onerror=alert(1)> "Eve"')
    comment = comment_on(in_consultation, member, f"Hallo @{evil.display_name}")
    assert "<img" not in comment.body_html
    assert '<strong class="mention">@&lt;img' in comment.body_html


def test_users_cannot_forge_the_mention_class():
    from statements.markdown import sanitise

    assert sanitise('<strong class="mention">x</strong>') == '<strong class="mention">x</strong>'
    assert sanitise('<strong class="evil">x</strong>') == "<strong>x</strong>"
    assert sanitise('<p class="mention">x</p>') == "<p>x</p>"


def test_mark_up_follows_the_same_word_boundary_as_the_parser():
    from statements.markdown import render_inline_plain

    html = render_inline_plain(
        "@anna, @Annabell und @Anna Autorin.", mentions=["Anna", "Anna Autorin"]
    )
    assert html.count('<strong class="mention">') == 2
    assert '<strong class="mention">@anna</strong>,' in html
    assert '<strong class="mention">@Anna Autorin</strong>.' in html  # the longer name wins
    assert "@Annabell" in html and '<strong class="mention">@Annabell' not in html
    assert render_inline_plain("@Anna", mentions=[]) == "<p>@Anna</p>\n"
