"""Coverage as a distribution (SPEC 10 D3): draw the uncertain inputs, solve every draw.

The uncertain inputs are the instance's ``uncertainty:`` ranges (A7): each a ``--set`` path with
``low``, ``high`` and an optional ``mode``. Draw i sets every one of them at once, independently:
uniform on [low, high], or triangular (low, mode, high) with the mode the range's ``mode`` or
else the instance's nominal value. A field whose nominal value is a whole number (units, ships)
is drawn as a whole number (rounded). Draw i uses its own generator seeded by (seed, i), so a
draw is the same whatever the sample size, the executor or the order the draws finish in.

Each draw is a case of the sweep machinery (``optimizer.analysis.cases``): solved exactly as
``posture solve --set PATH=VALUE ...`` would, cold (no warm start), on local processes or a Dask
cluster; rows reach the folder as draws finish, and ``--resume`` finishes an interrupted run.

Reported: P10/P50/P90 (and mean) of each headline figure over the draws, and for each input its
Spearman rank correlation with the objective and with the front miles covered (an input that
moves the answer shows a large |rho|). Quantiles are of the solved draws with a plan; a draw
without one (infeasible, error) is counted and listed, not silently dropped.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

import optimizer
from optimizer.analysis.cases import METRICS, Case, CaseBase, load_base
from optimizer.analysis.executors import execute, make_chains
from optimizer.analysis.sweepdir import SweepFolder, read_spec, read_table
from optimizer.analysis.tables import to_markdown, write_tables
from optimizer.instance.changes import Change
from optimizer.instance.reader import content_hash
from optimizer.instance.schema import Instance, resolve_path
from optimizer.results.writer import to_json
from optimizer.solvers import SolverOptions

DISTRIBUTIONS = ("uniform", "triangular")
FIGURES = (
    "objective",
    "front_miles_covered",
    "air_points",
    "sea_points",
    "air_coverage",
    "sea_coverage",
    "stations",
    "cost",
)


class MonteCarloMismatch(ValueError):
    """--resume of a folder that is not this Monte Carlo run (exit code 2)."""


@dataclass(frozen=True)
class Input:
    path: str
    low: float
    high: float
    mode: float
    whole: bool  # the nominal value is a whole number: draw whole numbers


def inputs_of(instance: Instance) -> list[Input]:
    out = []
    for path, band in instance.uncertainty.items():
        nominal = resolve_path(instance, path)
        whole = isinstance(nominal, int) and not isinstance(nominal, bool)
        if isinstance(nominal, int | float) and not isinstance(nominal, bool):
            mode = band.mode if band.mode is not None else float(nominal)
        else:
            mode = band.mode if band.mode is not None else (band.low + band.high) / 2
        mode = min(max(mode, band.low), band.high)
        out.append(Input(path, band.low, band.high, mode, whole))
    return out


def draw(inputs: list[Input], seed: int, index: int, distribution: str) -> dict[str, float]:
    """Draw ``index``: one value per input, from its own generator (seed, index)."""
    rng = np.random.default_rng([seed, index])
    values: dict[str, float] = {}
    for item in inputs:
        if item.high <= item.low:
            value = item.low
        elif distribution == "triangular":
            value = float(rng.triangular(item.low, item.mode, item.high))
        else:
            value = float(rng.uniform(item.low, item.high))
        values[item.path] = float(round(value)) if item.whole else value
    return values


def _text(value: float, whole: bool) -> str:
    return str(int(value)) if whole else repr(float(value))


def cases(inputs: list[Input], samples: int, seed: int, distribution: str) -> list[Case]:
    out = []
    for i in range(samples):
        values = draw(inputs, seed, i, distribution)
        params = {item.path: _text(values[item.path], item.whole) for item in inputs}
        changes = tuple(
            Change(
                tuple(item.path.split(".")),
                int(values[item.path]) if item.whole else float(values[item.path]),
                text=f"{item.path}={params[item.path]}",  # as the table shows the draw
            )
            for item in inputs
        )
        out.append(Case(i, changes, f"draw {i}", params))
    return out


@dataclass
class MonteCarlo:
    folder: Path
    samples: pd.DataFrame
    quantiles: pd.DataFrame
    correlations: pd.DataFrame
    ran: int
    skipped: int
    failed: int
    record: dict[str, Any]


def run_montecarlo(
    base: CaseBase | None,
    *,
    samples: int = 100,
    seed: int = 0,
    distribution: str = "uniform",
    results_dir: str | Path = "results",
    name: str | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    resume: str | Path | None = None,
    progress: bool = False,
) -> MonteCarlo:
    """Run (or finish, with ``resume``) a Monte Carlo study; rows reach the folder as draws end."""
    if resume is not None:
        folder_path = Path(resume)
        spec = read_spec(folder_path)
        if spec.get("kind") != "posture-montecarlo":
            raise MonteCarloMismatch(f"{folder_path}: not a Monte Carlo folder")
        opts = spec["options"]
        options = SolverOptions(
            time_limit=opts.get("time_limit"),
            gap=float(opts.get("gap", 1e-6)),
            threads=int(opts.get("threads", 1)),
            seed=int(opts.get("seed", 0)),
        )
        stored = load_base(spec["instance_file"], spec["solver"], options, tuple(spec["fixed"]))
        if content_hash(stored.instance()) != spec["instance_hash"]:
            raise MonteCarloMismatch(f"{spec['instance_file']} changed since the run started")
        base = stored
        samples, seed, distribution = int(spec["samples"]), int(spec["seed"]), spec["distribution"]
        folder = SweepFolder.open(folder_path)
    else:
        if base is None:
            raise ValueError("a new Monte Carlo run needs an instance")
    instance = base.instance()
    inputs = inputs_of(instance)
    if not inputs:
        raise MonteCarloMismatch(
            f"{base.source}: the instance has no uncertainty ranges (uncertainty: PATH: "
            "{low, high, source}) to draw"
        )
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {DISTRIBUTIONS}")
    columns = ["case", *(item.path for item in inputs), *METRICS]
    if resume is None:
        spec = {
            "kind": "posture-montecarlo",
            "instance_file": str(base.path.resolve()) if base.path is not None else None,
            "instance": instance.name,
            "instance_hash": content_hash(instance),
            "fixed": [str(change) for change in base.fixed],
            "samples": samples,
            "seed": seed,
            "distribution": distribution,
            "inputs": [item.__dict__ for item in inputs],
            "solver": base.solver,
            "options": base.options.as_dict(),
            "chain_length": 1,
            "package_version": optimizer.__version__,
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        folder = _create(Path(results_dir), name or instance.name, spec, columns)
    all_cases = cases(inputs, samples, seed, distribution)
    expected = {case.index: case.params for case in all_cases}
    done = {int(r["case"]) for r in folder.rows().to_dict("records") if _matches(r, expected)}
    chains = make_chains(all_cases, dict.fromkeys(done), chain_length=1)
    bar = tqdm(
        total=len(all_cases),
        initial=len(done),
        unit="draw",
        desc="montecarlo",
        disable=not progress,
        file=sys.stderr,
    )
    folder.set_state("running", total_cases=len(all_cases))
    by_index = {case.index: case for case in all_cases}
    try:
        with (
            bar,
            contextlib.closing(execute(base, chains, 1 if jobs < 1 else jobs, scheduler)) as rs,
        ):
            for result in rs:
                folder.append(result, by_index[result.index].params)
                bar.update(1)
    except KeyboardInterrupt:
        folder.set_state("interrupted")
        raise
    table = folder.finalize(expected)
    folder.set_state("complete", finished_cases=len(table))
    for item in inputs:
        table[item.path] = pd.to_numeric(table[item.path])
    quantiles, failed = quantile_table(table)
    correlations = correlation_table(table, [item.path for item in inputs])
    record = {
        **spec,
        "draws": len(table),
        "draws_without_plan": failed,
        "quantiles": quantiles.to_dict("records"),
        "correlations": correlations.head(20).to_dict("records"),
    }
    write_tables(
        folder.path,
        {"samples": table, "quantiles": quantiles, "correlations": correlations},
    )
    (folder.path / "montecarlo.json").write_text(to_json(record) + "\n")
    (folder.path / "summary.md").write_text(summary_text(record, quantiles, correlations))
    return MonteCarlo(
        folder.path,
        table,
        quantiles,
        correlations,
        len(all_cases) - len(done),
        len(done),
        failed,
        record,
    )


def summary_text(record: dict[str, Any], quantiles: pd.DataFrame, corr: pd.DataFrame) -> str:
    lines = [
        f"# Monte Carlo: {record['instance']}",
        "",
        f"{record['draws']} draws ({record['distribution']}, seed {record['seed']}) of "
        f"{len(record['inputs'])} uncertain inputs, each solved as posture solve --set would; "
        f"{record['draws_without_plan']} without a plan.",
        "",
        "## Quantiles of the headline figures",
        "",
        to_markdown(quantiles),
        "",
        "## Inputs that move the answer (Spearman rank correlation)",
        "",
        to_markdown(corr.head(15)),
    ]
    return "\n".join(lines) + "\n"


def _create(parent: Path, name: str, spec: dict[str, Any], columns: list[str]) -> SweepFolder:
    import csv
    import re

    parent.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:80]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 1000):
        path = parent / (f"montecarlo-{safe}-{stamp}" + ("" if attempt == 1 else f"-{attempt}"))
        try:
            path.mkdir()
        except FileExistsError:
            continue
        folder = SweepFolder(path, columns)
        folder.write_spec({**spec, "state": "running", "columns": columns})
        with open(path / "cases.csv", "w", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerow(columns)
        (path / "plans.jsonl").touch()
        return folder
    raise FileExistsError(f"no free Monte Carlo folder name under {parent}")


def _matches(record: dict[str, Any], expected: dict[int, dict[str, str]]) -> bool:
    from optimizer.analysis.sweepdir import matches

    return matches(record, expected)


def quantile_table(table: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    solved = table[table["objective"].notna()]
    rows = []
    for figure in FIGURES:
        if figure not in solved:
            continue
        values = pd.to_numeric(solved[figure]).dropna().to_numpy(dtype=float)
        if len(values) == 0:
            continue
        p10, p50, p90 = np.percentile(values, [10, 50, 90])
        rows.append(
            {
                "metric": figure,
                "p10": p10,
                "p50": p50,
                "p90": p90,
                "mean": float(values.mean()),
                "min": float(values.min()),
                "max": float(values.max()),
                "draws": len(values),
            }
        )
    return pd.DataFrame(rows), int(len(table) - len(solved))


def correlation_table(table: pd.DataFrame, paths: list[str]) -> pd.DataFrame:
    """Spearman rank correlation of every input with the objective and the front miles."""
    solved = table[table["objective"].notna()]
    rows = []
    for path in paths:
        row: dict[str, Any] = {"input": path}
        for figure in ("objective", "front_miles_covered"):
            x = pd.to_numeric(solved[path])
            y = pd.to_numeric(solved[figure])
            if len(solved) < 3 or x.nunique() < 2 or y.nunique() < 2:
                row[f"rho_{figure}"] = 0.0
            else:
                row[f"rho_{figure}"] = float(x.corr(y, method="spearman"))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["input", "rho_objective", "rho_front_miles_covered"])
    order = frame["rho_objective"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


__all__ = [
    "DISTRIBUTIONS",
    "MonteCarlo",
    "MonteCarloMismatch",
    "cases",
    "draw",
    "inputs_of",
    "read_table",
    "run_montecarlo",
]
