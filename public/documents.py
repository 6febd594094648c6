"""Press documents of a public position: PDF (WeasyPrint) and DOCX (python-docx).

Both are made from one context (`document_context`): the letterhead from the
settings, title, occasion, decision (date, online vote with its counts or the
publication by the coordinators), the text (the PDF optionally with the line numbers
of statements/lines.py), co-signing organisations, the content hash of
public/record.py, the stable URL and a QR code to it (segno, SVG).

The PDF is rendered from the HTML template public/document.html with
public/document.css (the print layout), as PDF/UA-1 (tagged, fonts embedded); the
canonical text is embedded as `wortlaut.txt`, which /verify/ reads back.

Generated once and kept as files in settings.RTM_DOCUMENTS_DIR, named by a key over
everything printed (revision, hash, co-signers, state, layout VERSION): a new
co-signer or a retraction makes a new file, a second request reads the old one.
Files are written to a temporary name and renamed, so a reader never sees half; a
file lock per document makes concurrent first requests render it once.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import io
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from public import record
from public.selectors import public_statements
from statements import lines
from statements.companions import language
from statements.models import Statement

VERSION = 1
KINDS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
ATTACHMENT_NAME = "wortlaut.txt"


@dataclass(frozen=True)
class Document:
    path: Path
    filename: str
    content_type: str


def stable_url(statement: Statement) -> str:
    return settings.SITE_URL + statement.get_absolute_url()


def document_url(statement: Statement, kind: str) -> str:
    return reverse("public:document", kwargs={"slug": statement.slug, "kind": kind})


def letterhead() -> dict[str, Any]:
    return {
        "name": _("Runder Tisch Migration Landkreis Leipzig"),
        "address": settings.RTM_IMPRINT_ADDRESS,
        "email": settings.RTM_CONTACT_EMAIL,
        "press_name": settings.RTM_PRESS_NAME,
        "press_email": settings.RTM_PRESS_EMAIL,
        "press_phone": settings.RTM_PRESS_PHONE,
        "site": settings.SITE_URL,
    }


def decision_line(decision: record.Decision) -> str:
    """ "Beschlossen am … in einer Online-Abstimmung (12 Ja, 1 Nein, 2 Enthaltungen)"."""
    when = date_format(localtime(decision.decided_at), "DATE_FORMAT") if decision.decided_at else ""
    ballot = decision.ballot
    if ballot is None:
        return _("Beschlossen und veröffentlicht am %(date)s durch die Koordination.") % {
            "date": when
        }
    return _(
        "Beschlossen am %(date)s in einer Online-Abstimmung: %(yes)d Ja, %(no)d Nein, "
        "%(abstain)d Enthaltungen (%(turnout)d von %(eligible)d Stimmberechtigten)."
    ) % {
        "date": when,
        "yes": ballot.count_yes,
        "no": ballot.count_no,
        "abstain": ballot.count_abstain,
        "turnout": ballot.turnout,
        "eligible": ballot.eligible_count,
    }


def citation(statement: Statement) -> str:
    """A citation line: author, title, date, URL."""
    when = date_format(localtime(statement.published_at), "DATE_FORMAT")
    return _(
        "Runder Tisch Migration Landkreis Leipzig: „%(title)s“, Stellungnahme vom %(date)s, %(url)s"
    ) % {
        "title": statement.title,
        "date": when,
        "url": stable_url(statement),
    }


def qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def document_context(statement: Statement, *, numbered: bool = False) -> dict[str, Any]:
    revision = statement.current_revision
    decision = record.decision_for(statement)
    cosigners = [c.organisation.name for c in _cosignatures(statement)]
    body_html = revision.body_html if revision is not None else ""
    if numbered and revision is not None:
        body_html = lines.numbering(revision).html
    return {
        "statement": statement,
        "letterhead": letterhead(),
        "decision": decision,
        "decision_line": decision_line(decision),
        "body_html": body_html,
        "numbered": numbered,
        "cosigners": cosigners,
        "content_hash": record.revision_hash(revision) if revision is not None else "",
        "text": record.revision_text(revision) if revision is not None else "",
        "url": stable_url(statement),
        "verify_url": settings.SITE_URL + reverse("public:verify", kwargs={"slug": statement.slug}),
        "citation": citation(statement),
        "revision": revision,
    }


def _cosignatures(statement: Statement) -> list[Any]:
    found = getattr(statement, "public_cosignatures", None)
    if found is not None:
        return list(found)
    return list(
        statement.cosignatures.select_related("organisation").order_by("organisation__name")
    )


def _key(kind: str, context: dict[str, Any]) -> str:
    statement = context["statement"]
    parts = [
        str(VERSION),
        kind,
        str(context["revision"].pk if context["revision"] else 0),
        context["content_hash"],
        "|".join(context["cosigners"]),
        statement.state,
        statement.retraction_reason,
        str(context["numbered"]),
        context["decision_line"],
        repr(sorted(context["letterhead"].items())),
        context["url"],
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _document_path(kind: str, context: dict[str, Any]) -> Path:
    folder = Path(settings.RTM_DOCUMENTS_DIR) / context["statement"].slug
    number = context["revision"].number if context["revision"] else 0
    return folder / f"r{number}-{_key(kind, context)}.{kind}"


def get_document(statement: Statement, kind: str, *, numbered: bool = False) -> Document:
    """The cached file of `kind` ("pdf" or "docx"), generated on first request."""
    with translation.override(statement.language or settings.LANGUAGE_CODE):
        context = document_context(statement, numbered=numbered and kind == "pdf")
        path = _document_path(kind, context)
        if not path.exists():
            with _generating(path):
                if not path.exists():  # another process made it while this one waited
                    data = render_pdf(context) if kind == "pdf" else render_docx(context)
                    _write_atomic(path, data)
    suffix = "-zeilen" if numbered and kind == "pdf" else ""
    return Document(
        path=path, filename=f"{statement.slug}{suffix}.{kind}", content_type=KINDS[kind]
    )


@contextmanager
def _generating(path: Path) -> Iterator[None]:
    """One generation per file at a time across processes: readers arriving while the
    first request renders wait for its file instead of rendering it again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML, Attachment

    html = render_to_string("public/document.html", {**context, "qr": qr_svg(context["url"])})
    css_path = finders.find("public/document.css")
    attachment = Attachment(
        string=record.canonicalise(context["text"]),
        base_url=settings.SITE_URL,
        name=ATTACHMENT_NAME,
        description=_("Kanonischer Wortlaut (SHA-256 %(hash)s)")
        % {"hash": context["content_hash"]},
    )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(
        stylesheets=[CSS(filename=css_path)],
        pdf_variant="pdf/ua-1",
        attachments=[attachment],
        uncompressed_pdf=False,
    )


