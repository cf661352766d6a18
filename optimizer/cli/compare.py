"""posture compare: two runs' (or two sweeps') tables side by side, with differences."""

from __future__ import annotations

import click

from optimizer.analysis import compare as comparison
from optimizer.analysis.compare_folder import render, write_compare
from optimizer.cli.common import EXIT_USAGE, CommandFailure, guarded


@click.command("compare")
@click.argument("run_a", type=click.Path(exists=True))
@click.argument("run_b", type=click.Path(exists=True))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Also write the tables as CSV (and compare.md) into this new folder "
    "(DIR-2, DIR-3 ... if it exists).",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0),
    default=1e-9,
    show_default=True,
    help="Smaller changes count as no change.",
)
@guarded
def compare(run_a: str, run_b: str, out_dir: str | None, tolerance: float) -> None:
    """Compare RUN_A and RUN_B: solve run folders (summary, sectors, pools, bases) or sweep
    tables (a sweep folder or its cases.csv). Differences are B - A. Markdown to the terminal.
    """
    try:
        a, b = comparison.load(run_a), comparison.load(run_b)
        tables = comparison.compare(a, b, tolerance)
    except comparison.CompareError as exc:
        raise CommandFailure(f"error: {exc}", EXIT_USAGE) from None
    text = render(a.label, b.label, tables)
    click.echo(text)
    if out_dir is not None:
        written = write_compare(out_dir, tables, text)
        click.echo(f"\ntables      {written}")
