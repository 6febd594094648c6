"""`{{ moment|ago }}`: "vor 5 Minuten" / "5 minutes ago", and "gerade eben" / "just now"
for the first minute, where Django's timesince says "0 Minuten" (issue 16)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    if not value:
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return _("gerade eben")
    return _("vor %(when)s") % {"when": timesince(value)}
