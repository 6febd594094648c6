"""Forms for the editor, co-authors and restoring. Field names match the model fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.text import clean_line
from statements.models import Revision, Statement, Topic
from statements.services import TextFields


class StatementForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    occasion = forms.CharField(
        label=_("Anlass"),
        max_length=300,
        required=False,
        help_text=_("Das aktuelle Ereignis, auf das die Stellungnahme antwortet."),
    )
    summary = forms.CharField(
        label=_("Zusammenfassung"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zwei, drei Sätze, reiner Text."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=100_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20, "class": "editor-body"}),
        help_text=_("Markdown: **fett**, *kursiv*, # Überschrift, - Liste, [Linktext](https://…)."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Themen"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(label=_("Sprache"), choices=settings.LANGUAGES, initial="de")
    message = forms.CharField(
        label=_("Änderungsnotiz"),
        max_length=300,
        required=False,
        help_text=_("Was haben Sie geändert? Erscheint in der Versionsgeschichte."),
    )
    # The revision this edit started from; an outdated value means an edit conflict.
    base_revision = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )

    def clean_title(self) -> str:
        # As the service will store it (TextFields): a title of only invisible characters
        # is no title.
        title = clean_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(self.fields["title"].error_messages["required"])
        return title

    def text(self) -> TextFields:
        data = self.cleaned_data
        return TextFields(
            title=data["title"],
            occasion=data["occasion"],
            summary=data["summary"],
            body=data["body"].replace("\r\n", "\n"),
        )

    @classmethod
    def for_statement(cls, statement: Statement, **kwargs: Any) -> StatementForm:
        revision: Revision | None = statement.current_revision
        initial = {
            "title": statement.title,
            "occasion": statement.occasion,
            "summary": statement.summary,
            "body": statement.body,
            "language": statement.language,
            "topics": [topic.pk for topic in statement.topics.all()],
            "base_revision": revision.pk if revision else None,
        }
        return cls(initial=initial, **kwargs)


class CoauthorAddForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Mitglied"),
        queryset=User.objects.none(),
        empty_label=_("– Mitglied wählen –"),
    )

    def __init__(self, *args: Any, statement: Statement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from statements.permissions import author_ids

        self.fields["user"].queryset = (
            User.objects.members().exclude(pk__in=author_ids(statement)).order_by("display_name")
        )
        self.fields["user"].label_from_instance = lambda user: user.display_name


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "name_en"]

    def clean_name(self) -> str:
        name = clean_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(self.fields["name"].error_messages["required"])
        others = Topic.objects.filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Ein Thema mit diesem Namen gibt es schon."))
        return name
