"""Every write of the public app: co-signatures. Each change makes public pages stale."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.models import Organisation
from public.cache import invalidate_public_pages
from public.models import CoSignature
from public.permissions import can_cosign_for
from statements.models import Statement


class CosignNotAllowed(Exception):
    """The actor may not (un)sign for this organisation, or the statement is not published."""


def _fresh(actor: Any) -> Any:
    """Forget organisation ids cached on the actor: membership may have changed since."""
    if actor is not None and hasattr(actor, "_organisation_ids"):
        del actor._organisation_ids
    return actor


def _touch(statement_id: int) -> None:
    Statement.objects.filter(pk=statement_id).update(public_version=F("public_version") + 1)
    invalidate_public_pages()


def cosignature_add(*, statement: Statement, organisation: Organisation, actor: Any) -> CoSignature:
    """Record that `organisation` co-signs `statement`. Idempotent.

    A member signing for their own organisation is recorded as `signed_by`; a
    coordinator adding an organisation that asked by e-mail is only `added_by`.
    """
    with transaction.atomic():
        locked = Statement.objects.select_for_update().only("id", "state").get(pk=statement.pk)
        if not can_cosign_for(_fresh(actor), locked, organisation):
            raise CosignNotAllowed
        existing = CoSignature.objects.filter(statement=locked, organisation=organisation).first()
        if existing is not None:
            return existing
        is_own = organisation.pk in set(actor.organisations.values_list("id", flat=True))
        try:
            with transaction.atomic():
                cosignature = CoSignature.objects.create(
                    statement=locked,
                    organisation=organisation,
                    signed_by=actor if is_own else None,
                    added_by=actor,
                )
        except IntegrityError:  # a concurrent click on SQLite without row locks
            return CoSignature.objects.get(statement=locked, organisation=organisation)
        _touch(locked.pk)
    return cosignature


def cosignature_revoke(*, statement: Statement, organisation: Organisation, actor: Any) -> bool:
    """Withdraw `organisation`'s co-signature. Returns False if there was none."""
    with transaction.atomic():
        locked = Statement.objects.select_for_update().only("id", "state").get(pk=statement.pk)
        if not can_cosign_for(_fresh(actor), locked, organisation):
            raise CosignNotAllowed
        deleted, _ = CoSignature.objects.filter(
            statement=locked, organisation=organisation
        ).delete()
        if deleted:
            _touch(locked.pk)
    return bool(deleted)
