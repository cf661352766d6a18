"""posture validate: check an instance file without solving it."""

from __future__ import annotations

import click

from optimizer.cli.common import guarded


@click.command()
@click.argument("instance_file", type=click.Path(dir_okay=False))
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a field, e.g. --set scenario.us_participation=none (repeatable).",
)
@guarded
def validate(instance_file: str, sets: tuple[str, ...]) -> None:
    """Check INSTANCE_FILE (YAML or TOML) and its side files; exit 2 on bad input."""
    from optimizer.instance import content_hash, load_instance

    inst = load_instance(instance_file, sets)
    kinds: dict[str, int] = {}
    for sector in inst.sectors:
        kinds[sector.kind.value] = kinds.get(sector.kind.value, 0) + 1
    sectors = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    click.echo(
        f"{instance_file}: valid instance {inst.name!r}: {len(inst.nations)} nations, "
        f"{len(inst.bases)} bases, {len(inst.pools)} pools, {len(inst.stations)} stations, "
        f"sectors: {sectors}; hash {content_hash(inst)[:12]}"
    )
