"""bench.cluster writes its own section of bench/REPORT.md and leaves every other section as it was."""

from __future__ import annotations

import pytest

from bench import cluster


def _row(config: str, ingest: float) -> dict:
    steps = {"read": 1.0, "extract": ingest - 3, "load": 1.0, "derive": 1.0} if config != "single" else {}
    return {"config": config, "workers": int(config[-1]) if config != "single" else 0, "files": 10, "added": 9,
            "records": 40, "failed": 1, "start_s": 5.0, "ingest_s": ingest, "stop_s": 1.0, "ingest_cpu_s": ingest, "rss_mb": 500.0, "steps": steps,
            "db_bytes": 10**6, "dataset_bytes": 10**5, "wall_s": ingest + 8, "cpu_s": ingest * 1.5,
            "others_cores": 0.5, "load_before": (3.0, 3.0, 3.0), "load_after": (4.0, 3.0, 3.0)}  # fmt: skip


def test_section_reports_each_configuration_and_the_speed_up():
    found = {
        "single": [_row("single", 9.0)],
        "local:1": [_row("local:1", 12.0)],
        "local:2": [_row("local:2", 6.0)],
    }
    text = "\n".join(cluster.section(found, 1))
    assert "| single | (none) | 5.0 | 9.0 | 17.0 | 1.0 |" in text
    assert "| local:2 | 2 | 5.0 | 6.0 | 14.0 | 1.5 |" in text
    assert "Speed-up of the second worker: 2.00×" in text
    assert "3.0–4.0" in text  # the load it was measured under


def test_write_into_report_replaces_only_its_section(tmp_path):
    report = tmp_path / "REPORT.md"
    report.write_text("# Benchmark report\n\n## Ingest\n\nold ingest\n\n## Ingest on a cluster\n\nold figures\n\n"
                      "## CSV export\n\nexport figures\n", encoding="utf-8")  # fmt: skip
    cluster.write_into_report([cluster.HEADING, "", "new figures", ""], report)
    text = report.read_text(encoding="utf-8")
    assert "old figures" not in text and "new figures" in text
    assert text.index("old ingest") < text.index("new figures") < text.index("export figures")
    cluster.write_into_report([cluster.HEADING, "", "newer", ""], report)
    assert report.read_text(encoding="utf-8").count(cluster.HEADING) == 1
    fresh = tmp_path / "fresh.md"
    fresh.write_text("# Benchmark report\n\n## Ingest\n\nx\n", encoding="utf-8")
    cluster.write_into_report([cluster.HEADING, "", "appended", ""], fresh)
    assert fresh.read_text(encoding="utf-8").rstrip().endswith("appended")


def test_the_synthetic_section_sits_beside_the_corpus_section(tmp_path):
    report = tmp_path / "REPORT.md"
    report.write_text("# Benchmark report\n\n## Ingest on a cluster\n\ncorpus figures\n\n## CSV export\n\nx\n",
                      encoding="utf-8")  # fmt: skip
    cluster.write_into_report([cluster.SYNTHETIC_HEADING, "", "synthetic figures", ""], report)
    cluster.write_into_report([cluster.SYNTHETIC_HEADING, "", "newer synthetic", ""], report)
    text = report.read_text(encoding="utf-8")
    assert "corpus figures" in text and "newer synthetic" in text and "synthetic figures" not in text
    cluster.write_into_report([cluster.HEADING, "", "new corpus", ""], report)
    text = report.read_text(encoding="utf-8")
    assert "corpus figures" not in text and "new corpus" in text and "newer synthetic" in text


@pytest.mark.skipif(not cluster.CORPUS.exists(), reason="the shared corpus is absent")
def test_a_synthetic_corpus_is_new_text_made_of_real_paragraphs(tmp_path):
    from analytics.corpus import read_document

    made = cluster.synthetic_corpus(600, tmp_path / "articles")  # more than the corpus holds: it wraps
    files = sorted(made.iterdir())
    assert len(files) == 600
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert len(set(texts)) == 600  # every text new: nothing is skipped as already stored
    real = {p.strip() for f in cluster.CORPUS.iterdir() for p in f.read_text(encoding="utf-8").split("\n\n")}
    for text in texts[:50]:
        assert {p.strip() for p in text.split("\n\n") if p.strip()} <= real
    # the name keeps the source's publication time, so dates resolve as they do for the corpus
    doc = read_document(files[0])
    assert doc.published is not None and files[0].name[:8] == doc.published.strftime("%Y%m%d")
    again = cluster.synthetic_corpus(5, tmp_path / "again")
    assert {f.read_text(encoding="utf-8") for f in again.iterdir()} <= set(texts)  # seeded: the same each run
