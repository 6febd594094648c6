"""One partial renders a form field everywhere (templates/_field.html); three copies of it
had drifted apart (required mark, errors, help ids, choices)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.template.loader import render_to_string
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


class Sample(forms.Form):
    title = forms.CharField(label="Titel", help_text="Kurz und klar.")
    rule = forms.ChoiceField(
        label="Regel", choices=[("a", "Mehrheit"), ("b", "Konsens")], widget=forms.RadioSelect
    )
    topics = forms.MultipleChoiceField(
        label="Themen", required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="Einverstanden", required=False)


def render(field: forms.BoundField, **extra: object) -> str:
    # German, whatever an earlier test left active in this thread.
    with translation.override("de"):
        return render_to_string("_field.html", {"field": field, **extra})


def test_there_is_one_field_partial():
    partials = sorted(
        p.relative_to(ROOT).as_posix()
        for p in ROOT.glob("**/templates/**/_field*.html")
        if ".venv" not in p.parts
    )
    assert partials == ["templates/_field.html"]


def test_label_required_mark_help_and_errors():
    form = Sample(data={})
    html = render(form["title"])
    assert '<label for="id_title">Titel <span class="required">(Pflichtfeld)</span></label>' in html
    # The widget points at the help and the errors; both ids exist.
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert 'id="id_title_helptext"' in html and 'id="id_title_error"' in html
    assert 'role="alert"' in html and "field-error" in html
    quiet = render(form["title"], hide_errors=True)  # the editor's preview
    assert 'role="alert"' not in quiet and "field-error" not in quiet


def test_choices_are_a_fieldset_and_a_single_checkbox_is_not():
    form = Sample()
    radios = render(form["rule"])
    assert "<legend>Regel" in radios and 'for="id_rule_0"' in radios and "Konsens" in radios
    empty = render(form["topics"], empty_text="Noch keine Themen angelegt.")
    assert "<legend>Themen</legend>" in empty and "Noch keine Themen angelegt." in empty
    single = render(form["agree"])
    assert "<fieldset>" not in single and '<label for="id_agree">Einverstanden</label>' in single
