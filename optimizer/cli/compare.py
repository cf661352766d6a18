"""posture compare: any number of runs side by side (or two sweeps), with differences."""

from __future__ import annotations

from pathlib import Path

import click

from optimizer.cli.common import EXIT_USAGE, CommandFailure, FiniteFloat, guarded
from optimizer.cli.outputs import writable_folder


@click.command("compare")
@click.argument("runs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--label",
    "labels",
    multiple=True,
    metavar="TEXT",
    help="Label of the next run, in order (repeatable; default: the run's --name, else its "
    "folder name).",
)
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
    type=FiniteFloat(0.0, 1e300),
    default=1e-9,
    show_default=True,
    help="Smaller changes count as no change.",
)
@guarded
def compare(
    runs: tuple[str, ...], labels: tuple[str, ...], out_dir: str | None, tolerance: float
) -> None:
    """Compare solve run folders (any number: summary in miles and points, sectors, nations,
    stations, pools, bases; differences from the first run) or two sweep tables (a sweep
    folder or its cases.csv; differences B - A). Markdown to the terminal.
    """
    # the analysis package (pandas): when the command runs, not for --help
    from optimizer.analysis import compare as comparison
    from optimizer.analysis import compare_runs
    from optimizer.analysis.compare_folder import render, render_runs, write_compare

    if out_dir is not None:
        writable_folder(Path(out_dir).parent, "--out")
    try:
        if all((Path(p) / "summary.json").is_file() for p in runs):
            loaded = compare_runs.load_runs(list(runs), labels)
            tables = compare_runs.compare_runs(loaded, tolerance)
            text = render_runs(loaded, tables)
        else:
            if len(runs) != 2:
                raise comparison.CompareError(
                    "expected solve run folders (any number), or exactly two sweep tables"
                )
            a, b = comparison.load(runs[0]), comparison.load(runs[1])
            for side, label in zip((a, b), labels, strict=False):
                side.label = label
            tables = comparison.compare(a, b, tolerance)
            text = render(a.label, b.label, tables)
    except (comparison.CompareError, compare_runs.CompareError) as exc:
        raise CommandFailure(f"error: {exc}", EXIT_USAGE) from None
    click.echo(text)
    if out_dir is not None:
        written = write_compare(out_dir, tables, text)
        click.echo(f"\ntables      {written}")
