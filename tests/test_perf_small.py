"""The performance benchmark's parts on small inputs: MPS round trip, stage runner, fit, peer.

No timing is asserted here: performance is measured by ``make bench-perf``, which writes tables.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from optimizer.bench.perf import growth
from optimizer.bench.perf_rung import run_path
from optimizer.instance import load_instance
from optimizer.instance.generate import Size, generate_instance
from optimizer.instance.generate_io import write_instance
from optimizer.model import solve
from optimizer.model.solve import build_model
from optimizer.solvers import Status
from optimizer.solvers.mps import phase_models, write_mps, write_phase_mps


def _highs_file(path: Path) -> tuple[str, float]:
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.readModel(str(path))
    h.run()
    return h.modelStatusToString(h.getModelStatus()), h.getInfo().objective_function_value


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "small.yaml"
    write_instance(generate_instance(Size.default(45), seed=2), out)
    return out


def test_mps_round_trip_gives_the_same_optimum(small: Path, tmp_path: Path) -> None:
    instance = load_instance(small)
    formulation, _ = build_model(instance)
    solution = solve(instance, formulation=formulation)
    assert solution.status is Status.OPTIMAL
    paths = write_phase_mps(formulation, tmp_path, "small", solution)
    assert len(paths) == len(solution.phases) == 2  # coverage, then the tie-break
    status, value = _highs_file(paths[0])
    assert status == "Optimal"
    assert -value == pytest.approx(solution.objective, rel=1e-6)  # coverage is maximised
    status, value = _highs_file(paths[1])  # the tie-break phase, with the coverage kept
    assert status == "Optimal"
    assert value == pytest.approx(solution.phases[1]["objective"], rel=1e-6, abs=1e-6)


def test_mps_file_holds_the_model(tmp_path: Path, small: Path) -> None:
    import highspy

    formulation, _ = build_model(load_instance(small))
    model = phase_models(formulation)[0]
    path = write_mps(model, tmp_path / "m.mps")
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(path))
    lp = h.getLp()
    assert (lp.num_row_, lp.num_col_) == model.shape
    assert len(lp.a_matrix_.value_) == np.count_nonzero(model.A.data)
    integer = np.array([v == highspy.HighsVarType.kInteger for v in lp.integrality_])
    assert (integer == model.integer).all()


def test_stage_runner_reports_every_stage(small: Path, tmp_path: Path) -> None:
    row = run_path(str(small), time_limit=60, mps_dir=str(tmp_path))
    for stage in ("load", "build", "solve", "report", "write"):
        assert row[f"{stage}_s"] >= 0 and row[f"{stage}_cpu_s"] >= 0
    assert row["status"] == "optimal"
    assert row["nonzeros"] > 0 and row["peak_mb"] > 0
    assert len(row["mps"]) == 2
    off = run_path(str(small), overrides=("scenario.tie_break=false",))
    assert len(off["phases"]) == 1
    assert off["objective"] == pytest.approx(row["objective"], rel=1e-6)


def test_growth_fit_recovers_a_known_slope() -> None:
    nnz = np.array([1e3, 1e4, 1e5, 1e6])
    frame = pd.DataFrame({"nonzeros": nnz, "build_s": 2e-6 * nnz**1.1})
    fit = growth(frame, min_build_s=0.0)
    assert fit["slope_all"] == pytest.approx(1.1)
    assert fit["r2_all"] == pytest.approx(1.0)


def test_peer_comparison_agrees_on_a_tiny_case() -> None:
    pytest.importorskip("spopt")
    from optimizer.bench.perf_peer import compare, random_case

    demand_xy, weights, site_xy, radius = random_case(3, 300, 40, 0.05)
    rows = compare("tiny", demand_xy, weights, site_xy, radius, 4)
    assert [r["tool"].split()[0] for r in rows] == ["spopt", "posture"]
    assert all(r["same_optimum"] for r in rows)
    assert rows[0]["objective"] == pytest.approx(rows[1]["objective"])
