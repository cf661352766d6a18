"""The ``posture`` command: a thin layer over the library (see optimizer.api).

Subcommands are imported when they are run, not when ``posture`` starts: a solve does not pay
for the Dask, benchmark or generator modules, and Ctrl-C is handled from the first moment.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from optimizer import __version__

COMMANDS = {
    "validate": "optimizer.cli.validate:validate",
    "solve": "optimizer.cli.solve:solve",
    "verify": "optimizer.cli.verify:verify",
    "bench": "optimizer.cli.bench:bench",
    "sensitivity": "optimizer.cli.sensitivity:sensitivity",
    "sweep": "optimizer.cli.sweep:sweep",
    "compare": "optimizer.cli.compare:compare",
    "report": "optimizer.cli.report:report",
    "generate": "optimizer.cli.generate:generate",
    "contributions": "optimizer.cli.contributions:contributions_command",
    "attack": "optimizer.cli.attack:attack_command",
    "montecarlo": "optimizer.cli.montecarlo:montecarlo_command",
    "tradeoff": "optimizer.cli.tradeoff:tradeoff_command",
}


class LazyGroup(click.Group):
    """A group whose subcommands live in their own modules, imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Click's own errors (unknown option, bad value, missing argument) in one line, like
        every other error of the tool, instead of click's usage block."""
        call = functools.partial(super().main, args, prog_name, complete_var, **extra)
        if not standalone_mode:
            return call(standalone_mode=False)
        try:
            result: Any = call(standalone_mode=False)
        except click.exceptions.NoArgsIsHelpError as exc:  # bare `posture`: the help, as click
            click.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "posture"
            message = " ".join(exc.format_message().split())
            click.echo(f"error: {where}: {message} (see {where} --help)", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            from optimizer.cli.interrupt import MESSAGE

            click.echo(MESSAGE, err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="posture")
def main() -> None:
    """posture: place coalition air patrols, naval escorts and training teams to cover the most
    of the front, the airspace and the sea lanes, and show how the answer moves.

    Exit codes: 0 success, 1 infeasible or regression, 2 bad input or usage, 130 interrupted.
    """
