"""`make mutate` cannot go stale silently: what it names must exist.

A function renamed or moved would otherwise drop out of the mutation run with no
mutants and no warning, and a renamed test file would end the run with an error only
when someone runs it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.mutation.targets import TARGETS

ROOT = Path(__file__).resolve().parents[2]


def top_level_functions(module: str) -> set[str]:
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.module)
def test_target_names_existing_functions_and_tests(target) -> None:
    assert (ROOT / target.module).is_file()
    if target.functions != ("*",):
        assert set(target.functions) <= top_level_functions(target.module)
    missing = [path for path in target.tests if not (ROOT / path).is_file()]
    assert not missing
    assert len(set(target.tests)) == len(target.tests)


def test_each_module_is_mutated_once() -> None:
    modules = [target.module for target in TARGETS]
    assert len(modules) == len(set(modules))
