"""Run every benchmark module in bench/ and write docs/benchmarks.md.

    make bench                       # all modules
    make bench BENCH_ARGS="vote"     # only the named modules
    RTM_BENCH_QUICK=1 make bench     # a fifth of the requests, for a smoke run

A module that fails is reported in the output and the file; the others still run.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

import bench
from bench import harness

OUTPUT = harness.ROOT / "docs" / "benchmarks.md"
HOW_TO_READ = """\
**How to read this.** The machine is shared (other test runs, other engineers), so an
absolute figure (requests per second, milliseconds) says little on its own and will differ
on the next run. Read the *ratios*: every figure is measured in rounds, each round right
next to its baseline taken in the same run on the same server — a static file through
the same gunicorn (and a trivial WSGI app) for the HTTP figures, an uncached render of
the public list's first page for the uncached paths, a bare smtplib loop for mail — so
load from elsewhere hits both. Each figure gives the median over the rounds and the
spread (min–max); a wide spread means the machine was busy, not that the code is
erratic. The load average (1/5/15 min) stands beside every figure: on 2 cores anything
above 2 means the benchmark shared the CPU. Load comes from `wrk`, a separate process on
the same machine (it takes CPU from the server too). "Server CPU" is the gunicorn
workers' own CPU time per request (from /proc), which depends least on the load.
PASS/MISS compares the median with the targets of issue 20's "Show" section.\
"""
NOT_BENCHES = {"harness", "__main__"}


def discover() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.iter_modules(bench.__path__)
        if info.name not in NOT_BENCHES and not info.name.startswith("_")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help="bench modules to run (default: all)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    names = args.names or discover()
    unknown = set(names) - set(discover())
    if unknown:
        parser.error(f"no such bench module: {', '.join(sorted(unknown))}")

    harness.setup()
    from django.db import connections

    started = datetime.now(UTC)
    sections: list[str] = []
    failures = 0
    for name in names:
        print(f"== bench.{name}", flush=True)
        t0 = time.monotonic()
        # A module may have switched this process's connection (a test database, an open
        # transaction); each starts on a fresh connection to the bench database.
        connections.close_all()
        try:
            module = importlib.import_module(f"bench.{name}")
            sections.append(module.main())
        except Exception:  # noqa: BLE001 - one broken bench must not hide the others
            failures += 1
            error = traceback.format_exc()
            print(error, file=sys.stderr)
            sections.append(f"## bench.{name}\n\nFailed in this run:\n\n```\n{error[-2000:]}```\n")
        print(f"   ({time.monotonic() - t0:.1f} s)", flush=True)

    text = "\n".join(
        [
            "# Benchmarks",
            "",
            f"Written by `make bench` on {started:%Y-%m-%d %H:%M} UTC"
            f"{' (quick run: a fifth of the requests)' if harness.QUICK else ''}. "
            "Numbers are from one run on the machine below; the ratio column compares each "
            "measurement with a baseline taken in the same run (a static file through the "
            "same server, or a bare smtplib loop), which is what to compare across machines.",
            "",
            "How well the tests guard the critical rules (mutation score, `make mutate`): "
            "[mutation.md](mutation.md).",
            "",
            HOW_TO_READ,
            "",
            harness.machine_description(),
            *sections,
        ]
    )
    if not args.names:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text)
        print(f"wrote {args.output}")
    else:
        print(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
