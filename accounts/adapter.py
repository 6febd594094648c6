"""allauth hooks: where people land after login/verification, and invitation admission."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from accounts.permissions import is_member
from accounts.services import membership_on_email_verified
from core.mail import with_folded_subject

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Site:
    """What allauth's mail templates call current_site: our name, not the request's host."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        site = _Site(name="RTM Positionen", domain=urlsplit(settings.SITE_URL).netloc)
        try:
            super().send_mail(
                template_prefix,
                email,
                {**context, "current_site": site, "site_url": settings.SITE_URL},
            )
        except (smtplib.SMTPException, OSError):
            # A mail server hiccup must not turn sign-up or reset into an error page; the
            # person can ask for the mail again. allauth sends these within the request.
            logger.exception("Could not send %s mail", template_prefix)

    def render_mail(self, *args: Any, **kwargs: Any) -> Any:
        return with_folded_subject(super().render_mail(*args, **kwargs))

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # The "key" of the login_failed rate limit (settings.ACCOUNT_RATE_LIMITS). allauth
        # counts failures per address alone, so five wrong passwords from anywhere would
        # lock the coordinator out: a stranger's denial of service. We count per address
        # and client IP; the per-IP limit still bounds guessing across addresses.
        # (allauth uses this one method both to count and to clear after a reset.)
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{get_ip(request)}"

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Non-members have nothing internal to see: their home is the profile.
        if is_member(request.user):
            return super().get_login_redirect_url(request)
        return reverse("accounts:profile")

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("accounts:profile")

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            # An invited person becomes a member once the invited address is proven.
            membership_on_email_verified(user=email_address.user, email=email_address.email)
        return confirmed
