"""A secret vote: no page, export or e-mail ever shows who chose what.

Every voter gives a distinctive reason; we then fetch every page that could show
votes as every role, during the vote and after the close, and search each response
and every mail sent for those reasons and for any name next to a choice.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from voting.models import Ballot, Vote
from voting.services import ballots_send_reminders
from workflow.services import statement_transition

pytestmark = pytest.mark.django_db

CHOICES = ("yes", "no", "abstain", "block", "yes")
LABELS = "Ja|Nein|Enthaltung|Veto|Yes|No|Abstain|Block|yes|no|abstain|block"


def pages(paper, ballot, viewer) -> list[str]:
    urls = [
        paper.get_absolute_url(),
        reverse("statements:dashboard"),
        reverse("statements:history", kwargs={"slug": paper.slug}),
        reverse("notifications:list"),
        reverse("accounts:profile_export"),
    ]
    if viewer is not None and viewer.is_superuser:
        urls += [
            "/admin/voting/ballot/",
            f"/admin/voting/ballot/{ballot.pk}/change/",
            "/admin/voting/vote/",
            "/admin/voting/",
        ]
    return urls


def leaks(text: str, voters, reasons) -> list[str]:
    found = [r for r in reasons if r in text]
    for person in voters:
        name = re.escape(str(person))
        if re.search(rf"{name}\W{{0,40}}(<[^>]+>\s*)*({LABELS})\b", text):
            found.append(f"{person} next to a choice")
    return found


def test_secret_choices_never_shown(
    open_paper,
    member,
    author,
    coauthor,
    coordinator,
    registered,
    client_for,
    django_capture_on_commit_callbacks,
):
    admin = UserFactory(
        display_name="Ada Admin", is_staff=True, is_superuser=True, is_coordinator=True
    )
    voters = [member, author, coauthor, coordinator, admin]
    reasons = [f"Geheimgrund-{i}-q7x{i * 7919}" for i in range(len(voters))]
    silent = UserFactory(display_name="Nora Nichtwählerin")  # eligible, never votes
    viewers = [*voters, silent, registered, None]

    with django_capture_on_commit_callbacks(execute=True):
        paper = open_paper(rule="consensus", is_secret=True)
    ballot = Ballot.objects.get(statement=paper)

    for person, choice, reason in zip(voters, CHOICES, reasons, strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(person).post(
                reverse("voting:vote", kwargs={"slug": paper.slug}),
                {"choice": choice, "reason": reason},
            )
        assert response.status_code == 302

    def check_everything(own_reason_allowed: bool) -> int:
        fetched = 0
        for viewer in viewers:
            client = client_for(viewer)
            for url in pages(paper, ballot, viewer):
                response = client.get(url)
                assert response.status_code < 500, url
                text = response.content.decode()
                allowed = []
                if own_reason_allowed and viewer in voters and url == paper.get_absolute_url():
                    # The voter sees their own current vote in their form; nobody else does.
                    allowed = [reasons[voters.index(viewer)]]
                found = [x for x in leaks(text, voters, reasons) if x not in allowed]
                assert not found, (viewer, url, found)
                fetched += response.status_code == 200
        return fetched

    assert check_everything(own_reason_allowed=True) > 20

    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert ballots_send_reminders(now=ballot.closes_at - timedelta(hours=1)) == 1
    assert len(mail.outbox) > before, "the reminder went to the one who has not voted"
    past = timezone.now() - timedelta(seconds=1)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=past)
    with django_capture_on_commit_callbacks(execute=True):
        statement_transition(statement_id=paper.pk, name="close_vote", actor=None)
    ballot.refresh_from_db()
    assert (
        ballot.eligible_count == 6
        and ballot.turnout == 5
        and ballot.count_block == 1
        and ballot.outcome == "rejected"
    )
    assert not Vote.objects.filter(ballot=ballot).exists()

    assert check_everything(own_reason_allowed=False) > 20
    page = client_for(member).get(paper.get_absolute_url()).content.decode()
    assert "Ergebnis der Abstimmung" in page and "Wer wie abgestimmt hat" not in page

    assert mail.outbox, "opening, reminder and result notifications were mailed"
    for message in mail.outbox:
        bodies = [message.subject, message.body]
        bodies += [content for content, _type in getattr(message, "alternatives", [])]
        for body in bodies:
            assert not leaks(str(body), voters, reasons), message.subject


def test_the_leak_detector_finds_what_an_open_ballot_shows(member):
    assert leaks("<li>Mia Mitglied: <strong>Ja</strong> — x</li>", [member], [])
    assert leaks("… Geheimgrund-1 …", [], ["Geheimgrund-1"])
    assert not leaks("<p>Beteiligung: 5 von 5</p>", [member], ["Geheimgrund-1"])
