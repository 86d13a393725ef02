"""Confide's benchmarks: ``python -m benchmarks [NAME ...] [--size small|full]``.

Each ``bench_<name>.py`` module defines ``SIZES`` (small and full parameters) and
``run(size: str, params: dict) -> list[Result]``; the harness discovers them,
prints a table and writes ``benchmarks/results/<name>-<size>.json``.
"""
