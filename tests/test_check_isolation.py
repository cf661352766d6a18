"""The checker is independent: it never imports the model, the results or the solver code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.builders import front, make, on, pool
from tests.checking import solve_verified

FORBIDDEN = ("optimizer.model", "optimizer.results", "optimizer.solvers", "optimizer.api")

PROGRAM = """
import sys
import optimizer.check
import optimizer.instance.formats
from optimizer.check import verify_run
report = verify_run(None, sys.argv[1])
assert report.ok, report.text()
bad = sorted(m for m in sys.modules if m.startswith({forbidden!r}))
print(",".join(bad))
"""


def test_checker_imports_only_the_instance_package(tmp_path: Path) -> None:
    sectors = [front(1), front(2)]
    instance = make(sectors, [on(s) for s in sectors], [pool("UK-F", units=6)])
    run = solve_verified(instance, tmp_path)
    code = PROGRAM.format(forbidden=FORBIDDEN)
    result = subprocess.run(
        [sys.executable, "-c", code, str(run.run_dir)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"the checker imported {result.stdout.strip()}"
