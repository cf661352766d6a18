"""posture solve: solve one instance, print the summary, write a run folder.

The solve path (reader, model, solvers, report) is imported in the command, not with the
module: ``posture solve --help`` and ``posture --help`` stay light (tests/test_startup.py).
"""

from __future__ import annotations

from dataclasses import replace

import click

from optimizer.cli.choices import FORMATS
from optimizer.cli.common import (
    EXIT_FAIL,
    guarded,
    make_options,
    scenario_options,
    scenario_overrides,
    solver_options,
)
from optimizer.cli.outputs import writable_folder


@click.command()
@click.argument("instance_file", type=click.Path(dir_okay=False))
@solver_options
@scenario_options
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override any field, e.g. --set scenario.us_participation=none "
    "or --set pools.UK-Typhoon.units=30 (repeatable).",
)
@click.option(
    "--out",
    "out_dir",
    default="results",
    show_default=True,
    help="Folder that receives the run folder.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Input format: a posture instance, an OR-Library set covering file or a maximal "
    "covering file (default: inferred from the file name).",
)
@click.option(
    "--radius",
    type=click.FloatRange(min=0),
    default=None,
    help="Maximal covering: coverage distance S (with --format mclp).",
)
@click.option(
    "--stations",
    type=click.IntRange(min=0),
    default=None,
    help="Maximal covering: number of sites p to open (with --format mclp).",
)
@click.option(
    "--us-dependency/--no-us-dependency",
    default=True,
    show_default=True,
    help="Also re-solve without the US at each lower participation level and without each "
    "US capability, for the re-planned losses beside the static one (a few more solves).",
)
@click.option(
    "--reduce/--no-reduce",
    default=True,
    show_default=True,
    help="Root reduction of the primary solve on mid-size models (30,000 to 600,000 "
    "nonzeros): an LP bound, a plan from a small kernel MIP, and reduced-cost fixing of the "
    "columns no plan as good can use (docs/performance.md). Off: the solver gets the model "
    "as built.",
)
@click.option(
    "--name",
    "label",
    default=None,
    metavar="LABEL",
    help="Label of this run: names its folder (<time>-LABEL-<solver>) and its column in "
    "posture compare.",
)
@click.option("--no-write", is_flag=True, help="Do not write a run folder.")
@click.option(
    "--report",
    "with_report",
    is_flag=True,
    help="Also draw the run folder (map, GeoJSON, charts, brief.html), as posture report does.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object (status, objective, bound, gap, coverage, run_dir).",
)
@guarded
def solve(
    instance_file: str,
    solver: str,
    time_limit: float | None,
    gap: float,
    threads: int,
    seed: int,
    objective: str | None,
    mode: str | None,
    sets: tuple[str, ...],
    out_dir: str,
    fmt: str | None,
    radius: float | None,
    stations: int | None,
    us_dependency: bool,
    reduce: bool,
    label: str | None,
    no_write: bool,
    with_report: bool,
    as_json: bool,
) -> None:
    """Solve INSTANCE_FILE and report the coverage of the best plan.

    Exit code 0 when a plan was found (see its status: only `optimal` is proven), 1 when the
    instance is infeasible or no plan was found, 2 for bad input.
    """
    from optimizer.api import solve_instance
    from optimizer.instance.formats import FormatUsage, load_any
    from optimizer.results import to_json

    if with_report and no_write:
        raise click.UsageError("--report draws the run folder: it cannot go with --no-write")
    overrides = scenario_overrides(objective, mode, sets)
    if not no_write:
        writable_folder(out_dir)  # before the solve, not after it
    try:
        instance = load_any(instance_file, fmt, radius, stations, overrides)
    except FormatUsage as exc:
        raise click.UsageError(str(exc)) from None
    run = solve_instance(
        instance,
        solver.lower(),
        replace(make_options(time_limit, gap, threads, seed), reduce=reduce),
        instance_file=instance_file,
        overrides=overrides,
        results_dir=None if no_write else out_dir,
        us_dependency=us_dependency,
        label=label,
    )
    if as_json:
        click.echo(to_json(run.report.json_view(run.run_dir)))
    else:
        click.echo(run.text)
    if run.solution.x is None:  # infeasible (diagnosed above), or no plan within the limit
        sol = run.solution
        why = {"infeasible": "the instance is infeasible (see the diagnosis)"}.get(
            sol.status.value, f"solver {sol.solver} ended '{sol.status.value}': {sol.message}"
        )
        click.echo(f"error: no plan: {why}", err=True)
        raise SystemExit(EXIT_FAIL)
    if with_report and run.run_dir is not None:
        from optimizer.cli.report import print_rendered, render_folder

        print_rendered(render_folder(str(run.run_dir)), err=as_json)
