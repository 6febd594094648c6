"""`make mutate`: mutmut over the rules that must not drift, on SQLite, one worker.

    python -m tests.mutation [--only voting/rules.py ...]

For each entry of tests/mutation/targets.py this builds a scratch copy under
var/mutation/<module>/ (symlinks to the repository plus a pyproject.toml whose
[tool.mutmut] names that module and its test files), runs `mutmut run` there with one
child process, and reads mutmut's results. It prints every surviving mutant as a
diff, the score per module and overall, and compares the overall score with the one
recorded in docs/mutation.md ("Score to keep"): a lower score exits 1.
Not part of `make test`: a full run takes minutes, not seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.mutation.targets import TARGETS, Target

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "mutation"
DOC = ROOT / "docs" / "mutation.md"
# Never copied into the scratch directories: our own state, caches, and the
# pyproject.toml that each scratch directory gets its own version of.
NOT_COPIED = {
    ".git",
    ".venv",
    "var",
    "mutants",
    "node_modules",
    "__pycache__",
    ".hypothesis",
    ".ruff_cache",
    "pyproject.toml",
}
PYTEST_ARGS = (
    "--ds=tests.mutation.settings",
    "--reuse-db",
    "-p",
    "no:cacheprovider",
    "--hypothesis-seed=0",
    # Each mutant runs a fresh pytest session; these two plugins' garbage collection
    # at its end is a third of its fixed cost, and they only report, never fail a test.
    "-p",
    "no:unraisableexception",
    "-p",
    "no:threadexception",
)
DETECTED = {"killed", "timeout"}  # a mutant that hangs the tests is caught too


@dataclass
class Outcome:
    target: Target
    statuses: dict[str, str]
    seconds: float
    diffs: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def killed(self) -> int:
        return sum(status in DETECTED for status in self.statuses.values())

    @property
    def survivors(self) -> list[str]:
        return sorted(
            (name for name, status in self.statuses.items() if status not in DETECTED),
            key=_natural,
        )


def _natural(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("_")
    return (stem, int(number) if number.isdigit() else 0)


def _percent(killed: int, total: int) -> float:
    return 100.0 * killed / total if total else 100.0


def _toml_list(values: list[str] | tuple[str, ...]) -> str:
    return json.dumps(list(values))  # a JSON array of strings is a TOML array


def _prepare(target: Target, work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    packages, others = [], []
    for entry in sorted(ROOT.iterdir()):
        if entry.name in NOT_COPIED or entry.name.endswith(".egg-info"):
            continue
        (work / entry.name).symlink_to(entry)
        if entry.name == "tests":
            continue  # mutmut copies tests/ itself
        is_package = entry.is_dir() and (entry / "__init__.py").exists()
        (packages if is_package else others).append(entry.name)
    config = f"""

[tool.mutmut]
source_paths = {_toml_list(packages)}
only_mutate = {_toml_list([target.module])}
also_copy = {_toml_list(others)}
pytest_add_cli_args = {_toml_list(PYTEST_ARGS)}
pytest_add_cli_args_test_selection = {_toml_list(target.tests)}
use_git_change_detection = false
"""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (work / "pyproject.toml").write_text(text + config, encoding="utf-8")


def _run(target: Target) -> Outcome:
    from mutmut.stats import status_by_exit_code

    missing = [path for path in target.tests if not (ROOT / path).exists()]
    if missing:
        raise SystemExit(f"{target.module}: test files not found: {', '.join(missing)}")
    work = WORK / target.module.replace("/", "__").removesuffix(".py")
    _prepare(target, work)
    env = dict(os.environ, RTM_MUTATION_TEST_DB=str(work / "test.sqlite3"))
    log = work / "mutmut.log"
    started = time.monotonic()
    with log.open("wb") as out:
        result = subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", "1", *target.patterns],
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = time.monotonic() - started
    meta = work / "mutants" / f"{target.module}.meta"
    if result.returncode != 0 or not meta.exists():
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise SystemExit(f"{target.module}: mutmut failed (exit {result.returncode}):\n{tail}")
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    statuses = {
        name: status_by_exit_code[code]
        for name, code in codes.items()
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in target.patterns)
        and target.counts(name)
    }
    outcome = Outcome(target, statuses, seconds)
    outcome.diffs = _diffs(work, target, outcome.survivors)
    return outcome


def _diffs(work: Path, target: Target, names: list[str]) -> dict[str, str]:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diffs = {}
    with contextlib.chdir(work):
        for name in names:
            lines = get_diff_for_mutant(name, path=target.module).splitlines()
            diffs[name] = "\n".join(line for line in lines[2:] if not line.startswith("@@"))
    return diffs


def _score_to_keep() -> float | None:
    if not DOC.exists():
        return None
    found = re.search(r"Score to keep: \*{0,2}([0-9.]+) ?%", DOC.read_text(encoding="utf-8"))
    return float(found.group(1)) if found else None


def _report(outcome: Outcome) -> None:
    print(
        f"\n{outcome.target.module}: {outcome.killed}/{outcome.total} killed "
        f"({_percent(outcome.killed, outcome.total):.1f} %), "
        f"{len(outcome.survivors)} surviving, {outcome.seconds:.0f} s",
        flush=True,
    )
    for name in outcome.survivors:
        print(f"  {outcome.statuses[name]}: {name}")
        for line in outcome.diffs.get(name, "").splitlines():
            if line.startswith(("-", "+")):
                print(f"      {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation", description=__doc__)
    parser.add_argument(
        "--only", action="append", metavar="MODULE", help="run only this module (repeatable)"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    targets = [t for t in TARGETS if not args.only or t.module in args.only]
    if args.only and len(targets) != len(set(args.only)):
        known = ", ".join(t.module for t in TARGETS)
        parser.error(f"unknown module in --only; known: {known}")

    started = time.monotonic()
    outcomes = []
    for target in targets:
        print(f"mutating {target.module} ({len(target.tests)} test files) …", flush=True)
        outcome = _run(target)
        _report(outcome)
        outcomes.append(outcome)
    minutes = (time.monotonic() - started) / 60
    cpu = os.times()
    cpu_minutes = (cpu.children_user + cpu.children_system) / 60

    killed = sum(o.killed for o in outcomes)
    total = sum(o.total for o in outcomes)
    score = _percent(killed, total)
    print("\n| module | killed | total | score |\n|---|---:|---:|---:|")
    for o in outcomes:
        share = _percent(o.killed, o.total)
        print(f"| `{o.target.module}` | {o.killed} | {o.total} | {share:.1f} % |")
    print(f"| **overall** | **{killed}** | **{total}** | **{score:.1f} %** |")
    print(
        f"\n{len(outcomes)} modules in {minutes:.1f} min "
        f"({cpu_minutes:.1f} min of CPU time; the rest is waiting for a shared machine)"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "minutes": round(minutes, 1),
                    "cpu_minutes": round(cpu_minutes, 1),
                    "modules": {
                        o.target.module: {
                            "killed": o.killed,
                            "total": o.total,
                            "seconds": round(o.seconds),
                            "survivors": {n: o.diffs.get(n, "") for n in o.survivors},
                        }
                        for o in outcomes
                    },
                },
                indent=2,
            ),
            encoding="utf-8",
        )

    keep = _score_to_keep()
    if args.only or keep is None:
        return 0
    if round(score, 1) < keep:
        print(f"Score {score:.1f} % is below the score to keep ({keep:.1f} %, docs/mutation.md).")
        print("Kill the new survivors with a test, or record why they are harmless.")
        return 1
    print(f"Score {score:.1f} % (score to keep: {keep:.1f} %, docs/mutation.md).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
