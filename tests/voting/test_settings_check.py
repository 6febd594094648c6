"""RTM_DEFAULT_DECISION_RULE is checked when the site starts, not when a vote opens."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from voting.checks import default_decision_rule_known


@pytest.mark.parametrize("rule", ["majority", "two_thirds", "consensus", "silence"])
def test_every_known_rule_passes(settings, rule):
    settings.RTM_DEFAULT_DECISION_RULE = rule
    assert default_decision_rule_known() == []


def test_a_typo_stops_check_and_migrate_with_a_clear_message(settings):
    settings.RTM_DEFAULT_DECISION_RULE = "mehrheit"
    [error] = default_decision_rule_known()
    assert error.id == "voting.E001"
    assert "RTM_DEFAULT_DECISION_RULE='mehrheit'" in error.msg
    assert "majority, two_thirds, consensus, silence" in error.hint
    with pytest.raises(SystemCheckError, match="voting.E001"):
        call_command("check")
