"""Nothing of a draft reaches anyone who may not see the draft (issue 13, item 1).

Written as the attacks were: the follower after back-to-draft, the removed co-author
still in a thread, the export after a suggestion applied in draft, the paper
withdrawn from draft. Each covers what the person would notice: rows written for
them, mail (immediate and digest), the in-app list, the export, the paper's page.
"""

from __future__ import annotations

import pytest
from django.core import mail

from discussion.services import comment_create, comment_reply, suggestion_apply
from notifications import services
from notifications.models import Channel, Follow, Kind, Mode, Notification, Preference, Status
from statements.models import Statement
from statements.services import TextFields, coauthor_remove, statement_edit
from tests.factories import UserFactory, make_statement
from workflow.services import statement_transition

pytestmark = pytest.mark.django_db

BODY = "Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz."
DRAFT_TITLE = "GEHEIMER ENTWURFSTITEL"
DRAFT_TEXT = "GEHEIMER ENTWURFSABSATZ"
NEUTRAL = "Eine Benachrichtigung zu einem Papier, das Sie nicht mehr sehen können"


def step(statement: Statement, name: str, actor) -> Statement:
    return statement_transition(statement_id=statement.pk, name=name, actor=actor, note="Grund")


def rewrite(statement: Statement, author, *, title: str, extra: str = "") -> None:
    statement.refresh_from_db()
    statement_edit(
        statement_id=statement.pk,
        author=author,
        text=TextFields(
            title=title,
            occasion=statement.occasion,
            summary=statement.summary,
            body=statement.body + (f"\n\n{extra}" if extra else ""),
        ),
        message="Überarbeitung",
        base_revision_id=statement.current_revision_id,
        topics=[],
        language=statement.language,
    )


def rows_about(comment, user) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=user, context__comment_id=comment.pk).order_by("pk")
    )


def mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def everything_sent_to(user) -> str:
    return "\n".join(
        m.subject + m.body + "".join(str(a[0]) for a in m.alternatives) for m in mails_to(user)
    )


def test_follower_and_commenter_get_nothing_of_the_paper_after_back_to_draft(
    author, client_for, django_capture_on_commit_callbacks
):
    follower = UserFactory(display_name="Fiona Folgt")
    commenter = UserFactory(display_name="Karl Kommentiert")  # comments go to the digest
    Preference.objects.create(user=follower, kind=Kind.COMMENT_CREATED, mode=Mode.IMMEDIATELY)
    statement = make_statement(
        author=author, state="consultation", title="Offener Titel", body=BODY
    )
    services.follow_set(user=follower, statement=statement, following=True)
    question = comment_create(statement=statement, author=commenter, body="Eine Frage")
    # Written in consultation, not yet delivered (the broker was slow, or the digest waits).
    early = comment_reply(parent=question, author=author, body="Antwort in der Konsultation")
    assert rows_about(early, follower) and rows_about(early, commenter)
    mail.outbox.clear()

    step(statement, "back_to_draft", author)
    rewrite(statement, author, title=DRAFT_TITLE, extra=DRAFT_TEXT)
    late = comment_reply(parent=question, author=author, body="Interne Entwurfsantwort")
    other = comment_create(statement=statement, author=author, body="Neuer Entwurfsfaden")

    # Written: nothing for the follower or the commenter once the paper is a draft.
    for person in (follower, commenter):
        assert rows_about(late, person) == [] and rows_about(other, person) == []

    # Mail: the row written in consultation is skipped (not failed, not retried).
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_deliver()
    assert mails_to(follower) == []
    [pending] = [r for r in rows_about(early, follower) if r.channel == Channel.EMAIL]
    assert pending.status == Status.SKIPPED and pending.attempts == 1

    # Digest: the commenter's waiting item is left out; with nothing else, no digest at all.
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_build()
    assert mails_to(commenter) == []
    digest = Notification.objects.get(recipient=commenter, kind=Kind.DIGEST)
    assert digest.status == Status.SKIPPED
    assert DRAFT_TITLE not in everything_sent_to(follower) + everything_sent_to(commenter)

    # In-app: a neutral line, neither the new title nor the old one, and no way in.
    for person in (follower, commenter):
        page = client_for(person).get("/notifications/").content.decode()
        assert NEUTRAL in page
        assert DRAFT_TITLE not in page and "Offener Titel" not in page
        assert "Autorin" not in page  # nor who wrote
        [row] = [r for r in rows_about(early, person) if r.channel == Channel.INAPP]
        response = client_for(person).post(f"/notifications/{row.pk}/read/", {"open": "1"})
        assert response.status_code == 302 and response["Location"] == "/notifications/"

    # Back in consultation the follower hears of new comments again (and sees the title).
    Notification.objects.all().delete()
    statement.refresh_from_db()
    statement_transition(
        statement_id=statement.pk, name="submit", actor=author, expected_state="draft"
    )
    again = comment_create(statement=statement, author=author, body="Wieder offen")
    assert rows_about(again, follower)
    assert Follow.objects.filter(user=follower, statement=statement).exists()


