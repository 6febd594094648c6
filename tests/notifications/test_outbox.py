"""The outbox on the default test database (eager Celery, locmem mail)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from core.events import EventKind, emit
from notifications import services
from notifications.models import Channel, Kind, Mode, Notification, Preference, Status
from tests.factories import UserFactory, make_statement
from tests.notifications.conftest import email_rows

pytestmark = pytest.mark.django_db


def unsubscribe_link(message: mail.EmailMessage) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    return header.strip("<>")


def test_consultation_opened_mails_every_member_but_the_actor_in_their_language(
    author, django_capture_on_commit_callbacks
):
    german = UserFactory(display_name="Greta", language="de")
    english = UserFactory(display_name="Emma", language="en")
    UserFactory(membership_status="registered")  # not a member: nothing
    with django_capture_on_commit_callbacks(execute=True):
        statement = make_statement(author=author, state="consultation", title="Bezahlkarte")
    by_address = {m.to[0]: m for m in mail.outbox}
    assert german.email in by_address and english.email in by_address
    assert author.email not in by_address  # the one who submitted
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "Konsultation" in by_address[german.email].subject
    assert "consultation" in by_address[english.email].subject.lower()
    assert "Hello Emma" in by_address[english.email].body
    assert statement.get_absolute_url() in by_address[german.email].body
    message = by_address[german.email]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_link(message).startswith("http")
    # In-app rows for everyone concerned, e-mail rows all sent.
    assert Notification.objects.filter(recipient=german, channel=Channel.INAPP).count() == 1
    assert not Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING).exists()


def test_preferences_immediately_digest_off_are_respected(
    author, django_capture_on_commit_callbacks
):
    now_person = UserFactory()
    digest_person = UserFactory()
    off_person = UserFactory()
    Preference.objects.create(user=digest_person, kind=Kind.CONSULTATION_OPENED, mode=Mode.DIGEST)
    Preference.objects.create(user=off_person, kind=Kind.CONSULTATION_OPENED, mode=Mode.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        statement = make_statement(author=author, state="consultation", title="Wohnen in Wurzen")
    addresses = [m.to[0] for m in mail.outbox]
    assert now_person.email in addresses
    assert digest_person.email not in addresses and off_person.email not in addresses
    assert email_rows(recipient=off_person) == []
    [waiting] = email_rows(recipient=digest_person)
    assert waiting.status == Status.DIGEST
    # Everyone still sees it in the app.
    assert Notification.objects.filter(recipient=off_person, channel=Channel.INAPP).exists()

    # The daily digest: one message per member with all their waiting items.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = make_statement(author=author, state="consultation", title="Schule für alle")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_build() == 1
    [digest] = [m for m in mail.outbox if m.to == [digest_person.email]]
    assert "Wohnen in Wurzen" in digest.body and "Schule für alle" in digest.body
    assert statement.get_absolute_url() in digest.body and second.get_absolute_url() in digest.body
    assert "2" in digest.subject
    assert set(
        r.status for r in email_rows(recipient=digest_person, kind=Kind.CONSULTATION_OPENED)
    ) == {Status.DIGESTED}
    # A second run finds nothing left.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_build() == 0


def test_locked_kinds_cannot_be_turned_off(registered, coordinator):
    Preference.objects.create(user=coordinator, kind=Kind.ADMISSION_REQUESTED, mode=Mode.OFF)
    services.preference_save(user=coordinator, kind=Kind.ADMISSION_REQUESTED, mode=Mode.OFF)
    assert services.mode_for(Kind.ADMISSION_REQUESTED, Mode.OFF) == Mode.IMMEDIATELY
    assert services.unsubscribe_kind(user_id=coordinator.pk, kind=Kind.ADMISSION_DECIDED) == []


def test_a_repeated_event_adds_nobody_twice(author, in_consultation):
    member = UserFactory()
    from discussion.services import comment_create

    comment = comment_create(statement=in_consultation, author=member, body="Gute Idee.")
    before = Notification.objects.count()
    emit(EventKind.COMMENT_CREATED, statement=in_consultation, actor=member, target=comment)
    assert Notification.objects.count() == before


def test_hidden_comment_is_never_mailed(
    author, coordinator, in_consultation, django_capture_on_commit_callbacks
):
    from discussion.services import comment_create, comment_hide

    writer = UserFactory(display_name="Wanda")
    Preference.objects.create(user=author, kind=Kind.COMMENT_CREATED, mode=Mode.IMMEDIATELY)
    # Written and hidden before delivery ran (e.g. the broker was down).
    comment = comment_create(
        statement=in_consultation, author=writer, body="GEHEIMER BELEIDIGENDER TEXT"
    )
    comment_hide(comment=comment, actor=coordinator, reason="Beleidigung")
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_deliver()
    assert not any("GEHEIMER" in m.body for m in mail.outbox)
    [row] = email_rows(recipient=author, kind=Kind.COMMENT_CREATED)
    assert row.status == Status.SKIPPED
    assert "GEHEIMER" not in str(Notification.objects.values_list("context", flat=True))

    # A visible comment is mailed with its text and the anchor.
    other = comment_create(statement=in_consultation, author=writer, body="Sichtbarer Text")
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_deliver()
    [message] = [m for m in mail.outbox if m.to == [author.email]]
    assert "Sichtbarer Text" in message.body
    assert f"#comment-{other.pk}" in message.body


def test_hidden_comment_is_left_out_of_the_digest(
    author, coordinator, in_consultation, django_capture_on_commit_callbacks
):
    from discussion.services import comment_create, comment_hide

    writer = UserFactory()
    hidden = comment_create(statement=in_consultation, author=writer, body="VERSTECKT")
    comment_hide(comment=hidden, actor=coordinator, reason="Spam")
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_build()
    assert not any(author.email in m.to for m in mail.outbox)  # only hidden items: no digest
    assert Notification.objects.get(recipient=author, kind=Kind.DIGEST).status == Status.SKIPPED


def test_secret_vote_result_mail_shows_counts_only(author, django_capture_on_commit_callbacks):
    from voting.models import Vote

    voters = [UserFactory(display_name=f"Wählerin {i}") for i in range(3)]
    statement = make_statement(author=author, state="voting", title="Geheime Sache")
    ballot = statement.ballots.get()
    ballot.is_secret = True
    ballot.save(update_fields=["is_secret"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        from tests.factories import advance

        statement.refresh_from_db()
        advance_to_result(statement)
    results = [m for m in mail.outbox if "Ergebnis" in m.subject or "Result" in m.subject]
    assert results
    votes = list(Vote.objects.filter(ballot=ballot).select_related("voter"))
    for message in results:
        text = message.body + message.alternatives[0][0]
        assert "Ja:" in text or "Yes:" in text
        for vote in votes:
            # No voter's name next to anything: names of voters appear only as greeting.
            if vote.voter and message.to != [vote.voter.email]:
                assert str(vote.voter) not in text
        for voter in voters:
            if message.to != [voter.email]:
                assert str(voter) not in text
    assert advance  # imported for the helper below


def advance_to_result(statement) -> None:
    from tests.factories import _cast_votes_for
    from workflow.services import statement_transition

    _cast_votes_for(statement, adopt=True)
    coordinator = UserFactory(is_coordinator=True)
    statement_transition(statement_id=statement.pk, name="close_vote", actor=coordinator)


def test_smtp_failure_retries_with_backoff_then_fails_visibly(
    settings, author, coordinator, client_for, django_capture_on_commit_callbacks
):
    person = UserFactory()
    settings.EMAIL_BACKEND = "tests.mailbackends.DownBackend"
    # Submitting emits CONSULTATION_OPENED; its delivery (on commit) is not run here.
    make_statement(author=author, state="consultation", title="Fehlerfall")
    row = Notification.objects.get(recipient=person, channel=Channel.EMAIL)
    delays = []
    for _attempt in range(5):
        Notification.objects.filter(status=Status.PENDING).update(next_attempt_at=timezone.now())
        services.outbox_deliver()
        row.refresh_from_db()
        assert row.status == Status.PENDING  # temporary: retried by itself
        delays.append(row.next_attempt_at - timezone.now())
    # 48 hours later it is still failing: now it is the coordination's to see.
    Notification.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now(), retry_until=timezone.now()
    )
    services.outbox_deliver()
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == 6
    assert "SMTP down" in row.last_error
    assert delays == sorted(delays) and delays[0] > timedelta(seconds=30)  # growing backoff

    # Coordinators see it and retry it; members may not.
    assert client_for(UserFactory()).get("/coordination/notifications/").status_code == 403
    page = client_for(coordinator).get("/coordination/notifications/")
    assert page.status_code == 200 and person.email in page.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            "/coordination/notifications/retry/", {"id": row.pk}
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert [m.to for m in mail.outbox].count([person.email]) == 1


def test_sweep_reclaims_expired_leases_and_requeues(author, django_capture_on_commit_callbacks):
    person = UserFactory()
    make_statement(author=author, state="consultation")  # its mail never delivered
    # A worker claimed the row and died before ending DATA.
    Notification.objects.filter(recipient=person, channel=Channel.EMAIL).update(
        status=Status.SENDING, lease_until=timezone.now() - timedelta(seconds=1), attempts=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_sweep()
    assert [m.to for m in mail.outbox].count([person.email]) == 1
    sent_before = len(mail.outbox)
    # Sent rows are never sent again, however often the sweep or a task runs.
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_sweep(now=timezone.now() + timedelta(hours=2))
        services.outbox_deliver()
    assert len(mail.outbox) == sent_before


def test_fresh_pending_rows_wait_a_minute_for_the_sweep(author):
    UserFactory()
    make_statement(author=author, state="consultation")
    assert services.outbox_sweep() == 0
    waiting = len(email_rows(status=Status.PENDING))
    assert waiting >= 1
    assert services.outbox_sweep(now=timezone.now() + timedelta(minutes=2)) == waiting


def test_unsubscribe_link_turns_that_kind_off_without_login(
    author, django_capture_on_commit_callbacks
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        make_statement(author=author, state="consultation")
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    link = unsubscribe_link(message)
    path = link.split("://", 1)[1].split("/", 1)[1]
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get("/" + path)
    assert page.status_code == 200 and b"<form" in page.content
    assert not Preference.objects.filter(user=person).exists()  # GET changes nothing
    # RFC 8058: the mail client POSTs without a CSRF token.
    response = anonymous.post("/" + path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=person, kind=Kind.CONSULTATION_OPENED).mode == Mode.OFF
    # A forged token does nothing.
    assert anonymous.post("/" + path[:-3] + "xyz/").status_code == 400


def test_many_mails_use_one_smtp_connection(
    author, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    UserFactory.create_batch(30)
    opened = []
    original = EmailBackend.__init__

    def counting_init(self, *args, **kwargs):
        opened.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(EmailBackend, "__init__", counting_init)
    with django_capture_on_commit_callbacks(execute=True):
        make_statement(author=author, state="consultation")
    assert len(mail.outbox) >= 30
    assert len(opened) == 1


def test_a_mention_replaces_the_comment_mail_and_links_to_the_comment(
    author, in_consultation, django_capture_on_commit_callbacks
):
    from discussion.services import comment_create

    Preference.objects.create(user=author, kind=Kind.COMMENT_CREATED, mode=Mode.IMMEDIATELY)
    writer = UserFactory(display_name="Wanda Schreiberin")
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(
            statement=in_consultation,
            author=writer,
            body="Was meinst du?",
            mention_names=str(author),
        )
    mine = [m for m in mail.outbox if m.to == [author.email]]
    assert len(mine) == 1, [m.subject for m in mine]
    assert "erwähnt" in mine[0].subject and f"#comment-{comment.pk}" in mine[0].body
    assert "Wanda Schreiberin" in mine[0].body


def test_suggestion_declined_reaches_the_suggester_only(
    author, in_consultation, django_capture_on_commit_callbacks
):
    from discussion.services import comment_create, suggestion_decline
    from statements.markdown import blocks

    suggester = UserFactory()
    block = blocks(in_consultation.body)[0]
    comment = comment_create(
        statement=in_consultation,
        author=suggester,
        body="Besser so",
        block_id=block.id,
        suggestion_text="Neuer erster Absatz.",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_decline(comment=comment, actor=author, reason="Passt nicht zum Anlass")
    declined = [m for m in mail.outbox if "nicht übernommen" in m.subject]
    assert [m.to for m in declined] == [[suggester.email]]
    assert "Passt nicht zum Anlass" in declined[0].body


def test_digest_unsubscribe_turns_every_digest_kind_off(author, django_capture_on_commit_callbacks):
    person = UserFactory()
    Preference.objects.create(user=person, kind=Kind.CONSULTATION_OPENED, mode=Mode.DIGEST)
    make_statement(author=author, state="consultation")
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_build()
    [digest] = [m for m in mail.outbox if m.to == [person.email]]
    path = "/" + unsubscribe_link(digest).split("://", 1)[1].split("/", 1)[1]
    assert Client().post(path).status_code == 200
    modes = services.preferences_for(person)
    assert modes[Kind.CONSULTATION_OPENED] == Mode.OFF
    assert modes[Kind.COMMENT_CREATED] == Mode.OFF  # digest by default
    assert modes[Kind.VOTING_OPENED] == Mode.IMMEDIATELY  # untouched


def test_export_lists_only_my_notification_data(member, in_consultation):
    from notifications.export import user_data

    data = user_data(member)
    assert data["notifications"] and all(
        n["statement"] == in_consultation.slug for n in data["notifications"]
    )
    import json

    json.dumps(data)


def test_suggestion_applied_mail_shows_the_change_formatted_and_marked(
    author, in_consultation, django_capture_on_commit_callbacks
):
    """Issue 15: the applied suggestion's mail carries its change: formatted in the HTML
    part (<ins>/<del> with hidden labels), as marked source in the text part."""
    from discussion.services import comment_create, suggestion_apply
    from statements.markdown import blocks

    suggester = UserFactory()
    Preference.objects.create(user=suggester, kind=Kind.SUGGESTION_APPLIED, mode=Mode.IMMEDIATELY)
    block = blocks(in_consultation.body)[0]
    comment = comment_create(
        statement=in_consultation,
        author=suggester,
        body="Betonen",
        block_id=block.id,
        suggestion_text=block.source + " Das ist **wichtig**.",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_apply(comment=comment, actor=author)
    [message] = [m for m in mail.outbox if m.to == [suggester.email]]
    html = message.alternatives[0][0]
    # The inserted words keep their emphasis; one insertion is announced once.
    assert re.search(r"<strong><ins[^>]*>wichtig</ins></strong>", html)
    assert html.count("[eingefügt:]") == 1 and html.count("[Ende der Einfügung]") == 1
    assert "[+ Das ist **wichtig**.+]" in message.body or "[+Das ist **wichtig**.+]" in message.body


def test_coordinators_see_when_an_unanswered_mail_goes_out_again(author, coordinator, client_for):
    person = UserFactory()
    make_statement(author=author, state="consultation")
    row = Notification.objects.get(recipient=person, channel=Channel.EMAIL)
    # Marked sent, then the worker died before the server's reply was recorded.
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENT, lease_until=timezone.now() - timedelta(seconds=1), attempts=1
    )
    services.outbox_sweep()
    row.refresh_from_db()
    assert row.status == Status.UNANSWERED
    page = client_for(coordinator).get("/coordination/notifications/").content.decode()
    assert person.email in page and "automatisch erneut gesendet" in page
    # Past its retry window it is no longer resent: then the page does not promise it.
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=datetime.max.replace(tzinfo=UTC))
    page = client_for(coordinator).get("/coordination/notifications/").content.decode()
    assert person.email in page and "automatisch erneut gesendet" not in page
