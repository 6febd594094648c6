"""A reply by e-mail becomes an answer in its thread, written as the person the mail
went to; everything else creates nothing and is answered with a clear bounce."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from discussion import services as discussion
from discussion.models import Comment
from inbound import tokens
from inbound.models import Decision, InboundMessage
from inbound.services import receive
from inbound.targets import SUGGESTION
from notifications.models import Notification
from tests.discussion.conftest import block_ids
from tests.factories import UserFactory
from tests.inbound.conftest import DOMAIN, address_for, raw_reply

pytestmark = pytest.mark.django_db

TYPED = {
    "thunderbird_de.eml": (
        "Ich stimme dem Vorschlag zu, würde aber den zweiten Satz kürzen.\n\n"
        "Können wir das beim nächsten Treffen besprechen?"
    ),
    "outlook_de.eml": (
        "Guten Tag,\n\naus Sicht der Ausländerbehörde ist die Frist von vier Wochen zu knapp.\n"
        "Wir schlagen sechs Wochen vor."
    ),
    "gmail_de.eml": (
        "Danke für die Zusammenfassung!\nIch übernehme gern den Abschnitt über Sprachkurse."
    ),
}


def answers(thread) -> list[Comment]:
    return list(Comment.objects.filter(parent=thread).order_by("pk"))


def bounce_to(address: str):
    bounces = [m for m in mail.outbox if m.to == [address] and "X-RTM-Inbound" in m.extra_headers]
    assert len(bounces) == 1, [m.subject for m in mail.outbox]
    return bounces[0]


@pytest.mark.parametrize("fixture", sorted(TYPED))
def test_a_german_reply_becomes_exactly_the_typed_text_in_the_thread(
    fixture, thread, author, django_capture_on_commit_callbacks
):
    raw = raw_reply(
        fixture, to=address_for(author, thread), sender=author.email, message_id=f"{fixture}@mua"
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = receive(raw)

    assert outcome.decision == Decision.ACCEPTED
    [reply] = answers(thread)
    assert reply.author == author
    assert reply.body == TYPED[fixture]
    # Notified as for a web reply: the thread's author hears of it.
    assert Notification.objects.filter(
        recipient=thread.author, kind="comment_created", context__comment_id=reply.pk
    ).exists()
    assert InboundMessage.objects.get(message_key=f"<{fixture}@mua>").created == (
        f"discussion.comment:{reply.pk}"
    )
    assert not [m for m in mail.outbox if "X-RTM-Inbound" in m.extra_headers]


def test_a_reply_about_a_suggestion_lands_in_the_suggestion_thread(
    in_consultation, member, author, django_capture_on_commit_callbacks
):
    suggestion = discussion.comment_create(
        statement=in_consultation,
        author=member,
        body="Kürzer?",
        block_id=block_ids(in_consultation)[0],
        suggestion_text="Kurz.",
    )
    to = address_for(author, suggestion, target=SUGGESTION)
    raw = raw_reply("gmail_de.eml", to=to, sender=author.email, message_id="s@mua")
    assert receive(raw).decision == Decision.ACCEPTED
    assert [c.body for c in answers(suggestion)] == [TYPED["gmail_de.eml"]]


def _refused(raw: bytes, thread, sender: str, decision: str, capture) -> object:
    with capture(execute=True):
        outcome = receive(raw)
    assert outcome.decision == decision
    assert answers(thread) == []
    return bounce_to(sender)


def test_a_forged_token_creates_nothing_and_is_bounced(
    thread, author, django_capture_on_commit_callbacks
):
    good = address_for(author, thread)
    local, _, domain = good.partition("@")
    forged_local = local[:-3] + ("aaa" if not local.endswith("aaa") else "bbb")
    # Also: someone else's id with a copied signature.
    raw = raw_reply(
        "thunderbird_de.eml", to=f"{forged_local}@{domain}", sender=author.email, message_id="f@x"
    )
    bounce = _refused(
        raw, thread, author.email, Decision.FORGED, django_capture_on_commit_callbacks
    )
    assert "Antwortadresse ist ungültig" in bounce.body
    assert bounce.extra_headers["Auto-Submitted"] == "auto-replied"


def test_an_expired_token_creates_nothing_and_is_bounced_in_english_for_an_english_reader(
    thread, author, settings, django_capture_on_commit_callbacks
):
    author.language = "en"
    author.save(update_fields=["language"])
    old = timezone.localdate() - timedelta(days=settings.RTM_REPLY_TOKEN_DAYS + 1)
    token = tokens.make_token(user_id=author.pk, target="c", target_id=thread.pk, today=old)
    raw = raw_reply(
        "gmail_de.eml", to=f"reply+{token}@{DOMAIN}", sender=author.email, message_id="e@x"
    )
    bounce = _refused(
        raw, thread, author.email, Decision.EXPIRED, django_capture_on_commit_callbacks
    )
    assert "expired" in bounce.body
    assert "abgelaufen" not in bounce.body


def test_a_reply_from_another_address_creates_nothing_and_is_bounced(
    thread, author, django_capture_on_commit_callbacks
):
    raw = raw_reply(
        "outlook_de.eml",
        to=address_for(author, thread),
        sender="impostor@example.net",
        message_id="w@x",
    )
    bounce = _refused(
        raw,
        thread,
        "impostor@example.net",
        Decision.WRONG_SENDER,
        django_capture_on_commit_callbacks,
    )
    # No account: both languages, and nothing about the person the address was made for.
    assert "nur für die Adresse" in bounce.body and "only for the address" in bounce.body
    assert author.email not in bounce.body and str(author) not in bounce.body


def test_the_same_message_twice_creates_one_answer_and_bounces_the_replay(
    thread, author, django_capture_on_commit_callbacks
):
    raw = raw_reply(
        "gmail_de.eml", to=address_for(author, thread), sender=author.email, message_id="r@x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(raw).decision == Decision.ACCEPTED
        assert receive(raw).decision == Decision.REPLAY
    assert len(answers(thread)) == 1
    assert "bereits empfangen" in bounce_to(author.email).body


def test_a_reply_to_a_draft_the_sender_can_no_longer_see_creates_nothing(
    author, coauthor, django_capture_on_commit_callbacks
):
    from statements.models import Coauthorship
    from tests.factories import make_statement

    draft = make_statement(author=author, coauthors=[coauthor], state="draft")
    thread = discussion.comment_create(statement=draft, author=author, body="Entwurf-Notiz")
    to = address_for(coauthor, thread)  # mailed while coauthor was an author
    Coauthorship.objects.filter(statement=draft, user=coauthor).delete()
    draft.__dict__.pop("_author_ids", None)
    raw = raw_reply("thunderbird_de.eml", to=to, sender=coauthor.email, message_id="d@x")
    bounce = _refused(
        raw, thread, coauthor.email, Decision.NOT_ALLOWED, django_capture_on_commit_callbacks
    )
    assert "nicht (mehr) antworten" in bounce.body
    assert draft.title not in bounce.body and "Entwurf-Notiz" not in bounce.body


def test_an_attachment_is_refused_with_a_friendly_bounce(
    thread, author, django_capture_on_commit_callbacks
):
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = author.email
    message["To"] = address_for(author, thread)
    message["Subject"] = "Re: [RTM] Kommentar"
    message["Message-ID"] = "<a@x>"
    message.set_content("Siehe Anhang.")
    message.add_attachment(b"%PDF-1.4 ...", maintype="application", subtype="pdf", filename="a.pdf")
    bounce = _refused(
        message.as_bytes(),
        thread,
        author.email,
        Decision.ATTACHMENT,
        django_capture_on_commit_callbacks,
    )
    assert "Anhänge können nicht übernommen werden" in bounce.body


def test_an_automatic_answer_is_recorded_but_never_bounced(
    thread, author, django_capture_on_commit_callbacks
):
    raw = raw_reply(
        "gmail_de.eml", to=address_for(author, thread), sender="other@example.net", message_id="v@x"
    )
    raw = b"Auto-Submitted: auto-replied\r\n" + raw
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(raw).decision == Decision.WRONG_SENDER
    assert mail.outbox == []
    assert InboundMessage.objects.get(message_key="<v@x>").decision == Decision.WRONG_SENDER


def test_the_token_fits_a_local_part_and_survives_case_folding(db):
    big = 36**6 - 1
    token = tokens.make_token(user_id=big, target="c", target_id=big)
    assert len(tokens.LOCAL_PREFIX + token) <= 64
    parsed = tokens.read_token(token.upper())
    assert (parsed.user_id, parsed.target, parsed.target_id) == (big, "c", big)


def test_comment_mails_carry_the_recipients_own_reply_address(
    thread, author, member, django_capture_on_commit_callbacks
):
    from notifications import services as notifications

    notifications.preference_save(user=author, kind="comment_created", mode="immediately")
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        discussion.comment_reply(parent=thread, author=other, body="Eine Antwort im Web.")
    notifications.outbox_deliver()  # delivered on commit already; nothing left here
    [message] = [m for m in mail.outbox if m.to == [author.email]]
    reply_to = message.extra_headers["Reply-To"]
    assert reply_to == address_for(author, thread)
    assert "antworten" in message.body
    # Replying to it works end to end.
    raw = raw_reply("gmail_de.eml", to=reply_to, sender=author.email, message_id="rt@x")
    assert receive(raw).decision == Decision.ACCEPTED


def test_without_a_reply_domain_mails_have_no_reply_address(thread, author, settings):
    settings.RTM_REPLY_DOMAIN = ""
    assert address_for(author, thread) == ""


def test_an_html_only_reply_keeps_the_text_above_the_quote(
    thread, author, django_capture_on_commit_callbacks
):
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = f"Anna <{author.email}>"
    message["To"] = address_for(author, thread)
    message["Subject"] = "Re: [RTM] Kommentar"
    message["Message-ID"] = "<h@x>"
    message.set_content(
        "<div>Einverstanden &amp; danke!<br>Bis Montag.</div>"
        '<div class="gmail_quote">Am Mo., 7. Dez. 2026 schrieb RTM:<blockquote>alt'
        "</blockquote></div>",
        subtype="html",
    )
    assert receive(message.as_bytes()).decision == Decision.ACCEPTED
    assert [c.body for c in answers(thread)] == ["Einverstanden & danke!\nBis Montag."]


def test_the_registry_keeps_each_code_for_its_target(db):
    """Code "l" is the e-mail list's (registered by inbound itself), "a" the addressees'
    answers (registered by public); a code cannot be taken by another target."""
    from inbound import targets

    assert targets.TARGETS["l"].name == "list_post"
    assert targets.TARGETS["a"].name == "position_answer"
    stand_in = targets.TARGETS["c"]
    for code in ("l", "a", "c"):
        with pytest.raises(ValueError):
            targets.register(
                targets.ReplyTarget(code, "other", stand_in.find, stand_in.may_answer, print)
            )
