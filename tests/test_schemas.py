"""The data files' schemas: the packaged files pass, and one real mistake in a copy is named by file, entry and field."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analytics import config, outlets, schemas
from analytics.derive.common import settings
from analytics.extract.cues import load_cues
from analytics.extract.lexicon import load_lexicon
from analytics.importers.common import load_mappings
from analytics.kinds import KINDS
from analytics.schemas import DataFileError
from analytics.vocab import load_vocabulary, theatre_colours
from tests.conftest import ROOT, SEED

DATA_DIR = config.DATA_DIR


@pytest.fixture
def vocab_dir(tmp_path, monkeypatch):
    """A copy of the packaged data files that DASHBOARD_VOCAB_DIR points at."""
    folder = tmp_path / "vocab"
    shutil.copytree(DATA_DIR, folder)
    monkeypatch.setenv("DASHBOARD_VOCAB_DIR", str(folder))
    load_vocabulary.cache_clear()
    yield folder
    load_vocabulary.cache_clear()


def _replace(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _says(exc: pytest.ExceptionInfo, path: Path, *parts: str) -> str:
    """The message: one line, opening with the file, naming every part, saying what to do."""
    msg = str(exc.value)
    assert "\n" not in msg, msg
    assert msg.startswith(f"{path}: "), msg
    for part in parts:
        assert part in msg, f"{part!r} not in {msg!r}"
    assert msg.endswith("Fix the entry or remove it."), msg
    return msg


# --- the packaged files ----------------------------------------------------------------------------


def test_every_data_file_has_a_schema():
    assert {p.name for p in DATA_DIR.glob("*.yaml")} == set(schemas.SCHEMAS)


@pytest.mark.parametrize("name", sorted(schemas.SCHEMAS))
def test_packaged_file_validates(name):
    path = DATA_DIR / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert schemas.validate(name, data, path) is data


def test_record_kinds_match_the_declaration():
    assert schemas.RecordKind.__args__ == KINDS


def test_the_loaders_validate_the_packaged_files():
    load_vocabulary.cache_clear()
    try:
        assert load_vocabulary(gazetteer=False).actor("Ukraine") is not None
    finally:
        load_vocabulary.cache_clear()
    assert load_cues().events.cues
    assert "off" in load_lexicon().unreal_predicates  # a bare off was read as false before the schema
    assert load_mappings()["cameo"]


# --- one mistake in an analyst's folder (DASHBOARD_VOCAB_DIR) ---------------------------------------


def test_misspelt_key_names_entry_and_suggests_the_field(vocab_dir):
    path = _replace(
        vocab_dir / "actors.yaml", "aliases: [Kishida, Fumio Kishida]", "alias: [Kishida, Fumio Kishida]"
    )
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["actors"]
    n = next(i for i, a in enumerate(entries, 1) if a["name"] == "Fumio Kishida")
    with pytest.raises(DataFileError) as exc:
        load_vocabulary(gazetteer=False)
    _says(
        exc,
        path,
        f"section 'actors', entry {n} (name: Fumio Kishida)",
        "field 'alias'",
        "did you mean 'aliases'",
    )


def test_wrong_type_names_the_field_and_the_value(vocab_dir):
    path = _replace(vocab_dir / "places.yaml", "lat: 48.5956, lon: 38.0003", "lat: north, lon: 38.0003")
    with pytest.raises(DataFileError) as exc:
        load_vocabulary(gazetteer=False)
    _says(exc, path, "(name: Bakhmut)", "field 'lat'", "'north'")


def test_missing_required_field_is_named(vocab_dir):
    path = _replace(vocab_dir / "oblasts.yaml", "country: Ukraine, code: UA.05", "code: UA.05")
    with pytest.raises(DataFileError) as exc:
        load_vocabulary(gazetteer=False)
    _says(exc, path, "section 'regions', entry", "field 'country': required but missing")


def test_unquoted_cameo_code_is_caught_before_it_turns_into_a_number(vocab_dir):
    # YAML 1.1 reads a bare 040 as octal 32: the code would silently map nothing.
    path = _replace(vocab_dir / "import_mappings.yaml", '{code: "040",', "{code: 040,")
    with pytest.raises(DataFileError) as exc:
        load_mappings()
    _says(exc, path, "section 'cameo', entry 1", "field 'code'", "got 32", "put it in quotes")


def test_mapping_regex_that_does_not_compile(vocab_dir):
    path = _replace(vocab_dir / "import_mappings.yaml", "'mass grave'", "'mass grave('")
    with pytest.raises(DataFileError) as exc:
        load_mappings()
    _says(
        exc,
        path,
        "section 'eyes_on_russia', entry 2",
        "field 'match', item 1",
        "not a valid regular expression",
    )


def test_outlet_rule_without_its_named_group(vocab_dir):
    path = _replace(vocab_dir / "outlets.yaml", "Sign up for (?P<outlet>", "Sign up for (")
    with pytest.raises(DataFileError) as exc:
        outlets.from_text("Sign up for Onet's newsletter")
    _says(exc, path, "section 'text_rules', entry 3", "field 'pattern'", "(?P<outlet>...)")


def test_derive_setting_of_the_wrong_type(vocab_dir):
    path = _replace(vocab_dir / "derive.yaml", "slack_days: 1", "slack_days: one")
    with pytest.raises(DataFileError) as exc:
        settings()
    _says(exc, path, "section 'incidents', field 'slack_days'", "'one'")


def test_themes_cues_must_be_a_list(vocab_dir):
    text = (vocab_dir / "themes.yaml").read_text(encoding="utf-8")
    first = re.search(r"cues: \[[^\]]*\]", text).group(0)
    path = _replace(vocab_dir / "themes.yaml", first, "cues: sanctions")
    with pytest.raises(DataFileError) as exc:
        load_vocabulary(gazetteer=False)
    _says(exc, path, "section 'themes', entry 1 (name: ", "field 'cues'", "valid list")


# --- the extractor's own files (read from a path) ----------------------------------------------------


def test_cue_that_does_not_compile(tmp_path):
    path = tmp_path / "cues.yaml"
    shutil.copy(DATA_DIR / "cues.yaml", path)
    _replace(path, '{cue: "according to",', '{cue: "according (to",')
    with pytest.raises(DataFileError) as exc:
        load_cues(path)
    _says(exc, path, "section 'attribution', entry 6 (cue: according (to)", "field 'cue'", "missing )")


def test_cue_without_its_type(tmp_path):
    path = tmp_path / "cues.yaml"
    shutil.copy(DATA_DIR / "cues.yaml", path)
    _replace(path, "  - {type: summit, cue:", "  - {cue:")
    with pytest.raises(DataFileError) as exc:
        load_cues(path)
    _says(exc, path, "section 'diplomacy', entry 1 (cue: (?:summit", "field 'type': required but missing")


def test_lexicon_word_yaml_reads_as_false(tmp_path):
    path = tmp_path / "lexicon.yaml"
    shutil.copy(DATA_DIR / "lexicon.yaml", path)
    _replace(path, 'out, "off"]', "out, off]")
    with pytest.raises(DataFileError) as exc:
        load_lexicon(path)
    _says(exc, path, "section 'unreal_predicates', item 12", "got False", "put the word in quotes")


def test_lexicon_unknown_list_is_refused(tmp_path):
    path = tmp_path / "lexicon.yaml"
    shutil.copy(DATA_DIR / "lexicon.yaml", path)
    _replace(path, "\nnegators:", "\nnegator:")
    with pytest.raises(DataFileError) as exc:
        load_lexicon(path)
    _says(exc, path, "section 'negator': not a known section", "did you mean 'negators'")


def test_anchor_date_must_be_a_date(tmp_path):
    path = tmp_path / "anchors.yaml"
    text = (
        (DATA_DIR / "anchors.yaml")
        .read_text(encoding="utf-8")
        .replace("\n  war: 2022-02-24", "\n  war: 24 Feb 2022")
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        schemas.validate("anchors.yaml", yaml.safe_load(text), path)
    _says(exc, path, "section 'anchors', key 'war'", "valid date")


def test_a_file_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "cues.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        load_cues(path)
    _says(exc, path, "the top level", "named sections")


def test_several_mistakes_say_how_many_more(tmp_path):
    path = tmp_path / "derive.yaml"
    data = yaml.safe_load((DATA_DIR / "derive.yaml").read_text(encoding="utf-8"))
    data["incidents"]["slack_days"] = "one"
    data["ledger"]["line_days"] = "many"
    with pytest.raises(DataFileError) as exc:
        schemas.validate("derive.yaml", data, path)
    _says(exc, path, "field 'slack_days'", "(and 1 more problem)")


def test_ingest_stops_on_a_broken_data_file_and_stores_nothing(vocab_dir, tmp_path):
    """A data-file mistake is not one article's failure: ingest stops with it, nothing written."""
    from analytics.ingest import ingest_paths
    from analytics.store import connect

    _replace(vocab_dir / "outlets.yaml", "Sign up for (?P<outlet>", "Sign up for (?P<outlet")
    con = connect(tmp_path / "t.duckdb")
    try:
        with pytest.raises(DataFileError, match="outlets.yaml"):
            ingest_paths(con, [SEED])
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    finally:
        con.close()


