"""posture contributions: what each nation brings (leave-one-out, Shapley, worst withdrawals)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from optimizer.cli.analysis_options import analysis_options, publish_analysis
from optimizer.cli.choices import BACKSTOP_RULES, EXACT_MAX
from optimizer.cli.common import EXIT_USAGE, CommandFailure, guarded, make_options
from optimizer.cli.sweep import check_executor

if TYPE_CHECKING:
    from optimizer.analysis.contributions import Contributions


@click.command()
@click.argument("instance_file", type=click.Path(dir_okay=False))
@click.option(
    "--backstop",
    type=click.Choice(BACKSTOP_RULES),
    default="us",
    show_default=True,
    help="us: a coalition without the US has no US backstop (us_participation none, so "
    "backstop nations' pools are out); scenario: the scenario's US level holds regardless.",
)
@click.option(
    "--exact-max",
    type=click.IntRange(min=0, max=20),
    default=EXACT_MAX,
    show_default=True,
    help="Exact Shapley values (all 2^n coalitions) up to this many contributing nations; "
    "sampled permutations above.",
)
@click.option(
    "--permutations",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Random orders of the nations when sampling Shapley values.",
)
@click.option("--sample-seed", type=int, default=0, show_default=True, help="Seed of the orders.")
@click.option(
    "--worst",
    "worst_k",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="The k nations whose joint withdrawal hurts most, for k = 1..K.",
)
@click.option(
    "--method",
    type=click.Choice(["cutting-planes", "enumeration"]),
    default="cutting-planes",
    show_default=True,
    help="Exact method for the worst withdrawals.",
)
@analysis_options
@guarded
def contributions_command(
    instance_file: str,
    backstop: str,
    exact_max: int,
    permutations: int,
    sample_seed: int,
    worst_k: int,
    method: str,
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
    """Each nation's contribution to INSTANCE_FILE's objective and front miles, re-optimised:
    leave-one-out by nation and by pool, Shapley values (exact or sampled, with standard
    errors; they add up to v(all) - v(none)), and the k nations whose withdrawal hurts most.
    Writes results/contributions-<name>-<time>/ (shapley.csv, leave_one_out.csv,
    worst_coalitions.csv, contributions.json, summary.md)."""
    from optimizer.analysis.batch import base_of  # the analysis package: when run, not --help
    from optimizer.analysis.contributions import contributions

    check_executor(scheduler)
    options = make_options(time_limit, gap, threads, seed)
    base = base_of(instance_file, solver.lower(), options, sets)
    began = time.perf_counter()
    try:
        result = contributions(
            base,
            backstop=backstop,
            exact_max=exact_max,
            permutations=permutations,
            seed=sample_seed,
            worst_k=worst_k,
            method=method,
            jobs=jobs,
            scheduler=scheduler,
        )
    except ValueError as exc:
        raise CommandFailure(f"error: {exc}", EXIT_USAGE) from None
    wall = time.perf_counter() - began
    instance = base.instance()
    publish_analysis(
        "contributions",
        result.as_dict(),
        summary(result, instance.name, wall),
        {
            "shapley": result.shapley,
            "leave_one_out": result.leave_one_out,
            "worst_coalitions": result.worst,
        },
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


def summary(result: Contributions, name: str, wall: float) -> str:
    from optimizer.analysis.tables import to_markdown

    method = (
        "exact (all coalitions)"
        if result.exact
        else f"sampled, {result.permutations} random orders (seed {result.seed}), ± standard error"
    )
    lines = [
        f"# Contributions: {name}",
        "",
        f"v(all) = {result.v_all:.6g}, v(none) = {result.v_none:.6g} (objective points, "
        f"re-optimised); front miles {result.front_all:.6g} and {result.front_none:.6g}.",
        f"Shapley values: {method}; they add up to {result.shapley['value'].sum():.6g} "
        f"= v(all) - v(none). US backstop rule: {result.backstop}.",
        f"{result.solves} re-optimised solves, {result.unproven} not proven optimal; {wall:.1f} s.",
        "",
        "## Shapley value per nation (objective points; front miles)",
        "",
        to_markdown(result.shapley),
        "",
        "## Worst withdrawals (the k nations whose joint withdrawal hurts most)",
        "",
        to_markdown(result.worst),
        "",
        "## Leave one out (re-optimised loss)",
        "",
        to_markdown(result.leave_one_out.sort_values("loss", ascending=False)),
    ]
    return "\n".join(lines)
