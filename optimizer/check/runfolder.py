"""Reading what a run folder claims: run.json, plan.csv and instance.json (nothing else).

A folder that cannot be read (missing files, malformed JSON, a plan.csv without its columns,
a cell that is not a number) is bad input (:class:`InstanceError`, CLI exit code 2); a plan that
reads but breaks the rules is judged by the checker (exit code 1).
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

from optimizer.instance.reader import InstanceError, _read_text, validate
from optimizer.instance.schema import Instance

PLAN_COLUMNS = ("pool", "base", "station", "stations")


@dataclass(frozen=True)
class PlanRow:
    """One line of plan.csv: ``stations`` posts of ``pool`` flown from ``base`` at ``station``."""

    line: int
    pool: str
    base: str
    station: str
    stations: float
    nation: str | None = None
    capability: str | None = None
    units: float | None = None
    needs_tanker: bool | None = None
    cost: float | None = None
    escalation_risk: float | None = None  # per station; information, recomputed by the checker


def read_record(run_dir: Path) -> dict[str, object]:
    return _read_json_object(run_dir / "run.json", "is this a run folder?", "a JSON run record")


def read_run_instance(run_dir: Path) -> Instance:
    """The instance as solved, from the run folder's instance.json."""
    path = run_dir / "instance.json"
    data = _read_json_object(path, "give the instance file instead", "the instance as JSON")
    return validate(data, path)


def _read_json_object(path: Path, missing_hint: str, expected: str) -> dict[str, object]:
    text = _bounded_text(path, missing_hint)
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InstanceError(path, "", f"expected {expected}: {exc}") from None
    if not isinstance(data, dict):
        raise InstanceError(path, "", "expected a JSON object")
    return data


def read_plan(run_dir: Path) -> list[PlanRow]:
    path = run_dir / "plan.csv"
    reader = open_table(path, PLAN_COLUMNS, "is this a run folder?")
    rows = []
    for row in reader:
        line = reader.line_num
        if None in row:
            raise InstanceError(path, f"line {line}", "more cells than columns")
        rows.append(
            PlanRow(
                line=line,
                pool=_text(row["pool"]),
                base=_text(row["base"]),
                station=_text(row["station"]),
                stations=_number(path, line, "stations", row["stations"]),
                nation=_text(row.get("nation")) or None,
                capability=_text(row.get("capability")) or None,
                units=_optional(path, line, "units", row.get("units")),
                needs_tanker=_flag(path, line, row.get("needs_tanker")),
                cost=_optional(path, line, "cost", row.get("cost")),
                escalation_risk=_optional(
                    path, line, "escalation_risk", row.get("escalation_risk")
                ),
            )
        )
    return rows


def open_table(path: Path, columns: tuple[str, ...], missing_hint: str) -> csv.DictReader:
    """A CSV file's rows, once its header is known to hold ``columns`` (located errors)."""
    text = _bounded_text(path, missing_hint)
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise InstanceError(path, "header", f"expected columns {', '.join(missing)}")
    return reader


def _bounded_text(path: Path, missing_hint: str) -> str:
    """The file's text, read as instance files are: regular files only (a pipe put in a run
    folder would block), at most the size limit, UTF-8 (BOM dropped)."""
    try:
        return _read_text(path)
    except InstanceError as exc:
        if exc.message == "no such file":
            raise InstanceError(path, "", f"no such file ({missing_hint})") from None
        raise


def _text(cell: str | None) -> str:
    return (cell or "").strip()


def _number(path: Path, line: int, column: str, cell: str | None) -> float:
    try:
        value = float(_text(cell))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InstanceError(path, f"line {line}, column {column}", f"expected a number: {cell!r}")
    return value


def _optional(path: Path, line: int, column: str, cell: str | None) -> float | None:
    return None if not _text(cell) else _number(path, line, column, cell)


def _flag(path: Path, line: int, cell: str | None) -> bool | None:
    text = _text(cell).lower()
    if not text:
        return None
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise InstanceError(path, f"line {line}, column needs_tanker", f"expected true/false: {cell!r}")
