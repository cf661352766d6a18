"""The sensitivity run folder: every table as CSV and Markdown, the report, the JSON view."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from optimizer.analysis.sensitivity import Sensitivity
from optimizer.analysis.sensitivity_tables import HEADERS, TITLES
from optimizer.analysis.tables import records, to_markdown, write_tables
from optimizer.results import to_json, write_folder


def json_view(result: Sensitivity, run_dir: Path | None) -> dict[str, object]:
    """The JSON object ``posture sensitivity --json`` prints (and sensitivity.json holds)."""
    return {
        "instance": result.record["instance"],
        "instance_hash": result.record["instance_hash"],
        "objective_kind": result.record["objective_kind"],
        "baseline": result.baseline,
        "tables": {name: records(frame) for name, frame in result.tables.items()},
        "cases_solved": result.record["cases_solved"],
        "seconds": result.record["seconds"],
        "run_dir": str(run_dir) if run_dir is not None else None,
    }


def markdown_report(result: Sensitivity) -> str:
    """Every table under its title, in Markdown (what the command prints)."""
    r = result.record
    parts = [
        f"# Sensitivity of {r['instance']} ({r['objective_kind']}; {r['cases_solved']} "
        f"distinct cases solved with {r['solver']} in {r['seconds']:.1f} s)",
    ]
    for name, frame in result.tables.items():
        parts.append(f"\n## {TITLES[name]}\n")
        parts.append(to_markdown(frame, HEADERS.get(name)))
    return "\n".join(parts)


def write_sensitivity(result: Sensitivity, parent: str | Path) -> Path:
    """One run folder ``sensitivity-<instance>-<UTC time>`` under ``parent``, written
    atomically: every table as CSV and Markdown, sensitivity.md, sensitivity.json, run.json."""

    def fill(folder: Path) -> None:
        write_tables(folder, result.tables, HEADERS)
        (folder / "sensitivity.md").write_text(markdown_report(result) + "\n")
        (folder / "sensitivity.json").write_text(to_json(json_view(result, None)) + "\n")
        (folder / "run.json").write_text(to_json(result.record) + "\n")

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return write_folder(Path(parent), f"sensitivity-{result.record['instance']}-{stamp}", fill)
