"""Benchmark harness: synthetic data at scale and side-by-side timings, written to bench/REPORT.md."""
