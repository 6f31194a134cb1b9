"""The extractor against analysts' hand-coded gold for corpus articles (tests/gold, tests/gold-heldout).

The articles live in ../shared and are never committed; these tests skip when it is absent.
The floors guard against regressions; the figures themselves are reported in the closing notes.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, SHARED, needs_shared

GOLD = sorted((Path(__file__).parent / "gold").glob("*.yaml"))
HELDOUT = sorted((Path(__file__).parent / "gold-heldout").glob("*.yaml"))


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
@pytest.mark.parametrize(("paths", "floor"), [(GOLD, 0.85), (HELDOUT, 0.85)], ids=["gold", "gold-heldout"])
def test_gold_sets_stay_above_their_floor(paths, floor):
    assert paths, "gold files are missing"
    recall, precision, fields, bad = micro(paths)
    assert bad == 0
    assert recall >= floor and precision >= floor and fields >= 0.9, (recall, precision, fields)


@needs_shared(SHARED / "eval" / "score.py")
@needs_shared(CORPUS)
def test_article_with_nothing_to_code_yields_little():
    from analytics.evaluate import score_gold

    r = score_gold(Path(__file__).parent / "gold" / "20220214T193000Z_US_en_71437d4bec.yaml")
    assert r["required"] == 0 and r["predicted"] <= 1
