"""State badges (issue 16): every state named in words, with a shape beside its colour."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from statements.states import State
from statements.templatetags.states import GLYPHS


def render(state: str) -> str:
    return Template("{% load states %}{% state_badge state %}").render(Context({"state": state}))


@pytest.mark.parametrize("state", list(State))
def test_every_state_has_a_badge_with_its_name(state):
    assert state in GLYPHS
    for language in ("de", "en"):
        with translation.override(language):
            html = render(state.value)
            label = str(state.label)
            assert f'class="badge state state-{state.value}"' in html
            assert f'aria-hidden="true">{GLYPHS[state]}</span>' in html
            assert html.endswith(f"{label[0].upper()}{label[1:]}</span>")


def test_an_unknown_state_is_shown_escaped():
    assert render("<x>") == '<span class="badge">&lt;x&gt;</span>'
