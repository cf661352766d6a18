"""OR-Library set covering files (Beasley) read as ordinary posture instances (SPEC 7, B1).

Format (``ORLIB_README.txt``): ``m n``, then the ``n`` column costs, then for each row ``i`` the
number of columns covering it followed by those columns (1-based). Numbers run across line
breaks, so the file is read as one stream of tokens.

The instance: objective O2 (min cost); one sector per row (kind ``air``, requirement
``{cover: 1}``, target 1 through ``scenario.targets``); one station per column with the column's
cost (``Station.cost``) and an explicit ``covers`` list; one pool of ``n`` units (one unit per
station) at one dummy base. Families that mean nothing here (base capacity, range, tankers, US
level and share, politics, Montreux, budget) are switched off, and the tie-break phase too.
Rows are ``r1..rm`` and columns ``c1..cn``, numbered as in the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from optimizer.instance.reader import InstanceError, _read_text, validate
from optimizer.instance.schema import Instance

CAPABILITY = "cover"
OFF_FAMILIES = ("C2", "C3", "C4", "C7", "C8", "C9", "C10", "C11")


def read_orlib_scp(path: str | Path) -> Instance:
    """Read one OR-Library set covering file into an :class:`Instance`."""
    path = Path(path)
    text = _read_text(path)
    tokens = _numbers(path, text)
    m, costs, rows_of_column = parse_scp(path, tokens)
    return scp_instance(path.stem, m, costs, rows_of_column, path)


def parse_scp(path: Path, tokens: np.ndarray) -> tuple[int, np.ndarray, list[np.ndarray]]:
    """The number of rows, the column costs and, per column, the 0-based rows it covers."""
    if len(tokens) < 2:
        raise InstanceError(path, "line 1", "expected 'rows columns' (two whole numbers)")
    m, n = _count(path, tokens[0], "number of rows"), _count(path, tokens[1], "number of columns")
    if m < 1 or n < 1:
        raise InstanceError(path, "line 1", f"expected at least one row and column, got {m} {n}")
    if len(tokens) < 2 + n:
        raise InstanceError(
            path, "costs", f"expected {n} column costs, the file ends after {len(tokens) - 2}"
        )
    costs = tokens[2 : 2 + n]
    if (costs < 0).any():
        j = int(np.flatnonzero(costs < 0)[0])
        raise InstanceError(path, f"costs.column {j + 1}", f"expected a cost >= 0, got {costs[j]}")
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    pos = 2 + n
    for i in range(m):
        if pos >= len(tokens):
            raise InstanceError(path, f"row {i + 1}", f"the file ends after {i} of {m} rows")
        k = _count(path, tokens[pos], f"row {i + 1} column count")
        members = tokens[pos + 1 : pos + 1 + k]
        if len(members) < k:
            raise InstanceError(
                path,
                f"row {i + 1}",
                f"expected {k} column numbers, the file ends after {len(members)}",
            )
        bad = (members < 1) | (members > n) | (members != np.round(members))
        if bad.any():
            raise InstanceError(
                path, f"row {i + 1}", f"expected column numbers 1..{n}, got {members[bad][0]:g}"
            )
        rows.append(np.full(k, i, dtype=np.int64))
        cols.append(members.astype(np.int64) - 1)
        pos += 1 + k
    if pos != len(tokens):
        raise InstanceError(
            path,
            f"after row {m}",
            f"expected the end of the file, found {len(tokens) - pos} more numbers",
        )
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    order = np.lexsort((r, c))
    r, c = r[order], c[order]
    split = np.searchsorted(c, np.arange(1, n))
    rows_of_column = [np.unique(part) for part in np.split(r, split)]
    return m, costs.astype(float), rows_of_column


def scp_instance(
    name: str, n_rows: int, costs: np.ndarray, rows_of_column: list[np.ndarray], path: Path
) -> Instance:
    """The posture instance of a set covering problem (validated like any other)."""
    sector_ids = [f"r{i + 1}" for i in range(n_rows)]
    data = {
        "name": _identifier(name),
        "description": f"OR-Library set covering {name}: {n_rows} rows, {len(costs)} columns",
        "capabilities": [
            {"id": CAPABILITY, "asset_class": "aircraft", "description": "set-covering column"}
        ],
        "nations": [{"id": "ORLIB"}],
        "bases": [{"id": "depot", "country": "ZZ", "lat": 0.0, "lon": 0.0}],
        "sectors": [
            {"id": sid, "kind": "air", "lat": 0.0, "lon": 0.0, "requirements": {CAPABILITY: 1}}
            for sid in sector_ids
        ],
        "stations": [
            {
                "id": f"c{j + 1}",
                "capability": CAPABILITY,
                "lat": 0.0,
                "lon": 0.0,
                "covers": [sector_ids[i] for i in rows.tolist()],
                "cost": float(costs[j]),
            }
            for j, rows in enumerate(rows_of_column)
        ],
        "pools": [
            {
                "id": "columns",
                "nation": "ORLIB",
                "capability": CAPABILITY,
                "units": len(costs),
                "units_per_station": 1,
                "bases": ["depot"],
            }
        ],
        "scenario": {
            "name": "orlib-scp",
            "objective": "min-cost",
            "coverage_mode": "threshold",
            "targets": {"air": 1.0},
            "constraints": dict.fromkeys(OFF_FAMILIES, False),
            "tie_break": False,
        },
        "sources": {"data": f"OR-Library set covering file {path.name}"},
    }
    return validate(data, path)


def _numbers(path: Path, text: str) -> np.ndarray:
    """Every whitespace-separated token as a float; a bad token is located by its line."""
    parts = text.split()
    try:
        values = np.array(parts, dtype=float)
    except ValueError:
        values = None
    if values is None or not np.isfinite(values).all():
        for lineno, line in enumerate(text.splitlines(), start=1):
            for token in line.split():
                try:
                    value = float(token)
                except ValueError:
                    value = float("nan")
                if not np.isfinite(value):
                    raise InstanceError(
                        path, f"line {lineno}", f"expected a number, got {token[:40]!r}"
                    ) from None
        raise InstanceError(path, "", "expected numbers only") from None
    return values


def _count(path: Path, value: float, what: str) -> int:
    if not np.isfinite(value) or value < 0 or value != round(value):
        raise InstanceError(path, what, f"expected a whole number >= 0, got {value:g}")
    return int(value)


def _identifier(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "_.-" else "_" for ch in name)
    return cleaned[:100] or "orlib"
