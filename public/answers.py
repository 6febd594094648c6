"""Answers by mail (issue 19 item 3): the mail that sends a published position to an
addressee carries its own signed reply address (notifications.builders.position_mail,
reply target "a": the outbox row's id, the addressee's id). A reply arrives through the
inbound path (inbound.services.receive) and becomes an Answer to the position: the day,
the sender, the typed text (quote and signature cut), not public until a coordinator
makes it so; the coordination is notified (ANSWER_RECEIVED).

Two choices differ from replies of members, on purpose:
- Attached files are kept, not refused: administrations answer with a letter (a PDF, a
  scan). At most RTM_ANSWER_FILES_MAX files of RTM_ANSWER_FILE_MAX_BYTES each, of the
  types in ALLOWED_TYPES; anything else refuses the whole message with a bounce naming
  the limits (nothing half-stored). The files are stored outside MEDIA_ROOT and only
  coordinators download them; a public answer shows its text, never the files (a letter
  carries names and signatures).
- The From need not be the address-book address: an office forwards the mail to the
  clerk who answers. The real sender is recorded and the coordinators' mail says when it
  differs; nothing is public before a coordinator decides. The signed token is still
  required, and forged or expired ones are refused as for members (valid
  RTM_ANSWER_TOKEN_DAYS, a year: answers take months).
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import coordinator_required
from accounts.permissions import is_coordinator
from core import pagecache
from core.errors import ServiceError
from core.events import EventKind, emit
from core.text import clean_line
from inbound.targets import Received, ReplyTarget, register
from notifications.models import Addressee, Answer, AnswerFile, Kind, Notification

# What an administration sends: letters and scans, office documents, plain text.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc",
    "text/plain": ".txt",
}


class AnswerRefused(ServiceError):
    status = 400


def _mail_row(row_id: int) -> Notification | None:
    return (
        Notification.objects.select_related("statement", "addressee")
        .filter(pk=row_id, kind=Kind.POSITION_SENT, addressee__isnull=False)
        .first()
    )


def _addressee(addressee_id: int) -> Addressee | None:
    return Addressee.objects.filter(pk=addressee_id).first()


def may_answer(addressee: Addressee, row: Notification) -> bool:
    """The address was made for this addressee and this mail; the position is (still)
    public: published, or retracted (an answer to a retracted position is still kept)."""
    return (
        row.addressee_id == addressee.pk and row.statement is not None and row.statement.is_public
    )


def _check_files(mail: Received) -> None:
    files = mail.attachments
    if len(files) > settings.RTM_ANSWER_FILES_MAX:
        raise AnswerRefused(
            _("Bitte senden Sie höchstens %(n)d Anhänge.") % {"n": settings.RTM_ANSWER_FILES_MAX}
        )
    for item in files:
        if item.content_type not in ALLOWED_TYPES:
            raise AnswerRefused(
                _(
                    "Der Anhang „%(name)s“ hat einen Dateityp, den wir nicht annehmen. "
                    "Möglich sind PDF, ODT, DOCX, DOC, JPEG, PNG, TIFF und Text."
                )
                % {"name": item.filename}
            )
        if len(item.content) > settings.RTM_ANSWER_FILE_MAX_BYTES:
            raise AnswerRefused(
                _("Der Anhang „%(name)s“ ist größer als %(mb)d MB.")
                % {"name": item.filename, "mb": settings.RTM_ANSWER_FILE_MAX_BYTES // 1_000_000}
            )


def _safe_name(filename: str, content_type: str) -> str:
    name = clean_line(PurePath(filename.replace("\\", "/")).name)[:150] or "anhang"
    if not name.lower().endswith(ALLOWED_TYPES[content_type]) and not mimetypes.guess_type(name)[0]:
        name += ALLOWED_TYPES[content_type]
    return name


@transaction.atomic
def answer_from_mail(
    addressee: Addressee, row: Notification, text: str, *, mail: Received
) -> Answer:
    """Store an addressee's reply as a non-public answer with its files; tell the
    coordination. Raises AnswerRefused (bounced by inbound) for files over the limits."""
    _check_files(mail)
    statement = row.statement
    sender = clean_line(mail.sender_name) or str(addressee)
    answer = Answer.objects.create(
        statement=statement,
        addressee=addressee,
        sender=sender[:200],
        sender_email=mail.sender[:254],
        subject=clean_line(mail.subject)[:200],
        received_on=timezone.localdate(),
        text=text.strip(),
        is_public=False,
        by_mail=True,
    )
    for item in mail.attachments:
        name = _safe_name(item.filename, item.content_type)
        stored = AnswerFile(
            answer=answer, filename=name, content_type=item.content_type, size=len(item.content)
        )
        stored.file.save(name, ContentFile(item.content), save=False)
        stored.save()
    emit(EventKind.ANSWER_RECEIVED, statement=statement, target=answer)
    return answer


def answer_publish(*, answer: Answer, actor: Any, is_public: bool) -> Answer:
    """A coordinator shows an answer on the public page, or takes it back."""
    if not is_coordinator(actor):
        raise AnswerRefused(_("Nur die Koordination entscheidet darüber."), status=403)
    if answer.is_public != is_public:
        answer.is_public = is_public
        answer.save(update_fields=["is_public"])
        pagecache.invalidate_public_pages()
    return answer


def register_target() -> None:
    """Called from PublicConfig.ready(): reply target "a" (inbound.targets.RESERVED)."""
    register(
        ReplyTarget(
            "a",
            "position_answer",
            _mail_row,
            may_answer,
            answer_from_mail,
            person=_addressee,
            strict_sender=False,
            keeps_attachments=True,
        )
    )


# --- the coordinators' two small views ---------------------------------------------------


@require_safe
@coordinator_required
def answer_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A file sent with an answer: coordinators only, always as a download."""
    stored = get_object_or_404(
        AnswerFile.objects.select_related("answer__statement"), pk=pk, answer__statement__slug=slug
    )
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=stored.filename, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@coordinator_required
def answer_visibility(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    answer = get_object_or_404(Answer, pk=pk, statement__slug=slug)
    public = request.POST.get("public") == "1"
    answer_publish(answer=answer, actor=request.user, is_public=public)
    messages.success(
        request,
        _("Die Antwort ist jetzt öffentlich.")
        if public
        else _("Die Antwort ist nicht mehr öffentlich."),
    )
    return redirect("public:dispatch", slug=slug)
