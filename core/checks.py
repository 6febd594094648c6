"""System checks for what an operator must configure before going public."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def imprint_address_configured(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    # German law (§ 5 DDG, § 18 MStV) requires a name and postal address on the imprint.
    if settings.RTM_IMPRINT_ADDRESS:
        return []
    return [
        Warning(
            "RTM_IMPRINT_ADDRESS is empty: the imprint page lacks the name and postal address "
            "of the person responsible.",
            hint='Set RTM_IMPRINT_ADDRESS, lines separated by ";" (see .env.example).',
            id="rtm.W001",
        )
    ]
