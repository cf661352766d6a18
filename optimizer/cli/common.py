"""What every command shares: error handling, exit codes, solver options.

Imported by every command's ``--help``: it imports the instance and solver errors only when a
command runs (:func:`guarded`), and takes its option choices from :mod:`optimizer.cli.choices`.
"""

from __future__ import annotations

import functools
import math
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from optimizer.cli.choices import COVERAGE_MODES, OBJECTIVES
from optimizer.cli.interrupt import MESSAGE, Watchdog, stop_processes
from optimizer.cli.outputs import OUTPUT_ERRNOS, OutputError, describe
from optimizer.solvers import SOLVER_CHOICES
from optimizer.solvers.base import MAX_SEED, MAX_THREADS, MAX_TIME_LIMIT

if TYPE_CHECKING:
    from optimizer.solvers import SolverOptions

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

F = TypeVar("F", bound=Callable[..., Any])


class CommandFailure(Exception):
    """A failure the user must see as one line, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_FAIL) -> None:
        super().__init__(message)
        self.code = code


def guarded(func: F) -> F:
    """Turn known failures into one-line messages and exit codes; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # the command is about to run: it reads an instance anyway (pydantic, the schema)
        from optimizer.instance.reader import InstanceError
        from optimizer.solvers import OptionsError, SolverUnavailable

        watchdog = Watchdog().__enter__()  # Ctrl-C/SIGTERM even inside a solver's native code
        previous = signal.signal(signal.SIGTERM, watchdog.raise_interrupt)
        previous_int = signal.getsignal(signal.SIGINT)
        if previous_int is signal.default_int_handler:  # not when ignored (background job)
            signal.signal(signal.SIGINT, watchdog.raise_interrupt)
        try:
            return func(*args, **kwargs)
        except InstanceError as exc:
            _fail(f"error: {exc}", EXIT_USAGE)
        except (SolverUnavailable, OptionsError, OutputError) as exc:
            _fail(f"error: {exc}", EXIT_USAGE)
        except CommandFailure as exc:
            _fail(str(exc), exc.code)
        except KeyboardInterrupt:
            stop_processes(watchdog.new_children())  # e.g. CBC, still solving
            _fail(MESSAGE, EXIT_INTERRUPTED)
        except OSError as exc:
            if os.environ.get("POSTURE_DEBUG"):
                raise
            if exc.errno in OUTPUT_ERRNOS:  # a full disk, a read-only folder met while writing
                _fail(f"error: {describe(exc)}", EXIT_USAGE)
            _fail(_internal(exc), EXIT_FAIL)
        except MemoryError:
            _fail("error: out of memory; the instance is too large for this machine", EXIT_FAIL)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("POSTURE_DEBUG"):
                raise
            _fail(_internal(exc), EXIT_FAIL)
        finally:
            watchdog.__exit__(None, None, None)
            signal.signal(signal.SIGTERM, previous)
            if previous_int is signal.default_int_handler:
                signal.signal(signal.SIGINT, previous_int)

    return wrapper  # type: ignore[return-value]


def _internal(exc: BaseException) -> str:
    return f"internal error: {type(exc).__name__}: {exc} (set POSTURE_DEBUG=1 for details)"


def _fail(message: str, code: int) -> None:
    click.echo(message.splitlines()[0] if message else "error", err=True)
    sys.exit(code)


class FiniteFloat(click.ParamType):
    """A finite number in a range: NaN and infinities are refused (click's FloatRange lets
    NaN through, since every comparison with it is false)."""

    name = "float"

    def __init__(self, low: float, high: float, low_open: bool = False) -> None:
        self.low, self.high, self.low_open = low, high, low_open

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, float) and math.isfinite(value):
            number = value
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"expected a number, got {value!r}", param, ctx)
        below = number <= self.low if self.low_open else number < self.low
        if not math.isfinite(number) or below or number > self.high:
            side = "(" if self.low_open else "["
            self.fail(
                f"expected a finite number in {side}{self.low:g}, {self.high:g}], got {value!r}",
                param,
                ctx,
            )
        return number


def solver_options(func: F) -> F:
    """--solver --time-limit --gap --threads --seed, as one SolverOptions."""
    options = [
        click.option(
            "--solver",
            type=click.Choice(SOLVER_CHOICES, case_sensitive=False),
            default="highs",
            show_default=True,
            help="MIP backend: HiGHS (highspy), CBC (PuLP) or OR-Tools (SCIP); portfolio races"
            " HiGHS and CBC (and OR-Tools on 3+ cores) in parallel, first proven result wins.",
        ),
        click.option(
            "--time-limit",
            type=FiniteFloat(0.0, MAX_TIME_LIMIT, low_open=True),
            default=None,
            help="Seconds per solve; the best plan found is kept as time_limit.",
        ),
        click.option(
            "--gap",
            type=FiniteFloat(0.0, 1.0),
            default=1e-6,
            show_default=True,
            help="Relative MIP gap accepted as optimal.",
        ),
        click.option(
            "--threads",
            type=click.IntRange(min=1, max=MAX_THREADS),
            default=1,
            show_default=True,
            help="Solver threads.",
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0, max=MAX_SEED),
            default=0,
            show_default=True,
            help="Solver random seed.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_options(time_limit: float | None, gap: float, threads: int, seed: int) -> SolverOptions:
    from optimizer.solvers import SolverOptions

    return SolverOptions(time_limit=time_limit, gap=gap, threads=threads, seed=seed)


def scenario_options(func: F) -> F:
    """--objective and --mode: shorthands for --set (see scenario_overrides)."""
    func = click.option(
        "--mode",
        type=click.Choice(COVERAGE_MODES),
        default=None,
        help="Coverage mode: shorthand for --set scenario.coverage_mode=... "
        "(default: the instance's scenario).",
    )(func)
    return click.option(
        "--objective",
        type=click.Choice(OBJECTIVES),
        default=None,
        help="O1, O2 (min-cost; min-units: the fewest units) or O3: shorthand for --set "
        "scenario.objective=... (default: the instance's scenario).",
    )(func)


def scenario_overrides(objective: str | None, mode: str | None, sets: tuple[str, ...]) -> list[str]:
    """--objective and --mode are shorthands for --set scenario.objective=... (applied first)."""
    out = []
    if objective:
        out.append(f"scenario.objective={objective}")
    if mode:
        out.append(f"scenario.coverage_mode={mode}")
    return [*out, *sets]
