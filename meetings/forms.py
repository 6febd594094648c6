"""Forms of the meetings pages. Dates and times are typed as Berlin wall-clock time."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from discussion.forms import block_label
from meetings.models import Place, RemarkKind, RsvpAnswer
from meetings.services import MeetingFields, PlaceFields, SeriesRule, wall_clock

WEEKDAYS = [
    (0, _("Montag")),
    (1, _("Dienstag")),
    (2, _("Mittwoch")),
    (3, _("Donnerstag")),
    (4, _("Freitag")),
    (5, _("Samstag")),
    (6, _("Sonntag")),
]
ORDINALS = [
    (1, _("ersten")),
    (2, _("zweiten")),
    (3, _("dritten")),
    (4, _("vierten")),
    (-1, _("letzten")),
]


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = ["name", "town", "address", "transit", "step_free", "host"]
        widgets = {"transit": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Organisation.objects.order_by("name")

    def place_fields(self) -> PlaceFields:
        data = self.cleaned_data
        return PlaceFields(
            name=data["name"],
            town=data["town"],
            address=data["address"],
            transit=data["transit"],
            step_free=data["step_free"],
            host_id=data["host"].pk if data["host"] else None,
        )


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Beginn (Uhrzeit in Deutschland)"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    minutes = forms.IntegerField(
        label=_("Dauer in Minuten"), min_value=15, max_value=720, initial=120
    )
    place = forms.ModelChoiceField(label=_("Ort"), queryset=Place.objects.all())
    title = forms.CharField(
        label=_("Titel (optional)"),
        required=False,
        max_length=200,
        help_text=_("Leer lassen für „Monatstreffen des RTM“."),
    )
    dial_in = forms.CharField(label=_("Online-Zugang (optional)"), required=False, max_length=500)
    is_public = forms.BooleanField(
        label=_("Öffentlich angekündigt"),
        required=False,
        initial=True,
        help_text=_("Sonst sehen nur Mitglieder das Treffen."),
    )
    guests_welcome = forms.BooleanField(label=_("Gäste willkommen"), required=False, initial=True)

    def meeting_fields(self) -> MeetingFields:
        data = self.cleaned_data
        return MeetingFields(
            starts_at=wall_clock(data["date"], data["time"]),
            minutes=data["minutes"],
            place_id=data["place"].pk,
            is_public=data["is_public"],
            guests_welcome=data["guests_welcome"],
            dial_in=data["dial_in"],
            title=data["title"],
        )


class MeetingChangeForm(MeetingForm):
    reason = forms.CharField(
        label=_("Grund der Änderung (erfahren alle Eingeladenen)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Absage"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SeriesForm(forms.Form):
    first = forms.DateField(label=_("Ab dem Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(label=_("Anzahl der Treffen"), min_value=1, max_value=24, initial=6)
    ordinal = forms.TypedChoiceField(label=_("Jeweils am"), choices=ORDINALS, coerce=int, initial=2)
    weekday = forms.TypedChoiceField(label=_("Wochentag"), choices=WEEKDAYS, coerce=int, initial=2)
    time = forms.TimeField(
        label=_("Beginn (Uhrzeit in Deutschland)"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        initial=dt.time(17, 0),
    )
    minutes = forms.IntegerField(
        label=_("Dauer in Minuten"), min_value=15, max_value=720, initial=120
    )
    places = forms.ModelMultipleChoiceField(
        label=_("Orte (werden der Reihe nach abwechselnd genutzt)"),
        queryset=Place.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    is_public = forms.BooleanField(label=_("Öffentlich angekündigt"), required=False, initial=True)
    guests_welcome = forms.BooleanField(label=_("Gäste willkommen"), required=False, initial=True)

    def rule(self) -> SeriesRule:
        data = self.cleaned_data
        return SeriesRule(
            first=data["first"],
            count=data["count"],
            weekday=data["weekday"],
            ordinal=data["ordinal"],
            at=data["time"],
            minutes=data["minutes"],
            place_ids=tuple(p.pk for p in sorted(data["places"], key=lambda p: p.pk)),
            is_public=data["is_public"],
            guests_welcome=data["guests_welcome"],
        )


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Ihre Antwort"), choices=RsvpAnswer.choices, widget=forms.RadioSelect
    )


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Anwesende Mitglieder"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guest_count = forms.IntegerField(
        label=_("Gäste (Anzahl)"), min_value=0, max_value=500, initial=0
    )
    guest_names = forms.CharField(
        label=_("Gäste (Namen, optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = User.objects.members().order_by("display_name")


class AgendaProposeForm(forms.Form):
    title = forms.CharField(label=_("Thema"), max_length=300)
    note = forms.CharField(
        label=_("Anmerkung (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AgendaItemForm(forms.Form):
    position = forms.IntegerField(label=_("Reihenfolge"), min_value=0, max_value=999)
    minutes = forms.IntegerField(label=_("Minuten"), min_value=0, max_value=600, required=False)
    presenter = forms.CharField(label=_("Wer"), max_length=200, required=False)
    is_public = forms.BooleanField(label=_("öffentlich"), required=False)
    accepted = forms.BooleanField(label=_("auf der Tagesordnung"), required=False)


class RoomDecisionForm(forms.Form):
    yes = forms.IntegerField(label=_("Ja"), min_value=0, max_value=1000, initial=0)
    no = forms.IntegerField(label=_("Nein"), min_value=0, max_value=1000, initial=0)
    abstain = forms.IntegerField(label=_("Enthaltungen"), min_value=0, max_value=1000, initial=0)
    object = forms.IntegerField(
        label=_("Einsprüche (Schweigeverfahren)"), min_value=0, max_value=1000, initial=0
    )
    block = forms.IntegerField(label=_("Vetos"), min_value=0, max_value=1000, initial=0)


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=_("Protokoll (Markdown, für Mitglieder)"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Überschriften mit #, Listen mit -, **fett**, *kursiv*. Jeder Absatz kann von "
            "den Mitgliedern kommentiert werden."
        ),
    )
    public_body = forms.CharField(
        label=_("Öffentlicher Teil (Markdown, wird nach der Genehmigung veröffentlicht)"),
        max_length=50_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput)


class MinutesAutosaveForm(forms.Form):
    """What the editor posts in the background (static/js/editor.js)."""

    body = forms.CharField(max_length=100_000, required=False, strip=False)
    public_body = forms.CharField(max_length=50_000, required=False, strip=False)
    base_revision = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class CirculateForm(forms.Form):
    days = forms.IntegerField(
        label=_("Einspruchsfrist in Tagen"), min_value=1, max_value=60, initial=14
    )


class RemarkForm(forms.Form):
    """A member's comment on or objection to the minutes, on one paragraph or the whole.
    While no objection period runs, only a comment can be chosen."""

    kind = forms.ChoiceField(
        label=_("Art"), choices=RemarkKind.choices, widget=forms.RadioSelect, initial="comment"
    )
    block_id = forms.ChoiceField(label=_("Bezieht sich auf"), required=False)
    text = forms.CharField(
        label=_("Ihr Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, blocks=(), objections_open: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["block_id"].choices = [("", _("das ganze Protokoll"))] + [
            (block.id, block_label(block)) for block in blocks
        ]
        if not objections_open:
            self.fields["kind"].choices = [
                (value, label) for value, label in RemarkKind.choices if value == "comment"
            ]
