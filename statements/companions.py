"""Companion versions of a published paper: "Einfache Sprache" and reviewed translations
(issue 19). Every write is here: a member writes (`companion_save`), a second member
approves (`companion_approve`), and a retraction of the paper retracts them
(`companions_retract`, called by workflow.services.statement_transition).
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_member
from core import pagecache
from core.errors import ServiceError
from core.text import clean_line
from statements import markdown
from statements.models import Companion, CompanionKind, Statement
from statements.states import State

BODY_MAX = 100_000


class CompanionError(ServiceError):
    status = 409


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself
    rtl: bool


def language(code: str) -> Language:
    names = settings.RTM_COMPANION_LANGUAGE_NAMES
    return Language(code=code, name=names.get(code, code), rtl=code in settings.RTM_RTL_LANGUAGES)


def languages() -> list[Language]:
    """The translation languages offered, from the setting RTM_COMPANION_LANGUAGES."""
    return [language(code) for code in settings.RTM_COMPANION_LANGUAGES]


def parse_code(code: str) -> tuple[str, str] | None:
    """(kind, language) of a URL code ("einfach" or a configured language), else None."""
    if code == "einfach":
        return CompanionKind.PLAIN, "de"
    if code in settings.RTM_COMPANION_LANGUAGES:
        return CompanionKind.TRANSLATION, code
    return None


# --- who may do what -----------------------------------------------------------


def can_write_companion(user: Any, statement: Statement) -> bool:
    return is_member(user) and statement.state == State.PUBLISHED


def can_edit_companion(user: Any, companion: Companion) -> bool:
    """The writer, until a second member approved it."""
    return (
        can_write_companion(user, companion.statement)
        and companion.reviewed_at is None
        and companion.written_by_id == user.pk
    )


def can_approve_companion(user: Any, companion: Companion) -> bool:
    """A member who did not write it, once, while the paper is published."""
    return (
        is_member(user)
        and companion.statement.state == State.PUBLISHED
        and companion.reviewed_at is None
        and companion.written_by_id is not None
        and companion.written_by_id != user.pk
    )


# --- writes ----------------------------------------------------------------------


def companion_save(
    *, statement: Statement, actor: Any, kind: str, language_code: str, title: str, body: str
) -> Companion:
    """Create or (by its writer, before approval) change a companion version."""
    if kind == CompanionKind.PLAIN:
        language_code = "de"
    elif language_code not in settings.RTM_COMPANION_LANGUAGES:
        raise CompanionError(_("Diese Sprache ist nicht vorgesehen."), status=400)
    title, body = clean_line(title), body.strip()
    if not title or not body or len(body) > BODY_MAX:
        raise CompanionError(_("Bitte geben Sie Titel und Text an."), status=400)
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if not can_write_companion(actor, locked):
            raise CompanionError(
                _("Fassungen können nur zu veröffentlichten Stellungnahmen geschrieben werden.")
            )
        companion = (
            Companion.objects.select_for_update()
            .filter(statement=locked, kind=kind, language=language_code)
            .first()
        )
        if companion is None:
            companion = Companion(
                statement=locked, kind=kind, language=language_code, written_by=actor
            )
        elif not can_edit_companion(actor, companion):
            raise CompanionError(
                _(
                    "Diese Fassung gibt es schon; ändern kann sie nur, wer sie "
                    "geschrieben hat, vor der Prüfung."
                )
            )
        companion.title = title
        companion.body = body
        companion.body_html = markdown.render(body)
        companion.updated_at = timezone.now()
        companion.save()
    return companion


def companion_approve(*, companion_id: int, actor: Any) -> Companion:
    """A second member approves: from now on the version is public, labelled with them."""
    with transaction.atomic():
        companion = (
            Companion.objects.select_for_update().select_related("statement").get(pk=companion_id)
        )
        if companion.reviewed_at is not None:
            raise CompanionError(_("Diese Fassung wurde bereits freigegeben."))
        if not can_approve_companion(actor, companion):
            raise CompanionError(
                _(
                    "Freigeben kann nur ein anderes Mitglied als die Person, "
                    "die sie geschrieben hat."
                ),
                status=403,
            )
        companion.reviewed_by = actor
        companion.reviewed_at = timezone.now()
        companion.save(update_fields=["reviewed_by", "reviewed_at"])
        pagecache.invalidate_public_pages()
    return companion


def companions_retract(*, statement: Statement) -> int:
    """Retract every companion of a retracted paper (inside the transition's transaction)."""
    return Companion.objects.filter(statement=statement, retracted_at__isnull=True).update(
        retracted_at=timezone.now()
    )


# --- readability -----------------------------------------------------------------


@dataclass(frozen=True)
class Readability:
    wiener: float  # Wiener Sachtextformel (1st): school year, 4 (easy) … 15 (hard)
    amstad: float  # Flesch reading ease, Amstad's German formula: 0 (hard) … 100 (easy)

    @property
    def level(self) -> str:
        if self.wiener <= 6:
            return _("leicht verständlich")
        if self.wiener <= 10:
            return _("mittel")
        return _("schwer verständlich")


def readability(text: str) -> Readability | None:
    """German readability of a Markdown text; None for too little text."""
    plain = markdown_text(text)
    if len(plain.split()) < 3:
        return None
    # The same text always scores the same: kept a day, keyed by its digest.
    key = "readability:1:" + hashlib.sha256(plain.encode()).hexdigest()
    try:
        found = cache.get(key)
    except Exception:  # noqa: BLE001 - a score is a hint: without the cache, compute it
        found = None
    if found is None:
        import textstat

        textstat.set_lang("de")
        found = (
            round(float(textstat.wiener_sachtextformel(plain, 1)), 1),
            round(float(textstat.flesch_reading_ease(plain)), 1),
        )
        with contextlib.suppress(Exception):
            cache.set(key, found, 86_400)
    return Readability(wiener=found[0], amstad=found[1])


def markdown_text(source: str) -> str:
    """The words of a Markdown text, roughly: markup characters dropped."""
    import re

    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", source)
    text = re.sub(r"^[#>\-*+\s]+|[*_`]", "", text, flags=re.M)
    return text
