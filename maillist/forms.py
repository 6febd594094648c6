"""Forms of the e-mail list. The text field follows the paper editor's conventions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillist.models import PostType


class PostForm(forms.Form):
    post_type = forms.ChoiceField(label=_("Art"), choices=PostType.choices)
    title = forms.CharField(label=_("Betreff"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=100_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "editor-body"}),
        help_text=_("Markdown: **fett**, *kursiv*, # Überschrift, - Liste, [Linktext](https://…)."),
    )
    is_public = forms.BooleanField(
        label=_("Öffentlich im Archiv zeigen"),
        required=False,
        help_text=_("Ohne Haken sehen nur Mitglieder den Beitrag im Archiv."),
    )
    funder = forms.CharField(label=_("Fördergeber"), max_length=200, required=False)
    programme = forms.CharField(label=_("Programm"), max_length=200, required=False)
    eligible = forms.CharField(label=_("Wer kann beantragen"), max_length=300, required=False)
    amount = forms.CharField(label=_("Fördersumme"), max_length=100, required=False)
    deadline = forms.DateField(
        label=_("Antragsfrist"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Format: JJJJ-MM-TT"),
    )
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")

    FUNDING_FIELDS = ("funder", "programme", "eligible", "amount", "deadline", "link")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("post_type") == PostType.FUNDING and not data.get("deadline"):
            self.add_error("deadline", _("Ein Förderhinweis braucht eine Antragsfrist."))
        return data

    def funding_fields(self) -> list[Any]:
        return [self[name] for name in self.FUNDING_FIELDS]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in ("post_type", "title", "body", "is_public")]


class TypeSettingsForm(forms.Form):
    approval = forms.MultipleChoiceField(
        label=_("Freigabe durch die Koordination vor dem Versand"),
        choices=PostType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TypesForm(forms.Form):
    post_types = forms.MultipleChoiceField(
        label=_("Diese Arten von Beiträgen per E-Mail erhalten"),
        choices=PostType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SubscribeForm(TypesForm):
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    field_order = ["email", "post_types"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post_types"].required = True
        self.fields["post_types"].initial = list(PostType.values)
