"""What every command shares: error handling, exit codes, solver options."""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from optimizer.cli.interrupt import MESSAGE, Watchdog, stop_processes
from optimizer.instance.reader import InstanceError
from optimizer.instance.schema import CoverageMode, Objective
from optimizer.solvers import BACKEND_NAMES, SolverOptions, SolverUnavailable

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
        watchdog = Watchdog().__enter__()  # Ctrl-C/SIGTERM even inside a solver's native code
        previous = signal.signal(signal.SIGTERM, watchdog.raise_interrupt)
        previous_int = signal.getsignal(signal.SIGINT)
        if previous_int is signal.default_int_handler:  # not when ignored (background job)
            signal.signal(signal.SIGINT, watchdog.raise_interrupt)
        try:
            return func(*args, **kwargs)
        except InstanceError as exc:
            _fail(f"error: {exc}", EXIT_USAGE)
        except SolverUnavailable as exc:
            _fail(f"error: {exc}", EXIT_USAGE)
        except CommandFailure as exc:
            _fail(str(exc), exc.code)
        except KeyboardInterrupt:
            stop_processes(watchdog.new_children())  # e.g. CBC, still solving
            _fail(MESSAGE, EXIT_INTERRUPTED)
        except MemoryError:
            _fail("error: out of memory; the instance is too large for this machine", EXIT_FAIL)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("POSTURE_DEBUG"):
                raise
            _fail(
                f"internal error: {type(exc).__name__}: {exc} (set POSTURE_DEBUG=1 for details)",
                EXIT_FAIL,
            )
        finally:
            watchdog.__exit__(None, None, None)
            signal.signal(signal.SIGTERM, previous)
            if previous_int is signal.default_int_handler:
                signal.signal(signal.SIGINT, previous_int)

    return wrapper  # type: ignore[return-value]


def _fail(message: str, code: int) -> None:
    click.echo(message.splitlines()[0] if message else "error", err=True)
    sys.exit(code)


def solver_options(func: F) -> F:
    """--solver --time-limit --gap --threads --seed, as one SolverOptions."""
    options = [
        click.option(
            "--solver",
            type=click.Choice(BACKEND_NAMES, case_sensitive=False),
            default="highs",
            show_default=True,
            help="MIP backend: HiGHS (highspy), CBC (PuLP) or OR-Tools (SCIP).",
        ),
        click.option(
            "--time-limit",
            type=click.FloatRange(min=0.01),
            default=None,
            help="Seconds per solve; the best plan found is kept as time_limit.",
        ),
        click.option(
            "--gap",
            type=click.FloatRange(min=0.0, max=1.0),
            default=1e-6,
            show_default=True,
            help="Relative MIP gap accepted as optimal.",
        ),
        click.option(
            "--threads",
            type=click.IntRange(min=1),
            default=1,
            show_default=True,
            help="Solver threads.",
        ),
        click.option("--seed", type=int, default=0, show_default=True, help="Solver random seed."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_options(time_limit: float | None, gap: float, threads: int, seed: int) -> SolverOptions:
    return SolverOptions(time_limit=time_limit, gap=gap, threads=threads, seed=seed)


def scenario_options(func: F) -> F:
    """--objective and --mode: shorthands for --set (see scenario_overrides)."""
    func = click.option(
        "--mode",
        type=click.Choice([m.value for m in CoverageMode]),
        default=None,
        help="Coverage mode: shorthand for --set scenario.coverage_mode=... "
        "(default: the instance's scenario).",
    )(func)
    return click.option(
        "--objective",
        type=click.Choice([o.value for o in Objective]),
        default=None,
        help="O1, O2 or O3: shorthand for --set scenario.objective=... "
        "(default: the instance's scenario).",
    )(func)


def scenario_overrides(objective: str | None, mode: str | None, sets: tuple[str, ...]) -> list[str]:
    """--objective and --mode are shorthands for --set scenario.objective=... (applied first)."""
    out = []
    if objective:
        out.append(f"scenario.objective={objective}")
    if mode:
        out.append(f"scenario.coverage_mode={mode}")
    return [*out, *sets]
