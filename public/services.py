"""Every write of the public app: co-signatures. Each change makes public pages stale and
is recorded in the paper's audit trail (who signed or revoked for which organisation)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from accounts.models import Organisation
from accounts.permissions import confirmed_organisation_ids, forget_organisation_roles
from core.errors import ServiceError
from core.pagecache import invalidate_public_pages
from public.models import CoSignature
from public.permissions import can_cosign_for, can_revoke_cosignature_for
from statements.models import Statement
from workflow.audit import COSIGN, COSIGN_REVOKE, audit_record


class CosignNotAllowed(ServiceError):
    """The actor may not (un)sign for this organisation, or the statement is not published."""

    status = 403


def cosignature_add(*, statement: Statement, organisation: Organisation, actor: Any) -> CoSignature:
    """Record that `organisation` co-signs `statement`. Idempotent.

    A confirmed member signing for their organisation is recorded as `signed_by`; a
    coordinator adding an organisation that asked by e-mail is only `added_by`.
    """
    with transaction.atomic():
        locked = Statement.objects.select_for_update().only("id", "state").get(pk=statement.pk)
        # Read the memberships now, not from a cache filled before a decision changed them.
        if not can_cosign_for(forget_organisation_roles(actor), locked, organisation):
            raise CosignNotAllowed
        existing = CoSignature.objects.filter(statement=locked, organisation=organisation).first()
        if existing is not None:
            return existing
        is_own = organisation.pk in confirmed_organisation_ids(actor)
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
        audit_record(statement=locked, action=COSIGN, actor=actor, note=organisation.name)
        invalidate_public_pages()  # the public page lists co-signers
    return cosignature


def cosignature_revoke(*, statement: Statement, organisation: Organisation, actor: Any) -> bool:
    """Withdraw `organisation`'s co-signature. Returns False if there was none."""
    with transaction.atomic():
        locked = Statement.objects.select_for_update().only("id", "state").get(pk=statement.pk)
        if not can_revoke_cosignature_for(forget_organisation_roles(actor), locked, organisation):
            raise CosignNotAllowed
        deleted, _ = CoSignature.objects.filter(
            statement=locked, organisation=organisation
        ).delete()
        if deleted:
            audit_record(
                statement=locked, action=COSIGN_REVOKE, actor=actor, note=organisation.name
            )
            invalidate_public_pages()  # the public page lists co-signers
    return bool(deleted)
