"""posture verify: check a saved plan against an instance, independently of the model code."""

from __future__ import annotations

import json

import click

from optimizer.cli.choices import FORMATS
from optimizer.cli.common import EXIT_FAIL, guarded, scenario_options, scenario_overrides


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="[INSTANCE] RUN_DIR")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a field of INSTANCE, as given to solve (repeatable).",
)
@scenario_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Format of INSTANCE (default: inferred from its name).",
)
@click.option("--radius", type=click.FloatRange(min=0), default=None, help="MCLP radius S.")
@click.option("--stations", type=click.IntRange(min=0), default=None, help="MCLP sites p.")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as one JSON object.")
@guarded
def verify(
    paths: tuple[str, ...],
    sets: tuple[str, ...],
    objective: str | None,
    mode: str | None,
    fmt: str | None,
    radius: float | None,
    stations: int | None,
    as_json: bool,
) -> None:
    """Check RUN_DIR's plan.csv against INSTANCE (default: the run's own instance.json).

    Recomputes the admissibility of every row (capability, base, range C3, US level C7,
    politics C9, straits C10), the sums C1, C2, C4, C8, C9, C10, C11, the O2 targets, the
    coverage of every sector and the objective, and reports each violation with its size.
    Exit code 0 when the plan is feasible and its objective matches run.json (within 1e-6),
    1 otherwise, 2 for bad input.
    """
    from optimizer.check import verify_run  # the checker and the readers: when run, not --help

    if len(paths) > 2:
        raise click.UsageError("expected [INSTANCE] RUN_DIR: at most two paths")
    run_dir = paths[-1]
    instance = None
    overrides = scenario_overrides(objective, mode, sets)
    if len(paths) == 2:
        from optimizer.instance.formats import FormatUsage, load_any

        try:
            instance = load_any(paths[0], fmt, radius, stations, overrides)
        except FormatUsage as exc:
            raise click.UsageError(str(exc)) from None
    elif overrides or fmt or radius is not None or stations is not None:
        raise click.UsageError(
            "--set, --objective, --mode, --format, --radius and --stations need an INSTANCE"
        )
    report = verify_run(instance, run_dir)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(report.text())
    if not report.ok:
        raise SystemExit(EXIT_FAIL)
