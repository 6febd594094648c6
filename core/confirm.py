"""A confirmation page before a consequential one-click action (issue 16).

The action's own form posts as before; without `confirmed=1` the view answers with a page
that names what will happen and carries the same fields back with a confirm button. No
JavaScript, no new URL: the same POST, twice.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirmed"


def confirmation_needed(
    request: HttpRequest,
    *,
    title: Any,
    text: Any,
    button: Any,
    cancel_url: str,
    danger: bool = False,
) -> HttpResponse | None:
    """The confirmation page, or None when the POST already carries the confirmation."""
    if request.POST.get(CONFIRM_FIELD) == "1":
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in values
    ]
    context = {
        "title": title,
        "text": text,
        "button": button,
        "cancel_url": cancel_url,
        "fields": fields,
        "action": request.get_full_path(),
        "danger": danger,
        "confirm_field": CONFIRM_FIELD,
    }
    return render(request, "confirm.html", context)
