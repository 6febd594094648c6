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
    "meetings.demo.seed",
    "maillist.demo.seed",
    "notifications.demo.seed",
    "public.demo.seed",
)
# The modules that write papers say which papers are theirs. The seeders after them add
# votes, comments, follows and co-signatures to those papers only (`papers=`): `make run`
# runs again and again on the developer's own data, and what people wrote stays theirs.
PAPER_MAKERS = (
    "statements.demo.demo_statement_ids",
    "workflow.demo.demo_statement_ids",
    "meetings.demo.demo_statement_ids",
)
# Seeders that run before any paper exists (or make them) get no `papers=`.
NO_PAPERS = ("accounts", "statements", "workflow")

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
            app = dotted.split(".", 1)[0]
            extra = {}
            if app not in NO_PAPERS:
                # Asked afresh before each seeder: meetings makes a paper of its own.
                papers = frozenset(pk for maker in PAPER_MAKERS for pk in import_string(maker)())
                extra = {"papers": papers}
            with transaction.atomic():
                import_string(dotted)(stdout=self.stdout, **extra)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password {DEMO_PASSWORD}):")
        )
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:28} {role}")
