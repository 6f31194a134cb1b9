"""The settings: declared once in analytics/config.py, shown in the README, refused when unreadable."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from analytics import config
from analytics.store import query_timeout

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_table_is_the_declared_settings():
    assert config.readme_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_no_setting_is_read_outside_the_config_module():
    # A DASHBOARD_ variable read anywhere else would bypass the table, its default and its check.
    for path in [
        *ROOT.glob("analytics/**/*.py"),
        *ROOT.glob("ui/*.py"),
        *ROOT.glob("pages/*.py"),
        ROOT / "app.py",
    ]:
        if path.name != "config.py":
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(environ\.get|getenv|environ\[)\(?\s*[\"']DASHBOARD_", text), path


def test_the_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("DASHBOARD_QUERY_TIMEOUT", raising=False)
    assert query_timeout() == 10
    monkeypatch.setenv("DASHBOARD_QUERY_TIMEOUT", "2.5")
    assert query_timeout() == 2.5
    monkeypatch.setenv("DASHBOARD_QUERY_TIMEOUT", "soon")
    with pytest.raises(config.ConfigError, match="DASHBOARD_QUERY_TIMEOUT='soon' is not a number"):
        query_timeout()


def test_an_override_folder_needs_only_the_files_it_changes(tmp_path, monkeypatch):
    (tmp_path / "derive.yaml").write_text("{}\n", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_VOCAB_DIR", str(tmp_path))
    assert config.vocabulary_file("derive.yaml") == tmp_path / "derive.yaml"
    assert config.vocabulary_file("oblasts.yaml") == config.DATA_DIR / "oblasts.yaml"


def test_a_command_with_an_unreadable_setting_says_which_and_stops(tmp_path):
    db = tmp_path / "x.duckdb"
    env = {"PATH": "/usr/bin:/bin", "DASHBOARD_READ_ONLY": "maybe", "DASHBOARD_LOG": str(tmp_path / "log")}
    r = subprocess.run([sys.executable, "-m", "analytics", "ingest", str(ROOT / "seeds"), "--db", str(db)],
                       cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 2
    assert "DASHBOARD_READ_ONLY='maybe' is not 1 or 0" in r.stderr and "Traceback" not in r.stderr
    assert not db.exists()
