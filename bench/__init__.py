"""Benchmarks for RTM Positionen: `make bench` (python -m bench). Never part of the test suite.

Each module here except harness has a `main() -> str` that measures one thing against a
baseline taken in the same run and returns a markdown section; bench/__main__.py runs them
all and writes docs/benchmarks.md. See bench/harness.py for the shared tools.
"""
