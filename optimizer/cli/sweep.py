"""posture sweep: solve a grid (or one-at-a-time set) of variants, one table row per case."""

from __future__ import annotations

import sys

import click

from optimizer.cli.choices import DEFAULT_CHAIN
from optimizer.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CommandFailure,
    guarded,
    make_options,
    solver_options,
)
from optimizer.cli.outputs import writable_folder
from optimizer.solvers.base import MAX_THREADS

SHOWN = 40  # rows printed to the terminal; the CSV always has them all
BRIEF = ("status", "objective", "gap", "front_miles_covered", "air_coverage", "sea_coverage")


MAX_CASES = 100_000  # a sweep's grid is capped at this many cases (analysis.params.MAX_VALUES)


def executor_options(func):
    """--jobs, --scheduler and --chain-length, shared by sweep and sensitivity."""
    func = click.option(
        "--chain-length",
        type=click.IntRange(min=1, max=MAX_CASES),
        default=DEFAULT_CHAIN,
        show_default=True,
        help="Cases per warm-start chain (fixed blocks, so results do not depend on --jobs or "
        "--scheduler); 1 solves every case cold, exactly as posture solve would.",
    )(func)
    func = click.option(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="Run the cases on this Dask distributed scheduler (e.g. tcp://host:8786).",
    )(func)
    func = click.option(
        "--jobs",
        type=click.IntRange(min=1, max=MAX_THREADS),
        default=1,
        show_default=True,
        help="Solve cases in this many local worker processes.",
    )(func)
    return func


def check_executor(scheduler: str | None) -> None:
    """A Dask scheduler that does not answer is bad usage (exit 2), found before any work."""
    if scheduler:
        from optimizer.analysis.executors import SchedulerUnavailable, check_scheduler

        try:
            check_scheduler(scheduler)
        except SchedulerUnavailable as exc:
            raise CommandFailure(f"error: {exc}", EXIT_USAGE) from None


def progress_wanted(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


@click.command()
@click.argument("instance_file", type=click.Path(dir_okay=False), required=False)
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="PATH=VALUES",
    help="A field and its values: a range start:stop[:step] (stop included) or a comma list, "
    "e.g. --vary pools.UK-Typhoon.units=0:24:6 --vary scenario.straits=montreux,closed. "
    "Several --vary form the full grid.",
)
@click.option(
    "--one-at-a-time", is_flag=True, help="Vary each field alone around the instance instead."
)
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE", help="Fixed override.")
@solver_options
@executor_options
@click.option(
    "--resume",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="Finish the sweep in this folder (skips the cases already in its cases.csv).",
)
@click.option("--out", "out_dir", default="results", show_default=True, help="Parent folder.")
@click.option("--name", default=None, help="Sweep folder name (default: the instance name).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@guarded
def sweep(
    instance_file: str | None,
    varies: tuple[str, ...],
    one_at_a_time: bool,
    sets: tuple[str, ...],
    solver: str,
    time_limit: float | None,
    gap: float,
    threads: int,
    seed: int,
    jobs: int,
    scheduler: str | None,
    chain_length: int,
    resume: str | None,
    out_dir: str,
    name: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Solve INSTANCE_FILE once per case and write one tidy table (cases.csv) into
    results/sweep-<name>/, row by row as cases finish.

    Ctrl-C keeps the finished rows (exit 130); --resume FOLDER completes them. With a time
    limit, results may depend on machine load; without one, --jobs and --scheduler give the
    same table (all but the *_seconds columns).
    """
    # the analysis package: when the command runs, not for --help
    from optimizer.analysis.cases import METRICS, load_base
    from optimizer.analysis.params import ParameterError, check_distinct, parse_vary
    from optimizer.analysis.sweep import SweepInterrupted, SweepMismatch, run_sweep
    from optimizer.analysis.tables import records, to_markdown
    from optimizer.results import to_json

    try:
        parsed = tuple(parse_vary(item) for item in varies)
    except ParameterError as exc:
        raise CommandFailure(f"error: --vary {exc}", EXIT_USAGE) from None
    if resume is None and (instance_file is None or not parsed):
        raise CommandFailure("error: give INSTANCE_FILE and at least one --vary", EXIT_USAGE)
    check_executor(scheduler)
    writable_folder(out_dir)
    base = None
    if instance_file is not None:
        options = make_options(time_limit, gap, threads, seed)
        base = load_base(instance_file, solver.lower(), options, sets)
        try:
            check_distinct(parsed, base.raw)
        except ParameterError as exc:
            raise CommandFailure(f"error: --vary {exc}", EXIT_USAGE) from None
    try:
        result = run_sweep(
            base,
            parsed,
            one_at_a_time=one_at_a_time,
            results_dir=out_dir,
            name=name,
            jobs=jobs,
            scheduler=scheduler,
            chain_length=chain_length,
            resume=resume,
            progress=progress_wanted(quiet),
        )
    except SweepInterrupted as exc:
        raise CommandFailure(
            f"{exc}; resume with: posture sweep --resume {exc.folder}", EXIT_INTERRUPTED
        ) from None
    except (SweepMismatch, FileNotFoundError) as exc:
        raise CommandFailure(f"error: {exc}", EXIT_USAGE) from None
    table = result.table
    counts = table["status"].value_counts().to_dict()
    if as_json:
        payload = {
            "sweep_dir": str(result.folder),
            "table": str(result.folder / "cases.csv"),
            "cases": len(table),
            "solved_now": result.ran,
            "resumed_from": result.skipped,
            "statuses": counts,
            "rows": records(table),
        }
        click.echo(to_json(payload))
        return
    params = [c for c in table.columns if c != "case" and c not in METRICS]
    shown = table[["case", *params, *BRIEF]]
    click.echo(to_markdown(shown.head(SHOWN)))
    if len(table) > SHOWN:
        click.echo(f"... {len(table) - SHOWN} more rows in the table")
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    resumed = f" ({result.skipped} kept from before)" if result.skipped else ""
    click.echo(f"{len(table)} cases{resumed}: {statuses}")
    click.echo(f"table       {result.folder / 'cases.csv'}")
