"""Development benchmarks: timing code run by ``make bench`` and ``make bench-perf``.

Kept outside the ``optimizer`` package (it is not installed with it); the user-facing suites of
``posture bench`` stay in :mod:`optimizer.bench`. Run the modules from the repository root,
e.g. ``python -m benchmarks.perf --quick``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Public benchmark data, read in place (never copied into the repository).
DATA = ROOT.parent / "shared" / "benchmarks"


def child_env() -> dict[str, str]:
    """The environment of a child process that runs ``python -m benchmarks.<module>``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env
