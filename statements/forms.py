"""Forms for the editor, co-authors and restoring. Field names match the model fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.text import clean_line
from core.widgets import LanguageSelect
from statements.merge import MANUAL, MINE, THEIRS, Conflict
from statements.models import PAPER_LANGUAGES, Revision, Statement, Topic
from statements.services import TextFields

MAX_ID = 2**31 - 1


class TopicChoiceField(forms.ModelMultipleChoiceField):
    """Topics named in the reader's language (Topic.label)."""

    def label_from_instance(self, obj: Topic) -> str:
        return obj.label


class StatementForm(forms.Form):
    # dir="auto": a German or English paper stays left-to-right in an Arabic or Farsi page.
    title = forms.CharField(
        label=_("Titel"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    occasion = forms.CharField(
        label=_("Anlass"),
        max_length=300,
        required=False,
        help_text=_("Das aktuelle Ereignis, auf das die Stellungnahme antwortet."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    summary = forms.CharField(
        label=_("Zusammenfassung"),
        max_length=1000,
        required=False,
        # static/js/editor.js counts the characters against max_length.
        widget=forms.Textarea(
            attrs={"rows": 3, "dir": "auto", "data-count": _("{n} von {max} Zeichen")}
        ),
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
    topics = TopicChoiceField(
        label=_("Themen"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Sprache"), choices=PAPER_LANGUAGES, initial="de", widget=LanguageSelect
    )
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


class ConflictForm(forms.Form):
    """The conflict page: one decision per overlapping change.

    The editor's own text and the two revisions travel as hidden fields, so the server
    computes the same merge again on submit (a revision never changes) and applies the
    decisions to it; nothing of the merge itself is trusted from the browser.
    """

    base_revision = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    theirs_revision = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    mine_title = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
    mine_occasion = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)
    mine_summary = forms.CharField(
        max_length=1000, required=False, strip=False, widget=forms.HiddenInput
    )
    mine_body = forms.CharField(
        max_length=100_000, required=False, strip=False, widget=forms.HiddenInput
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )
    language = forms.ChoiceField(choices=PAPER_LANGUAGES, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Änderungsnotiz"),
        max_length=300,
        required=False,
        help_text=_("Was haben Sie geändert? Erscheint in der Versionsgeschichte."),
    )

    def __init__(
        self,
        *args: Any,
        conflicts: list[Conflict] = (),
        theirs_label: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.conflicts = list(conflicts)
        for conflict in self.conflicts:
            self.fields[f"choice-{conflict.key}"] = forms.ChoiceField(
                label=_("Welcher Text soll hier gelten?"),
                choices=[
                    (THEIRS, theirs_label or _("die neuere Fassung")),
                    (MINE, _("Ihr Text")),
                    (MANUAL, _("beide, von Hand zusammengeführt (Textfeld unten)")),
                ],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Bitte entscheiden Sie, welcher Text hier gelten soll.")
                },
            )
            self.fields[f"manual-{conflict.key}"] = forms.CharField(
                label=_("Von Hand zusammenführen"),
                required=False,
                strip=False,
                max_length=100_000,
                initial=conflict.both,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("Enthält beide Texte. Gilt nur, wenn Sie „von Hand“ wählen."),
            )

    def mine(self) -> TextFields:
        data = self.cleaned_data
        return TextFields(
            title=data["mine_title"],
            occasion=data["mine_occasion"],
            summary=data["mine_summary"].replace("\r\n", "\n"),
            body=data["mine_body"].replace("\r\n", "\n"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for conflict in self.conflicts:
            if data.get(f"choice-{conflict.key}") != MANUAL or conflict.field != "title":
                continue
            if not clean_line(data.get(f"manual-{conflict.key}", "")):
                self.add_error(f"manual-{conflict.key}", _("Der Titel darf nicht leer sein."))
        return data

    def resolutions(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            c.key: c.resolve(data[f"choice-{c.key}"], data.get(f"manual-{c.key}") or "")
            for c in self.conflicts
        }

    @classmethod
    def initial_for(
        cls,
        *,
        base_revision_id: int | None,
        theirs_revision_id: int,
        mine: TextFields,
        topics: list[int],
        language: str,
        message: str,
        conflicts: list[Conflict],
        theirs_label: str = "",
    ) -> ConflictForm:
        return cls(
            initial={
                "base_revision": base_revision_id,
                "theirs_revision": theirs_revision_id,
                "mine_title": mine.title,
                "mine_occasion": mine.occasion,
                "mine_summary": mine.summary,
                "mine_body": mine.body,
                "topics": topics,
                "language": language,
                "message": message,
            },
            conflicts=conflicts,
            theirs_label=theirs_label,
        )


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


class AutosaveForm(forms.Form):
    """What the editor posts while someone types: the four text fields and the base, with
    the editor's limits; everything optional (a half-typed paper is still worth keeping)."""

    title = forms.CharField(max_length=200, required=False)
    occasion = forms.CharField(max_length=300, required=False)
    summary = forms.CharField(max_length=1000, required=False, strip=False)
    body = forms.CharField(max_length=100_000, required=False, strip=False)
    base_revision = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def text(self) -> TextFields:
        data = self.cleaned_data
        return TextFields(
            title=data["title"],
            occasion=data["occasion"],
            summary=data["summary"].replace("\r\n", "\n"),
            body=data["body"].replace("\r\n", "\n"),
        )
