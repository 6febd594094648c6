"""Every page and every mail, in German and in English (issue 16, item 11).

Pages: one URL per GET pattern of the authorization matrix (tests/authz/test_matrix.py),
for every statement state the pattern has, each requested by the first role that may
see it. Mails: every kind in notifications/kinds.py, built by its builder from the
same world. Each rendering fails on

- German left in the English rendering: a piece of a German msgid of our catalogues
  (translated or not) that no English text of ours, Django's or allauth's contains, or
  any word with an umlaut or ß (a string never marked for translation);
- a date in the other language's style: German month or weekday names or "7.12.2026"
  in English, English month or weekday names, "a.m." or "12/7/2026" in German;

and every model label (verbose names, choices) must differ between the languages
unless it reads the same in both (ALIKE).

Left out: binary and machine-readable answers (PDF, DOCX, iCalendar, feeds, JSON),
free text stored in the database (what people typed, or minutes drafted once in their
writer's language: stored_text()), the association's legal name, text marked with
another lang="" (the language switch names each language in itself), <textarea>,
<pre> and <code>.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import camel_case_to_spaces

from tests.authz.conftest import world as authz_world
from tests.authz.test_matrix import MATRIX
from tests.authz.world import STATES, World

pytestmark = pytest.mark.django_db

world = authz_world  # the authorization matrix's world (module-scoped fixture)

LANGUAGES = ("de", "en")
# The first of these whom a row lets see the page ("ok") requests it: the coordinator
# sees the most (every panel, every button).
ROLE_ORDER = ("coordinator", "author", "coauthor", "member", "registered", "suspended", "visitor")
ROOT = settings.BASE_DIR
ALLAUTH_PAGES = (
    ("account_login", "visitor"),
    ("account_signup", "visitor"),
    ("account_reset_password", "visitor"),
    ("account_email", "member"),
    ("account_change_password", "member"),
)
# Names that stay German in English (the association's legal name in the imprint).
PROPER_NAMES = ("Runder Tisch Migration Landkreis Leipzig",)
# Files, not pages (and slow to render): PDF and DOCX of a published paper.
BINARY = {"public:document"}

# Labels that read the same in both languages.
ALIKE = {
    *("E-Mail", "Name", "Status", "Position", "Token", "Slug", "Details", "Info", "Person"),
    *("Organisation", "Initiative", "Website", "Quorum", "Text (Markdown)", "Link"),
    *("Information", "Text"),
    # Each language is named in itself (settings.LANGUAGES), in both interfaces.
    *("Deutsch", "English", "العربية", "فارسی", "Українська", "Русский", "Türkçe"),
}

# The outbox row's recipient fields (one of them is the person the mail is for).
PERSON_FIELDS = {
    "recipient",
    "invitation",
    "subscriber",
    "list_subscriber",
    "addressee",
    "inbound_message",
}

GERMAN_DATES = [
    re.compile(r"\b(Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember)\b"),
    re.compile(r"\b(Okt|Dez)\.(?=\s*\d)"),
    re.compile(r"\b(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)\b"),
    re.compile(r"(?<![\d.])\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b"),
    re.compile(
        r"\b\d{1,2}\.\s(January|February|March|April|May|June|July|August|"
        r"September|October|November|December)"
    ),
    re.compile(r"\d\sUhr\b"),
]
ENGLISH_DATES = [
    re.compile(r"\b(January|February|March|May|June|July|October|December)\b"),
    re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    re.compile(r"\b\d{1,2}:\d{2}\s?(a\.m\.|p\.m\.|AM|PM)"),
    re.compile(r"(?<!\d)\d{1,2}/\d{1,2}/\d{2,4}\b"),
    re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{1,2}, \d{4}"),
]


# --- what counts as German left in English -------------------------------------------


def our_catalogues() -> list[tuple[str, str]]:
    """(msgid, English msgstr) of every message in our English catalogues, translated
    or not (allauth's catalogue in accounts/locale_allauth has English msgids: left out)."""
    paths = [
        *ROOT.glob("*/locale/en/LC_MESSAGES/django.po"),
        ROOT / "locale/en/LC_MESSAGES/django.po",
    ]
    pairs = []
    for path in paths:
        with path.open("rb") as handle:
            for message in read_po(handle, locale="en"):
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                pairs += [(i, s or "") for i, s in zip(ids, strings * len(ids), strict=False)]
    return pairs


@cache
def german_fragments() -> tuple[str, ...]:
    """Pieces of our German msgids (between placeholders) that cannot be English text:
    they hold a real word, and no English text of ours, Django's or allauth's uses the
    same words (so "Start" or "Text" are never suspects). A msgid whose translation is
    missing, empty or a copy of the German is a suspect like any other."""
    pairs = our_catalogues()
    ours = {msgid for msgid, _msgstr in pairs}
    with translation.override("en"):
        merged = translation.trans_real.translation("en")._catalog
        theirs = [k for k in merged.keys() if isinstance(k, str) and k not in ours]
    english = "\n".join([msgstr for msgid, msgstr in pairs if msgstr != msgid] + theirs)
    fragments = set()
    for msgid, _msgstr in pairs:
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|\n", msgid):
            piece = piece.strip(" .,:;!?()–-*\"'„“")
            if not re.search(r"[A-Za-zÄÖÜäöüß]{4,}", piece) or piece in ALIKE:
                continue
            if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", english):
                continue  # an English word as well
            fragments.add(piece)
    return tuple(sorted(fragments, key=len, reverse=True))


def german_left_in(text: str) -> list[str]:
    """The German pieces in `text`, each with a little of what surrounds it."""
    found = []
    for piece in german_fragments():
        if piece not in text:
            continue
        match = re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text)
        if match:
            around = text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " | ")
            found.append(f"{piece} («{around}»)")
            text = text.replace(piece, " ")
    return found


