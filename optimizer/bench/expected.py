"""Recorded optimal objectives of the posture instances (instances/expected.csv).

The file is regenerated deliberately, never as a side effect: ``posture bench --suite posture
--record`` solves every instance, verifies each plan and rewrites the file only when all of them
are proven optimal. A regression check then fails when a result drifts from its recorded value.
"""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
from pathlib import Path

from optimizer.instance.reader import InstanceError, _read_text

EXPECTED_FILE = "expected.csv"
COLUMNS = ("instance", "objective_kind", "objective", "solver")


def read_expected(instances_dir: Path) -> dict[str, float]:
    """Instance file name -> recorded objective (empty when there is no file yet)."""
    path = instances_dir / EXPECTED_FILE
    if not path.exists():
        return {}
    reader = csv.DictReader(_read_text(path).splitlines())  # bounded, regular files only
    missing = [c for c in ("instance", "objective") if c not in (reader.fieldnames or [])]
    if missing:
        raise InstanceError(path, "header", f"expected columns {', '.join(missing)}")
    out: dict[str, float] = {}
    for row in reader:
        try:
            value = float(row["objective"])
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):  # inf or nan would make every comparison meaningless
            raise InstanceError(
                path,
                f"line {reader.line_num}, column objective",
                f"expected a finite number: {row['objective']!r}",
            )
        name = (row["instance"] or "").strip()
        if name in out:
            raise InstanceError(
                path, f"line {reader.line_num}, column instance", f"{name!r} recorded twice"
            )
        out[name] = value
    return out


def write_expected(instances_dir: Path, rows: list[dict[str, object]]) -> Path:
    """Replace expected.csv atomically with ``rows`` (sorted by instance file name)."""
    path = instances_dir / EXPECTED_FILE
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: str(r["instance"])):
        writer.writerow({**row, "objective": repr(float(row["objective"]))})  # type: ignore[arg-type]
    fd, tmp = tempfile.mkstemp(prefix=".expected-", suffix=".csv", dir=instances_dir)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(buffer.getvalue())
        os.chmod(tmp, 0o644)  # a file of the repository, not a private temporary
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
