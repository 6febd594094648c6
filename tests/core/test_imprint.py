"""The imprint names the person responsible once the operator configured it."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.test import Client


@pytest.mark.django_db
def test_imprint_shows_the_configured_address(settings):
    settings.RTM_IMPRINT_ADDRESS = ["Erika <Muster>", "Musterstraße 1", "04109 Leipzig"]
    html = Client().get("/imprint/").content.decode()
    assert "<address>Erika &lt;Muster&gt;<br>Musterstraße 1<br>04109 Leipzig</address>" in html
    assert "auf Anfrage" not in html


@pytest.mark.django_db
def test_imprint_without_address_offers_it_by_mail_and_no_operator_hint(settings):
    settings.RTM_IMPRINT_ADDRESS = []
    html = Client().get("/imprint/").content.decode()
    assert "<address>" not in html
    assert "auf Anfrage per E-Mail" in html
    assert "Hinweis für den Betrieb" not in html  # instructions for the operator stay private


def test_deploy_check_warns_without_imprint_address(settings):
    settings.RTM_IMPRINT_ADDRESS = []
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "rtm.W001" in ids
    settings.RTM_IMPRINT_ADDRESS = ["Erika Muster"]
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "rtm.W001" not in ids
    assert "rtm.W001" not in {m.id for m in run_checks()}  # only a deployment concern
