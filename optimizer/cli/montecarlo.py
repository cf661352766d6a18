"""posture montecarlo: coverage as a distribution over the instance's uncertainty ranges."""

from __future__ import annotations

import time

import click

from optimizer.cli.choices import DISTRIBUTIONS
from optimizer.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CommandFailure,
    guarded,
    make_options,
    solver_options,
)
from optimizer.cli.outputs import writable_folder
from optimizer.cli.sweep import check_executor, progress_wanted


@click.command()
@click.argument("instance_file", type=click.Path(dir_okay=False), required=False)
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Draws of the uncertain inputs.",
)
@click.option("--sample-seed", type=int, default=0, show_default=True, help="Seed of the draws.")
@click.option(
    "--distribution",
    type=click.Choice(DISTRIBUTIONS),
    default="uniform",
    show_default=True,
    help="uniform on [low, high], or triangular with the range's mode (else the nominal value).",
)
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE", help="Fixed override.")
@solver_options
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Solve draws in this many local worker processes.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Solve draws on this Dask distributed scheduler.",
)
@click.option(
    "--resume",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="Finish the Monte Carlo run in this folder (draws already solved are kept).",
)
@click.option("--out", "out_dir", default="results", show_default=True, help="Parent folder.")
@click.option("--name", default=None, help="Folder name (default: the instance name).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@guarded
def montecarlo_command(
    instance_file: str | None,
    samples: int,
    sample_seed: int,
    distribution: str,
    sets: tuple[str, ...],
    solver: str,
    time_limit: float | None,
    gap: float,
    threads: int,
    seed: int,
    jobs: int,
    scheduler: str | None,
    resume: str | None,
    out_dir: str,
    name: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Draw INSTANCE_FILE's uncertain inputs (its uncertainty: ranges) --samples times, solve
    every draw, and report P10/P50/P90 of each headline figure and the inputs that correlate
    most with the outcome. Seeded and reproducible; Ctrl-C keeps the finished draws and
    --resume FOLDER completes them. Writes results/montecarlo-<name>-<time>/ (samples.csv,
    quantiles.csv, correlations.csv, montecarlo.json, summary.md)."""
    if resume is None and instance_file is None:
        raise CommandFailure("error: give INSTANCE_FILE (or --resume FOLDER)", EXIT_USAGE)
    from optimizer.analysis.batch import base_of  # the analysis package: when run, not --help
    from optimizer.analysis.montecarlo import MonteCarloMismatch, run_montecarlo
    from optimizer.analysis.tables import to_markdown
    from optimizer.results import to_json

    check_executor(scheduler)
    if resume is None:
        writable_folder(out_dir)  # before the draws are solved, not after
    base = None
    if instance_file is not None and resume is None:
        base = base_of(
            instance_file, solver.lower(), make_options(time_limit, gap, threads, seed), sets
        )
    began = time.perf_counter()
    try:
        result = run_montecarlo(
            base,
            samples=samples,
            seed=sample_seed,
            distribution=distribution,
            results_dir=out_dir,
            name=name,
            jobs=jobs,
            scheduler=scheduler,
            resume=resume,
            progress=progress_wanted(quiet),
        )
    except KeyboardInterrupt:
        raise CommandFailure(
            "interrupted: finished draws kept; resume with posture montecarlo --resume FOLDER",
            EXIT_INTERRUPTED,
        ) from None
    except (MonteCarloMismatch, FileNotFoundError) as exc:
        raise CommandFailure(f"error: {exc}", EXIT_USAGE) from None
    wall = time.perf_counter() - began
    if as_json:
        click.echo(to_json({**result.record, "folder": str(result.folder), "wall_seconds": wall}))
        return
    click.echo(to_markdown(result.quantiles))
    click.echo("")
    click.echo(to_markdown(result.correlations.head(10)))
    kept = f" ({result.skipped} kept from before)" if result.skipped else ""
    click.echo(f"\n{len(result.samples)} draws{kept}, {result.failed} without a plan; {wall:.1f} s")
    click.echo(f"folder      {result.folder}")
