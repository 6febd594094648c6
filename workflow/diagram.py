"""The state machine as Mermaid text, generated from the django-fsm declarations."""

from __future__ import annotations

from django.utils import translation

from statements.models import Statement
from statements.states import State
from workflow.spec import Transition


def _targets(target: object) -> list[str]:
    # RETURN_VALUE / GET_STATE targets list the states they may return.
    allowed = getattr(target, "allowed_states", None)
    if allowed is not None:
        return [str(state) for state in allowed]
    return [str(target)]


def edges() -> list[tuple[str, str, str]]:
    """(source, name, target) for every declared transition, in a stable order."""
    field = Statement._meta.get_field("state")
    order = [str(s) for s in State.values]
    found = set()
    for transition in field.get_all_transitions(Statement):
        for target in _targets(transition.target):
            found.add((str(transition.source), transition.name, target))

    def key(edge: tuple[str, str, str]) -> tuple[int, int, int]:
        source, name, target = edge
        names = list(Transition.values)
        return (
            names.index(name) if name in names else len(names),
            order.index(source) if source in order else len(order),
            order.index(target) if target in order else len(order),
        )

    return sorted(found, key=key)


def mermaid() -> str:
    """`stateDiagram-v2` text; state labels in German (the README's language)."""
    all_edges = edges()
    sources = {source for source, _name, _target in all_edges}
    lines = ["stateDiagram-v2"]
    with translation.override("de"):
        for state in State:
            lines.append(f'    state "{state.label}" as {state.value}')
    lines.append(f"    [*] --> {State.DRAFT.value}")
    for source, name, target in all_edges:
        lines.append(f"    {source} --> {target}: {name}")
    for state in State:
        if state.value not in sources:
            lines.append(f"    {state.value} --> [*]")
    return "\n".join(lines) + "\n"


README_START = "<!-- state-diagram:start -->"
README_END = "<!-- state-diagram:end -->"


def readme_section() -> str:
    """What belongs between the README markers."""
    return "\n```mermaid\n" + mermaid() + "```\n"
