"""Benchmark harness (bench/run.py, bench/count_exact.py) and its baseline view."""
