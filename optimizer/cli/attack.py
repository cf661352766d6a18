"""posture attack: the worst strikes on bases, ports or ships, and the posture robust to them."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from optimizer.cli.analysis_options import analysis_options, publish_analysis
from optimizer.cli.choices import ATTACK_METHODS
from optimizer.cli.common import EXIT_USAGE, CommandFailure, guarded, make_options
from optimizer.cli.sweep import check_executor

if TYPE_CHECKING:
    from optimizer.analysis.attack import Attack


@click.command()
@click.argument("instance_file", type=click.Path(dir_okay=False))
@click.option(
    "--bases",
    "bases_k",
    type=click.IntRange(min=1),
    default=None,
    help="Strikes of k = 1..K bases or ports (a struck base loses its whole capacity).",
)
@click.option(
    "--ships",
    "ships_k",
    type=click.IntRange(min=1),
    default=None,
    help="Strikes of k = 1..K escort ships (one unit fewer in its pool each).",
)
@click.option(
    "--method",
    type=click.Choice(ATTACK_METHODS),
    default="cutting-planes",
    show_default=True,
    help="Exact method: attacker-defender cutting planes, or enumeration of every k-strike.",
)
@click.option(
    "--check-up-to",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Also enumerate every k-strike for k up to this, as the reference the cutting planes "
    "must agree with.",
)
@click.option(
    "--max-iterations",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Cutting-plane iterations per k before stopping unproven.",
)
@click.option(
    "--robust",
    is_flag=True,
    help="Also the plan that keeps the most under the worst k-strike of bases, with no "
    "re-basing after the strike, beside the nominal plan (price of robustness).",
)
@analysis_options
@guarded
def attack_command(
    instance_file: str,
    bases_k: int | None,
    ships_k: int | None,
    method: str,
    check_up_to: int,
    max_iterations: int,
    robust: bool,
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
    """The attacker's best strike on INSTANCE_FILE for k = 1..K, after which the coalition
    re-plans optimally: the critical set, the coverage left (points, front miles, airspace and
    sea points), the re-plan, time and whether it is proven. Writes
    results/attack-<name>-<time>/ (worst.csv, replan_k<k>.csv, attack.json, summary.md)."""
    if (bases_k is None) == (ships_k is None):
        raise CommandFailure("error: give exactly one of --bases K or --ships K", EXIT_USAGE)
    kind, k = ("bases", bases_k) if bases_k is not None else ("ships", ships_k)
    assert k is not None
    check_executor(scheduler)
    options = make_options(time_limit, gap, threads, seed)
    from optimizer.analysis.attack import attack  # the analysis package: when run, not --help
    from optimizer.analysis.batch import base_of

    base = base_of(instance_file, solver.lower(), options, sets)
    began = time.perf_counter()
    try:
        result = attack(
            base,
            kind=kind,
            k_max=k,
            method=method,
            check_up_to=check_up_to,
            jobs=jobs,
            scheduler=scheduler,
            max_iterations=max_iterations,
            robust=robust,
        )
    except ValueError as exc:
        raise CommandFailure(f"error: {exc}", EXIT_USAGE) from None
    wall = time.perf_counter() - began
    instance = base.instance()
    tables = {"worst": result.worst}
    tables |= {f"replan_k{k}": table for k, table in result.replans.items()}
    tables |= result.robust_tables
    publish_analysis(
        "attack",
        result.as_dict(),
        summary(result, instance.name, wall),
        tables,
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


def summary(result: Attack, name: str, wall: float) -> str:
    from optimizer.analysis.attack import MEANING
    from optimizer.analysis.robust import KEEP_RULE
    from optimizer.analysis.tables import to_markdown

    nominal = result.nominal
    lines = [
        f"# Worst strikes on {result.kind}: {name}",
        "",
        f"What a strike does: {MEANING[result.kind]}.",
        f"No strike: objective {nominal.get('objective'):.6g} points, front miles "
        f"{nominal.get('front_miles_covered'):.6g}, airspace points "
        f"{nominal.get('air_points'):.6g}, sea points {nominal.get('sea_points'):.6g}.",
        f"{len(result.targets)} targets; {result.solves} re-plans solved; {wall:.1f} s.",
        "",
        to_markdown(result.worst),
    ]
    if result.agreement:
        agree = all(a["agree"] for a in result.agreement)
        ks = ", ".join(str(a["k"]) for a in result.agreement)
        lines += ["", f"Cutting planes and enumeration agree for k = {ks}: {agree}."]
    if result.robust is not None:
        lines += [
            "",
            "## Robust posture (no re-basing after the strike)",
            "",
            f"What a plan keeps: {KEEP_RULE}.",
            "",
            to_markdown(result.robust_tables["robust"]),
        ]
    return "\n".join(lines)
