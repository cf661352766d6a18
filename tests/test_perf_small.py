"""The performance benchmark's parts on small inputs: MPS round trip, stage runner, fit, peer.

No timing is asserted here: performance is measured by ``make bench-perf``, which writes tables.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks.perf import growth
from benchmarks.perf_rung import run_path
from optimizer.instance import load_instance
from optimizer.instance.generate import Size, generate_instance
from optimizer.instance.generate_io import write_instance
from optimizer.model import solve
from optimizer.model.solve import build_model
from optimizer.solvers import Status
from optimizer.solvers.mps import PhaseRecorder, start_path, write_mps


def _highs_file(path: Path, nodes: int | None = None) -> tuple[str, float]:
    """HiGHS alone on an MPS file, from the start file beside it when there is one."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 1e-9)
    if nodes is not None:
        h.setOptionValue("mip_max_nodes", nodes)
        h.setOptionValue("presolve", "off")
        h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    h.readModel(str(path))
    if start_path(path).is_file():
        assert h.readSolution(str(start_path(path)), 0) == highspy.HighsStatus.kOk
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
    recorder = PhaseRecorder()
    solution = solve(instance, formulation=formulation, observe=recorder)
    assert solution.status is Status.OPTIMAL
    paths = recorder.write(tmp_path, "small")
    # coverage, the same-coverage start, then the tie-break: cost, order
    assert len(paths) == len(solution.phases) == 4
    # starts: none for the primary, the same-coverage phase and the order phase (solved from
    # scratch: HiGHS misjudges starts there)
    assert [start_path(p).is_file() for p in paths] == [False, False, True, False]
    status, value = _highs_file(paths[0])
    assert status == "Optimal"
    assert -value == pytest.approx(solution.objective, rel=1e-6)  # coverage is maximised
    for index in (1, 2, 3):  # the cost phases, with the coverage kept, then the order
        status, value = _highs_file(paths[index])
        assert status == "Optimal"
        assert value == pytest.approx(solution.phases[index]["objective"], rel=1e-6, abs=1e-6)


def test_start_file_is_the_plan_handed_to_the_solver(small: Path, tmp_path: Path) -> None:
    """Read back with the model, the start is a feasible plan with the value it had: with no
    search at all (no presolve, no heuristics, no nodes) HiGHS returns at least as good."""
    instance = load_instance(small)
    recorder = PhaseRecorder()
    solve(instance, observe=recorder)
    paths = recorder.write(tmp_path, "small")
    name, model, start = recorder.calls[2]
    assert name == "cost" and start is not None
    _, value = _highs_file(paths[2], nodes=0)
    assert value <= float(model.c @ start) + 1e-6
    import highspy  # the values HiGHS reads back are the start's, exactly

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(paths[2]))
    assert h.readSolution(str(start_path(paths[2])), 0) == highspy.HighsStatus.kOk
    assert np.array_equal(np.asarray(h.getSolution().col_value), start)


def test_mps_file_holds_the_model(tmp_path: Path, small: Path) -> None:
    import highspy

    formulation, _ = build_model(load_instance(small))
    model = formulation.matrix.with_objective(formulation.phases[0].c)
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
    assert len(row["mps"]) == 4  # coverage, same-coverage, cost, order
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
    from benchmarks.perf_peer import compare, random_case

    demand_xy, weights, site_xy, radius = random_case(3, 300, 40, 0.05)
    rows = compare("tiny", demand_xy, weights, site_xy, radius, 4)
    assert [r["tool"].split()[0] for r in rows] == ["spopt", "posture"]
    assert all(r["same_optimum"] for r in rows)
    assert rows[0]["objective"] == pytest.approx(rows[1]["objective"])
