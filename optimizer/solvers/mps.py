"""The model as an MPS file, written by HiGHS from the arrays (for any solver, or to compare).

``write_mps`` writes one :class:`MatrixModel`; ``write_start`` writes a start (a plan handed to
the solver with the model) as a HiGHS solution file, which ``Highs.readSolution`` takes as a
warm start. ``PhaseRecorder`` is an observer for ``optimizer.model.solve``: it keeps every
model the lexicographic solve handed to the backend, with its start, and writes them as
``<stem>.phase<i>.mps`` and ``<stem>.phase<i>.start.sol``. A solver reading these files, in
order, repeats the project's solves exactly (same model, same start).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from optimizer.solvers.base import MatrixModel


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


def write_start(model: MatrixModel, start: np.ndarray, path: str | Path) -> Path:
    """``start`` as a HiGHS raw solution file for ``model`` written by :func:`write_mps`.

    Columns and rows carry the names HiGHS gives a model without names (c0.., r0..), so the
    file matches the MPS file. Values are written with ``repr`` (exact round trip).
    """
    x = np.asarray(start, dtype=float)
    rows = model.A @ x
    lines = [
        "Model status",
        "Not Set",
        "",
        "# Primal solution values",
        "Feasible",
        f"Objective {float(model.c @ x + model.offset)!r}",
        f"# Columns {len(x)}",
        *(f"c{i} {float(v)!r}" for i, v in enumerate(x)),
        f"# Rows {len(rows)}",
        *(f"r{i} {float(v)!r}" for i, v in enumerate(rows)),
    ]
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class PhaseRecorder:
    """Observer for ``solve(..., observe=recorder)``: the models solved, in order."""

    calls: list[tuple[str, MatrixModel, np.ndarray | None]] = field(default_factory=list)

    def __call__(self, name: str, model: MatrixModel, start: np.ndarray | None) -> None:
        # References only: nothing is copied or written while the solve is being timed (the
        # solve hands each phase a fresh model and never changes a start it has handed over).
        self.calls.append((name, model, start))

    def write(self, folder: str | Path, stem: str) -> list[Path]:
        """``<stem>.phase<i>.mps`` per model, and ``.start.sol`` beside it when it had one."""
        paths = []
        for index, (_, model, start) in enumerate(self.calls):
            mps = write_mps(model, Path(folder) / f"{stem}.phase{index}.mps")
            if start is not None:
                write_start(model, start, start_path(mps))
            paths.append(mps)
        return paths


def start_path(mps: str | Path) -> Path:
    """The start file beside ``mps``: ``X.phase1.mps`` -> ``X.phase1.start.sol``."""
    mps = Path(mps)
    return mps.with_name(mps.stem + ".start.sol")
