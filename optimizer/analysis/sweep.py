"""Sweeps (SPEC 5, S4/S5): a grid or one-at-a-time set of cases over any instance fields.

The result is one tidy table, one row per case: the case index, every varied value, then the
figures of :data:`optimizer.analysis.cases.METRICS`. Rows are appended to the sweep folder as
cases finish; an interrupted sweep keeps them and :func:`run_sweep` with ``resume`` finishes
the rest (cases whose index and parameters are already in the table are skipped).
"""

from __future__ import annotations

import contextlib
import itertools
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

import optimizer
from optimizer.analysis.cases import METRICS, Case, CaseBase, load_base
from optimizer.analysis.executors import DEFAULT_CHAIN, execute, make_chains
from optimizer.analysis.params import Vary
from optimizer.analysis.sweepdir import SweepFolder, matches, read_spec
from optimizer.instance.reader import InstanceError, content_hash
from optimizer.solvers import SolverOptions

BASELINE = "(baseline)"
CHECKED_VALUES = 20  # values of each --vary tried before the sweep starts


class SweepInterrupted(Exception):
    """Ctrl-C or SIGTERM during a sweep; the finished rows are in ``folder``."""

    def __init__(self, folder: Path, finished: int, total: int) -> None:
        super().__init__(f"interrupted: {finished} of {total} cases kept in {folder}")
        self.folder, self.finished, self.total = folder, finished, total


class SweepMismatch(ValueError):
    """--resume of a folder whose sweep differs from the one asked for (exit code 2)."""


@dataclass(frozen=True)
class SweepResult:
    folder: Path
    table: pd.DataFrame
    ran: int  # cases solved in this call
    skipped: int  # cases already in the folder (resume)


def sweep_cases(varies: tuple[Vary, ...], one_at_a_time: bool = False) -> list[Case]:
    """The full grid (last field fastest), or each field alone around the base instance."""
    if one_at_a_time:
        cases = [Case(0, (), BASELINE, {"varied": BASELINE} | {v.path: "" for v in varies})]
        for vary in varies:
            for value in vary.values:
                params = {"varied": vary.path} | {v.path: "" for v in varies} | {vary.path: value}
                cases.append(Case(len(cases), (vary.change(value),), vary.path, params))
        return cases
    grid = itertools.product(*(v.values for v in varies))
    return [
        Case(i, tuple(v.change(x) for v, x in zip(varies, values, strict=True)), "", params)
        for i, values in enumerate(grid)
        for params in [{v.path: x for v, x in zip(varies, values, strict=True)}]
    ]


def table_columns(varies: tuple[Vary, ...], one_at_a_time: bool) -> list[str]:
    head = ["case", "varied"] if one_at_a_time else ["case"]
    return [*head, *(v.path for v in varies), *METRICS]


def check_paths(base: CaseBase, varies: tuple[Vary, ...]) -> None:
    """A misspelt path fails now (InstanceError, exit 2), not as N invalid rows: each field
    needs a valid instance among its first values (the invalid ones become invalid rows)."""
    for vary in varies:
        first: InstanceError | None = None
        for value in vary.values[:CHECKED_VALUES]:
            try:
                base.instance((vary.change(value),))
            except InstanceError as exc:
                first = first or exc
                continue
            first = None
            break
        if first is not None:
            where = "--vary" if first.file == "--set" else first.file
            raise InstanceError(where, first.path, first.message)


