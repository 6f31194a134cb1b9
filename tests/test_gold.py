"""The extractor against analysts' hand-coded gold for corpus articles (tests/gold, tests/gold-heldout).

The articles live in ../shared and are never committed; these tests skip when it is absent.
The floors guard against regressions (strict scorer, gold re-coded to its rules) a little below the
measured figures (the gold set grows with articles scored once before any rule was written for them); the figures
themselves are in the README. tests/gold-blind is only checked for form here, never scored:
it is scored by `python -m analytics.evaluate --set blind` and reported, not tuned on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, SHARED, needs_shared

GOLD = sorted((Path(__file__).parent / "gold").glob("*.yaml"))
HELDOUT = sorted((Path(__file__).parent / "gold-heldout").glob("*.yaml"))
EVERY_GOLD_FILE = sorted(Path(__file__).parent.glob("gold*/*.yaml"))


def micro(paths):
    from analytics.evaluate import score_gold

    tot = dict(required=0, found=0, predicted=0, tp_pred=0, checks=0, ok_checks=0, offsets_bad=0)
    for p in paths:
        r = score_gold(p)
        assert r is not None, f"{p.name}: article missing from {CORPUS}"
        for k in tot:
            tot[k] += r[k]
    return (tot["found"] / tot["required"], tot["tp_pred"] / tot["predicted"], tot["ok_checks"] / tot["checks"],
            tot["offsets_bad"])  # fmt: skip


@needs_shared(SHARED / "eval" / "score.py")
@needs_shared(CORPUS)
@pytest.mark.parametrize(
    ("paths", "recall_floor", "precision_floor"),
    [(GOLD, 0.59, 0.67), (HELDOUT, 0.75, 0.70)],
    ids=["gold", "gold-heldout"],
)
def test_gold_sets_stay_above_their_floor(paths, recall_floor, precision_floor):
    assert paths, "gold files are missing"
    recall, precision, fields, bad = micro(paths)
    assert bad == 0
    assert recall >= recall_floor and precision >= precision_floor and fields >= 0.88, (
        recall,
        precision,
        fields,
    )


@needs_shared(SHARED / "eval" / "score.py")
@needs_shared(CORPUS)
@pytest.mark.parametrize("gold_path", EVERY_GOLD_FILE, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_gold_file_follows_the_strict_rules(gold_path):
    """Keys found exactly once in their article; every optional record names its kind."""
    import yaml

    from analytics.evaluate import scorer

    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    text = (CORPUS / gold["document"]).read_text(encoding="utf-8")
    assert scorer().check_gold(gold, text) == []


@needs_shared(SHARED / "eval" / "score.py")
@needs_shared(CORPUS)
def test_article_with_nothing_to_code_yields_little():
    from analytics.evaluate import score_gold

    r = score_gold(Path(__file__).parent / "gold" / "20220214T193000Z_US_en_71437d4bec.yaml")
    assert r["required"] == 0 and r["predicted"] <= 1
