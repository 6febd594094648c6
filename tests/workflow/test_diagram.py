"""The README's state diagram is generated from the code and must stay in sync."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from workflow.diagram import README_END, README_START, edges, readme_section

# An independent copy of the state table in docs/product.md.
TABLE = {
    ("draft", "submit", "consultation"),
    ("consultation", "back_to_draft", "draft"),
    ("consultation", "open_vote", "voting"),
    ("voting", "close_vote", "accepted"),
    ("voting", "close_vote", "rejected"),
    ("accepted", "publish", "published"),
    ("rejected", "revise", "draft"),
    ("draft", "withdraw", "withdrawn"),
    ("consultation", "withdraw", "withdrawn"),
    ("rejected", "withdraw", "withdrawn"),
    ("published", "retract", "retracted"),
}


def test_declared_transitions_are_exactly_the_table():
    assert set(edges()) == TABLE


def test_command_prints_mermaid():
    out = StringIO()
    call_command("statemachine", stdout=out)
    text = out.getvalue()
    assert text.startswith("stateDiagram-v2\n")
    assert "    accepted --> published: publish\n" in text
    assert "    voting --> rejected: close_vote\n" in text


def test_readme_diagram_matches_the_code():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = readme.split(README_START, 1)[1].split(README_END, 1)[0]
    out = StringIO()
    call_command("statemachine", stdout=out)
    assert section == readme_section(), (
        "README.md's state diagram is outdated: run `manage.py statemachine --write-readme`"
    )
    assert out.getvalue() in section
