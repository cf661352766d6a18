"""The folder an analysis writes: tables (CSV and Markdown), a summary, and its marker file.

``results/<kind>-<name>-<stamp>/`` holds ``<kind>.json`` (what was run and the answer: the
marker that says which analysis the folder is), ``summary.md`` and one ``<table>.csv`` and
``<table>.md`` per table. It is written completely or not at all (results.writer.write_folder).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from optimizer.analysis.tables import write_tables
from optimizer.results.writer import to_json, write_folder


def write_analysis(
    parent: str | Path,
    kind: str,
    name: str,
    record: Mapping[str, Any],
    tables: Mapping[str, pd.DataFrame],
    summary: str,
) -> Path:
    """Write the folder; return its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:80]

    def fill(folder: Path) -> None:
        write_tables(folder, tables)
        (folder / "summary.md").write_text(summary.rstrip() + "\n")
        (folder / f"{kind}.json").write_text(to_json(dict(record)) + "\n")

    return write_folder(parent, f"{kind}-{safe}-{stamp}", fill)


def stamp_record(record: Mapping[str, Any], **about: Any) -> dict[str, Any]:
    """The record with when and with what it was made."""
    import optimizer

    return {
        **record,
        **about,
        "package_version": optimizer.__version__,
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }
