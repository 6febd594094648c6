"""Addressees chosen when publishing (issue 19, item 3): the publication's confirmation page
(workflow/views.py) shows the address book to coordinators; once the paper is public, the
position goes to the chosen addressees through public.addressees.position_send, exactly as
from the dispatch page (/statements/<slug>/versand/), which stays the place for later sends.

Registered with workflow.extensions in PublicConfig.ready(): workflow cannot import public.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.permissions import is_coordinator
from notifications.models import Addressee
from public.addressees import SendingError, position_send
from statements.models import Statement
from workflow import extensions
from workflow.spec import Transition

PREFIX = "dispatch"


class PublishAddresseesForm(forms.Form):
    confirm_template = "public/_publish_addressees.html"

    addressees = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Gleich nach der Veröffentlichung senden an"),
        queryset=Addressee.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Freiwillig. Jede Adresse erhält die Stellungnahme als PDF; Antworten gehen an die "
            "Pressestelle. Später senden: auf der Seite „Versand und Antworten“."
        ),
    )


def publish_form(
    data: Any, *, statement: Statement, user: Any, prefix: str
) -> PublishAddresseesForm | None:
    if not is_coordinator(user):
        return None  # only coordinators publish and keep the address book
    return PublishAddresseesForm(data, prefix=prefix)


def wants_sending(form: PublishAddresseesForm) -> bool:
    return bool(form.cleaned_data.get("addressees"))


def send_after_publishing(
    request: HttpRequest, statement: Statement, form: PublishAddresseesForm
) -> None:
    chosen = list(form.cleaned_data.get("addressees") or [])
    if not chosen:
        return
    try:
        written = position_send(
            statement_id=statement.pk,
            actor=request.user,
            addressee_ids=[addressee.pk for addressee in chosen],
        )
    except SendingError as error:
        # The publication stands; the sending can be repeated from the dispatch page.
        messages.error(
            request,
            _(
                "Veröffentlicht, aber nicht versandt: %(reason)s Sie können es auf der Seite "
                "„Versand und Antworten“ erneut versuchen."
            )
            % {"reason": error.message},
        )
        return
    messages.success(
        request,
        ngettext(
            "Die Stellungnahme geht an %(n)d Adresse.",
            "Die Stellungnahme geht an %(n)d Adressen.",
            written,
        )
        % {"n": written},
    )


def register() -> None:
    extensions.register(
        extensions.ConfirmExtra(
            transition=Transition.PUBLISH,
            prefix=PREFIX,
            form=publish_form,
            after=send_after_publishing,
            wants_action=wants_sending,
            scheduled_refusal=gettext_lazy(
                "Bei einer Veröffentlichung mit Sperrfrist kann noch nichts versandt werden: "
                "Senden Sie die Stellungnahme nach der Veröffentlichung auf der Seite „Versand "
                "und Antworten“, oder wählen Sie hier keine Adressen."
            ),
        )
    )
