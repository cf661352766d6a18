"""posture tradeoff: the Pareto frontier of two kinds of coverage, and coverage against budget."""

from __future__ import annotations

import time

import click

from optimizer.cli.analysis_options import analysis_options, publish_analysis
from optimizer.cli.choices import TRADEOFF_KINDS as KINDS
from optimizer.cli.common import EXIT_USAGE, CommandFailure, guarded, make_options
from optimizer.cli.sweep import check_executor


@click.command()
@click.argument("instance_file", type=click.Path(dir_okay=False))
@click.option(
    "--axes",
    default="front,air",
    show_default=True,
    help=f"Two kinds of sector to trade, from {', '.join(KINDS)} (the third is maximised last).",
)
@click.option(
    "--points",
    "steps",
    type=click.IntRange(min=2, max=101),
    default=9,
    show_default=True,
    help="ε-constraint points of the frontier, ends included (repeated points are kept once).",
)
@click.option(
    "--budget-points",
    type=click.IntRange(min=2, max=101),
    default=9,
    show_default=True,
    help="Budgets from 0 to the cost of the unconstrained optimum.",
)
@analysis_options
@guarded
def tradeoff_command(
    instance_file: str,
    axes: str,
    steps: int,
    budget_points: int,
    sets: tuple[str, ...],
    solver: str,
    time_limit: float | None,
    gap: float,
    threads: int,
    seed: int,
    jobs: int,
    scheduler: str | None,
    out_dir: str,
    name: str | None,
    no_write: bool,
    as_json: bool,
) -> None:
    """The Pareto frontier of INSTANCE_FILE's coverage of two kinds of sector (front, air,
    sea; in objective points) by the ε-constraint method, every point a proven lexicographic
    solve, and the objective against the budget. Writes results/tradeoff-<name>-<time>/
    (frontier.csv, budget.csv, tradeoff.json, summary.md)."""
    pair = tuple(a.strip() for a in axes.split(","))
    if len(pair) != 2 or len(set(pair)) != 2 or not set(pair) <= set(KINDS):
        raise CommandFailure(f"error: --axes expects two of {', '.join(KINDS)}", EXIT_USAGE)
    from optimizer.analysis.batch import base_of  # the analysis package: when run, not --help
    from optimizer.analysis.tables import to_markdown
    from optimizer.analysis.tradeoff import tradeoff

    check_executor(scheduler)
    base = base_of(
        instance_file, solver.lower(), make_options(time_limit, gap, threads, seed), sets
    )
    began = time.perf_counter()
    result = tradeoff(
        base,
        axes=(pair[0], pair[1]),
        steps=steps,
        budget_steps=budget_points,
        jobs=jobs,
        scheduler=scheduler,
    )
    wall = time.perf_counter() - began
    instance = base.instance()
    text = "\n".join(
        [
            f"# Trade-offs: {instance.name}",
            "",
            f"## Pareto frontier, {pair[0]} points against {pair[1]} points (ε-constraint)",
            "",
            to_markdown(result.frontier),
            "",
            "## Objective against budget (re-optimised)",
            "",
            to_markdown(result.budget),
            "",
            f"{wall:.1f} s.",
        ]
    )
    publish_analysis(
        "tradeoff",
        result.as_dict(),
        text,
        {"frontier": result.frontier, "budget": result.budget},
        instance_name=instance.name,
        instance_file=str(instance_file),
        sets=sets,
        solver=solver,
        jobs=jobs,
        wall=wall,
        out_dir=out_dir,
        name=name,
        no_write=no_write,
        as_json=as_json,
    )
