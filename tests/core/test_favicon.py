"""Every page names its icon, so browsers stop asking for a missing /favicon.ico (a 404
in the log on every first visit)."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_pages_link_an_icon_that_exists(db):
    page = Client().get("/").content.decode()
    match = re.search(r'<link rel="icon" href="/static/([^"]+)"', page)
    assert match, "no icon link in base.html"
    assert finders.find(match.group(1)), match.group(1)
