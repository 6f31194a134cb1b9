"""Score the extractor against hand-coded gold files: `python -m analytics.evaluate [GOLD...]`.

Uses the evaluation scorer in ../shared/eval/score.py (not part of this repository) and the
corpus articles in ../shared/corpora; gold files live in tests/gold/.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import yaml

from analytics.corpus import read_document
from analytics.extract import KINDS, extract

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GOLD_DIR = ROOT / "tests" / "gold"
ARTICLE_DIRS = (ROOT / "seeds", SHARED / "corpora" / "news-2022-2024")


def scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def article_for(gold: dict) -> Path | None:
    for d in ARTICLE_DIRS:
        p = d / gold["document"]
        if p.exists():
            return p
    return None


def score_gold(gold_path: Path, verbose: bool = False) -> dict | None:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    path = article_for(gold)
    if path is None:
        return None
    doc = read_document(path, published=str(gold.get("published") or "") or None)
    pred = extract(doc).contract()
    sc = scorer()
    r = sc.score(gold, pred, doc.text)
    rec, prec, f1, fields = sc.figures(r)
    r.update(
        recall=rec,
        precision=prec,
        f1=f1,
        fields=fields,
        name=gold["document"],
        by_kind=score_by_kind(gold, pred, doc.text, sc),
    )
    return r


SETS = {
    "gold": GOLD_DIR,  # the rules were written against these
    "heldout": GOLD_DIR.parent / "gold-heldout",  # measured once blind, then used for rules
    "blind": GOLD_DIR.parent / "gold-blind",  # only ever scored
}


def main(argv: list[str]) -> int:
    """`python -m analytics.evaluate [-v] [--set gold|heldout|blind] [GOLD.yaml ...]`"""
    verbose = "-v" in argv
    chosen = argv[argv.index("--set") + 1] if "--set" in argv else None
    files = [Path(a) for a in argv if not a.startswith("-") and a != chosen]
    paths = files or sorted(SETS[chosen or "gold"].glob("*.yaml"))
    if (SHARED / "eval" / "seed-gold.yaml").exists() and not files and chosen in (None, "gold"):
        paths = [SHARED / "eval" / "seed-gold.yaml"] + paths
    keys = ("required", "found", "predicted", "tp_pred", "checks", "ok_checks")
    tot = dict.fromkeys(keys, 0)
    by_kind = {k: dict.fromkeys(keys, 0) for k in KINDS}
    for p in paths:
        r = score_gold(p, verbose)
        if r is None:
            print(f"{p.name}: article not found (is ../shared there?)")
            continue
        for k in tot:
            tot[k] += r[k]
        for kind, figures in r["by_kind"].items():
            for k in keys:
                by_kind[kind][k] += figures[k]
        print(f"{r['name'][:40]:40} recall {r['recall']:.2f} precision {r['precision']:.2f} "
              f"fields {r['fields']:.2f} ({r['found']}/{r['required']}, {r['predicted']} predicted, "
              f"{r['offsets_bad']} bad offsets)")  # fmt: skip
        if verbose:
            for m in r["misses"]:
                print("   missed:", m)
            for w in r["wrong"]:
                print("   wrong field:", w)
            for q in r["false_positives"]:
                print("   false positive:", q)
    print(f"{'TOTAL (micro)':40} {_figures(tot)}")
    for kind in KINDS:
        print(f"{'  ' + kind:40} {_figures(by_kind[kind])}")
    return 0


def _figures(t: dict) -> str:
    rec = t["found"] / t["required"] if t["required"] else 1
    prec = t["tp_pred"] / t["predicted"] if t["predicted"] else 1
    fields = t["ok_checks"] / t["checks"] if t["checks"] else 0
    return (f"recall {rec:.2f} precision {prec:.2f} fields {fields:.2f} "
            f"({t['found']}/{t['required']} found, {t['tp_pred']}/{t['predicted']} right)")  # fmt: skip


def score_by_kind(gold: dict, pred: dict, text: str, sc) -> dict[str, dict]:
    """Per kind: precision over the records of that kind, recall over the required gold
    records whose first accepted kind it is (each scored against all predictions)."""
    out = {}
    for kind in KINDS:
        g = dict(
            gold,
            records=[r for r in gold["records"] if r.get("optional") or r.get("kind", [kind])[0] == kind],
        )
        recall = sc.score(g, pred, text)
        only = dict(pred, records=[r for r in pred["records"] if r["kind"] == kind])
        precision = sc.score(gold, only, text)
        out[kind] = {"required": recall["required"], "found": recall["found"], "checks": recall["checks"],
                     "ok_checks": recall["ok_checks"], "predicted": precision["predicted"],
                     "tp_pred": precision["tp_pred"]}  # fmt: skip
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
