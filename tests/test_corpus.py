import datetime as dt

import pytest

from analytics.corpus import ArticleError, build_document, read_document
from tests.conftest import SEED


def test_seed_reads_with_catalogue_date_and_basis():
    d = read_document(SEED)
    assert d.title == "Ukrainian Troops Advance as Russian Forces Retreat"
    assert (d.published, d.published_precision, d.published_basis) == (
        dt.date(2023, 5, 19),
        "day",
        "inferred",
    )
    assert d.text == SEED.read_text(encoding="utf-8")


def test_front_matter_is_cut_like_the_scorer_and_read():
    raw = "---\ntitle: Strikes on Odesa\npublished: 2023-07-20\nsource: Example\n---\nBody line.\n"
    d = build_document("a.md", raw.encode())
    assert d.text == "Body line.\n"
    assert (d.title, d.published, d.published_basis, d.source) == (
        "Strikes on Odesa",
        dt.date(2023, 7, 20),
        "front matter",
        "Example",
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("---\ntitle: [unclosed\n---\nBody", "malformed front matter"),
        ("---\ntitle: x\nBody without closing", "never closed"),
        ("---\n- a\n- b\n---\nBody", "key: value"),
        ("---\npublished: last Tuesday\n---\nBody", "not YYYY-MM-DD"),
    ],
)
def test_bad_front_matter_gets_one_clear_line(raw, message):
    with pytest.raises(ArticleError, match=message) as info:
        build_document("bad.md", raw.encode())
    assert str(info.value).startswith("bad.md: ") and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("raw", "message"),
    [(b"", "empty"), (b"   \n", "empty"), (b"%PDF-1.7 ...", "PDF"), (b"\x89PNG\r\n\x1a\n...", "PNG")],
)
def test_unreadable_files_are_refused(raw, message):
    with pytest.raises(ArticleError, match=message):
        build_document("x.txt", raw)


def test_legacy_encodings_decode_when_detectable():
    text = "Российские войска отступили от Бахмута, сообщили украинские военные в пятницу вечером."
    d = build_document("ru.txt", text.encode("cp1251"))
    assert d.text == text


def test_file_name_timestamp_dates_corpus_files(tmp_path):
    p = tmp_path / "20220125T090000Z_GB_en_7d015e6984.txt"
    p.write_text("Some text about talks.", encoding="utf-8")
    d = read_document(p)
    assert (d.published, d.published_basis) == (dt.date(2022, 1, 25), "file name")


def test_html_main_text_is_extracted_without_scripts(tmp_path):
    p = tmp_path / "page.html"
    body = " ".join(["Russian forces shelled Kharkiv on Monday, regional officials said."] * 5)
    p.write_text(
        "<html><head><title>Kharkiv shelled</title><script>alert(1)</script></head><body>"
        f"<nav>Home | World</nav><article><h1>Kharkiv shelled</h1><p>{body}</p>"
        "<p onclick='evil()'>Air defences were active overnight across the region.</p></article></body></html>",
        encoding="utf-8",
    )
    d = read_document(p)
    assert "shelled Kharkiv" in d.text
    assert "alert(1)" not in d.text and "<" not in d.text


def test_unsupported_suffix_and_size_limit(tmp_path):
    p = tmp_path / "a.pdf"
    p.write_bytes(b"x")
    with pytest.raises(ArticleError, match="unsupported file type"):
        read_document(p)
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    with pytest.raises(ArticleError, match="over the"):
        read_document(big, max_bytes=100)
