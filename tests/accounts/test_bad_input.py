"""Bad or hostile input gets a clear 4xx answer, never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/coordination/admissions/999999/decide/"),
        ("post", "/coordination/members/999999/"),
        ("get", "/coordination/organisations/999999/edit/"),
    ],
)
def test_unknown_objects_are_404(client_for, coordinator, method, path):
    response = getattr(client_for(coordinator), method)(path, {"action": "suspend"})
    assert response.status_code == 404


def test_garbage_decision_is_a_form_error(client_for, coordinator, registered):
    from accounts.services import admission_request_create

    request = admission_request_create(user=registered, organisation_text="", reason="Bitte sehr.")
    response = client_for(coordinator).post(
        f"/coordination/admissions/{request.pk}/decide/", {f"r{request.pk}-decision": "vielleicht"}
    )
    assert response.status_code == 400


def test_overlong_input_is_a_form_error(client_for, registered):
    response = client_for(registered).post(
        "/profile/admission/", {"organisation_text": "x" * 500, "reason": "y" * 5000}
    )
    assert response.status_code == 400


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(token=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=80))
def test_any_invitation_token_is_answered_without_error(client, token):
    from urllib.parse import quote

    response = client.get(f"/invitation/{quote(token, safe='')}/")
    assert response.status_code in (400, 404, 410)
