"""Every refusal a service raises derives from core.errors.ServiceError (message, status)."""

from __future__ import annotations

import ast

import pytest

from accounts.services import DisplayNameTaken, InvitationInvalid, MembershipError
from core.errors import ServiceError
from core.ratelimit import RateLimited
from discussion.services import BlockGone, DiscussionError
from public.services import CosignNotAllowed
from statements.services import EditConflict, TextFrozen, TopicInUse, TopicNameTaken
from tests.core.test_layers import application_modules
from voting.services import NotEligible, VotingError
from workflow.services import NoteRequired, TransitionAlreadyDone, TransitionError

# Exceptions that never reach a person: internal signals between two functions.
INTERNAL = {
    "ServiceError",  # the base itself
    "ConfigError",  # rtm_workflow.env: a bad setting stops the start
    "CacheDown",  # core.pagecache: serve uncached
    "LeaseLost",  # notifications.smtp: another worker owns the row
    "RefusedAfterCommit",  # notifications.smtp
    "UnconfirmedAfterCommit",  # notifications.smtp
    "TokenInvalid",  # inbound.tokens: receive() bounces the reply as forged
    "TokenExpired",  # inbound.tokens: receive() bounces the reply as expired
    "UnresolvedConflict",  # statements.merge: caught by the service, becomes EditConflict
}


def test_no_app_defines_a_refusal_outside_the_family():
    """A new `class X(Exception)` in an app must either be a ServiceError or be listed."""
    bare = []
    for module, path in application_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name not in INTERNAL:
                bases = {ast.unparse(b) for b in node.bases}
                if bases & {"Exception", "RuntimeError", "ValueError"}:
                    bare.append(f"{module}.{node.name}")
    assert bare == []


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (TransitionAlreadyDone("publish"), 409),
        (NoteRequired("retract"), 400),
        (TransitionError("publish", message="Eigene Meldung"), 409),
        (DiscussionError("x"), 400),
        (BlockGone("x"), 409),
        (NotEligible(), 403),
        (VotingError(), 409),
        (MembershipError("x"), 409),
        (DisplayNameTaken(), 400),
        (InvitationInvalid("tampered"), 400),
        (InvitationInvalid("expired"), 410),
        (TextFrozen(), 409),
        (EditConflict(None), 409),
        (TopicNameTaken(), 400),
        (TopicInUse(), 409),
        (CosignNotAllowed(), 403),
        (RateLimited("comment", 30), 429),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_each_refusal_is_a_service_error_with_its_status(error, status):
    assert isinstance(error, ServiceError)
    assert error.status == status
    assert str(error)


def test_an_instance_may_override_message_and_status():
    error = TransitionError("publish", message="Eigene Meldung")
    assert error.message == "Eigene Meldung" and error.name == "publish"
    assert str(ServiceError("Nein", status=418)) == "Nein"
    assert ServiceError("Nein", status=418).status == 418
    assert TransitionError().message == TransitionError.message
