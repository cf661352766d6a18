"""The adversary and coalition analyses of the library API (SPEC 9 A4, A6; 10 D1-D3).

    import optimizer as po

    inst = po.load("instances/baseline.yaml")
    c = po.contributions(inst, permutations=30, jobs=2)   # c.shapley, c.leave_one_out, c.worst
    a = po.attack(inst, bases=2, robust=True)             # a.worst, a.replans, a.robust
    t = po.tradeoff(inst, axes=("front", "air"))          # t.frontier, t.budget
    m = po.montecarlo(inst, samples=200, jobs=2)          # m.quantiles, m.correlations

Each takes an in-memory instance (or an instance file) and the options the command line takes;
every variant is solved on the sweep executors exactly as ``posture solve --set`` would solve
it. ``out`` writes the command's analysis folder there as well.
"""

from __future__ import annotations

from pathlib import Path

from optimizer.analysis.attack import Attack
from optimizer.analysis.batch import base_of
from optimizer.analysis.cases import CaseBase
from optimizer.analysis.contributions import EXACT_MAX, Contributions
from optimizer.analysis.montecarlo import MonteCarlo
from optimizer.analysis.tradeoff import Tradeoff
from optimizer.instance.schema import Instance
from optimizer.solvers import DEFAULT_BACKEND, SolverOptions


def _base(
    instance: Instance | str | Path,
    solver: str,
    time_limit: float | None,
    gap: float,
    threads: int,
    seed: int,
) -> CaseBase:
    options = SolverOptions(time_limit=time_limit, gap=gap, threads=threads, seed=seed)
    return base_of(instance, solver.lower(), options)


def contributions(
    instance: Instance | str | Path,
    *,
    backstop: str = "us",
    exact_max: int = EXACT_MAX,
    permutations: int = 50,
    sample_seed: int = 0,
    worst: int = 3,
    method: str = "cutting-planes",
    solver: str = DEFAULT_BACKEND,
    time_limit: float | None = None,
    gap: float = 1e-6,
    threads: int = 1,
    seed: int = 0,
    jobs: int = 1,
    scheduler: str | None = None,
) -> Contributions:
    """Leave-one-out, Shapley values and worst withdrawals (optimizer.analysis.contributions)."""
    from optimizer.analysis.contributions import contributions as run

    return run(
        _base(instance, solver, time_limit, gap, threads, seed),
        backstop=backstop,
        exact_max=exact_max,
        permutations=permutations,
        seed=sample_seed,
        worst_k=worst,
        method=method,
        jobs=jobs,
        scheduler=scheduler,
    )


def attack(
    instance: Instance | str | Path,
    *,
    bases: int | None = None,
    ships: int | None = None,
    method: str = "cutting-planes",
    check_up_to: int = 0,
    robust: bool = False,
    solver: str = DEFAULT_BACKEND,
    time_limit: float | None = None,
    gap: float = 1e-6,
    threads: int = 1,
    seed: int = 0,
    jobs: int = 1,
    scheduler: str | None = None,
) -> Attack:
    """The worst strikes of k = 1..K bases (``bases=K``) or ships (``ships=K``)."""
    from optimizer.analysis.attack import attack as run

    if (bases is None) == (ships is None):
        raise ValueError("give exactly one of bases=K or ships=K")
    kind, k = ("bases", bases) if bases is not None else ("ships", ships)
    assert k is not None
    return run(
        _base(instance, solver, time_limit, gap, threads, seed),
        kind=kind,
        k_max=k,
        method=method,
        check_up_to=check_up_to,
        jobs=jobs,
        scheduler=scheduler,
        robust=robust,
    )


def tradeoff(
    instance: Instance | str | Path,
    *,
    axes: tuple[str, str] = ("front", "air"),
    points: int = 9,
    budget_points: int = 9,
    solver: str = DEFAULT_BACKEND,
    time_limit: float | None = None,
    gap: float = 1e-6,
    threads: int = 1,
    seed: int = 0,
    jobs: int = 1,
    scheduler: str | None = None,
) -> Tradeoff:
    """The Pareto frontier of two kinds of coverage and the objective against budget."""
    from optimizer.analysis.tradeoff import tradeoff as run

    return run(
        _base(instance, solver, time_limit, gap, threads, seed),
        axes=axes,
        steps=points,
        budget_steps=budget_points,
        jobs=jobs,
        scheduler=scheduler,
    )


def montecarlo(
    instance: Instance | str | Path,
    *,
    samples: int = 100,
    sample_seed: int = 0,
    distribution: str = "uniform",
    out: str | Path = "results",
    solver: str = DEFAULT_BACKEND,
    time_limit: float | None = None,
    gap: float = 1e-6,
    threads: int = 1,
    seed: int = 0,
    jobs: int = 1,
    scheduler: str | None = None,
) -> MonteCarlo:
    """Draws of the instance's uncertainty ranges, each solved; quantiles and correlations.
    The draws are written as they finish to a folder under ``out`` (it can be resumed)."""
    from optimizer.analysis.montecarlo import run_montecarlo

    return run_montecarlo(
        _base(instance, solver, time_limit, gap, threads, seed),
        samples=samples,
        seed=sample_seed,
        distribution=distribution,
        results_dir=out,
        jobs=jobs,
        scheduler=scheduler,
    )


__all__ = ["attack", "contributions", "montecarlo", "tradeoff"]
