"""`{% state_badge state %}`: a paper's state as a badge with its name written out and a
shape beside the colour (issue 16): nobody has to tell green from red to read it."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from statements.states import State

register = template.Library()

# A shape per state, read by the eye only (aria-hidden): the label carries the meaning.
GLYPHS = {
    State.DRAFT: "✎",
    State.CONSULTATION: "◔",
    State.VOTING: "◑",
    State.ACCEPTED: "✓",
    State.PUBLISHED: "✓",
    State.REJECTED: "✕",
    State.WITHDRAWN: "↩",
    State.RETRACTED: "⊘",
}


@register.simple_tag
def state_badge(state: str) -> SafeString:
    try:
        known = State(state)
    except ValueError:
        return format_html('<span class="badge">{}</span>', state)
    return format_html(
        '<span class="badge state state-{}">'
        '<span class="badge-icon" aria-hidden="true">{}</span>{}</span>',
        known.value,
        GLYPHS[known],
        capfirst(known.label),
    )
