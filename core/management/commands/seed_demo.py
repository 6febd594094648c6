"""Fill the database with the demo group (idempotent: running it twice changes nothing)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Each app seeds its own part, in this order (later parts use earlier ones).
SEEDERS = (
    "accounts.demo.seed",
    "statements.demo.seed",
    "workflow.demo.seed",
    "voting.demo.seed",
    "discussion.demo.seed",
    "maillist.demo.seed",
    "notifications.demo.seed",
    "public.demo.seed",
)

DEMO_PASSWORD = "rtm-demo-2026"  # noqa: S105 - documented demo password
DEMO_LOGINS = (
    ("koordination@example.org", "Koordination"),
    ("amira@example.org", "Mitglied"),
    ("jonas@example.org", "Mitglied"),
    ("lena@example.org", "Mitglied"),
    ("gast@example.org", "registriert, Aufnahme beantragt"),
)


class Command(BaseCommand):
    help = "Create demo organisations, people and statements (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        for dotted in SEEDERS:
            with transaction.atomic():
                import_string(dotted)(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password {DEMO_PASSWORD}):")
        )
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:28} {role}")
