"""`python -m bench.data_files`: what checking the data files against analytics/schemas.py costs at load.

Times every loader of analytics/data/*.yaml as it runs (with the schema check) and with the
check replaced by a pass-through, the check alone per file, and the one-off import of pydantic.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from analytics import config, dates, outlets, schemas, vocab
from analytics.derive import common as derive_common
from analytics.extract import cues, lexicon
from analytics.importers import common as importers_common
from bench.timing import measure

DATA = config.DATA_DIR


def _load_everything(gazetteer: bool) -> None:
    """Every loader once, past its cache: what a fresh process reads."""
    vocab.load_from(DATA, gazetteer=gazetteer)
    cues._load_cues.__wrapped__(cues.CUES_PATH)
    lexicon._load_lexicon.__wrapped__(lexicon.LEXICON_PATH)
    importers_common.load_mappings(DATA / importers_common.MAPPINGS_FILE)
    derive_common._load_settings.__wrapped__(str(DATA / derive_common.SETTINGS_FILE), 0.0)
    outlets._rules.__wrapped__(str(DATA))
    dates._read_anchors.__wrapped__(DATA / "anchors.yaml")


def _import_seconds(statement: str, runs: int = 5) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    times = [float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(runs)]
    return sorted(times)[len(times) // 2]


def main() -> None:
    real = schemas.validate
    print("median / p95 ms, 7 runs after a warm-up")
    for gazetteer in (False, True):
        with_check = measure(lambda g=gazetteer: _load_everything(g))
        schemas.validate = lambda name, data, path: data
        try:
            without = measure(lambda g=gazetteer: _load_everything(g))
        finally:
            schemas.validate = real
        label = "all loaders" + (" + gazetteer" if gazetteer else "")
        extra = (with_check.median - without.median) * 1e3
        print(f"{label:28} with check {with_check.ms():>17}   without {without.ms():>17}   (+{extra:.1f} ms)")
    total = 0.0
    for name in sorted(schemas.SCHEMAS):
        path = DATA / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        t = measure(lambda n=name, d=data, p=path: schemas.validate(n, d, p))
        total += t.median
        print(f"  check {name:24} {t.ms():>17}")
    print(f"  check, all files          {total * 1e3:,.1f} ms (sum of medians)")
    base = _import_seconds("import yaml")
    with_schemas = _import_seconds("import yaml, analytics.schemas")
    print(f"import analytics.schemas (pydantic): +{(with_schemas - base) * 1e3:.0f} ms once per process")
    print(f"files: {', '.join(sorted(p.name for p in Path(DATA).glob('*.yaml')))}")


if __name__ == "__main__":
    main()
