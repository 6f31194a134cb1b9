"""Every `DASHBOARD_*` setting in one place: its name, default, meaning and how its value is read.

The README's settings table is this table (a test keeps them in step). Values are read from the
environment when asked for, so a test or a server started with another environment sees its own;
a value that cannot be read is an error naming the variable and what it accepts, never a silent
fallback to the default.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).parent / "data"  # the packaged vocabulary


class ConfigError(ValueError):
    """A DASHBOARD_* variable holds a value that cannot be used; the message says which and why."""


def _number(name: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} is not a number; set a number such as 10, or unset it to use the default"
        ) from None


def _count(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigError(f"{name}={raw!r} is not a whole number of 0 or more; set e.g. 2, or unset it")
    return value


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(
        f"{name}={raw!r} is not 1 or 0; set DASHBOARD_READ_ONLY=1 to serve reads only, or unset it"
    )


def _path(name: str, raw: str) -> Path:
    return Path(raw)


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # as the README shows it
    meaning: str
    parse: Callable[[str, str], object]
    value: object = None  # the default, parsed (None: derived elsewhere, e.g. beside the database)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DASHBOARD_DB",
        "`data/dashboard.duckdb`",
        "the database file (`--db` overrides it)",
        _path,
        ROOT / "data" / "dashboard.duckdb",
    ),
    Setting(
        "DASHBOARD_VOCAB_DIR",
        "`analytics/data`",
        "another folder holding the vocabulary files (a file it lacks is taken from `analytics/data`)",
        _path,
        DATA_DIR,
    ),
    Setting("DASHBOARD_MAX_ARTICLE_MB", "`20`", "largest article file accepted", _number, 20.0),
    Setting(
        "DASHBOARD_QUERY_TIMEOUT",
        "`10`",
        "seconds a dashboard read may run (CSV downloads get six times that); 0 means no limit",
        _number,
        10.0,
    ),
    Setting(
        "DASHBOARD_READ_ONLY",
        "unset",
        "`1` starts a dashboard that only reads the newest snapshot (uploads off), never the file itself",
        _flag,
        False,
    ),
    Setting(
        "DASHBOARD_SNAPSHOTS",
        "`2`",
        "how many snapshots for read-only dashboards to keep in `snapshots/` "
        "beside the database; `0` publishes none",
        _count,
        2,
    ),
    Setting(
        "DASHBOARD_SNAPSHOT_EVERY",
        "`60`",
        "seconds between snapshots during one long `ingest` (`0`: only at its start and end)",
        _number,
        60.0,
    ),
    Setting(
        "DASHBOARD_BACKUP_DIR",
        "`backups/` beside the database",
        "where backups go (the 5 newest automatic ones per database are kept; manual ones stay)",
        _path,
    ),
    Setting(
        "DASHBOARD_LOG",
        "`logs/analytics.log`",
        "where the full text of a database fault goes (the temporary folder when `logs/` cannot be written)",
        _path,
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str):
    """The setting's value: the environment's, parsed, else its default (None where the default
    depends on something else, which the caller decides)."""
    setting = _BY_NAME[name]  # a KeyError here is a typo in the code, not the user's fault
    raw = os.environ.get(name, "")
    if raw.strip() == "":
        return setting.value
    return setting.parse(name, raw)


def get_default(name: str):
    """The setting's default value, whatever the environment says (for messages and reports)."""
    return _BY_NAME[name].value


def check() -> list[str]:
    """Every setting that cannot be read, as a message each (empty when all are fine): what a
    command or the dashboard says at start instead of failing later mid-way."""
    problems = []
    for setting in SETTINGS:
        try:
            get(setting.name)
        except ConfigError as exc:
            problems.append(str(exc))
    return problems


def vocabulary_file(filename: str, data_dir: str | os.PathLike | None = None) -> Path:
    """A vocabulary file from `data_dir` or $DASHBOARD_VOCAB_DIR when that folder has it, else the
    packaged one: an analyst's folder need only hold the files it changes."""
    folder = Path(data_dir) if data_dir else get("DASHBOARD_VOCAB_DIR")
    candidate = Path(folder) / filename
    return candidate if candidate.exists() else DATA_DIR / filename


def readme_table() -> str:
    """The settings as the README's Markdown table."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [f"| `{s.name}` | {s.default} | {s.meaning} |" for s in SETTINGS]
    return "\n".join(lines)
