"""Solver backends behind one interface; availability is checked lazily, when asked for."""

from __future__ import annotations

from optimizer.solvers.base import (
    Backend,
    MatrixModel,
    OptionsError,
    Outcome,
    SolverOptions,
    Status,
    relative_gap,
)

BACKEND_NAMES = ("highs", "cbc", "ortools")
DEFAULT_BACKEND = "highs"
# What --solver accepts: a backend, or "portfolio" (race them: optimizer.model.portfolio)
SOLVER_CHOICES = (*BACKEND_NAMES, "portfolio")


class SolverUnavailable(Exception):
    """Asked for a backend that is unknown or not installed (CLI exit code 2)."""


def get_backend(name: str) -> Backend:
    from optimizer.solvers.cbc import CbcBackend
    from optimizer.solvers.highs import HighsBackend
    from optimizer.solvers.ortools import OrtoolsBackend

    registry: dict[str, type] = {
        "highs": HighsBackend,
        "cbc": CbcBackend,
        "ortools": OrtoolsBackend,
    }
    key = name.lower()
    if key not in registry:
        raise SolverUnavailable(
            f"unknown solver {name!r}; installed: {', '.join(available_backends()) or 'none'}"
        )
    backend = registry[key]()
    if not backend.available():
        raise SolverUnavailable(
            f"solver {name!r} is not installed; installed: {', '.join(available_backends())}"
        )
    return backend


def available_backends() -> list[str]:
    from optimizer.solvers.cbc import CbcBackend
    from optimizer.solvers.highs import HighsBackend
    from optimizer.solvers.ortools import OrtoolsBackend

    return [b.name for b in (HighsBackend(), CbcBackend(), OrtoolsBackend()) if b.available()]


__all__ = [
    "BACKEND_NAMES",
    "DEFAULT_BACKEND",
    "SOLVER_CHOICES",
    "Backend",
    "MatrixModel",
    "OptionsError",
    "Outcome",
    "SolverOptions",
    "SolverUnavailable",
    "Status",
    "available_backends",
    "get_backend",
    "relative_gap",
]
