"""Print the paper's state machine as Mermaid text, generated from the code.

manage.py statemachine                 # the stateDiagram-v2 text
manage.py statemachine --write-readme  # refresh the README section between the markers
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workflow.diagram import README_END, README_START, mermaid, readme_section


class Command(BaseCommand):
    help = "Print the statement state machine as a Mermaid stateDiagram-v2."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--write-readme", action="store_true", help="Replace the diagram in README.md."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["write_readme"]:
            self.stdout.write(mermaid(), ending="")
            return
        readme = Path(settings.BASE_DIR) / "README.md"
        text = readme.read_text(encoding="utf-8")
        if README_START not in text or README_END not in text:
            raise CommandError("README.md lacks the state-diagram markers.")
        head, rest = text.split(README_START, 1)
        _old, tail = rest.split(README_END, 1)
        readme.write_text(
            head + README_START + readme_section() + README_END + tail, encoding="utf-8"
        )
        self.stdout.write("README.md updated.")
