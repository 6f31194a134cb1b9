"""Repeated timings with a warm-up, summarised as median and p95, and a few helpers for figures."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    median: float  # seconds
    p95: float
    runs: int

    def ms(self) -> str:
        return f"{self.median * 1e3:,.1f} / {self.p95 * 1e3:,.1f}"


def measure(fn: Callable[[], object], runs: int = 7, warmup: int = 1, budget: float | None = None) -> Timing:
    """Time `runs` calls after `warmup` calls. With a budget (seconds), a slow call gets fewer runs (at least 3),
    and one that alone takes longer than the budget is timed once (the warm-up is then the run)."""
    first = None
    for _ in range(warmup):
        started = time.perf_counter()
        fn()
        first = time.perf_counter() - started
    if budget and first is not None:
        if first > budget:
            return Timing(first, first, 1)
        runs = min(runs, max(3, int(budget / max(first, 1e-9))))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return Timing(statistics.median(times), p95(times), len(times))


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (with 7 runs, the slowest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def verdict(ratio: float, target: float, higher_is_better: bool) -> str:
    ok = ratio >= target if higher_is_better else ratio <= target
    return "PASS" if ok else "MISS"


def measure_pair(
    a: Callable[[], object], b: Callable[[], object], runs: int = 7, budget: float = 8.0, min_runs: int = 3
) -> tuple[Timing, Timing]:
    """Time a and b alternately (a, b, a, b, ...) so that load from other processes falls on both alike.
    Callers warm both up first. Up to `runs` pairs, fewer (at least `min_runs`) when a pair is slow."""
    ta, tb = [], []
    spent = 0.0
    while len(ta) < runs and (len(ta) < min_runs or spent < budget):
        for fn, times in ((a, ta), (b, tb)):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        spent += ta[-1] + tb[-1]
    return (Timing(statistics.median(ta), p95(ta), len(ta)), Timing(statistics.median(tb), p95(tb), len(tb)))
