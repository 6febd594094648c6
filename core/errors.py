"""One base for refusals: a service says no with a message a person can read and the
HTTP status a view answers with.

Every app's refusals derive from ServiceError (workflow's TransitionError, discussion's
DiscussionError, voting's VotingError, accounts' MembershipError, the topic, text and
co-signing refusals, core.ratelimit.RateLimited), so a view needs no table of which
exception means which status. refusal() is the one place a refusal becomes a page or
an htmx fragment; views that show the message inside a form or as a flash message
read `error.message` and `error.status` the same way.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class ServiceError(Exception):
    """A refused service call. `message` is shown to the person, `status` is the answer.

    Subclasses set both as class attributes; an instance may override either.
    """

    status: int = 400
    message: Any = ""

    def __init__(self, message: Any = None, *, status: int | None = None) -> None:
        if message is not None:
            self.message = message
        if status is not None:
            self.status = status
        super().__init__(str(self.message) if self.message else type(self).__name__)

    def __str__(self) -> str:
        return str(self.message) if self.message else type(self).__name__


def refusal(
    request: HttpRequest,
    error: ServiceError,
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page (or htmx fragment: pass its template) that says no, with the error's status."""
    return render(request, template, {"error": error, **(context or {})}, status=error.status)
