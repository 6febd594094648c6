"""Forms: the ballot options chosen when a vote opens, and the vote itself."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from voting.models import DecisionRule, QuorumKind, VoteChoice
from voting.selectors import current_member_ids

# Ballot options that decide the outcome: only a coordinator may depart from the
# group's defaults. The other option, secrecy, is the opener's choice.
RULE_OPTIONS = frozenset(
    {"rule", "quorum_kind", "quorum_value", "silence_threshold", "single_block_suffices"}
)


def default_options() -> dict[str, Any]:
    """The group's defaults from settings (RTM_DEFAULT_*), as BallotOptionsForm data."""
    percent = settings.RTM_DEFAULT_QUORUM_PERCENT
    return {
        "rule": settings.RTM_DEFAULT_DECISION_RULE,
        "quorum_kind": QuorumKind.SHARE if percent else QuorumKind.NONE,
        "quorum_value": percent,
        "is_secret": False,
        "silence_threshold": settings.RTM_SILENCE_OBJECTION_THRESHOLD,
        "single_block_suffices": False,
    }


class BallotOptionsForm(forms.Form):
    """Shown on the open_vote confirmation page; its cleaned_data goes to ballot_open."""

    rule = forms.ChoiceField(label=_("Entscheidungsregel"), choices=DecisionRule.choices)
    quorum_kind = forms.ChoiceField(
        label=_("Quorum"), choices=QuorumKind.choices, widget=forms.RadioSelect
    )
    quorum_value = forms.IntegerField(
        label=_("Quorum-Wert"),
        min_value=0,
        max_value=10000,
        required=False,
        help_text=_("Prozent der Stimmberechtigten oder Mindestzahl, je nach Art des Quorums."),
    )
    is_secret = forms.BooleanField(
        label=_("Geheime Abstimmung"),
        required=False,
        help_text=_("Niemand, auch nicht die Koordination, sieht, wer wie abgestimmt hat."),
    )
    silence_threshold = forms.IntegerField(
        label=_("Schweigeverfahren: Einsprüche bis zur Ablehnung"), min_value=1, max_value=10000
    )
    single_block_suffices = forms.BooleanField(
        label=_("Schweigeverfahren: ein einzelnes Veto verhindert die Annahme"), required=False
    )

    def __init__(self, *args: Any, rules_editable: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("initial", default_options())
        super().__init__(*args, **kwargs)
        if not rules_editable:
            # Authors keep the group's rule, quorum and thresholds (voting.services drops
            # them server-side too); they still choose whether the vote is secret.
            for name in RULE_OPTIONS:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "rule" not in self.fields:
            return data
        if data.get("rule") == DecisionRule.SILENCE and data.get("silence_threshold"):
            eligible = current_member_ids().count()
            if data["silence_threshold"] > eligible:
                self.add_error(
                    "silence_threshold",
                    _(
                        "Höchstens so viele Einsprüche, wie es Stimmberechtigte gibt "
                        "(derzeit %(count)s)."
                    )
                    % {"count": eligible},
                )
        kind = data.get("quorum_kind")
        value = data.get("quorum_value")
        if kind == QuorumKind.NONE:
            data["quorum_value"] = 0
        elif value is None:
            self.add_error("quorum_value", _("Bitte einen Wert für das Quorum angeben."))
        elif kind == QuorumKind.SHARE and value > 100:
            self.add_error("quorum_value", _("Ein Anteil kann höchstens 100 Prozent sein."))
        return data


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Ihre Stimme"), choices=VoteChoice.choices)
    reason = forms.CharField(
        label=_("Begründung (optional)"), max_length=300, required=False, strip=True
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed:
            self.fields["choice"].choices = [(c, VoteChoice(c).label) for c in allowed]
