"""Benchmark of schemaudit's live introspection against other ways to read a catalog.

Run it with `python -m bench.run` (see `bench/run.py`); figures go to docs/PERFORMANCE.md and
raw samples to bench/results/. The package lives outside `src/` on purpose: it is a
development tool with extra dependencies (the `[bench]` extra), never shipped in the wheel.
"""
