"""A portfolio: the same solve raced by several backends, the first proven result taken.

No backend wins everywhere (CBC solves the maximal covering instance SJC818 in about half
HiGHS' time, HiGHS solves OR-Library scpnre1 four times faster than CBC), so
``solve(..., solver="portfolio")`` runs the whole lexicographic solve
(:func:`optimizer.model.solve.solve`) with each backend in a process of its own, takes the
first result that is proven (primary optimal, or infeasible or unbounded), and stops the
others. The plan does not depend on which backend wins: once its tie-break is proven, every
backend returns the same plan (the order phase, optimizer.model.formulation). When no
entrant proves anything (time limit), the best plan among them is kept, with its status.

Entrants: HiGHS and CBC; OR-Tools (SCIP) as well when there are three or more cores for the
race, since it rarely wins on covering models and a third process on two cores slows the
other two. Each entrant is a forked copy of this process (the model is built once, before
the race) in a process group of its own, with its temporary files in a folder of the race:
stopping an entrant kills its group (CBC's solver process with it) and the folder is removed
when the race ends, so no process or file outlives the call. Each entrant's time and how it
ended are recorded (``Solution.race``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import replace
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

import numpy as np

from optimizer.solvers import SolverOptions, Status, available_backends

if TYPE_CHECKING:
    from optimizer.instance.schema import Instance
    from optimizer.model.formulation import Formulation
    from optimizer.model.solve import Solution

PORTFOLIO = "portfolio"
PROVEN = (Status.OPTIMAL, Status.INFEASIBLE, Status.UNBOUNDED)
GRACE_SECONDS = 30.0  # past the time limit, an entrant that has not answered is stopped


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def entrants(n_cores: int | None = None) -> tuple[str, ...]:
    """The backends raced: HiGHS and CBC, and OR-Tools with three cores or more."""
    wanted = ["highs", "cbc"] + (["ortools"] if (n_cores or cores()) >= 3 else [])
    installed = set(available_backends())
    return tuple(name for name in wanted if name in installed)


def solve_portfolio(
    instance: Instance,
    formulation: Formulation,
    options: SolverOptions,
    start: np.ndarray | None = None,
    backends: tuple[str, ...] | None = None,
) -> Solution:
    """Race ``backends`` (default :func:`entrants`) on ``formulation``; see the module text."""
    names = backends or entrants()
    if not names:
        raise RuntimeError("no backend installed for the portfolio")
    context = get_context("fork")
    began = time.perf_counter()
    sys.stdout.flush()  # a forked child must not write the parent's buffered output again
    sys.stderr.flush()
    results: dict[str, dict[str, Any]] = {}
    winner: str | None = None
    with tempfile.TemporaryDirectory(prefix="posture-race-") as scratch:
        running: dict[str, tuple[Any, Connection]] = {}
        try:
            for name in names:
                receive, send = context.Pipe(duplex=False)
                process = context.Process(
                    target=_entrant,
                    args=(name, instance, formulation, options, start, send, scratch),
                    name=f"posture-{name}",
                )
                process.start()
                send.close()
                running[name] = (process, receive)
            limit = None if options.time_limit is None else options.time_limit + GRACE_SECONDS
            while running and winner is None:
                left = None if limit is None else max(0.0, limit - (time.perf_counter() - began))
                ready = wait([conn for _, conn in running.values()], timeout=left)
                if not ready:
                    break  # past the time limit and its grace: stop them all
                for name in [n for n, (_, conn) in running.items() if conn in ready]:
                    process, conn = running.pop(name)
                    results[name] = _receive(conn, time.perf_counter() - began)
                    process.join()
                    if winner is None and results[name].get("status") in PROVEN:
                        winner = name
        finally:
            for name, (process, _) in running.items():
                _stop(process)
                results[name] = {"ended": "stopped", "seconds": time.perf_counter() - began}
    if winner is None:
        winner = _best(results, formulation)
    return _solution(results, winner, names, formulation, options)


def _entrant(
    name: str,
    instance: Instance,
    formulation: Formulation,
    options: SolverOptions,
    start: np.ndarray | None,
    send: Connection,
    scratch: str,
) -> None:
    """One backend's whole solve, in a forked process; its answer goes down ``send``."""
    os.setpgrp()  # its own group: stopping it stops CBC's solver process too
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    os.environ["TMPDIR"] = os.environ["TMP"] = scratch
    tempfile.tempdir = scratch
    began = time.perf_counter()
    try:
        from optimizer.model.solve import solve

        solution = solve(instance, name, options, formulation=formulation, start=start)
        answer: dict[str, Any] = {
            "ended": "finished",
            "status": solution.status,
            "objective": solution.objective,
            "best_bound": solution.best_bound,
            "gap": solution.gap,
            "x": solution.x,
            "phases": solution.phases,
            "message": solution.message,
            "warm_started": solution.warm_started,
            "solver_version": solution.solver_version,
            "solve_seconds": solution.solve_seconds,
        }
    except BaseException as exc:  # reported to the parent, which decides
        answer = {"ended": "failed", "message": f"{type(exc).__name__}: {exc}"}
        answer["traceback"] = traceback.format_exc()
    answer["seconds"] = time.perf_counter() - began
    try:
        send.send(answer)
        send.close()
    finally:
        os._exit(0)  # no atexit handlers, no second flush of the parent's buffers