def sweep_spec(base: CaseBase, varies: tuple[Vary, ...], one_at_a_time: bool, chain: int) -> dict:
    instance = base.instance()
    return {
        "kind": "posture-sweep",
        "instance_file": str(base.path.resolve()) if base.path is not None else None,
        "instance": instance.name,
        "instance_hash": content_hash(instance),
        "fixed": [str(change) for change in base.fixed],
        "varies": [{"path": v.path, "values": list(v.values)} for v in varies],
        "one_at_a_time": one_at_a_time,
        "solver": base.solver,
        "options": base.options.as_dict(),
        "chain_length": chain,
        "package_version": optimizer.__version__,
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def base_from_spec(spec: dict[str, Any]) -> tuple[CaseBase, tuple[Vary, ...], bool, int]:
    """Rebuild what a stored sweep needs to continue; the instance must be unchanged."""
    if spec.get("instance_file") is None:
        raise SweepMismatch("this sweep was of an instance held in memory: it cannot be resumed")
    opts = spec["options"]
    options = SolverOptions(
        time_limit=opts.get("time_limit"),
        gap=float(opts.get("gap", 1e-6)),
        threads=int(opts.get("threads", 1)),
        seed=int(opts.get("seed", 0)),
        warm_start=bool(opts.get("warm_start", True)),
    )
    base = load_base(spec["instance_file"], spec["solver"], options, tuple(spec["fixed"]))
    if content_hash(base.instance()) != spec["instance_hash"]:
        raise SweepMismatch(
            f"{spec['instance_file']} changed since the sweep started (content hash differs)"
        )
    varies = tuple(Vary(v["path"], tuple(v["values"])) for v in spec["varies"])
    return base, varies, bool(spec["one_at_a_time"]), int(spec["chain_length"])


def run_sweep(
    base: CaseBase | None,
    varies: tuple[Vary, ...] = (),
    *,
    one_at_a_time: bool = False,
    results_dir: str | Path = "results",
    name: str | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    chain_length: int = DEFAULT_CHAIN,
    resume: str | Path | None = None,
    progress: bool = False,
    on_row: Any = None,
) -> SweepResult:
    """Run (or, with ``resume``, finish) a sweep; rows reach the folder as cases finish.

    ``base`` may be None when resuming (the stored sweep says what to run). ``on_row`` is
    called with each finished CaseResult after it is written (tests use it to interrupt).
    """
    if resume is not None:
        folder_path = Path(resume)
        spec = read_spec(folder_path)
        stored_base, stored_varies, stored_oat, chain_length = base_from_spec(spec)
        if base is not None and varies and (stored_varies != varies or stored_oat != one_at_a_time):
            raise SweepMismatch(f"{folder_path}: the stored sweep varies other fields or values")
        if base is not None and content_hash(base.instance()) != spec["instance_hash"]:
            raise SweepMismatch(f"{folder_path}: the sweep was of another instance or --set")
        base, varies, one_at_a_time = stored_base, stored_varies, stored_oat
        folder = SweepFolder.open(folder_path)
    else:
        if base is None or not varies:
            raise ValueError("a new sweep needs an instance and at least one --vary")
        check_paths(base, varies)
        spec = sweep_spec(base, varies, one_at_a_time, chain_length)
        columns = table_columns(varies, one_at_a_time)
        label = name or str(spec["instance"])
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        folder = SweepFolder.create(Path(results_dir), f"{label}-{stamp}", spec, columns)
    cases = sweep_cases(varies, one_at_a_time)
    done = _finished(folder, cases)
    plans = folder.plans()
    chains = make_chains(cases, {i: plans.get(i) for i in done}, chain_length)
    by_index = {case.index: case for case in cases}
    finished = len(done)
    bar = tqdm(
        total=len(cases),
        initial=finished,
        unit="case",
        desc="sweep",
        disable=not progress,
        file=sys.stderr,
        dynamic_ncols=True,
    )
    folder.set_state("running", total_cases=len(cases))
    try:
        with bar, contextlib.closing(execute(base, chains, jobs, scheduler)) as results:
            for result in results:
                folder.append(result, by_index[result.index].params)
                finished += 1
                bar.update(1)
                if on_row is not None:
                    on_row(result)
    except KeyboardInterrupt:
        finished = len(_finished(folder, cases))  # rows on disk, whatever the signal cut short
        folder.set_state("interrupted", finished_cases=finished)
        raise SweepInterrupted(folder.path, finished, len(cases)) from None
    table = folder.finalize({case.index: case.params for case in cases})
    folder.set_state("complete", finished_cases=len(table))
    return SweepResult(folder.path, table, len(cases) - len(done), len(done))


def _finished(folder: SweepFolder, cases: list[Case]) -> set[int]:
    """Indices of cases whose index and parameters are already in the folder's table."""
    expected = {case.index: case.params for case in cases}
    return {
        int(record["case"])
        for record in folder.rows().to_dict("records")
        if matches(record, expected)
    }
