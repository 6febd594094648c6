"""A deterministic measure of how much work a request or a call does: Python lines run.

Wall-clock time is no measure in a shared test run. The number of Python lines the
interpreter executes is the same on every machine for the same code and data, and
the expensive paths this app had (markdown-it's bracket scans, difflib's matching)
are pure Python, so they show in it. `lines_run(limit=…)` stops the work with
TooExpensive once it passes the limit: a test of a cost that grew without bound
fails in seconds instead of hanging.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


class TooExpensive(AssertionError):
    pass


class Lines:
    count = 0


@contextmanager
def lines_run(*, limit: int) -> Iterator[Lines]:
    lines = Lines()

    def on_line(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            lines.count += 1
            if lines.count > limit:
                raise TooExpensive(f"more than {limit:,} Python lines run")
        return on_line

    def on_call(frame: FrameType, event: str, arg: Any) -> Any:
        return on_line

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        yield lines
    finally:
        sys.settrace(previous)


def cost(call: Any, *, limit: int = 200_000_000) -> int:
    """Python lines run by `call()` (TooExpensive past `limit`)."""
    with lines_run(limit=limit) as lines:
        call()
    return lines.count
