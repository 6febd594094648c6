"""The mention field's widget: a plain text input that htmx enhances with suggestions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse


class MentionInput(forms.TextInput):
    """Without JavaScript a text field for names; with htmx, typing fills a <datalist>
    beside it from the members' autocomplete."""

    template_name = "discussion/widgets/mention_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}-list"
        context["widget"]["attrs"].update(
            {
                "list": list_id,
                "hx-get": reverse("discussion:member_autocomplete"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
            }
        )
        context["list_id"] = list_id
        return context
