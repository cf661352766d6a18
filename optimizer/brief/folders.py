"""Which kind of folder ``posture report`` was given, and its tables, read defensively.

A solve run folder has run.json (with a status) and plan.csv; the analysis folders say what they
are in a marker: ``sensitivity.json``/``run.json`` (kind ``posture-sensitivity``), ``sweep.json``
(``posture-sweep``), ``compare.md`` with ``summary.csv`` (``posture compare --out``), and the
contributions, attack, trade-off and Monte Carlo folders their ``<kind>.json``. A folder that is
none of these, or that a different major version of posture wrote, is refused with a
:class:`FolderError` (one line; exit code 2 in the CLI). Optional columns are read when present:
a plan.csv without ``distance_km`` draws as well as one with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from optimizer import __version__

#: Analysis folders identified by a marker file ``<name>.json`` (issue-14 kinds).
MARKER_KINDS = ("contributions", "attack", "tradeoff", "montecarlo")

#: Columns without which a solve run folder cannot be drawn.
REQUIRED = {
    "sectors.csv": ("sector", "kind", "coverage"),
    "plan.csv": ("pool", "base", "station", "stations"),
    "bases.csv": ("base", "load"),
}


class FolderError(ValueError):
    """A folder that cannot be reported on; the message is one line."""


@dataclass(frozen=True)
class Folder:
    """A folder to report on: its kind, path and marker record."""

    kind: str  # solve, sensitivity, sweep, compare, contributions, attack, tradeoff, montecarlo
    path: Path
    record: dict[str, Any]

    def table(self, name: str, required: tuple[str, ...] = ()) -> pd.DataFrame | None:
        """``name`` (a CSV in the folder) or None when absent; missing columns are refused."""
        path = self.path / name
        if not path.is_file():
            return None
        try:
            frame = pd.read_csv(path)
        except pd.errors.EmptyDataError:
            return pd.DataFrame(columns=list(required))
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise FolderError(f"{path}: not a readable CSV table ({_first_line(exc)})") from None
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise FolderError(
                f"{path}: no column {', '.join(repr(c) for c in missing)}; "
                "written by another version of posture?"
            )
        return frame


def open_folder(path: str | Path) -> Folder:
    """Identify the folder at ``path``; :class:`FolderError` when it is no posture folder."""
    folder = Path(path)
    if not folder.is_dir():
        raise FolderError(f"{folder}: no such folder (give a run or analysis folder)")
    for kind in MARKER_KINDS:
        if (folder / f"{kind}.json").is_file():
            return _checked(Folder(kind, folder, _json(folder / f"{kind}.json")))
    if (folder / "sweep.json").is_file():
        return _checked(Folder("sweep", folder, _json(folder / "sweep.json")))
    if (folder / "sensitivity.json").is_file():
        return _checked(Folder("sensitivity", folder, _json(folder / "sensitivity.json")))
    if (folder / "compare.md").is_file() and (folder / "summary.csv").is_file():
        return Folder("compare", folder, {})
    if (folder / "run.json").is_file():
        record = _json(folder / "run.json")
        if str(record.get("kind", "")).startswith("posture-"):
            return _checked(Folder(str(record["kind"])[len("posture-") :], folder, record))
        if "status" in record:
            if not (folder / "plan.csv").is_file():
                raise FolderError(f"{folder}: run.json but no plan.csv (an unfinished run?)")
            return _checked(Folder("solve", folder, record))
    raise FolderError(
        f"{folder}: not a posture run folder (no run.json, sweep.json, sensitivity.json, "
        "compare.md or analysis marker)"
    )


def _checked(folder: Folder) -> Folder:
    """Refuse a folder that a different major version wrote (its tables may mean otherwise)."""
    written = folder.record.get("package_version")
    if written is None:
        return folder
    ours, theirs = _major_minor(__version__), _major_minor(str(written))
    if theirs is None:
        raise FolderError(f"{folder.path}: unreadable package_version {written!r}")
    if ours is not None and (theirs[0] != ours[0] or theirs > ours):
        raise FolderError(
            f"{folder.path}: written by posture {written}, this is {__version__}; "
            "report it with the version that wrote it or solve again"
        )
    return folder


def _major_minor(version: str) -> tuple[int, int] | None:
    parts = version.split(".")
    try:
        return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        return None


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FolderError(f"{path}: not readable JSON ({_first_line(exc)})") from None
    if not isinstance(data, dict):
        raise FolderError(f"{path}: expected a JSON object")
    return data


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
