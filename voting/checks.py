"""System check: the group's default decision rule must be one the counting knows.

A typo in RTM_DEFAULT_DECISION_RULE would otherwise surface only when someone opens a
vote (a form without a valid choice). `manage.py check`, `migrate` (run before gunicorn
starts in docker-compose) and `runserver` refuse to go on.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from voting.models import DecisionRule


@register()
def default_decision_rule_known(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    rule = settings.RTM_DEFAULT_DECISION_RULE
    if rule in DecisionRule.values:
        return []
    return [
        Error(
            f"RTM_DEFAULT_DECISION_RULE={rule!r} is not a decision rule.",
            hint=f"Use one of: {', '.join(DecisionRule.values)}.",
            id="voting.E001",
        )
    ]
