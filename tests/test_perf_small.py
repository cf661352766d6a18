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


def test_random_swain_file_is_seeded_and_read_by_posture(tmp_path: Path) -> None:
    from benchmarks.mclp_random import write_random_file
    from optimizer.instance.formats import load_any

    made = write_random_file(tmp_path / "a", 200, seed=4, share=0.05)
    again = write_random_file(tmp_path / "b", 200, seed=4, share=0.05)
    assert made.path.read_bytes() == again.path.read_bytes()
    assert made.radius == again.radius and made.radius % 1 == 0.5  # no node exactly at S
    assert 0.04 * 200 < made.mean_covered < 0.06 * 200
    lines = made.path.read_text().splitlines()
    assert lines[0] == "200" and len(lines) == 201 and len(lines[1].split()) == 4
    instance = load_any(made.path, "mclp", made.radius, 5)
    assert len(instance.sectors) == len(instance.stations) == 200
    pairs = sum(len(s.covers or ()) for s in instance.stations)
    assert pairs == pytest.approx(made.mean_covered * 200)


def test_spopt_command_reads_the_public_files_to_their_known_optima(benchmarks_dir: Path) -> None:
    pytest.importorskip("spopt")
    from benchmarks.spopt_mclp import solve_file

    # reference_values.csv: Swain p=3 S=5 -> 405, SJC324 p=2 S=800 -> 8790 (proven optimal)
    swain = solve_file(benchmarks_dir / "mclp" / "swain" / "swain.txt", 5.0, 3)
    assert (swain["nodes"], swain["status"], swain["objective"]) == (55, "optimal", 405.0)
    sjc = solve_file(benchmarks_dir / "mclp" / "sjc" / "SJC324.coords.txt", 800.0, 2)
    assert (sjc["nodes"], sjc["status"], sjc["objective"]) == (324, "optimal", 8790.0)


def test_peer_commands_agree_on_a_small_generated_file(tmp_path: Path) -> None:
    """Both commands, end to end from one generated file, reach the optimum found by trying
    every choice of p sites."""
    pytest.importorskip("spopt")
    from itertools import combinations

    from scipy.spatial.distance import cdist

    from benchmarks.mclp_random import write_random_file
    from benchmarks.perf_peer_cmd import Case, run_case
    from benchmarks.spopt_mclp import read_file

    made = write_random_file(tmp_path, 40, seed=5, share=0.1)
    xy, demand = read_file(made.path)
    covers = cdist(xy, xy) <= made.radius  # covers[i, j]: site j covers node i
    best = max(
        demand[covers[:, list(sites)].any(axis=1)].sum() for sites in combinations(range(40), 3)
    )
    assert best < demand.sum()  # three sites cannot cover everything: the choice matters
    rows = run_case(Case("small", made.path, 40, made.radius, 3), repeats=1)
    assert [r["tool"] for r in rows] == ["spopt", "posture"]
    assert all(r["status"] == "optimal" and r["same_optimum"] for r in rows)
    assert rows[0]["objective"] == rows[1]["objective"] == best
