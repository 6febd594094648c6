import os

import pytest

from rtm_workflow.env import ConfigError, load_env_file


def test_env_file_fills_only_missing_variables(tmp_path, monkeypatch):
    path = tmp_path / ".env.local"
    path.write_text("# comment\nRTM_TEST_A=from-file\n\nRTM_TEST_B = spaced \n")
    monkeypatch.setenv("RTM_TEST_A", "from-environment")
    monkeypatch.delenv("RTM_TEST_B", raising=False)
    load_env_file(path)
    assert os.environ["RTM_TEST_A"] == "from-environment"
    assert os.environ["RTM_TEST_B"] == "spaced"
    monkeypatch.delenv("RTM_TEST_B")


def test_missing_env_file_is_fine(tmp_path):
    load_env_file(tmp_path / "nothing-here")


def test_malformed_env_file_names_file_and_line(tmp_path):
    path = tmp_path / ".env.local"
    path.write_text("DEBUG=true\nthis is not a setting\n")
    with pytest.raises(ConfigError, match=r"\.env\.local:2"):
        load_env_file(path)
