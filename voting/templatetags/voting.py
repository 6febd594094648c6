"""Template tags for pages of lower apps that show a piece of voting.

The members' dashboard belongs to the statements app, which sits below voting and
does not import it; its template asks for the ballots through this tag.
"""

from __future__ import annotations

from typing import Any

from django import template

from voting import selectors
from voting.models import Ballot

register = template.Library()


@register.simple_tag
def ballots_waiting_for(user: Any) -> list[Ballot]:
    """One query (see voting.selectors.ballots_waiting_for)."""
    return selectors.ballots_waiting_for(user)
