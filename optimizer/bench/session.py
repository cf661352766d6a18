"""One benchmark session: collect the suites' cases, run them, write the table, maybe record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from optimizer.bench.expected import write_expected
from optimizer.bench.runner import Row, run_cases
from optimizer.bench.suites import collect, require_dir
from optimizer.bench.table import write_table
from optimizer.solvers import SolverOptions

DATA_SUITES = ("orlib", "orlib-hard", "mclp")


class RecordRefused(Exception):
    """``--record`` asked for, but not every posture instance was proven optimal and verified."""


@dataclass(frozen=True)
class BenchResult:
    rows: list[Row]
    table: Path | None
    recorded: Path | None = None

    @property
    def failed(self) -> bool:
        return any(r.failed for r in self.rows)


def repo_root() -> Path:
    """The source tree this package runs from, else the working directory."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() else Path.cwd()


def default_data_dir() -> Path:
    return (repo_root() / ".." / "shared" / "benchmarks").resolve()


def default_instances_dir() -> Path:
    return repo_root() / "instances"


def run_bench(
    suites: tuple[str, ...] | list[str],
    solvers: tuple[str, ...] | list[str] = ("highs",),
    *,
    data_dir: Path | None = None,
    instances_dir: Path | None = None,
    quick: bool = False,
    jobs: int = 1,
    time_limit: float | None = None,
    out_dir: Path | None = None,
    record: bool = False,
    keep_runs: bool = False,
    progress: Callable[[Row, int, int], None] | None = None,
) -> BenchResult:
    """Run the named suites with every solver; write the table under ``out_dir`` if given."""
    data_dir = data_dir or default_data_dir()
    instances_dir = instances_dir or default_instances_dir()
    if any(s in DATA_SUITES for s in suites):
        require_dir(data_dir, "benchmark data folder")
    if record and "posture" not in suites:
        raise RecordRefused("--record records the posture suite: add --suite posture")
    cases = collect(suites, data_dir, instances_dir, quick)
    options = SolverOptions(time_limit=time_limit)
    keep = None
    if keep_runs and out_dir is not None:
        keep = str(Path(out_dir) / "runs")
    rows = run_cases(cases, list(solvers), options, jobs, keep, progress)
    recorded = None
    if record:
        rows, recorded = _record(rows, instances_dir)
    table = None
    if out_dir is not None and rows:
        label = "-".join([*suites, *(["quick"] if quick else []), *solvers])
        table = write_table(rows, out_dir, label)
    return BenchResult(rows, table, recorded)


def _record(rows: list[Row], instances_dir: Path) -> tuple[list[Row], Path]:
    """Write instances/expected.csv from the posture rows, if every one is proven and verified."""
    posture = [r for r in rows if r.suite == "posture"]
    if not posture:
        raise RecordRefused(f"no posture instances in {instances_dir} to record")
    bad = [r for r in posture if r.status != "optimal" or r.verified is not True]
    if bad:
        names = ", ".join(f"{r.instance} ({r.status or r.verdict})" for r in bad)
        raise RecordRefused(f"not recorded: not proven optimal and verified: {names}")
    values: dict[str, Row] = {}
    for r in posture:
        first = values.setdefault(r.instance, r)
        if (
            first.found is None
            or r.found is None
            or abs(first.found - r.found) > 1e-6 * max(1.0, abs(first.found))
        ):
            raise RecordRefused(
                f"not recorded: {r.instance}: {r.solver} found {r.found}, {first.solver} "
                f"found {first.found}"
            )
    path = write_expected(
        instances_dir,
        [
            {
                "instance": name,
                "objective_kind": _kind(Path(instances_dir) / name),
                "objective": r.found,
                "solver": r.solver,
            }
            for name, r in values.items()
        ],
    )
    relabelled = [
        replace(r, known=r.found, known_status="recorded", verdict="recorded", failed=False)
        if r.suite == "posture"
        else r
        for r in rows
    ]
    return relabelled, path


def _kind(path: Path) -> str:
    from optimizer.instance import load_instance

    return load_instance(path).scenario.objective.value
