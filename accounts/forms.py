from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Language


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = forms.CharField(label=_("Anzeigename"), max_length=80)
    language = forms.ChoiceField(label=_("Sprache"), choices=Language.choices, initial=Language.DE)

    def signup(self, request, user) -> None:  # noqa: ANN001 - allauth's hook signature
        user.display_name = self.cleaned_data["display_name"]
        user.language = self.cleaned_data["language"]
        user.save(update_fields=["display_name", "language"])
