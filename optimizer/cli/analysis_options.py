"""Options shared by the analyses that solve many variants (contributions, attack, tradeoff,
montecarlo): the fixed overrides, the solver, where the variants run and where results go."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from optimizer.cli.common import EXIT_USAGE, solver_options
from optimizer.cli.outputs import OutputError, writable_folder

F = TypeVar("F", bound=Callable[..., Any])


def analysis_options(func: F) -> F:
    """--set, the solver options, --jobs, --scheduler, --out, --name, --no-write, --json."""
    options = [
        click.option(
            "--set",
            "sets",
            multiple=True,
            metavar="PATH=VALUE",
            help="Fixed override of the instance, as for posture solve (repeatable).",
        ),
        solver_options,
        click.option(
            "--jobs",
            type=click.IntRange(min=1),
            default=1,
            show_default=True,
            help="Solve the variants in this many local worker processes.",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            default=None,
            help="Solve the variants on this Dask distributed scheduler (e.g. tcp://host:8786).",
        ),
        click.option(
            "--out",
            "out_dir",
            default="results",
            show_default=True,
            help="Parent folder of the analysis folder.",
        ),
        click.option("--name", default=None, help="Folder name (default: the instance name)."),
        click.option("--no-write", is_flag=True, help="Do not write the analysis folder."),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object."),
    ]
    func = _output_checked(func)
    for option in reversed(options):
        func = option(func)
    return func


def _output_checked(func: F) -> F:
    """Check --out before any solve: an analysis may run for an hour before it writes."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("no_write"):
            try:
                writable_folder(kwargs["out_dir"])
            except OutputError as exc:
                click.echo(f"error: {exc}", err=True)
                raise SystemExit(EXIT_USAGE) from None
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def publish_analysis(
    kind: str,
    result: dict[str, Any],
    text: str,
    tables: dict[str, Any],
    *,
    instance_name: str,
    instance_file: str,
    sets: tuple[str, ...],
    solver: str,
    jobs: int,
    wall: float,
    out_dir: str,
    name: str | None,
    no_write: bool,
    as_json: bool,
) -> None:
    """The end every analysis command shares: stamp the record, write the ``<kind>`` folder
    (unless --no-write), then print one JSON object or the Markdown summary and the folder."""
    from optimizer.analysis.analysisdir import stamp_record, write_analysis
    from optimizer.results import to_json

    record = stamp_record(
        result,
        instance=instance_name,
        instance_file=instance_file,
        fixed=list(sets),
        solver=solver.lower(),
        jobs=jobs,
        wall_seconds=wall,
    )
    folder = None
    if not no_write:
        folder = write_analysis(out_dir, kind, name or instance_name, record, tables, text)
    if as_json:
        click.echo(to_json({**record, "folder": None if folder is None else str(folder)}))
        return
    click.echo(text)
    if folder is not None:
        click.echo(f"\nfolder      {folder}")
