"""Benchmarks (SPEC 7): named suites of known optima, the runner and its table.

The suites and the runner (``session.run_bench``) serve ``posture bench``. Development timing
code (the scale ladder, the peer comparison, sweep timing) lives outside the package, in the
repository's ``benchmarks/`` folder.
"""
