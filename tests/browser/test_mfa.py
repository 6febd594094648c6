"""Two-factor set-up in the browser: a coordinator signs in, must activate TOTP, then works.

Checks the whole chain a person meets: the login form, the redirect by
RequireMFAMiddleware, allauth's QR code page under our CSP (data: image, no inline
script), its accessibility, and that the activated authenticator opens the internal pages.
"""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import hotp_value
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rtm-test-pass-2026"


def test_coordinator_sets_up_totp_before_anything_internal(pages, check_a11y, settings):
    settings.RTM_MFA_REQUIRED = True
    coordinator = UserFactory(
        display_name="Kora Koordination", email="koordination@example.org", is_coordinator=True
    )
    page = pages.new()
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(coordinator.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    # allauth asks for the password once more before any 2FA change, even right after login.
    page.wait_for_url(re.compile(re.escape(reverse("account_reauthenticate"))))
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(reverse("mfa_activate_totp")) + "$"))
    assert page.locator("main img").first.get_attribute("src").startswith("data:image/svg+xml")
    check_a11y(page, "TOTP activation")
    pages.screenshot(page, "01-activate-totp")

    # Anything internal leads back here until the authenticator is active.
    page.goto(reverse("statements:dashboard"))
    assert page.url.endswith(reverse("mfa_activate_totp"))

    secret = page.locator("#authenticator_secret").input_value()
    code = f"{hotp_value(secret, int(time.time()) // 30):06d}"
    page.locator("input[name=code]").fill(code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(reverse("statements:dashboard"))
    assert page.url.endswith(reverse("statements:dashboard"))
    pages.screenshot(page, "02-dashboard")
