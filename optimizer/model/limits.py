"""The model-size check: refuse a model too large for the limits before its matrix is built.

The limits on files, values, records and candidate triples are checked while an instance is
read (:mod:`optimizer.instance.limits`); the estimated nonzeros need the model's arrays, so
they are checked here, between compiling the instance and building the formulation.
:func:`build_checked` is the one way every solve builds its model.
"""

from __future__ import annotations

import time
from pathlib import Path

from optimizer.instance import limits
from optimizer.instance.limits import LimitError, Limits, too_many
from optimizer.instance.reader import InstanceError
from optimizer.instance.schema import Instance
from optimizer.model.data import ModelData, compile_instance
from optimizer.model.formulation import Formulation, build


def estimated_nonzeros(data: ModelData) -> int:
    """Matrix coefficients the formulation will hold, estimated from the admissible triples.

    Each triple appears in the coverage rows (C5) of every sector its station covers, and in at
    most eight resource rows (C1, C2, C4, C8-C11); each requirement pair adds about four.
    """
    per_station = data.cover.getnnz(axis=1)
    covered = int(per_station[data.t_station].sum()) if data.n_triples else 0
    return covered + 8 * data.n_triples + 4 * len(data.r_sector) + 2 * len(data.k_kind)


def check_model(data: ModelData) -> None:
    """Refuse a model that would hold too many nonzeros (before the matrix is built)."""
    limit = Limits.from_env().nonzeros
    count = estimated_nonzeros(data)
    if count > limit:
        raise LimitError(
            "", too_many("the model's estimated nonzeros", count, limit, "POSTURE_MAX_NONZEROS")
        )


def build_checked(
    instance: Instance, instance_file: str | Path | None = None
) -> tuple[Formulation, float]:
    """Build the model of ``instance`` and the seconds it took, within the size limits.

    Raises :class:`~optimizer.instance.reader.InstanceError` (CLI exit code 2), naming
    ``instance_file`` (or the instance) and the variable to raise, for a model too large.
    """
    began = time.perf_counter()
    where = instance_file if instance_file is not None else f"instance {instance.name}"
    try:
        limits.check_instance(instance)
        data = compile_instance(instance)
        check_model(data)
    except LimitError as exc:
        raise InstanceError(where, exc.path, exc.message) from None
    return build(data), time.perf_counter() - began
