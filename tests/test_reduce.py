"""Root reduction (optimizer.model.reduce): a valid bound, fixing that never cuts a plan as good
as the kernel plan, and the same proven optimum as the full model."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from benchmarks.perf_peer import covering_lists, posture_instance, random_case
from optimizer.model import solve
from optimizer.model.reduce import (
    REDUCE_MIN_NONZEROS,
    fix_by_reduced_cost,
    is_feasible,
    lagrangian_bound,
    reduce_root,
    worth_reducing,
)
from optimizer.model.solve import GREEDY_MIN_NONZEROS, build_model
from optimizer.solvers import SolverOptions, Status, get_backend
from optimizer.solvers.base import INF, MatrixModel


def covering_model(weights: list[float], covers: list[list[int]], p: int) -> MatrixModel:
    """min -Σ w_i y_i  s.t.  y_i <= Σ_{j covers i} x_j,  Σ x_j <= p;  x binary, y in [0, 1]."""
    n, m = len(weights), len(covers)
    rows, cols, vals = [], [], []
    for j, cover in enumerate(covers):
        for i in cover:
            rows.append(i)
            cols.append(j)
            vals.append(-1.0)
    for i in range(n):
        rows.append(i)
        cols.append(m + i)
        vals.append(1.0)
    rows += [n] * m
    cols += list(range(m))
    vals += [1.0] * m
    A = sp.csr_matrix((vals, (rows, cols)), shape=(n + 1, m + n))
    return MatrixModel(
        c=np.concatenate([np.zeros(m), -np.asarray(weights, float)]),
        A=A,
        row_lo=np.full(n + 1, -INF),
        row_hi=np.concatenate([np.zeros(n), [p]]),
        col_lo=np.zeros(m + n),
        col_hi=np.ones(m + n),
        integer=np.concatenate([np.ones(m, bool), np.zeros(n, bool)]),
    )


def plans(model: MatrixModel, m: int):
    """Every binary site vector with its best y (min(1, cover)), feasible for ``model``."""
    A = model.A.tocsr()
    n = model.shape[1] - m
    cover = -A[:n, :m]
    for bits in itertools.product((0.0, 1.0), repeat=m):
        x = np.array(bits)
        y = np.minimum(1.0, cover @ x)
        full = np.concatenate([x, y])
        if is_feasible(model, full):
            yield full


def test_hand_case_bound_and_fixing() -> None:
    """Demands a = 5, b = 3, c = 1; site 1 covers a, site 2 covers b and c, site 3 covers c;
    p = 1. The LP is integral at site 1 (5 points), so L = -5 and, with the kernel plan worth
    5, sites 2 (4 points) and 3 (1 point) cannot be in any plan as good: both fixed at 0."""
    model = covering_model([5, 3, 1], [[0], [1, 2], [2]], 1)
    reduction = reduce_root(model, get_backend("highs"), SolverOptions())
    assert reduction.applied
    assert reduction.bound == pytest.approx(-5.0)
    assert reduction.incumbent == pytest.approx(-5.0)
    assert list(reduction.model.col_hi[:3]) == [1.0, 0.0, 0.0]
    assert reduction.fixed == 2 and reduction.closes(1e-6)


def test_any_sign_valid_dual_gives_a_bound_below_every_plan() -> None:
    """L(y) holds for every y once clipped to valid signs: checked against all 2^6 plans."""
    rng = np.random.default_rng(3)
    for trial in range(20):
        weights = list(rng.integers(1, 10, 8).astype(float))
        covers = [sorted(rng.choice(8, size=3, replace=False).tolist()) for _ in range(6)]
        model = covering_model(weights, covers, 2)
        best = min(float(model.c @ x) for x in plans(model, 6))
        y = rng.normal(0.0, 5.0, model.shape[0])  # any multipliers at all
        bound, _ = lagrangian_bound(model, y)
        assert bound <= best + 1e-9, trial


def test_fixing_keeps_every_plan_as_good_as_the_incumbent() -> None:
    """Brute force: after reduced-cost fixing from the LP duals and any incumbent value, every
    plan with c x <= incumbent is still inside the narrowed bounds."""
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(15):
        weights = list(rng.integers(1, 20, 9).astype(float))
        covers = [sorted(rng.choice(9, size=3, replace=False).tolist()) for _ in range(7)]
        model = covering_model(weights, covers, 2)
        reduction = reduce_root(model, get_backend("highs"), SolverOptions())
        assert reduction.applied and reduction.bound is not None
        values = sorted({float(model.c @ x) for x in plans(model, 7)})
        for incumbent in values[:3]:  # the optimum and the next two plan values
            assert reduction.reduced_costs is not None
            tight, _, _ = fix_by_reduced_cost(
                model, reduction.reduced_costs, reduction.bound, incumbent
            )
            for x in plans(model, 7):
                if model.c @ x <= incumbent + 1e-9:
                    assert is_feasible(tight, x)
                    checked += 1
    assert checked > 30


def mid_size_instance(seed: int, p: int = 12):
    """A random maximal covering case large enough for the reduction (>= 30,000 nonzeros)."""
    demand_xy, weights, site_xy, radius = random_case(seed, 2_500, 400, share=0.03)
    return posture_instance(f"mid-{seed}", weights, covering_lists(demand_xy, site_xy, radius), p)


@pytest.mark.parametrize("seed", [1, 2])
def test_same_proven_optimum_with_and_without_reduction(seed: int) -> None:
    instance = mid_size_instance(seed)
    formulation, _ = build_model(instance)
    assert worth_reducing(formulation.matrix, GREEDY_MIN_NONZEROS)
    assert formulation.matrix.A.nnz >= REDUCE_MIN_NONZEROS
    reduced = solve(instance, options=SolverOptions(reduce=True))
    full = solve(instance, options=SolverOptions(reduce=False))
    assert reduced.status is Status.OPTIMAL and full.status is Status.OPTIMAL
    assert reduced.objective == pytest.approx(full.objective, rel=1e-9)
    assert reduced.best_bound >= reduced.objective - 1e-6  # a maximisation: bound above
    names = [str(p["phase"]) for p in reduced.phases]
    assert names[0] == "coverage (LP bound)" and names[1].startswith("coverage (kernel of")
    assert "reduced-cost fixing" in str(reduced.phases[-1].get("note", ""))
    assert [p["phase"] for p in full.phases] == ["coverage"]


def test_reduced_plan_passes_the_independent_checker_and_is_deterministic() -> None:
    from optimizer.api import solve_instance, verify

    instance = mid_size_instance(3)
    first = solve_instance(instance)
    again = solve_instance(instance)
    assert first.solution.status is Status.OPTIMAL
    assert "reduced-cost fixing" in str(first.solution.phases[-1].get("note", ""))
    assert np.array_equal(first.solution.x, again.solution.x)
    report = verify(instance, first)
    assert report.ok, report.text()


def test_small_models_are_not_reduced() -> None:
    model = covering_model([5, 3, 1], [[0], [1, 2], [2]], 1)
    assert not worth_reducing(model, GREEDY_MIN_NONZEROS)
    assert not worth_reducing(replace(model, integer=np.zeros(6, bool)), GREEDY_MIN_NONZEROS)


def test_benchmark_row_compares_both_solves_of_one_case() -> None:
    """benchmarks.perf_reduce: one row per case, both solves proven, the same optimum."""
    from benchmarks.perf_reduce import run_case

    row = run_case("mid-4", lambda: mid_size_instance(4), repeats=1)
    assert row["reduced_status"] == row["full_status"] == "optimal"
    assert row["same_optimum"] is True
    assert row["reduced_objective"] == pytest.approx(row["full_objective"])
    assert row["lp_s"] > 0 and row["kernel_s"] > 0 and "integer columns fixed" in row["note"]
    assert row["ratio"] == pytest.approx(row["reduced_s"] / row["full_s"], rel=1e-2)


def test_the_largest_models_are_not_reduced() -> None:
    """Above REDUCE_MAX_NONZEROS the LP costs more than the fixing repays (10,000-sector rung)."""
    from optimizer.model.reduce import REDUCE_MAX_NONZEROS

    n = 1_000
    A = sp.random(n, n, density=(REDUCE_MAX_NONZEROS + 1_000) / n**2, random_state=1, format="csr")
    model = MatrixModel(
        c=np.ones(n), A=A, row_lo=np.full(n, -INF), row_hi=np.ones(n), col_lo=np.zeros(n),
        col_hi=np.ones(n), integer=np.ones(n, bool),
    )  # fmt: skip
    assert A.nnz > REDUCE_MAX_NONZEROS and not worth_reducing(model, GREEDY_MIN_NONZEROS)
    dense_enough = replace(model, A=A[: n // 2])
    assert REDUCE_MIN_NONZEROS <= dense_enough.A.nnz < REDUCE_MAX_NONZEROS
    assert worth_reducing(replace(dense_enough, row_lo=model.row_lo[: n // 2],
                                  row_hi=model.row_hi[: n // 2]), GREEDY_MIN_NONZEROS)  # fmt: skip


def test_lp_method_follows_whether_placing_nothing_is_feasible() -> None:
    """Maximum coverage: nothing placed is a plan (primal simplex starts there); set covering:
    it is not (every row needs a column)."""
    from optimizer.model.reduce import lower_bounds_feasible

    coverage = covering_model([5, 3, 1], [[0], [1, 2], [2]], 1)
    assert lower_bounds_feasible(coverage)
    cover_rows = replace(coverage, row_lo=np.ones(4), row_hi=np.full(4, INF))
    assert not lower_bounds_feasible(cover_rows)


def test_too_little_fixed_solves_the_model_as_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the fixing removes too small a share, the solver gets the full model without the
    kernel start (a different start only moves the solver's path), and says so."""
    import importlib

    solve_module = importlib.import_module("optimizer.model.solve")
    instance = mid_size_instance(5)
    full = solve(instance, options=SolverOptions(reduce=False))
    monkeypatch.setattr(solve_module, "REDUCE_MIN_FIXED_SHARE", 1.01)  # never enough
    fallback = solve(instance)
    assert fallback.status is Status.OPTIMAL and fallback.objective == pytest.approx(full.objective)
    names = [str(p["phase"]) for p in fallback.phases]
    assert names[0] == "coverage (LP bound)" and names[-1] == "coverage"
    kernel_or_last = [str(p.get("note", "")) for p in fallback.phases]
    assert any(n.endswith("too few, the model is solved as built") for n in kernel_or_last)
    assert "reduced-cost fixing" not in str(fallback.phases[-1].get("note", ""))