def _receive(conn: Connection, seconds: float) -> dict[str, Any]:
    try:
        answer = conn.recv()
    except (EOFError, OSError):
        return {"ended": "failed", "message": "the process ended without an answer"}
    finally:
        conn.close()
    answer.setdefault("seconds", seconds)
    return dict(answer)


def _stop(process: Any) -> None:
    """Kill an entrant's whole process group and reap it."""
    if process.pid is not None:
        # Already gone, or not yet in a group of its own: then the process alone is killed.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.kill()
    process.join()


def _best(results: dict[str, dict[str, Any]], formulation: Formulation) -> str:
    """No entrant proved anything: the one with a plan of the best primary value."""
    first = formulation.phases[0]

    def key(name: str) -> tuple[int, float]:
        r = results[name]
        status = r.get("status")
        if status is None or not Status(status).has_plan or r.get("objective") is None:
            return (1, 0.0)
        value = float(r["objective"])
        return (0, -value if first.maximise else value)

    return min(results, key=key)


def _solution(
    results: dict[str, dict[str, Any]],
    winner: str,
    names: tuple[str, ...],
    formulation: Formulation,
    options: SolverOptions,
) -> Solution:
    from optimizer.model.solve import Solution

    race = tuple(
        {
            "backend": name,
            "ended": results[name].get("ended", "stopped"),
            "status": str(results[name]["status"]) if "status" in results[name] else None,
            "seconds": results[name].get("seconds"),
            "won": name == winner,
        }
        for name in names
    )
    won = results[winner]
    if won.get("ended") != "finished":
        messages = "; ".join(f"{n}: {results[n].get('message', 'stopped')}" for n in names)
        return Solution(
            status=Status.ERROR,
            objective=None,
            best_bound=None,
            gap=None,
            x=None,
            formulation=formulation,
            solver=PORTFOLIO,
            solver_version=f"portfolio of {', '.join(names)}",
            options=options,
            build_seconds=0.0,
            solve_seconds=max(float(r.get("seconds") or 0.0) for r in results.values()),
            message=f"no backend of the portfolio answered: {messages}",
            race=race,
        )
    others = [n for n in names if n != winner]
    version = f"{won['solver_version']} (portfolio: first of {', '.join([winner, *others])})"
    return replace(
        Solution(
            status=Status(won["status"]),
            objective=won["objective"],
            best_bound=won["best_bound"],
            gap=won["gap"],
            x=won["x"],
            formulation=formulation,
            solver=PORTFOLIO,
            solver_version=version,
            options=options,
            build_seconds=0.0,
            solve_seconds=float(won["seconds"]),
            phases=won["phases"],
            message=won["message"],
            warm_started=won["warm_started"],
        ),
        race=race,
    )


__all__ = ["PORTFOLIO", "cores", "entrants", "solve_portfolio"]
