"""Benchmarks (SPEC 7): classic instance formats, named suites, the runner and its table.

Kept import-light: ``optimizer.bench.formats`` is used by ``solve`` and ``verify``; the suites
and the runner (``session.run_bench``) by ``posture bench``.
"""
