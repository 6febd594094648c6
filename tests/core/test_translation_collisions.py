"""One German word, several meanings: each gets its own English word.

Django merges every app's catalogue into one; without a context the app listed first
in INSTALLED_APPS wins, so a rejected paper read "declined" and the comment button
"Delete" read "Deletion" in English.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from accounts.models import AdmissionDecision, MembershipStatus
from discussion.models import SuggestionStatus
from discussion.services import comment_create
from statements.states import State
from tests.factories import make_statement
from workflow.spec import TRANSITIONS, Transition

pytestmark = pytest.mark.django_db


def test_each_meaning_keeps_its_english_word():
    with translation.override("en"):
        assert str(State.REJECTED.label) == "rejected"
        assert str(State.ACCEPTED.label) == "accepted"
        assert str(AdmissionDecision.PENDING.label) == "pending"
        assert str(AdmissionDecision.DECLINED.label) == "declined"
        assert str(SuggestionStatus.OPEN.label) == "open"
        assert str(SuggestionStatus.DECLINED.label) == "declined"
        assert translation.gettext("Löschen") == "Delete"
        assert str(MembershipStatus.MEMBER.label) == "member"
        assert translation.gettext("Mitglied") == "Member"  # the co-author form's label
        assert translation.pgettext("privacy heading", "Löschen") == "Deletion"
        assert str(TRANSITIONS[Transition.OPEN_VOTE].audit_label) == "vote opened"
        assert translation.gettext("Abstimmung eröffnet") == "Voting opened"  # notifications


def test_english_pages_show_the_right_words(coordinator, author, client_for):
    rejected = make_statement(author=author, state="rejected")
    consultation = make_statement(author=author, state="consultation")
    comment_create(statement=consultation, author=author, body="Ein Kommentar.")
    client = client_for(author)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The middleware activates English for the thread; give the language back afterwards.
    with translation.override(settings.LANGUAGE_CODE):
        # The state badge (`{% state_badge %}`) capitalises the label: "rejected", not "declined".
        assert ">Rejected<" in client.get(f"/statements/{rejected.slug}/").content.decode()
        page = client.get(f"/statements/{consultation.slug}/").content.decode()
    assert ">Delete<" in page
    assert "Deletion" not in page