def dates_in_other_language(text: str, language: str) -> list[str]:
    patterns = GERMAN_DATES if language == "en" else ENGLISH_DATES
    return [m.group(0) for pattern in patterns for m in pattern.finditer(text)]


# --- reading a page as a person does -----------------------------------------------------


class VisibleText(HTMLParser):
    """Text and the labels people hear (aria-label, title, placeholder, alt), without
    scripts, user-typed blocks and text marked as another language."""

    SKIP = {"script", "style", "textarea", "pre", "code", "template"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
    ATTRS = ("aria-label", "title", "placeholder", "alt")

    def __init__(self, language: str, typed: tuple[str, ...] = ()) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.typed = typed
        self.stack: list[bool] = []  # per open element: is it skipped?
        self.parts: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = (values.get("lang") or "").split("-")[0]
        skip = tag in self.SKIP or (bool(lang) and tag != "html" and lang != self.language)
        if not (self.skipping or skip):
            self.parts.extend(str(values[a]) for a in self.ATTRS if values.get(a))
            if tag == "input" and values.get("type") in {"submit", "button"}:
                self.parts.append(str(values.get("value") or ""))
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        joined = "\n".join(p.strip() for p in self.parts if p.strip())
        for typed in self.typed:
            joined = joined.replace(typed, " ")
        return joined


def visible_text(html: str, language: str, typed: tuple[str, ...] = ()) -> str:
    parser = VisibleText(language, typed)
    parser.feed(html)
    parser.close()
    return parser.text()


def stored_text() -> tuple[str, ...]:
    """Everything the database holds as free text (titles, bodies, names, notes, minutes):
    what people typed, or a document drafted once in its writer's language. Cut into the
    pieces a rendering shows (Markdown marks, lines), longest first."""
    pieces: set[str] = set()
    for model in our_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for values in model._default_manager.values_list(*fields):
            for value in values:
                if not isinstance(value, str):
                    continue
                for piece in re.split(r"[\n*_#>`\[\]()|]+", value):
                    piece = piece.strip()
                    if len(piece) >= 4:
                        pieces.add(piece)
    return tuple(sorted(pieces | set(PROPER_NAMES), key=len, reverse=True))


def without(text: str, typed: tuple[str, ...]) -> str:
    text = re.sub(r"\[[-+]|[-+]\]", "", text)  # a suggestion's marks in the text mail
    for piece in typed:
        text = text.replace(piece, " ")
    return text


def problems(text: str, language: str) -> list[str]:
    found = [f"date: {d}" for d in dates_in_other_language(text, language)]
    if language == "en":
        found += [f"German: {g}" for g in german_left_in(text)]
        # A string never marked for translation is in no catalogue: its umlauts show it.
        found += [f"German word: {w}" for w in re.findall(r"\w*[äöüÄÖÜß]\w*", text)]
    return found


# --- every page --------------------------------------------------------------------------


def page_requests(world: World) -> Iterator[tuple[str, str, str]]:
    """(label, path, role) for every GET row and state someone may see."""
    for row in MATRIX:
        if row.method != "GET" or row.name in BINARY:
            continue
        for state in STATES if row.per_state else (None,):
            role = next((r for r in ROLE_ORDER if row.expect(r, state) == "ok"), None)
            if role is None:
                continue
            path = reverse(row.name, kwargs=row.kwargs(world, state))
            yield f"{row.name}[{state}]" if state else row.name, path, role
    # allauth's pages are not in the matrix; ours are its templates and texts.
    for name, role in ALLAUTH_PAGES:
        yield name, reverse(name), role


def test_every_page_in_both_languages(world):
    failures: dict[str, list[str]] = {}
    pages = 0
    typed = stored_text()
    for label, path, role in page_requests(world):
        client = world.client(role)
        for language in LANGUAGES:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            with transaction.atomic():
                response = client.get(path)
                transaction.set_rollback(True)
            assert response.status_code == 200, (label, language, response.status_code)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            pages += 1
            html = response.content.decode()
            if "<html" in html:  # a whole page, not an htmx fragment
                assert f'<html lang="{language}"' in html, (label, language)
            found = problems(visible_text(html, language, typed), language)
            if found:
                failures[f"{label} ({language}, {role})"] = sorted(set(found))
    for client in world.clients.values():
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    assert pages > 100, pages
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


def test_the_checks_catch_what_they_are_for():
    """The detectors themselves: German text and dates in English, English dates in German."""
    assert "date: 7. Dezember" in " ".join(problems("am 7. Dezember 2026", "en")) or problems(
        "am 7. Dezember 2026", "en"
    )
    assert problems("on 07.12.2026", "en")
    assert problems("am December 7, 2026", "de")
    assert problems("um 2:30 p.m.", "de")
    assert not problems("7 December 2026, 14:30", "en")
    assert not problems("7. Dezember 2026, 14:30", "de")
    some_german = next(p for p in german_fragments() if " " in p)
    assert german_left_in(f"Header {some_german} footer")[0].startswith(f"{some_german} («")
    assert (
        visible_text('<p>Hi</p><span lang="de">Deutsch</span><textarea>x</textarea>', "en") == "Hi"
    )


# --- every mail ----------------------------------------------------------------------


def mail_rows(world: World) -> Iterator[Any]:
    """One unsaved outbox row per kind, pointing at the world's objects."""
    from notifications.models import Kind, Notification, PublicSubscriber
    from voting.models import Ballot

    coordinator = world.users["coordinator"]
    voting = world.statements["voting"]
    ballot = Ballot.objects.filter(statement=voting).order_by("-round").first()
    meeting = world.objects["meeting_internal"]
    comment = world.objects["comment"]
    subscriber = PublicSubscriber.objects.create(email="leserin@example.org")
    from notifications.models import Addressee
    from statements.models import Statement

    pdf = Path(tempfile.mkdtemp()) / "stellungnahme.pdf"
    pdf.write_bytes(b"%PDF-1.7 stand-in")
    public_paper = Statement.objects.public().filter(state="published").order_by("pk").first()
    addressee = Addressee.objects.create(
        name="Landratsamt",
        organisation="Büro des Landrats",
        email="amt@example.org",
        kind="administration",
    )
    paper = {"actor_id": world.users["author"].pk}
    from django.utils import timezone

    from inbound.models import InboundMessage
    from maillist.models import Post
    from notifications.models import Answer

    list_post = world.objects["list_post_public"]
    list_reply = Post.objects.create(
        post_type=list_post.post_type,
        title=f"Re: {list_post.title}",
        body="Danke, wir beantragen das.",
        body_html="<p>Danke, wir beantragen das.</p>",
        is_public=True,
        state="sent",
        sent_at=timezone.now(),
        author=world.users["member"],
        parent=list_post,
    )
    answer = Answer.objects.create(
        statement=public_paper,
        addressee=addressee,
        sender="Sachgebiet Integration",
        sender_email="sg@example.org",
        received_on=timezone.localdate(),
        text="Wir prüfen Ihre Vorschläge.",
        by_mail=True,
    )
    refused = InboundMessage.objects.create(
        message_key="<abgelehnt@example.org>",
        sender=world.users["member"].email,
        user=world.users["member"],
        decision="not_allowed",
        subject="Re: Kommentar",
    )
    by_kind: dict[str, dict[str, Any]] = {
        Kind.CONSULTATION_OPENED: {"statement": world.statements["consultation"]},
        Kind.COMMENT_CREATED: {"statement": comment.statement, "comment_id": comment.pk},
        Kind.MENTIONED: {"statement": comment.statement, "comment_id": comment.pk},
        Kind.SUGGESTION_APPLIED: {"statement": comment.statement, "comment_id": comment.pk},
        Kind.SUGGESTION_DECLINED: {"statement": comment.statement, "comment_id": comment.pk},
        Kind.COAUTHOR_INVITED: {"statement": world.statements["draft"]},
        Kind.VOTING_OPENED: {"statement": voting, "ballot_id": ballot and ballot.pk},
        Kind.VOTING_REMINDER: {"statement": voting, "ballot_id": ballot and ballot.pk},
        Kind.VOTING_RESULT: {"statement": voting, "ballot_id": ballot and ballot.pk},
        Kind.VOTING_EXTENDED: {"statement": voting, "ballot_id": ballot and ballot.pk},
        Kind.PUBLISHED: {"statement": world.statements["published"]},
        Kind.ADMISSION_REQUESTED: {"admission_request_id": world.objects["admission"].pk},
        Kind.ADMISSION_DECIDED: {"admission_request_id": world.objects["admission"].pk},
        Kind.MEMBERSHIP_CHANGED: {"recipient": world.users["member"]},
        Kind.MEMBER_INVITED: {"recipient": None, "invitation": world.objects["invitation"]},
        Kind.MEETING_INVITATION: {"meeting_id": meeting.pk},
        Kind.MEETING_CHANGED: {"meeting_id": meeting.pk},
        Kind.MEETING_CANCELLED: {"meeting_id": meeting.pk},
        Kind.MEETING_REMINDER: {"meeting_id": meeting.pk},
        Kind.MINUTES_READY: {"meeting_id": meeting.pk},
        Kind.MINUTES_APPROVED: {"meeting_id": meeting.pk},
        Kind.DIGEST: {"items": [world.objects["notification"].pk]},
        Kind.SUBSCRIPTION_CONFIRM: {"recipient": None, "subscriber": subscriber},
        Kind.LIST_POST: {"post_id": world.objects["list_post_public"].pk},
        Kind.POSITION_SENT: {
            "recipient": None,
            "addressee": addressee,
            "statement": public_paper,
            "pdf_path": str(pdf),  # made by public.addressees when sending; a stand-in here
        },
        Kind.FUNDING_REMINDER: {"post_id": world.objects["list_post_public"].pk},
        Kind.LIST_SUBSCRIPTION_REQUESTED: {
            "recipient": None,
            "list_subscriber": world.objects["list_subscriber"],
        },
        Kind.LIST_REPLY: {"post_id": list_reply.pk},
        Kind.ANSWER_RECEIVED: {"statement": public_paper, "answer_id": answer.pk},
        Kind.INBOUND_REFUSED: {"recipient": None, "inbound_message": refused},
    }
    assert set(by_kind) == set(Kind.values), "a new kind needs its row here"
    for kind, spec in by_kind.items():
        fields = {
            "recipient": coordinator,
            **{k: v for k, v in spec.items() if k in PERSON_FIELDS},
        }
        context = {
            **paper,
            **{k: v for k, v in spec.items() if k.endswith("_id") or k in {"items", "pdf_path"}},
        }
        yield Notification(
            kind=kind,
            channel="email",
            statement=spec.get("statement"),
            context=context,
            **fields,
        )


def test_every_mail_in_both_languages(world):
    from notifications import emails
    from notifications.builders import Loaded

    failures: dict[str, list[str]] = {}
    built = 0
    rows = list(mail_rows(world))
    typed = stored_text()
    for language in LANGUAGES:
        for row in rows:
            for person in (row.recipient, row.subscriber, row.list_subscriber):
                if person is not None:
                    person.language = language
            if row.inbound_message is not None:
                row.inbound_message.user.language = language
            if row.invitation is not None and language != settings.LANGUAGE_CODE:
                continue  # no account, no language: the invitation carries both itself
            if row.addressee is not None and language != settings.LANGUAGE_CODE:
                continue  # the address book's offices are written to in German
            message = emails.build(row, Loaded([row]))
            assert message is not None, (row.kind, language)
            built += 1
            subject = str(message.subject)
            assert subject == subject.strip() and "\n" not in subject, subject
            header = message.message().as_bytes().split(b"\nSubject:", 1)[1][:2]
            assert header[:1] == b" " and header[1:2] not in (b"\n", b"\r"), header
            text = without(subject + "\n" + message.body, typed)
            html = visible_text(message.alternatives[0][0], language, typed)
            found = problems(text, language) + problems(html, language)
            if found:
                failures[f"{row.kind} ({language})"] = sorted(set(found))
    for user in world.users.values():
        if user is not None:
            user.refresh_from_db(fields=["language"])
    assert built >= 2 * 22, built
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


# --- every model label -------------------------------------------------------------------


def our_models() -> list[type[models.Model]]:
    # The project's own apps: under the checkout, but not the packages of a virtualenv that
    # lives inside it (CI's .venv), e.g. allauth's mfa.
    return [
        model
        for model in apps.get_models()
        if str(ROOT) in (path := str(getattr(model._meta.app_config, "path", "")))
        and "site-packages" not in path
    ]


def labels() -> Iterator[tuple[str, Any]]:
    for model in our_models():
        name = model._meta.label
        if model._meta.verbose_name != camel_case_to_spaces(model._meta.object_name):
            # Django's own name from the class ("agenda item") is left out: it shows
            # only in the (read-only) admin.
            yield f"{name} verbose_name", model._meta.verbose_name
            yield f"{name} verbose_name_plural", model._meta.verbose_name_plural
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field) or field.auto_created:
                continue
            default = field.name.replace("_", " ")
            if isinstance(field.verbose_name, Promise) or field.verbose_name != default:
                yield f"{name}.{field.name}", field.verbose_name
            for value, label in field.flatchoices or ():
                if isinstance(label, Promise) or (isinstance(label, str) and label != value):
                    yield f"{name}.{field.name}={value}", label


def test_every_model_label_is_translated():
    untranslated = []
    for where, label in labels():
        with translation.override("de"):
            german = str(label)
        with translation.override("en"):
            english = str(label)
        if german == english and german not in ALIKE and re.search(r"[a-zäöüß]{3,}", german):
            untranslated.append(f"{where}: {german}")
    assert not untranslated, "\n".join(untranslated)
