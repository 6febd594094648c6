"""The bench reads wrk's report (bench/harness.py): a misread report would publish wrong
figures in docs/benchmarks.md. No wrk needed: a report as wrk 4.1 prints it."""

from __future__ import annotations

import pytest

from bench.harness import parse_wrk

REPORT = """\
Running 1s test @ http://127.0.0.1:18977/nope
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.25ms   10.14ms  65.83ms   88.75%
    Req/Sec   686.90    352.48     1.24k    50.00%
  Latency Distribution
     50%    1.60ms
     75%    7.27ms
     90%   18.12ms
     99%    1.07s
  712 requests in 1.05s, 361.56KB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 12
Requests/sec:    677.25
Transfer/sec:    343.92KB
"""


def test_requests_time_percentiles_and_failures_are_read():
    requests, seconds, p50, p99, bad = parse_wrk(REPORT, 3.0)
    assert requests == 712
    assert seconds == pytest.approx(1.05)
    assert p50 == pytest.approx(1.60)
    assert p99 == pytest.approx(1070.0)  # seconds become milliseconds
    assert bad == 12 + 3  # non-2xx/3xx answers and socket errors


def test_a_report_without_requests_reads_as_none():
    assert parse_wrk("unable to connect to 127.0.0.1:1 Connection refused", 3.0)[0] == 0
