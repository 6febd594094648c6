"""Personal data export (GDPR Art. 15/20): everything we keep about one person, as JSON.

accounts contributes its own part; every other app has `<app>/export.py` with
`user_data(user) -> dict` (JSON-serialisable, only that person's data), listed below.
A missing one is an error, never a section quietly left out of someone's export.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import Invitation, User

# The apps asked for their part, in this order (tests/accounts/test_profile.py checks
# that every app with an export.py is listed).
APP_EXPORTERS = (
    "statements.export.user_data",
    "workflow.export.user_data",
    "discussion.export.user_data",
    "voting.export.user_data",
    "meetings.export.user_data",
    "maillist.export.user_data",
    "inbound.export.user_data",
    "notifications.export.user_data",
    "public.export.user_data",
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def user_data(user: User) -> dict[str, Any]:
    """The accounts part: profile, e-mail addresses, organisations, admission history."""
    return {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "membership_status": user.membership_status,
            "is_coordinator": user.is_coordinator,
            "member_since": _iso(user.member_since),
            "suspended_at": _iso(user.suspended_at),
            "suspension_reason": user.suspension_reason,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "phone": user.phone,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "organisations": [
            {
                "name": m.organisation.name,
                "kind": m.organisation.kind,
                "website": m.organisation.website,
                "status": m.status,
                "is_contact": m.is_contact,
                "requested_at": _iso(m.requested_at),
                "decided_at": _iso(m.decided_at),
            }
            for m in user.organisation_memberships.select_related("organisation").order_by(
                "organisation__name"
            )
        ],
        "admission_requests": [
            {
                "organisation": r.organisation_text,
                "reason": r.reason,
                "created_at": _iso(r.created_at),
                "decision": r.decision,
                "decided_at": _iso(r.decided_at),
                "decision_message": r.decision_message,
            }
            for r in user.admission_requests.order_by("created_at")
        ],
        # Invitations this person sent: when and whether accepted, not whom (their data).
        "invitations_sent": [
            {"created_at": _iso(i.created_at), "accepted": i.accepted_at is not None}
            for i in Invitation.objects.filter(invited_by=user).order_by("created_at")
        ],
    }


def collect_user_data(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "rtm-positionen-export/1",
        "exported_at": timezone.now().isoformat(),
        "accounts": user_data(user),
    }
    for dotted in APP_EXPORTERS:
        data[dotted.split(".", 1)[0]] = import_string(dotted)(user)
    return data
