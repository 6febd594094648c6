"""Form widgets shared by several apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language_info


class LanguageSelect(forms.Select):
    """A choice of languages, each option named in itself and marked with its language
    and direction, so a screen reader pronounces "العربية" as Arabic, not as German."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            try:
                bidi = get_language_info(str(value))["bidi"]
            except KeyError:
                bidi = False
            option["attrs"] = {**option["attrs"], "lang": value, "dir": "rtl" if bidi else "ltr"}
        return option
