"""posture report: draw a run or analysis folder and write its one-file brief."""

from __future__ import annotations

import click

from optimizer.cli.common import EXIT_USAGE, CommandFailure, guarded


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option(
    "--reach",
    is_flag=True,
    help="Draw each used pool's unrefuelled reach around its bases on the map.",
)
@guarded
def report(folder: str, reach: bool) -> None:
    """Draw FOLDER (a solve run folder, or a sensitivity, sweep, compare, contributions,
    attack, tradeoff or montecarlo folder) and write into it: map.png and map.svg (solve runs),
    plan.geojson (solve runs), chart-*.png/.svg for each chart its tables allow, and brief.html,
    one self-contained page (images embedded; opens with no network).

    The folder's own files are never changed; the new ones are written atomically. Exit code 2
    when FOLDER is not a posture folder or was written by another version.
    """
    print_rendered(render_folder(folder, reach))


def render_folder(folder: str, reach: bool = False) -> object:
    from optimizer.brief.folders import FolderError
    from optimizer.brief.render import render

    try:
        return render(folder, reach=reach)
    except FolderError as exc:
        raise CommandFailure(f"error: {exc}", EXIT_USAGE) from None


def print_rendered(rendered: object, err: bool = False) -> None:
    """The closing lines: where the brief and the map are (on stderr when stdout is JSON)."""
    from optimizer.brief.render import Rendered

    assert isinstance(rendered, Rendered)
    others = [p.name for p in rendered.files if p.name not in ("brief.html", "map.png")]
    if others:
        click.echo(f"wrote       {', '.join(sorted(others))}", err=err)
    if rendered.map is not None:
        click.echo(f"map         {rendered.map}", err=err)
    click.echo(f"brief       {rendered.brief}", err=err)