# --- the command line --------------------------------------------------------------------------------


def test_cli_says_the_one_line_and_exits_2(vocab_dir):
    _replace(
        vocab_dir / "actors.yaml", "aliases: [Kishida, Fumio Kishida]", "alias: [Kishida, Fumio Kishida]"
    )
    env = dict(os.environ, DASHBOARD_VOCAB_DIR=str(vocab_dir), DASHBOARD_DB=str(vocab_dir / "never.duckdb"))
    p = subprocess.run(
        [sys.executable, "-m", "analytics", "extract", str(SEED)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert p.returncode == 2, p.stderr
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in p.stderr, p.stderr
    assert lines[0].startswith(f"error: {vocab_dir / 'actors.yaml'}: section 'actors', entry ")
    assert "(name: Fumio Kishida), field 'alias'" in lines[0]
    assert lines[0].endswith("Fix the entry or remove it.")


# --- the dashboard -----------------------------------------------------------------------------------


def test_dashboard_shows_the_one_line_not_an_exception(vocab_dir, seed_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP

    db = tmp_path / "copy.duckdb"
    shutil.copyfile(seed_db, db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    _replace(vocab_dir / "theatres.yaml", 'colour: "#d1495b"', "colour: red")
    theatre_colours.cache_clear()  # the charts' colours, read from theatres.yaml once per process
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/theatres.py")
    at.run()
    theatre_colours.cache_clear()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(e.value for e in at.error)
    assert "A data file cannot be used." in shown and str(vocab_dir / "theatres.yaml") in shown, shown
    assert "field 'colour': must be written #rrggbb" in shown, shown
