"""Addressees and answers (issue 19, item 3): the coordinators' address book, sending a
published position to addressees through the notifications outbox (PDF attached, the
press address as Reply-To), and answers entered by hand. Services first, then the
coordinators' two pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.decorators import coordinator_required
from accounts.permissions import is_coordinator
from core import pagecache
from core.errors import ServiceError
from core.text import clean_line
from notifications.models import (
    Addressee,
    AddresseeKind,
    Answer,
    Channel,
    Kind,
    Notification,
    Status,
)
from notifications.services import queue_delivery
from public import documents
from statements.access import statement_for
from statements.models import Statement
from statements.states import State

SENT_STATES = [Status.PENDING, Status.SENDING, Status.SENT, Status.UNANSWERED]


class SendingError(ServiceError):
    status = 409


# --- services ------------------------------------------------------------------------


def addressee_create(
    *, actor: Any, name: str, organisation: str, email: str, kind: str
) -> Addressee:
    if not is_coordinator(actor):
        raise SendingError(_("Nur die Koordination führt das Adressbuch."), status=403)
    return Addressee.objects.create(
        name=clean_line(name), organisation=clean_line(organisation), email=email, kind=kind
    )


def position_send(*, statement_id: int, actor: Any, addressee_ids: list[int]) -> int:
    """Write one outbox row per addressee (once per adopted version); delivery on commit.
    Returns how many new mails were written."""
    if not is_coordinator(actor):
        raise SendingError(_("Nur die Koordination versendet Stellungnahmen."), status=403)
    with transaction.atomic():
        statement = (
            Statement.objects.select_for_update(of=("self",))
            .select_related("current_revision")
            .get(pk=statement_id)
        )
        if statement.state != State.PUBLISHED or statement.current_revision is None:
            raise SendingError(_("Nur veröffentlichte Stellungnahmen können versandt werden."))
        pdf = documents.get_document(statement, "pdf")
        event_key = f"position_sent:{statement.pk}:r{statement.current_revision_id}"
        addressees = Addressee.objects.filter(pk__in=addressee_ids, is_active=True)
        rows = [
            Notification(
                kind=Kind.POSITION_SENT,
                event_key=event_key,
                addressee=addressee,
                channel=Channel.EMAIL,
                statement=statement,
                context={"pdf_path": str(pdf.path), "pdf_name": pdf.filename},
            )
            for addressee in addressees
        ]
        before = Notification.objects.filter(event_key=event_key).count()
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        written = Notification.objects.filter(event_key=event_key).count() - before
        if written:
            queue_delivery(event_key)
            pagecache.invalidate_public_pages()
    return written


def answer_add(
    *,
    statement: Statement,
    actor: Any,
    sender: str,
    received_on: dt.date,
    text: str,
    is_public: bool,
    addressee: Addressee | None = None,
) -> Answer:
    if not is_coordinator(actor):
        raise SendingError(_("Nur die Koordination trägt Antworten ein."), status=403)
    if not statement.is_public:
        raise SendingError(_("Antworten gibt es nur zu veröffentlichten Stellungnahmen."))
    answer = Answer.objects.create(
        statement=statement,
        addressee=addressee,
        sender=clean_line(sender),
        received_on=received_on,
        text=text.strip(),
        is_public=is_public,
        entered_by=actor,
    )
    if is_public:
        pagecache.invalidate_public_pages()
    return answer


# --- what the public page shows --------------------------------------------------------


@dataclass(frozen=True)
class Correspondence:
    sent: list[tuple[str, dt.date]]  # addressee label, day handed to the outbox
    answers: list[Answer]


def correspondence(statement: Statement, *, public_only: bool = True) -> Correspondence:
    """Two queries: the mails to addressees, the (public) answers."""
    mails = (
        Notification.objects.filter(
            statement=statement, kind=Kind.POSITION_SENT, status__in=SENT_STATES
        )
        .select_related("addressee")
        .order_by("created_at", "pk")
    )
    sent = [
        (str(m.addressee), timezone.localdate(m.sent_at or m.created_at))
        for m in mails
        if m.addressee
    ]
    answers = Answer.objects.filter(statement=statement).order_by("received_on", "pk")
    if public_only:
        answers = answers.filter(is_public=True)
    else:  # the coordinators' page lists the files sent with answers by mail
        answers = answers.prefetch_related("files")
    return Correspondence(sent=sent, answers=list(answers))


# --- the coordinators' pages -------------------------------------------------------------


class AddresseeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    organisation = forms.CharField(
        label=gettext_lazy("Organisation oder Amt"), max_length=200, required=False
    )
    email = forms.EmailField(label=gettext_lazy("E-Mail-Adresse"))
    kind = forms.ChoiceField(label=gettext_lazy("Art"), choices=AddresseeKind.choices)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def address_book(request: HttpRequest) -> HttpResponse:
    """/coordination/adressbuch/: the addressees, and a form to add one."""
    form = AddresseeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            addressee_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Eingetragen."))
            return redirect("public:address_book")
        status = 400
    context = {"form": form, "addressees": Addressee.objects.all()}
    return render(request, "public/address_book.html", context, status=status)


class SendForm(forms.Form):
    addressees = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Adressat*innen"),
        queryset=Addressee.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )


class AnswerForm(forms.Form):
    sender = forms.CharField(label=gettext_lazy("Absender*in"), max_length=200)
    addressee = forms.ModelChoiceField(
        label=gettext_lazy("Aus dem Adressbuch"),
        queryset=Addressee.objects.all(),
        required=False,
    )
    received_on = forms.DateField(
        label=gettext_lazy("Eingegangen am"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50_000
    )
    is_public = forms.BooleanField(label=gettext_lazy("Öffentlich zeigen"), required=False)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def dispatch(request: HttpRequest, slug: str) -> HttpResponse:
    """/statements/<slug>/versand/: send to addressees, enter answers."""
    statement = statement_for(request.user, slug, "internal")
    action = request.POST.get("action") if request.method == "POST" else None
    send_form = SendForm(request.POST if action == "send" else None)
    answer_form = AnswerForm(request.POST if action == "answer" else None)
    status = 200
    try:
        if action == "send" and send_form.is_valid():
            written = position_send(
                statement_id=statement.pk,
                actor=request.user,
                addressee_ids=[a.pk for a in send_form.cleaned_data["addressees"]],
            )
            messages.success(request, _("%(n)d E-Mail(s) in den Versand gegeben.") % {"n": written})
            return redirect("public:dispatch", slug=statement.slug)
        if action == "answer" and answer_form.is_valid():
            answer_add(statement=statement, actor=request.user, **answer_form.cleaned_data)
            messages.success(request, _("Antwort eingetragen."))
            return redirect("public:dispatch", slug=statement.slug)
        if action is not None:
            status = 400
    except SendingError as error:
        (send_form if action == "send" else answer_form).add_error(None, error.message)
        status = error.status
    context = {
        "statement": statement,
        "send_form": send_form,
        "answer_form": answer_form,
        "correspondence": correspondence(statement, public_only=False),
        "may_send": statement.state == State.PUBLISHED,
    }
    return render(request, "public/dispatch.html", context, status=status)
