"""Forms of the discussion; all of them work as plain HTML forms without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from discussion.models import SUGGESTION_MAX_LENGTH, suggestion_too_long
from discussion.widgets import MentionInput
from statements.markdown import Block

SUGGESTION_HELP = _(
    "Höchstens dreimal so lang wie der Absatz (mindestens 2.000, höchstens 20.000 Zeichen)."
)
MENTION_HELP = _(
    "Namen von Mitgliedern, durch Kommas getrennt. Sie können auch im Text "
    "„@Vorname Nachname“ schreiben."
)


def block_label(block: Block) -> str:
    text = " ".join(block.source.split()).lstrip("#>*-+ ")
    return Truncator(text).chars(70)


# Comment fields and comments carry dir="auto": members write in Arabic or Farsi too, and
# a German comment stays left-to-right in a right-to-left page (docs/translations.md).
class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Markdown ist erlaubt."),
    )
    block_id = forms.ChoiceField(label=_("Bezieht sich auf"), required=False)
    suggestion_text = forms.CharField(
        label=_("Änderungsvorschlag: neuer Text für diesen Absatz (optional)"),
        required=False,
        max_length=SUGGESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=SUGGESTION_HELP,
    )
    mention_names = forms.CharField(
        label=_("Erwähnen"),
        required=False,
        max_length=500,
        help_text=MENTION_HELP,
        widget=MentionInput,
    )

    def __init__(self, *args: Any, blocks: list[Block], can_suggest: bool, **kwargs: Any) -> None:
        # Own id prefix: the statement page holds other apps' forms as well.
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)
        self.blocks = {b.id: b for b in blocks}
        self.fields["block_id"].choices = [("", _("den ganzen Text"))] + [
            (b.id, block_label(b)) for b in blocks
        ]
        if not can_suggest:
            del self.fields["suggestion_text"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        suggestion = (data.get("suggestion_text") or "").strip()
        if suggestion and not data.get("block_id"):
            self.add_error(
                "block_id", _("Ein Änderungsvorschlag bezieht sich immer auf einen Absatz.")
            )
        block = self.blocks.get(data.get("block_id") or "")
        if suggestion and block is not None:
            error = suggestion_too_long(data["suggestion_text"].strip("\n"), block.source)
            if error:
                self.add_error("suggestion_text", error)
        if not (data.get("body") or "").strip() and not suggestion:
            self.add_error("body", _("Bitte schreiben Sie einen Kommentar."))
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Antwort"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    mention_names = forms.CharField(
        label=_("Erwähnen"),
        required=False,
        max_length=500,
        help_text=MENTION_HELP,
        widget=MentionInput,
    )


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )
    suggestion_text = forms.CharField(
        label=_("Vorgeschlagener Text"),
        required=False,
        max_length=SUGGESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=SUGGESTION_HELP,
    )
    mention_names = forms.CharField(
        label=_("Erwähnen"),
        required=False,
        max_length=500,
        help_text=MENTION_HELP,
        widget=MentionInput,
    )

    def __init__(
        self, *args: Any, is_suggestion: bool, block_source: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.is_suggestion = is_suggestion
        self.block_source = block_source
        if not is_suggestion:
            del self.fields["suggestion_text"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.is_suggestion:
            text = data.get("suggestion_text") or ""
            error = suggestion_too_long(text.strip("\n"), self.block_source)
            if not text.strip():
                self.add_error(
                    "suggestion_text", _("Der vorgeschlagene Text darf nicht leer sein.")
                )
            elif error:
                self.add_error("suggestion_text", error)
        elif not (data.get("body") or "").strip():
            self.add_error("body", _("Bitte schreiben Sie einen Kommentar."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
