"""The ``posture`` command: a thin layer over the library (see optimizer.api).

Subcommands are imported when they are run, not when ``posture`` starts: a solve does not pay
for the Dask, benchmark or generator modules, and Ctrl-C is handled from the first moment.
``posture --help`` lists the commands from :data:`SUMMARIES` and ``--version`` reads the
installed version only when asked, so neither imports a command module (tests/test_startup.py).
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Sequence
from gettext import gettext
from typing import Any

import click

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

#: The first sentence of each command's help, for the command list of ``posture --help``
#: (click would import every command module to read it; a test checks they agree).
SUMMARIES = {
    "validate": "Check INSTANCE_FILE (YAML or TOML) and its side files; exit 2 on bad input.",
    "solve": "Solve INSTANCE_FILE and report the coverage of the best plan.",
    "verify": "Check RUN_DIR's plan.csv against INSTANCE (default: the run's own instance.json).",
    "bench": "Solve benchmark instances, verify every plan and compare with the known values.",
    "sensitivity": "Solve the cases behind S1 (US participation), S2 (marginal value of each "
    "pool), S3 (straits and switches) and S4 (tornado, coverage versus force) for "
    "INSTANCE_FILE; print them as Markdown and write each as CSV and Markdown into "
    "results/sensitivity-<name>-<time>/.",
    "sweep": "Solve INSTANCE_FILE once per case and write one tidy table (cases.csv) into "
    "results/sweep-<name>/, row by row as cases finish.",
    "compare": "Compare solve run folders (any number: summary in miles and points, sectors, "
    "nations, stations, pools, bases; differences from the first run) or two sweep tables (a "
    "sweep folder or its cases.csv; differences B - A).",
    "report": "Draw FOLDER (a solve run folder, or a sensitivity, sweep, compare, "
    "contributions, attack, tradeoff or montecarlo folder) and write into it: map.png and "
    "map.svg (solve runs), plan.geojson (solve runs), chart-*.png/.svg for each chart its "
    "tables allow, and brief.html, one self-contained page (images embedded; opens with no "
    "network).",
    "generate": "Write a synthetic instance with realistic structure: a front line cut into "
    "ordered sectors, airspace cells on a grid, sea-lane legs, range-limited fighter pools that "
    "need tankers beyond their radius, US enablers and nations with political flags.",
    "contributions": "Each nation's contribution to INSTANCE_FILE's objective and front "
    "miles, re-optimised: leave-one-out by nation and by pool, Shapley values (exact or "
    "sampled, with standard errors; they add up to v(all) - v(none)), and the k nations whose "
    "withdrawal hurts most.",
    "attack": "The attacker's best strike on INSTANCE_FILE for k = 1..K, after which the "
    "coalition re-plans optimally: the critical set, the coverage left (points, front miles, "
    "airspace and sea points), the re-plan, time and whether it is proven.",
    "montecarlo": "Draw INSTANCE_FILE's uncertain inputs (its uncertainty: ranges) --samples "
    "times, solve every draw, and report P10/P50/P90 of each headline figure and the inputs "
    "that correlate most with the outcome.",
    "tradeoff": "The Pareto frontier of INSTANCE_FILE's coverage of two kinds of sector "
    "(front, air, sea; in objective points) by the ε-constraint method, every point a proven "
    "lexicographic solve, and the objective against the budget.",
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

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``posture --help``, as click writes it, from SUMMARIES: click's
        own would import every command module (and through them the solvers and the analysis
        package) to read one line of help each."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)  # click's spacing
        rows = [
            (name, click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit))
            for name in names
        ]
        with formatter.section(gettext("Commands")):  # click's title, translated as click does
            formatter.write_dl(rows)

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
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, param, value: _print_version(ctx, value),
    help="Show the version and exit.",
)
def main() -> None:
    """posture: place coalition air patrols, naval escorts and training teams to cover the most
    of the front, the airspace and the sea lanes, and show how the answer moves.

    Exit codes: 0 success, 1 infeasible or regression, 2 bad input or usage, 130 interrupted.
    """


def _print_version(ctx: click.Context, value: bool) -> None:
    """--version, as click.version_option prints it, but the installed version is read (through
    importlib.metadata, ~0.1 s) only when asked."""
    if not value or ctx.resilient_parsing:
        return
    import optimizer

    click.echo(f"posture, version {optimizer.__version__}", color=ctx.color)
    ctx.exit()
