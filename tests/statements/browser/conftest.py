"""The shared browser fixtures (Chromium, pages, axe-core) for the co-writing journeys."""

from tests.browser.conftest import axe_source, browser, check_a11y, pages  # noqa: F401
