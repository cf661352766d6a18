"""posture bench: the benchmark suites against known optima (SPEC 7)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from optimizer.bench.runner import BadBenchmark, Row
from optimizer.bench.session import (
    RecordRefused,
    default_data_dir,
    default_instances_dir,
    run_bench,
)
from optimizer.bench.suites import DEFAULT_SUITES, SUITES
from optimizer.bench.table import summary_text, table_text
from optimizer.cli.common import EXIT_FAIL, EXIT_USAGE, CommandFailure, FiniteFloat, guarded
from optimizer.cli.outputs import writable_folder
from optimizer.solvers import SOLVER_CHOICES, get_backend
from optimizer.solvers.base import MAX_THREADS, MAX_TIME_LIMIT


@click.command()
@click.option(
    "--suite",
    "suites",
    multiple=True,
    type=click.Choice(SUITES),
    help="Suite to run (repeatable; default: orlib, mclp and posture).",
)
@click.option("--quick", is_flag=True, help="Only the quick tier: sets 4 and E, Swain, SJC324.")
@click.option(
    "--solver",
    "solvers",
    multiple=True,
    type=click.Choice(SOLVER_CHOICES, case_sensitive=False),
    help="Backend (repeatable; default highs); portfolio races them (use --jobs 1 with it).",
)
@click.option(
    "--time-limit",
    type=FiniteFloat(0.0, MAX_TIME_LIMIT, low_open=True),
    default=None,
    help="Seconds per instance (orlib-hard: 60 unless given).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=MAX_THREADS),
    default=1,
    show_default=True,
    help="Instances solved in parallel (processes).",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Public benchmark folder [default: {default_data_dir()}].",
)
@click.option(
    "--instances",
    "instances_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of posture instances and expected.csv [default: instances/ of the repo].",
)
@click.option(
    "--out",
    "out_dir",
    default="results/bench",
    show_default=True,
    help="Folder that receives the table (CSV).",
)
@click.option("--record", is_flag=True, help="Rewrite instances/expected.csv from this run.")
@click.option("--keep-runs", is_flag=True, help="Keep every run folder under OUT/runs.")
@guarded
def bench(
    suites: tuple[str, ...],
    quick: bool,
    solvers: tuple[str, ...],
    time_limit: float | None,
    jobs: int,
    data_dir: Path | None,
    instances_dir: Path | None,
    out_dir: str,
    record: bool,
    keep_runs: bool,
) -> None:
    """Solve benchmark instances, verify every plan and compare with the known values.

    Prints a table (instance, known value, found value, status, bound, gap, seconds, verdict)
    and totals per set and backend, and writes the table as CSV under OUT. Exit code 1 when an
    instance with a proven optimum is not solved to it, a posture instance drifts from its
    recorded value or a plan fails verification; 2 when the data cannot be read.
    """
    suites = suites or DEFAULT_SUITES
    solvers = tuple(s.lower() for s in solvers) or ("highs",)
    for name in solvers:
        if name != "portfolio":
            get_backend(name)  # unknown or missing backend: exit 2 before any work
    writable_folder(out_dir)  # the table is written after every case: check the place first
    if record:
        writable_folder(instances_dir or default_instances_dir(), "--instances")
    began = time.perf_counter()
    try:
        result = run_bench(
            suites,
            solvers,
            data_dir=data_dir,
            instances_dir=instances_dir,
            quick=quick,
            jobs=jobs,
            time_limit=time_limit,
            out_dir=Path(out_dir),
            record=record,
            keep_runs=keep_runs,
            progress=_progress,
        )
    except BadBenchmark as exc:
        raise CommandFailure(f"error: {exc}", EXIT_USAGE) from None
    except RecordRefused as exc:
        raise CommandFailure(f"error: {exc}", EXIT_FAIL) from None
    if not result.rows:
        click.echo("no benchmark instances selected")
    else:
        click.echo(table_text(result.rows))
        click.echo("")
        click.echo(summary_text(result.rows))
    if "posture" in suites and not any(r.suite == "posture" for r in result.rows):
        click.echo("note: no posture instances found (instances/*.yaml)")
    unrecorded = [r.instance for r in result.rows if r.suite == "posture" and r.known is None]
    if unrecorded:
        click.echo(f"note: no recorded value for {', '.join(unrecorded)} (record with --record)")
    if result.recorded is not None:
        click.echo(f"recorded  {result.recorded}")
    click.echo(f"elapsed   {time.perf_counter() - began:.1f} s wall clock, {jobs} job(s)")
    if result.table is not None:
        click.echo(f"table     {result.table}")
    if result.failed:
        failed = sum(r.failed for r in result.rows)
        raise CommandFailure(f"bench: {failed} of {len(result.rows)} failed", EXIT_FAIL)


def _progress(row: Row, done: int, total: int) -> None:
    width = len(str(total))
    click.echo(
        f"[{done:>{width}}/{total}] {row.suite:<10} {row.instance:<18} {row.solver:<7} "
        f"{row.verdict:<8} {row.seconds:7.2f} s",
        err=True,
    )
