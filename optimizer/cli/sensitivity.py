"""posture sensitivity: the standard tables S1-S4 for one instance, in one run folder."""

from __future__ import annotations

from pathlib import Path

import click

from optimizer.cli.choices import SENSITIVITY_TABLES
from optimizer.cli.common import EXIT_USAGE, CommandFailure, guarded, make_options, solver_options
from optimizer.cli.outputs import writable_folder
from optimizer.cli.sweep import check_executor, executor_options, progress_wanted


@click.command()
@click.argument("instance_file", type=click.Path(dir_okay=False))
@click.option(
    "--table",
    "tables",
    multiple=True,
    type=click.Choice(SENSITIVITY_TABLES),
    help="Only these tables (repeatable; default all).",
)
@click.option(
    "--switch",
    "switches",
    multiple=True,
    metavar="PATH=VALUE",
    help="S3: a scenario switch to compare with the baseline, e.g. "
    "--switch scenario.constraints.C8=false or --switch scenario.coverage_mode=threshold.",
)
@click.option(
    "--tornado",
    multiple=True,
    metavar="PATH=LOW,HIGH",
    help="S4: a numeric field and its low and high values, e.g. "
    "--tornado pools.UK-Typhoon.units=6,24 (repeatable). Default: every range of the "
    "instance's uncertainty: section.",
)
@click.option(
    "--force-steps",
    type=click.IntRange(min=1, max=100),
    default=6,
    show_default=True,
    help="S4: steps of the force curve from 0 to 150 % of every pool's whole stations.",
)
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE", help="Fixed override.")
@solver_options
@executor_options
@click.option("--out", "out_dir", default="results", show_default=True, help="Parent folder.")
@click.option("--no-write", is_flag=True, help="Do not write a run folder.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with every table.")
@guarded
def sensitivity(
    instance_file: str,
    tables: tuple[str, ...],
    switches: tuple[str, ...],
    tornado: tuple[str, ...],
    force_steps: int,
    sets: tuple[str, ...],
    solver: str,
    time_limit: float | None,
    gap: float,
    threads: int,
    seed: int,
    jobs: int,
    scheduler: str | None,
    chain_length: int,
    out_dir: str,
    no_write: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Solve the cases behind S1 (US participation), S2 (marginal value of each pool),
    S3 (straits and switches) and S4 (tornado, coverage versus force) for INSTANCE_FILE; print
    them as Markdown and write each as CSV and Markdown into results/sensitivity-<name>-<time>/.
    """
    # the analysis package: when the command runs, not for --help
    from optimizer.analysis.cases import load_base
    from optimizer.analysis.params import ParameterError, parse_pair, split_item
    from optimizer.analysis.sensitivity import TABLES, Request, analyse
    from optimizer.analysis.sensitivity_folder import json_view, markdown_report, write_sensitivity
    from optimizer.results import to_json

    try:
        for item in switches:
            split_item(item, "PATH=VALUE")
        request = Request(
            tables=tuple(t for t in TABLES if t in tables) if tables else TABLES,
            switches=switches,
            tornado=tuple(parse_pair(item) for item in tornado) or None,
            force_steps=force_steps,
        )
    except ParameterError as exc:
        raise CommandFailure(f"error: {exc}", EXIT_USAGE) from None
    check_executor(scheduler)
    if not no_write:
        writable_folder(out_dir)
    base = load_base(
        instance_file, solver.lower(), make_options(time_limit, gap, threads, seed), sets
    )
    result = analyse(
        base,
        request,
        jobs=jobs,
        scheduler=scheduler,
        chain_length=chain_length,
        progress=progress_wanted(quiet),
    )
    run_dir = None if no_write else write_sensitivity(result, Path(out_dir))
    if as_json:
        click.echo(to_json(json_view(result, run_dir)))
        return
    click.echo(markdown_report(result))
    if run_dir is not None:
        click.echo(f"\nrun folder  {run_dir}")