def test_a_removed_coauthor_gets_no_more_replies_in_their_thread(
    author, coauthor, client_for, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=coauthor, kind=Kind.COMMENT_CREATED, mode=Mode.IMMEDIATELY)
    statement = make_statement(
        author=author, coauthors=[coauthor], state="draft", title=DRAFT_TITLE, body=BODY
    )
    thread = comment_create(statement=statement, author=coauthor, body="Meine Frage")
    before = comment_reply(parent=thread, author=author, body="Antwort vor dem Entfernen")
    assert rows_about(before, coauthor)  # still a co-author: rightly concerned
    mail.outbox.clear()

    assert coauthor_remove(statement=statement, user_id=coauthor.pk)
    after = comment_reply(parent=thread, author=author, body="Antwort nach dem Entfernen")
    assert rows_about(after, coauthor) == []

    # The mail written while they were co-author is not sent after the removal either.
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_deliver()
    assert mails_to(coauthor) == []
    [row] = [r for r in rows_about(before, coauthor) if r.channel == Channel.EMAIL]
    assert row.status == Status.SKIPPED

    page = client_for(coauthor).get("/notifications/").content.decode()
    assert NEUTRAL in page and DRAFT_TITLE not in page
    # The paper itself is closed to them, as the notifications now say.
    assert client_for(coauthor).get(statement.get_absolute_url()).status_code == 404


def test_the_export_after_a_suggestion_applied_in_draft_holds_the_suggestion_not_the_draft(
    author, member, client_for
):
    statement = make_statement(
        author=author, state="consultation", title="Offener Titel", body=BODY
    )
    statement.refresh_from_db()
    from statements import markdown

    first_block = markdown.blocks(statement.current_revision.body)[0].id
    suggestion = comment_create(
        statement=statement,
        author=member,
        body="Mein Vorschlag dazu",
        block_id=first_block,
        suggestion_text="Mein besserer erster Absatz.",
    )
    step(statement, "back_to_draft", author)
    rewrite(statement, author, title=DRAFT_TITLE, extra=DRAFT_TEXT)
    revision = suggestion_apply(comment=suggestion, actor=author)
    assert revision.author_id == member.pk  # credited to the suggester: the old leak
    assert DRAFT_TEXT in revision.body

    response = client_for(member).get("/profile/export/")
    assert response.status_code == 200
    export = response.content.decode()
    # What they wrote is there...
    assert "Mein Vorschlag dazu" in export and "Mein besserer erster Absatz." in export
    # ...nothing of the draft they may not read: its text, its new title.
    assert DRAFT_TEXT not in export and DRAFT_TITLE not in export
    assert "Dritter Absatz" not in export
    # And no notification told them either.
    assert not Notification.objects.filter(recipient=member, kind=Kind.SUGGESTION_APPLIED).exists()

    # Once the paper is back in consultation the member may read it all again.
    statement_transition(statement_id=statement.pk, name="submit", actor=author)
    export = client_for(member).get("/profile/export/").content.decode()
    assert DRAFT_TITLE in export and DRAFT_TEXT in export


def test_a_paper_withdrawn_from_draft_shows_members_nothing_of_its_draft_phase(
    author, member, coordinator, client_for
):
    statement = make_statement(
        author=author, state="consultation", title="Offener Titel", body=BODY
    )
    comment_create(statement=statement, author=member, body="Mein Kommentar aus der Konsultation")
    step(statement, "back_to_draft", author)
    rewrite(statement, author, title=DRAFT_TITLE, extra=DRAFT_TEXT)
    comment_create(statement=statement, author=author, body="Interne Entwurfsnotiz")
    step(statement, "withdraw", author)
    statement.refresh_from_db()
    assert statement.state == "withdrawn"

    # Before the withdrawal the member saw nothing of the draft; after it, neither.
    for path in (statement.get_absolute_url(), f"/statements/{statement.slug}/history/"):
        assert client_for(member).get(path).status_code == 404
    for person in (author, coordinator):
        page = client_for(person).get(statement.get_absolute_url())
        assert page.status_code == 200 and "Interne Entwurfsnotiz" in page.content.decode()
    inapp = client_for(member).get("/notifications/").content.decode()
    assert DRAFT_TITLE not in inapp and NEUTRAL in inapp  # the consultation's announcement
    export = client_for(member).get("/profile/export/").content.decode()
    assert "Mein Kommentar aus der Konsultation" in export and DRAFT_TITLE not in export


def test_a_paper_withdrawn_from_consultation_stays_readable_to_members(author, member, client_for):
    statement = make_statement(
        author=author, state="consultation", title="Offener Titel", body=BODY
    )
    step(statement, "withdraw", author)
    page = client_for(member).get(statement.get_absolute_url())
    assert page.status_code == 200 and "Offener Titel" in page.content.decode()
    # And its notifications keep their title.
    inapp = client_for(member).get("/notifications/").content.decode()
    assert "Offener Titel" in inapp and NEUTRAL not in inapp


def test_the_digest_keeps_what_the_reader_may_see_and_drops_the_draft(
    author, django_capture_on_commit_callbacks
):
    reader = UserFactory(display_name="Dora Digest")
    for kind in (Kind.CONSULTATION_OPENED, Kind.COMMENT_CREATED):
        Preference.objects.create(user=reader, kind=kind, mode=Mode.DIGEST)
    kept = make_statement(author=author, state="consultation", title="Bleibt offen")
    gone = make_statement(author=author, state="consultation", title="Offener Titel")
    assert Notification.objects.filter(recipient=reader, status=Status.DIGEST).count() == 2
    step(gone, "back_to_draft", author)
    rewrite(gone, author, title=DRAFT_TITLE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_build()
    [digest] = mails_to(reader)
    text = everything_sent_to(reader)
    assert "Bleibt offen" in text and kept.get_absolute_url() in text
    assert DRAFT_TITLE not in text and "Offener Titel" not in text
    assert gone.get_absolute_url() not in text
