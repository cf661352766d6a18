"""The quick benchmark tier (CI regression): known optima reached, every plan verified.

HiGHS on OR-Library sets 4 and E, Swain's grid, SJC324 with p in {5, 10} and every posture
instance; CBC and OR-Tools on sets 4 and E. All tasks share one pool of two processes, the
slowest (set E) submitted first. Every row must reach the known value with a plan verified by
the independent checker from the run folder, and be proven optimal, with one exception: SCIP
(the OR-Tools backend) needs 8-34 s per set-E instance to prove what it finds within a second
(95 s for the set, alone more than half of this file's budget), so there it runs under a
5-second limit and must reach the optimum, verified, with a bound that does not contradict it.
`posture bench --quick --solver ortools` proves them all.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from optimizer.bench.runner import Row, run_tasks
from optimizer.bench.session import default_instances_dir
from optimizer.bench.suites import collect
from optimizer.bench.table import summary_text
from optimizer.solvers import SolverOptions

OTHER_BACKENDS = ("cbc", "ortools")
CAPPED = ("E", "ortools")  # (set, backend) run under a time limit, see the module docstring
CAP_SECONDS = 5.0


def capped(row: Row) -> bool:
    return (row.group, row.solver) == CAPPED


@pytest.fixture(scope="module")
def quick_rows(benchmarks_dir: Path) -> list[Row]:
    instances = default_instances_dir()
    orlib = collect(["orlib"], benchmarks_dir, instances, quick=True)
    rest = collect(["mclp", "posture"], benchmarks_dir, instances, quick=True)
    tasks = [(c, s) for c in orlib for s in ("highs", *OTHER_BACKENDS)]
    tasks = [
        (replace(c, time_limit=CAP_SECONDS, must_reach=False) if (c.group, s) == CAPPED else c, s)
        for c, s in tasks
    ]
    tasks += [(c, "highs") for c in rest]
    tasks.sort(key=lambda t: (t[0].group != "E", t[1] != "ortools"))  # longest first
    rows = run_tasks(tasks, SolverOptions(), jobs=2)
    print("\n" + summary_text(rows))
    return rows


def test_quick_tier_selection(quick_rows: list[Row]) -> None:
    orlib = {r.instance for r in quick_rows if r.suite == "orlib"}
    assert orlib == {f"scp4{i}" for i in range(1, 11)} | {f"scpe{i}" for i in range(1, 6)}
    mclp = {r.instance for r in quick_rows if r.suite == "mclp"}
    assert len(mclp) == 16 and "SJC324-p10-S1200" in mclp and "SJC324-p2-S800" not in mclp
    assert {r.solver for r in quick_rows if r.suite == "orlib"} == {"highs", "cbc", "ortools"}


def test_quick_tier_reaches_every_known_optimum(quick_rows: list[Row]) -> None:
    known = [r for r in quick_rows if r.known is not None]  # unrecorded posture: see below
    bad = [r for r in known if r.failed or r.verdict != "ok"]
    assert not bad, "\n".join(f"{r.instance} {r.solver}: {r.verdict} {r.note}" for r in bad)
    for r in known:
        assert r.verified is True and r.found == pytest.approx(r.known, abs=1e-6), r.instance
        if capped(r):
            assert r.status in ("optimal", "time_limit") and r.bound <= r.known + 1e-6
        else:
            assert r.status == "optimal", f"{r.instance} {r.solver}: {r.status}"


def test_quick_tier_values(quick_rows: list[Row]) -> None:
    """A few of the known values, written out: the table is not comparing a value to itself."""
    found = {(r.instance, r.solver): r.found for r in quick_rows}
    assert found[("scp41", "highs")] == 429
    assert found[("scp410", "cbc")] == 514
    assert found[("scpe3", "ortools")] == 5
    assert found[("swain-p5-S8", "highs")] == 564
    assert found[("SJC324-p5-S800", "highs")] == 12152


def test_posture_instances_have_recorded_values(quick_rows: list[Row]) -> None:
    posture = [r for r in quick_rows if r.suite == "posture"]
    if not posture:
        pytest.skip(f"no posture instances in {default_instances_dir()} yet")
    unrecorded = [r.instance for r in posture if r.known_status != "recorded"]
    assert not unrecorded, f"no value in instances/expected.csv for {unrecorded}: record them"
    assert all(r.status == "optimal" and r.verified for r in posture)
