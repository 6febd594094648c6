"""Create (or promote) a coordinator with a verified e-mail address: the first login of a
fresh installation. `--password` or the RTM_COORDINATOR_PASSWORD variable avoid the prompt."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from accounts.services import DisplayNameTaken, coordinator_create


class Command(BaseCommand):
    help = "Create a verified coordinator account (or make an existing account one)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="display name")
        parser.add_argument("--password", help="else RTM_COORDINATOR_PASSWORD or a prompt")
        parser.add_argument(
            "--admin", action="store_true", help="also grant Django admin access (staff)"
        )

    def handle(self, *args: object, **options: object) -> None:
        email = str(options["email"]).strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not a valid e-mail address: {email!r}") from None
        password = options.get("password") or os.environ.get("RTM_COORDINATOR_PASSWORD")
        if not password:
            if not os.isatty(0):
                raise CommandError("No password: pass --password or set RTM_COORDINATOR_PASSWORD.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        try:
            user, created = coordinator_create(
                email=email,
                display_name=str(options["name"]),
                password=password,
                admin=bool(options["admin"]),
            )
        except DisplayNameTaken:
            raise CommandError(
                f"The name {options['name']!r} is taken (or looks like one)."
            ) from None
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} coordinator {user.email}."))
