"""Fixtures for the workflow tests (shared ones live in tests/conftest.py)."""
