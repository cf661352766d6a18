"""The benchmark table: printed, summarised per set and backend, and written as CSV.

The CSV goes under ``results/bench/`` through a temporary file that is hard-linked to its final
name, so a table is complete or absent and an existing table is never overwritten.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path

from tabulate import tabulate

from optimizer.bench.runner import Row

SHOWN = ("suite", "instance", "solver", "known", "found", "status", "bound", "gap", "seconds")


def table_text(rows: list[Row]) -> str:
    """The table a user reads: one line per instance and solver."""
    body = [
        [
            r.suite,
            r.instance,
            r.solver,
            _num(r.known),
            _num(r.found),
            r.status,
            _num(r.bound),
            "" if r.gap is None else f"{r.gap:.2e}",
            f"{r.seconds:.2f}",
            r.verdict + ("" if r.verified is not False else " (check)"),
            r.note,
        ]
        for r in rows
    ]
    headers = [*SHOWN, "verdict", "note"]
    return tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True)


def summary_text(rows: list[Row]) -> str:
    """Totals per set and backend, then overall; the gaps of best-known instances."""
    groups: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for r in rows:
        groups[(r.suite, r.group, r.solver)].append(r)
    body = [
        [
            suite,
            group,
            solver,
            len(rs),
            sum(r.status == "optimal" for r in rs),
            sum(not r.failed for r in rs),
            sum(r.failed for r in rs),
            f"{sum(r.seconds for r in rs):.2f}",
            f"{max(r.seconds for r in rs):.2f}",
        ]
        for (suite, group, solver), rs in groups.items()
    ]
    body.append(
        [
            "total",
            "",
            "",
            len(rows),
            sum(r.status == "optimal" for r in rows),
            sum(not r.failed for r in rows),
            sum(r.failed for r in rows),
            f"{sum(r.seconds for r in rows):.2f}",
            f"{max((r.seconds for r in rows), default=0.0):.2f}",
        ]
    )
    headers = [
        "suite",
        "set",
        "solver",
        "instances",
        "optimal",
        "passed",
        "failed",
        "seconds",
        "max",
    ]
    text = tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True)
    hard = [r for r in rows if r.known_status == "best_known" or r.suite == "orlib-hard"]
    if hard:
        lines = ["", "against best known values:"]
        for r in hard:
            gap = "n/a" if r.known_gap is None else f"{100 * r.known_gap:+.2f} %"
            sgap = "n/a" if r.gap is None else f"{100 * r.gap:.2f} %"
            lines.append(
                f"  {r.instance:<10} {r.solver:<8} found {_num(r.found):>8} best known "
                f"{_num(r.known):>8} ({gap}); proven bound {_num(r.bound)}, gap {sgap}"
            )
        text += "\n" + "\n".join(lines)
    return text


def to_csv(rows: list[Row]) -> str:
    names = [f.name for f in fields(Row) if f.name != "bad_input"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in asdict(r).items()})
    return buffer.getvalue()


def write_table(rows: list[Row], out_dir: str | Path, label: str) -> Path:
    """Write the table as ``bench-<UTC time>-<label>.csv`` in ``out_dir``; never overwrite."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    stem = f"bench-{stamp}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', label)[:80]}"
    fd, tmp = tempfile.mkstemp(prefix=".tmp-bench-", suffix=".csv", dir=out)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(to_csv(rows))
        os.chmod(tmp, 0o644)
        for attempt in range(1, 1000):
            target = out / (f"{stem}.csv" if attempt == 1 else f"{stem}-{attempt}.csv")
            try:
                os.link(tmp, target)  # fails if the name is taken: never overwrites
            except FileExistsError:
                continue
            return target
        raise FileExistsError(f"no free table name for {out / stem}")
    finally:
        Path(tmp).unlink(missing_ok=True)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.10g}"