def render_docx(context: dict[str, Any]) -> bytes:
    import segno
    from docx import Document as DocxDocument
    from docx.shared import Cm, Pt

    statement = context["statement"]
    head = context["letterhead"]
    doc = DocxDocument()
    doc.core_properties.title = statement.title
    doc.core_properties.author = head["name"]
    doc.core_properties.language = statement.language
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10.5)

    top = doc.add_paragraph()
    top.add_run(head["name"]).bold = True
    for line in [*head["address"], head["email"]]:
        if line:
            top.add_run("\n" + line)
    doc.add_heading(statement.title, level=0)
    if statement.occasion:
        doc.add_paragraph().add_run(_("Anlass:") + " " + statement.occasion)
    doc.add_paragraph(context["decision_line"])
    if statement.state == "retracted":
        doc.add_paragraph().add_run(_("Diese Stellungnahme wurde widerrufen.")).bold = True
    for block in record.html_text(context["body_html"]).split("\n\n"):
        if block.strip():
            doc.add_paragraph(block.strip())
    if context["cosigners"]:
        doc.add_heading(_("Mitgezeichnet von"), level=2)
        for name in context["cosigners"]:
            doc.add_paragraph(name, style="List Bullet")
    doc.add_heading(_("Quelle und Prüfung"), level=2)
    doc.add_paragraph(context["url"])
    doc.add_paragraph(_("SHA-256 des Wortlauts: %(hash)s") % {"hash": context["content_hash"]})
    doc.add_paragraph(_("Prüfen: %(url)s") % {"url": context["verify_url"]})
    qr = io.BytesIO()
    segno.make(context["url"], error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    doc.add_picture(qr, width=Cm(3))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def embedded_text(pdf: bytes) -> tuple[str | None, str]:
    """(the embedded canonical text or None, the visible text) of an uploaded PDF."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    if len(reader.pages) > 200:
        raise ValueError("too many pages")
    embedded = None
    for name, contents in reader.attachments.items():
        if name == ATTACHMENT_NAME and contents:
            embedded = contents[0].decode("utf-8", errors="replace")
    visible = "\n".join(page.extract_text() or "" for page in reader.pages)
    return embedded, visible


# --- companion versions (issue 19) ---------------------------------------------


def companion_context(companion: Any, *, numbered: bool = False) -> dict[str, Any]:
    statement = companion.statement
    body_html = companion.body_html
    if numbered:
        body_html = lines.number_html(body_html).html
    return {
        "companion": companion,
        "statement": statement,
        "language": language(companion.language),
        "letterhead": letterhead(),
        "body_html": body_html,
        "numbered": numbered,
        "url": settings.SITE_URL + companion.get_absolute_url(),
        "original_url": stable_url(statement),
    }


def _companion_path(companion: Any, context: dict[str, Any], numbered: bool) -> Path:
    parts = [
        str(VERSION),
        "companion",
        str(companion.pk),
        companion.updated_at.isoformat(),
        str(companion.reviewed_at),
        str(companion.retracted_at),
        str(numbered),
        repr(sorted(context["letterhead"].items())),
        context["url"],
    ]
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
    folder = Path(settings.RTM_DOCUMENTS_DIR) / companion.statement.slug
    return folder / f"{companion.code}-{key}.pdf"


def get_companion_pdf(companion: Any, *, numbered: bool = False) -> Document:
    """The cached PDF of an approved companion version (right-to-left where its script is)."""
    context = companion_context(companion, numbered=numbered)
    path = _companion_path(companion, context, numbered)
    if not path.exists():
        with _generating(path):
            if not path.exists():
                # Labels in English for an English version, else in German: they sit in
                # a left-to-right letterhead, and the community languages' interface
                # translations still await a fluent speaker's review (docs/translations.md).
                label_lang = "en" if companion.language == "en" else "de"
                with translation.override(label_lang):
                    html = render_to_string(
                        "public/companion_document.html",
                        {**context, "qr": qr_svg(context["url"]), "label_lang": label_lang},
                    )
                _write_atomic(path, _pdf(html))
    suffix = "-zeilen" if numbered else ""
    filename = f"{companion.statement.slug}-{companion.code}{suffix}.pdf"
    return Document(path=path, filename=filename, content_type=KINDS["pdf"])


def _pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    css_path = finders.find("public/document.css")
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(
        stylesheets=[CSS(filename=css_path)], pdf_variant="pdf/ua-1"
    )


# --- pruning superseded files -------------------------------------------------------------


@dataclass(frozen=True)
class PruneResult:
    removed: int
    kept: int


def current_paths(statement: Statement) -> set[Path]:
    """The files the current state of a public paper is served from: PDF with and without
    line numbers, DOCX, and the PDFs of its approved versions."""
    paths = set()
    with translation.override(statement.language or settings.LANGUAGE_CODE):
        for kind, numbered in (("pdf", False), ("pdf", True), ("docx", False)):
            context = document_context(statement, numbered=numbered)
            paths.add(_document_path(kind, context))
    for companion in statement.companions.public().select_related("statement"):
        for numbered in (False, True):
            context = companion_context(companion, numbered=numbered)
            paths.add(_companion_path(companion, context, numbered))
    return paths


def documents_prune(*, grace: dt.timedelta = dt.timedelta(hours=1)) -> PruneResult:
    """Delete the files of superseded versions (a new revision, co-signer, retraction or
    layout changes the key, and the old file stays behind) and the folders of papers that
    are no longer public. Files younger than `grace` stay: one may just have been written
    under a key this run does not know yet, or be read right now (an open file survives
    its deletion on POSIX anyway)."""
    root = Path(settings.RTM_DOCUMENTS_DIR)
    if not root.is_dir():
        return PruneResult(removed=0, kept=0)
    papers = {statement.slug: statement for statement in public_statements()}
    cutoff = time.time() - grace.total_seconds()
    removed = kept = 0
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        statement = papers.get(folder.name)
        keep = current_paths(statement) if statement is not None else set()
        for path in sorted(folder.iterdir()):
            if not path.is_file():
                continue
            if path in keep or path.stat().st_mtime > cutoff:
                kept += 1
                continue
            path.unlink(missing_ok=True)
            removed += 1
        if not any(folder.iterdir()):
            folder.rmdir()
    return PruneResult(removed=removed, kept=kept)
