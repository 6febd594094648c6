"""Comment on selected words: the comment form pre-filled from `?block=…&quote=…`.

static/discussion/selection.js builds those links when a reader selects words in one
paragraph of the paper (the per-paragraph links stay for everyone else). A comment
starts with the selection as a Markdown quote; a suggestion starts with the
paragraph's source, and the selected words are marked in it (the textarea selects
them on arrival, and its help text names them), so typing replaces exactly them.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.text import strip_bidi
from statements.markdown import Block

QUOTE_LIMIT = 500
# What may stand between two selected words in the Markdown source: white space and
# inline markup the rendered text does not show.
_BETWEEN = r"[\s*_~`]+"


def clean_quote(value: str) -> str:
    text = strip_bidi(value or "")
    text = "".join(ch for ch in text if ch.isprintable() or ch.isspace())
    return " ".join(text.split())[:QUOTE_LIMIT]


def as_markdown_quote(quote: str) -> str:
    return f"> {quote}\n\n"


def find_in_source(source: str, quote: str) -> tuple[int, int] | None:
    """Where the selected (rendered) words stand in the paragraph's Markdown source."""
    words = quote.split()
    if not words:
        return None
    pattern = _BETWEEN.join(re.escape(word) for word in words)
    match = re.search(pattern, source)
    return (match.start(), match.end()) if match else None


def prefill(form: Any, request: HttpRequest, block: Block | None, *, suggest: bool) -> None:
    """Fill `form` from the selection in the query string, if there is one."""
    quote = clean_quote(request.GET.get("quote", ""))
    if not quote or block is None:
        return
    field = form.fields.get("suggestion_text")
    if suggest and field is not None:
        found = find_in_source(block.source, quote)
        if found is None:
            return
        field.widget.attrs.update(
            {"data-select-start": str(found[0]), "data-select-end": str(found[1])}
        )
        field.help_text = _("Markiert ist die ausgewählte Stelle: „%(quote)s“. %(help)s") % {
            "quote": block.source[found[0] : found[1]],
            "help": field.help_text,
        }
        return
    form.initial["body"] = as_markdown_quote(quote)
