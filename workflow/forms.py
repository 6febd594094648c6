"""Confirmation forms for the transitions and the urgent track."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_coordinator
from statements.models import Statement
from workflow import services
from workflow.spec import Transition, spec_for

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def deadline_field(label: Any, help_text: Any, *, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        required=required,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


def _future(value: datetime | None) -> datetime | None:
    try:
        services.validate_deadline(value)
    except services.DeadlineInvalid as exc:
        raise forms.ValidationError(exc.message) from None
    return value


class PublishWhen:
    NOW = "now"
    SCHEDULED = "scheduled"


class TransitionForm(forms.Form):
    """Fields depend on the transition: note, deadlines, publication time."""

    expected_state = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Notiz"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, statement: Statement, name: str, user: Any = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_state", statement.state)
        super().__init__(*args, **kwargs)
        self.statement = statement
        self.name = name
        self.user = user
        spec = spec_for(name)
        note = self.fields["note"]
        if spec.note_required:
            note.required = True
            note.label = _("Begründung")
            note.help_text = _("Pflichtfeld. Die Begründung steht im Protokoll der Stellungnahme.")
        else:
            note.label = _("Notiz (freiwillig)")
            note.help_text = _("Erscheint im Protokoll der Stellungnahme.")
        local = timezone.localtime
        # The deadline this transition sets (submit: consultation, open_vote: voting).
        self.deadline_rule = spec.deadline
        if self.deadline_rule:
            days = services.deadline_days(statement, name)
            self.fields[self.deadline_rule.option] = deadline_field(
                self.deadline_rule.form_label,
                _("Standard: %(days)s Tage ab jetzt.") % {"days": days},
            )
            self.initial.setdefault(
                self.deadline_rule.option,
                local(services.default_deadline(statement, name)).strftime(DATETIME_LOCAL),
            )
        if self.deadline_rule and is_coordinator(user):
            self.fields["short_deadline_reason"] = forms.CharField(
                label=_("Begründung für eine kürzere Frist"),
                required=False,
                max_length=500,
                help_text=_(
                    "Nur nötig, wenn die Frist kürzer als %(days)s Tage ist (Mindestdauer der "
                    "Gruppe). Die Begründung steht im Protokoll."
                )
                % {"days": services.minimum_days(name)},
            )
        if name == Transition.PUBLISH:
            self.fields["when"] = forms.ChoiceField(
                label=_("Zeitpunkt"),
                choices=[
                    (PublishWhen.NOW, _("jetzt veröffentlichen")),
                    (PublishWhen.SCHEDULED, _("zu einem festen Zeitpunkt (Sperrfrist)")),
                ],
                initial=PublishWhen.SCHEDULED if statement.publish_at else PublishWhen.NOW,
                widget=forms.RadioSelect,
            )
            self.fields["publish_at"] = deadline_field(
                _("Veröffentlichen am"),
                _(
                    "Nur bei Sperrfrist: Die Veröffentlichung erfolgt automatisch zu diesem "
                    "Zeitpunkt."
                ),
            )
            if statement.publish_at:
                self.initial.setdefault(
                    "publish_at", local(statement.publish_at).strftime(DATETIME_LOCAL)
                )

    def clean_consultation_ends_at(self) -> datetime | None:
        return _future(self.cleaned_data.get("consultation_ends_at"))

    def clean_voting_ends_at(self) -> datetime | None:
        return _future(self.cleaned_data.get("voting_ends_at"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        deadline_field = self.deadline_rule.option if self.deadline_rule else None
        if deadline_field and data.get(deadline_field):
            try:
                services.check_deadline_length(
                    self.name,
                    data[deadline_field],
                    self.user,
                    data.get("short_deadline_reason", ""),
                )
            except services.ShortDeadlineReasonRequired as exc:
                self.add_error("short_deadline_reason", exc.message)
            except services.DeadlineTooShort as exc:
                self.add_error(deadline_field, exc.message)
        return data

    def clean_publish_at(self) -> datetime | None:
        if self.data.get(self.add_prefix("when")) != PublishWhen.SCHEDULED:
            return None
        value = self.cleaned_data.get("publish_at")
        if value is None:
            raise forms.ValidationError(_("Bitte geben Sie den Zeitpunkt der Veröffentlichung an."))
        return _future(value)

    @property
    def scheduled(self) -> bool:
        return (
            self.name == Transition.PUBLISH
            and self.cleaned_data.get("when") == PublishWhen.SCHEDULED
        )

    def options(self, ballot: dict[str, Any] | None = None) -> services.TransitionOptions:
        data = self.cleaned_data
        return services.TransitionOptions(
            consultation_ends_at=data.get("consultation_ends_at"),
            voting_ends_at=data.get("voting_ends_at"),
            publish_at=data.get("publish_at"),
            ballot=ballot,
            short_deadline_reason=data.get("short_deadline_reason", ""),
        )


class UrgentForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung des Eilverfahrens"),
        max_length=500,
        help_text=_("Zum Beispiel: Die Anhörung im Kreistag ist schon nächste Woche."),
    )


class ExtendVotingForm(forms.Form):
    """A coordinator moves a running vote's deadline later (workflow.services.voting_extend)."""

    closes_at = deadline_field(_("Neue Frist"), _("Später als die bisherige Frist."), required=True)
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=500,
        help_text=_("Erscheint im Verlauf der Stellungnahme."),
    )

    def clean_closes_at(self) -> datetime | None:
        return _future(self.cleaned_data.get("closes_at"))
