"""The ``posture`` command: a thin layer over the library (see optimizer.api)."""

from __future__ import annotations

import click

from optimizer import __version__
from optimizer.cli.bench import bench
from optimizer.cli.compare import compare
from optimizer.cli.generate import generate
from optimizer.cli.sensitivity import sensitivity
from optimizer.cli.solve import solve
from optimizer.cli.sweep import sweep
from optimizer.cli.validate import validate
from optimizer.cli.verify import verify


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="posture")
def main() -> None:
    """posture: place coalition air patrols, naval escorts and training teams to cover the most
    of the front, the airspace and the sea lanes, and show how the answer moves.

    Exit codes: 0 success, 1 infeasible or regression, 2 bad input or usage, 130 interrupted.
    """


main.add_command(validate)
main.add_command(solve)
main.add_command(verify)
main.add_command(bench)
main.add_command(generate)
main.add_command(sensitivity)
main.add_command(sweep)
main.add_command(compare)
