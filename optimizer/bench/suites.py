"""The named benchmark suites: which files, which parameters, which known values (SPEC 7).

- ``orlib``: OR-Library set covering sets 4, 5, 6, A-E, NRE, NRF, proven optima in optima.csv;
- ``orlib-hard``: NRG and NRH, best known values only, run under a time limit (default 60 s);
- ``mclp``: Swain for p in {1, 3, 5, 7} and S in {5, 8, 10}; SJC324/402/500 for p in {2, 5, 10}
  and S in {800, 1200}; reference values from mclp/reference_values.csv where present;
- ``posture``: every instance file in instances/ with its recorded objective (expected.csv).

``quick`` keeps sets 4 and E, Swain's grid, SJC324 with p in {5, 10} and all posture instances.
A missing data folder, file or reference table is an :class:`InstanceError` (exit code 2).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from optimizer.bench.expected import read_expected
from optimizer.check.runfolder import open_table
from optimizer.instance.reader import InstanceError

SUITES = ("orlib", "orlib-hard", "mclp", "posture")
DEFAULT_SUITES = ("orlib", "mclp", "posture")
ORLIB_SETS = ("4", "5", "6", "A", "B", "C", "D", "E", "NRE", "NRF")
ORLIB_HARD_SETS = ("NRG", "NRH")
QUICK_ORLIB_SETS = ("4", "E")
HARD_TIME_LIMIT = 60.0
SWAIN_GRID = [(p, s) for s in (5.0, 8.0, 10.0) for p in (1, 3, 5, 7)]
SJC_GRID = [(p, s) for s in (800.0, 1200.0) for p in (2, 5, 10)]
SJC_SIZES = (324, 402, 500)
QUICK_SJC = {324: (5, 10)}
POSTURE_SUFFIXES = (".yaml", ".yml", ".toml")
_SCP_NAME = re.compile(r"^scp(nr[a-z]|[a-z]|\d)(\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Case:
    """One benchmark instance: how to read it and what value it should reach."""

    suite: str
    group: str  # the set it belongs to: 4, A, NRE, swain, SJC324, posture
    name: str
    path: str
    fmt: str
    radius: float | None = None
    stations: int | None = None
    known: float | None = None
    known_status: str = ""  # optimal | best_known | recorded | "" (no reference)
    must_reach: bool = True  # not reaching a proven known value is a failure
    time_limit: float | None = None  # suite default, used when the user gives none


def collect(
    suites: tuple[str, ...] | list[str],
    data_dir: Path,
    instances_dir: Path,
    quick: bool = False,
) -> list[Case]:
    """The cases of the named suites, in a stable order."""
    cases: list[Case] = []
    for suite in suites:
        if suite == "orlib":
            sets = QUICK_ORLIB_SETS if quick else ORLIB_SETS
            cases += orlib_cases(data_dir, "orlib", sets)
        elif suite == "orlib-hard" and not quick:
            cases += orlib_cases(data_dir, "orlib-hard", ORLIB_HARD_SETS)
        elif suite == "mclp":
            cases += mclp_cases(data_dir, quick)
        elif suite == "posture":
            cases += posture_cases(instances_dir)
    return cases


def require_dir(path: Path, what: str, option: str = "--data") -> Path:
    if not path.is_dir():
        raise InstanceError(path, "", f"{what} not found (give the folder with {option} DIR)")
    return path


def orlib_set(name: str) -> str | None:
    """The set an OR-Library file belongs to: scp41 -> 4, scpa3 -> A, scpnre1 -> NRE."""
    match = _SCP_NAME.match(name)
    return match.group(1).upper() if match else None


def orlib_cases(data_dir: Path, suite: str, sets: tuple[str, ...]) -> list[Case]:
    folder = require_dir(data_dir / "orlib-scp", "OR-Library folder")
    table = folder / "optima.csv"
    cases = []
    for row in _csv(table, ("instance", "optimal_or_best_known", "status")):
        name = row["instance"].strip()
        group = orlib_set(name)
        if group not in sets:
            continue
        path = _file(folder / f"{name}.txt", table)
        status = "optimal" if row["status"].strip() == "optimal" else "best_known"
        cases.append(
            Case(
                suite=suite,
                group=group,
                name=name,
                path=str(path),
                fmt="orlib-scp",
                known=_float(table, row["optimal_or_best_known"], name),
                known_status=status,
                must_reach=suite == "orlib" and status == "optimal",
                time_limit=HARD_TIME_LIMIT if suite == "orlib-hard" else None,
            )
        )
    order = {s: i for i, s in enumerate(sets)}
    cases.sort(key=lambda c: (order[c.group], _scp_number(c.name)))
    return cases


def mclp_cases(data_dir: Path, quick: bool = False) -> list[Case]:
    folder = require_dir(data_dir / "mclp", "maximal covering folder")
    table = folder / "reference_values.csv"
    reference: dict[tuple[str, int, float], tuple[float, bool]] = {}
    if table.exists():
        for row in _csv(table, ("instance", "p", "S", "covered_demand", "proven_optimal")):
            key = (
                row["instance"].strip(),
                int(_float(table, row["p"], "p")),
                _float(table, row["S"], "S"),
            )
            proven = row["proven_optimal"].strip().lower() in ("true", "1", "yes")
            reference[key] = (_float(table, row["covered_demand"], key[0]), proven)
    plan = [("swain", folder / "swain" / "swain.txt", SWAIN_GRID)]
    for n in SJC_SIZES:
        if quick and n not in QUICK_SJC:
            continue
        grid = [(p, s) for p, s in SJC_GRID if not quick or p in QUICK_SJC[n]]
        plan.append((f"SJC{n}", folder / "sjc" / f"SJC{n}.coords.txt", grid))
    cases = []
    for group, path, grid in plan:
        _file(path, folder)
        for p, s in grid:
            known, proven = reference.get((group, p, s), (None, False))
            cases.append(
                Case(
                    suite="mclp",
                    group=group,
                    name=f"{group}-p{p}-S{s:g}",
                    path=str(path),
                    fmt="mclp",
                    radius=s,
                    stations=p,
                    known=known,
                    known_status="" if known is None else ("optimal" if proven else "best_known"),
                    must_reach=proven,
                )
            )
    return cases


def posture_cases(instances_dir: Path) -> list[Case]:
    """Every instance file in ``instances_dir`` (not its CSV side files), with recorded values."""
    require_dir(instances_dir, "posture instances folder", "--instances")
    expected = read_expected(instances_dir)
    cases = []
    for path in sorted(instances_dir.iterdir()):
        if path.suffix.lower() not in POSTURE_SUFFIXES or not path.is_file():
            continue
        value = expected.get(path.name)
        cases.append(
            Case(
                suite="posture",
                group="posture",
                name=path.name,
                path=str(path),
                fmt="posture",
                known=value,
                known_status="recorded" if value is not None else "",
                must_reach=value is not None,
            )
        )
    return cases


def _csv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    reader = open_table(path, columns, "the table of known values")
    return [row for row in reader if any((v or "").strip() for v in row.values())]


def _float(path: Path, cell: str | None, where: str) -> float:
    try:
        value = float((cell or "").strip())
    except ValueError:
        raise InstanceError(path, where, f"expected a number, got {cell!r}") from None
    if not math.isfinite(value):  # a reference no result can be compared with
        raise InstanceError(path, where, f"expected a finite number, got {cell!r}")
    return value


def _file(path: Path, listed_in: Path) -> Path:
    if not path.is_file():
        raise InstanceError(path, "", f"no such file (listed by {listed_in})")
    return path


def _scp_number(name: str) -> int:
    match = _SCP_NAME.match(name)
    return int(match.group(2)) if match else 0
