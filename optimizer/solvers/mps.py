"""The model as an MPS file, written by HiGHS from the arrays (for any solver, or to compare).

``write_mps`` writes one :class:`MatrixModel`. ``phase_models`` rebuilds the models the
lexicographic solve (optimizer.model.solve) handed to the solver, phase by phase: phase 0 is
the model with the primary objective; each later phase adds the row that keeps the previous
phase's value, as the solve did. A solver reading these files repeats the project's solves.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from optimizer.solvers.base import MatrixModel

if TYPE_CHECKING:
    from optimizer.model.formulation import Formulation
    from optimizer.model.solve import Solution


def write_mps(model: MatrixModel, path: str | Path) -> Path:
    """Write ``model`` (a minimisation) as a free-format MPS file at ``path``."""
    from optimizer.solvers.highs import new_highs, pass_arrays

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    h = new_highs()
    pass_arrays(h, model)
    status = h.writeModel(str(path))
    if str(status) not in ("HighsStatus.kOk", "HighsStatus.kWarning"):
        raise RuntimeError(f"HiGHS could not write {path}: {status}")
    return path


def phase_models(formulation: Formulation, solution: Solution | None = None) -> list[MatrixModel]:
    """The model of each phase the solve ran (only phase 0 without a ``solution``)."""
    model = formulation.matrix
    out = [model.with_objective(formulation.phases[0].c)]
    if solution is None:
        return out
    for index, record in enumerate(solution.phases[:-1]):
        phase = formulation.phases[index]
        objective = record.get("objective")
        if objective is None:
            break
        value = -float(objective) if phase.maximise else float(objective)  # type: ignore[arg-type]
        tolerance = max(1e-7, 1e-9 * abs(value))
        model = model.with_row(phase.c, -np.inf, value + tolerance, f"keep_{phase.name}")
        out.append(model.with_objective(formulation.phases[index + 1].c))
    return out


def write_phase_mps(
    formulation: Formulation, folder: str | Path, stem: str, solution: Solution | None = None
) -> list[Path]:
    """``<stem>.phase<i>.mps`` for each phase model; see :func:`phase_models`."""
    models = phase_models(formulation, solution)
    return [write_mps(m, Path(folder) / f"{stem}.phase{i}.mps") for i, m in enumerate(models)]
