"""The sign-up form allauth uses (settings.ACCOUNT_FORMS["signup"]).

Kept apart from accounts.forms: allauth's forms module imports our SignupExtraForm
(ACCOUNT_SIGNUP_FORM_CLASS) as its base, so importing allauth's forms there would be
circular.
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.templatekit import get_entrance_context_data
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.template.response import TemplateResponse

from accounts.services import DisplayNameTaken


class SignupForm(AllauthSignupForm):
    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        if self.account_already_exists:
            # Enumeration: allauth then creates nothing and mails the owner instead. Hashing
            # the password is most of what creating an account costs; doing it here too
            # makes both answers take the same time (the mail goes out the same way in
            # both, through AccountAdapter.send_mail).
            make_password(self.cleaned_data.get("password1"))
        try:
            with transaction.atomic():
                return super().try_save(request)
        except DisplayNameTaken as exc:
            # Someone took the name between validation and saving: nothing was kept (the
            # atomic block rolled the new account back); the form returns with the input.
            self.add_error("display_name", exc.message)
            context = {"form": self, **get_entrance_context_data(request)}
            return None, TemplateResponse(request, "account/signup.html", context)
