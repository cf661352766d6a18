"""Run folders (R5): written completely or not at all, never over an existing run.

Everything is written into a hidden temporary folder beside the target, which is renamed into
place only when complete. An interruption (Ctrl-C, SIGTERM, an error) removes the temporary
folder, so ``results/`` never holds a half-written run.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from optimizer.results.report import Report

DEFAULT_RESULTS = Path("results")
ACTIVE_TEMP_FOLDERS: set[Path] = set()  # being filled now: removed by an emergency exit too


def to_json(value: object) -> str:
    """Strict JSON (NaN and infinities become null), stable key order."""
    return json.dumps(_finite(value), indent=2, sort_keys=False, allow_nan=False, default=str)


def write_folder(
    parent: str | Path,
    name: str,
    fill: Callable[[Path], None],
) -> Path:
    """Create ``parent/name`` (or ``name-2``, ``name-3`` ...) atomically, filled by ``fill``."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{name}-", dir=parent))
    ACTIVE_TEMP_FOLDERS.add(tmp)
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private (0700); a run is not
        fill(tmp)
        for attempt in range(1, 1000):
            target = parent / (name if attempt == 1 else f"{name}-{attempt}")
            if target.exists():
                continue
            try:
                os.rename(tmp, target)
            except OSError:
                continue  # somebody took the name between the check and the rename
            return target
        raise FileExistsError(f"no free run folder name for {parent / name}")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        ACTIVE_TEMP_FOLDERS.discard(tmp)


def _umask() -> int:
    """The process umask, read without changing it where Linux allows (threads may be writing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def run_name(instance_name: str, solver: str, when: datetime | None = None) -> str:
    stamp = (when or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", instance_name)[:60]
    return f"{stamp}-{safe}-{solver}"


def write_run(
    report: Report,
    instance_json: dict[str, object] | str,
    results_dir: str | Path = DEFAULT_RESULTS,
    summary_text: str = "",
    extra_files: dict[str, str] | None = None,
) -> Path:
    """Write one solve's run folder and return its path.

    ``instance_json`` is the instance as a mapping, or as JSON text already (from pydantic's
    ``model_dump_json``, much faster on large instances).
    """
    instance_text = instance_json if isinstance(instance_json, str) else to_json(instance_json)

    def fill(folder: Path) -> None:
        (folder / "run.json").write_text(to_json(report.record) + "\n")
        (folder / "summary.json").write_text(to_json(report.json_view(None) | {"run_dir": None}))
        (folder / "instance.json").write_text(instance_text + "\n", encoding="utf-8")
        for table, frame in report.tables.items():
            write_csv(frame, folder / f"{table}.csv")
        if summary_text:
            (folder / "summary.txt").write_text(summary_text + "\n")
        for fname, content in (extra_files or {}).items():
            (folder / fname).write_text(content)

    label = report.record.get("label") or report.record["instance"]  # posture solve --name
    name = run_name(str(label), str(report.record["solver"]))
    return write_folder(results_dir, name, fill)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")


def _finite(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            return _finite(value.item())
        except (ValueError, AttributeError):
            return value
    return value
