"""Read-only admin views of ballots and of the votes of finished open ballots.

Ballots and votes change only through voting.services. Individual choices are
never shown for secret ballots (none are kept after the close anyway) and for no
ballot while it is still open: admins see no partial results either.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin
from voting.models import Ballot, Vote


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ("statement", "round", "rule", "is_secret", "closes_at", "closed_at", "outcome")
    list_filter = ("rule", "is_secret", "outcome")
    list_select_related = ("statement",)
    search_fields = ("statement__title",)
    exclude = ("revision",)


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("ballot", "voter", "choice", "updated_at")
    list_select_related = ("ballot__statement", "voter")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Vote]:
        return (
            super()
            .get_queryset(request)
            .filter(ballot__is_secret=False, ballot__closed_at__isnull=False)
        )
