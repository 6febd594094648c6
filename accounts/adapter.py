"""allauth hooks: where people land after login/verification, and invitation admission."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.http import HttpRequest
from django.urls import reverse

from accounts.permissions import is_member
from accounts.services import membership_on_email_verified


class AccountAdapter(DefaultAccountAdapter):
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
