"""Initials in a circle (issue 16): stable colour per person, decoration only."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from core.avatars import COLOURS, avatar_html, colour_class, initials


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Amira Autorin", "AA"),
        ("Lena", "L"),
        ("Jean-Luc Picard", "JP"),
        ("maria von der Heide", "MH"),
        ("Ömer Şahin", "ÖŞ"),
        ("ßara Groß", "SG"),  # "ß".upper() is "SS": one letter per word
        ("محمد علي", "مع"),
        ("Person 13", "P"),
        ("2026", "2"),
        ("  ", "?"),
        ("@@ --", "?"),
        ("", "?"),
    ],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_colour_follows_the_id_and_escapes_the_name():
    assert colour_class(3) == colour_class(3 + COLOURS) == "avatar-3"
    assert colour_class(None) == "avatar-none"
    html = avatar_html(12, "<b>Eve</b> Evil")
    assert html == '<span class="avatar avatar-4" aria-hidden="true">BE</span>'
    assert "?" in avatar_html(None, "ehemaliges Mitglied")


def test_template_tag():
    out = Template('{% load avatars %}{% avatar 9 "Kora Koordination" "small" %}').render(Context())
    assert out == '<span class="avatar avatar-1 avatar-small" aria-hidden="true">KK</span>'
