from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.kinds import LOCKED_KINDS
from notifications.models import Kind, Mode


class PreferencesForm(forms.Form):
    """One choice per kind; locked kinds are shown but cannot be changed."""

    def __init__(
        self, *args: object, kinds: list[str], initial_modes: dict[str, str], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds:
            locked = kind in LOCKED_KINDS
            self.fields[kind] = forms.ChoiceField(
                label=Kind(kind).label,
                choices=Mode.choices
                if not locked
                else [(Mode.IMMEDIATELY, Mode.IMMEDIATELY.label)],
                initial=initial_modes.get(kind),
                disabled=locked,
                help_text=_("Diese E-Mails lassen sich nicht abbestellen.") if locked else "",
                widget=forms.RadioSelect,
            )


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
