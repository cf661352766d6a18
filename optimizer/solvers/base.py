"""The one interface every solver backend implements, and the one status vocabulary.

A backend receives a :class:`MatrixModel` (always a minimisation, sparse rows, column bounds and
integrality) and returns an :class:`Outcome`. Backends know nothing about coverage, pools or
sectors; the model layer knows nothing about any solver's API.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:  # imported where a model is changed: `posture X --help` needs no scipy
    import scipy.sparse as sp


class Status(StrEnum):
    """What a solve proved. Only OPTIMAL means the solver proved optimality within the gap."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a plan, not proven optimal (gap > tolerance), no limit hit
    TIME_LIMIT = "time_limit"  # stopped by the time limit; a plan may or may not exist
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    ERROR = "error"

    @property
    def has_plan(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE, Status.TIME_LIMIT)


MAX_TIME_LIMIT = 1e7  # seconds (116 days): beyond it a limit means "none"; give None instead
MAX_THREADS = 1024
MAX_SEED = 2**31 - 2  # every backend's seed is a signed 32-bit int (CBC is given seed + 1)


class OptionsError(ValueError):
    """A solver option with an impossible value; ``option`` names it (CLI exit code 2)."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = message


@dataclass(frozen=True)
class SolverOptions:
    """What every backend is told. Values are checked here, so no backend ever receives NaN,
    an infinite or negative time, a gap outside [0, 1] or a thread count no machine has."""

    time_limit: float | None = None  # seconds, wall clock, per backend call
    gap: float = 1e-6  # relative MIP gap at which a plan counts as proven optimal
    threads: int = 1
    seed: int = 0
    verbose: bool = False
    warm_start: bool = True
    # The phases after the primary (the tie-break) may take, in all, this multiple of the
    # primary phase's seconds, and at least TIE_BREAK_FLOOR_SECONDS (optimizer.model.solve);
    # inf: no limit of their own (the time limit still applies).
    tie_break_share: float = 0.25
    # Primal feasibility and integrality tolerance; None: each solver's default (about 1e-6).
    # Tightened when a plan called optimal does not agree with the bound (model/solve.py).
    tolerance: float | None = None
    # Root reduction of the primary phase on mid-size MIPs: LP bound, kernel plan and
    # reduced-cost fixing (optimizer.model.reduce). Off: the full model goes to the solver.
    reduce: bool = True

    def __post_init__(self) -> None:
        if self.time_limit is not None:
            _check_number("time_limit", self.time_limit, 0.0, MAX_TIME_LIMIT, "seconds", True)
        _check_number("gap", self.gap, 0.0, 1.0, "a relative gap")
        _check_whole("threads", self.threads, 1, MAX_THREADS)
        _check_whole("seed", self.seed, 0, MAX_SEED)
        if self.tie_break_share != math.inf:  # inf: the tie-break has no budget of its own
            _check_number("tie_break_share", self.tie_break_share, 0.0, 1e6, "a multiple")
        if self.tolerance is not None:
            _check_number("tolerance", self.tolerance, 0.0, 1e-3, "a tolerance", True)

    def as_dict(self) -> dict[str, object]:
        return {
            "time_limit": self.time_limit,
            "gap": self.gap,
            "threads": self.threads,
            "seed": self.seed,
            "warm_start": self.warm_start,
            "reduce": self.reduce,
            # None: no limit of its own (JSON has no infinity)
            "tie_break_share": (
                self.tie_break_share if np.isfinite(self.tie_break_share) else None
            ),
            **({} if self.tolerance is None else {"tolerance": self.tolerance}),
        }


def _check_number(
    name: str, value: object, low: float, high: float, what: str, open_low: bool = False
) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise OptionsError(name, f"expected a number, got {value!r}")
    number = float(value)
    below = number <= low if open_low else number < low
    if not math.isfinite(number) or below or number > high:
        side = "(" if open_low else "["
        raise OptionsError(name, f"expected {what} in {side}{low:g}, {high:g}], got {value!r}")


def _check_whole(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise OptionsError(name, f"expected a whole number, got {value!r}")
    if not low <= int(value) <= high:
        raise OptionsError(name, f"expected a whole number in [{low}, {high}], got {value!r}")


@dataclass(frozen=True)
class MatrixModel:
    """min c.x + offset  s.t.  row_lo <= A x <= row_hi,  col_lo <= x <= col_hi,  x_j integer."""

    c: np.ndarray
    A: sp.csr_matrix
    row_lo: np.ndarray
    row_hi: np.ndarray
    col_lo: np.ndarray
    col_hi: np.ndarray
    integer: np.ndarray  # bool per column
    col_names: tuple[str, ...] = ()
    row_names: tuple[str, ...] = ()
    offset: float = 0.0

    @property
    def shape(self) -> tuple[int, int]:
        return self.A.shape

    def with_objective(self, c: np.ndarray) -> MatrixModel:
        return _replace(self, c=np.asarray(c, dtype=float))

    def with_row(self, coef: np.ndarray, lo: float, hi: float, name: str) -> MatrixModel:
        import scipy.sparse as sp

        row = sp.csr_matrix(np.asarray(coef, dtype=float).reshape(1, -1))
        return _replace(
            self,
            A=sp.vstack([self.A, row], format="csr"),
            row_lo=np.append(self.row_lo, lo),
            row_hi=np.append(self.row_hi, hi),
            row_names=(*self.row_names, name) if self.row_names else (),
        )


def _replace(model: MatrixModel, **changes: Any) -> MatrixModel:
    from dataclasses import replace

    return replace(model, **changes)


@dataclass(frozen=True)
class Outcome:
    status: Status
    x: np.ndarray | None
    objective: float | None  # of the minimisation, at x
    bound: float | None  # best proven lower bound of the minimisation
    seconds: float
    message: str = ""
    warm_started: bool = False
    extra: dict[str, object] = field(default_factory=dict)


class Backend(Protocol):
    """A solver. ``available`` must be cheap and must not raise."""

    name: str
    supports_warm_start: bool

    def available(self) -> bool: ...

    def version(self) -> str: ...

    def solve(
        self, model: MatrixModel, options: SolverOptions, start: np.ndarray | None = None
    ) -> Outcome: ...


INF = float("inf")


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|obj - bound| / max(1e-10, |obj|), the convention HiGHS and SCIP share."""
    if objective is None or bound is None or not np.isfinite(bound):
        return None
    return abs(objective - bound) / max(1e-10, abs(objective))
