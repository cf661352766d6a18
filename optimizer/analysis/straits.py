"""F6 / S3: the straits policy is an assumption, so a solve shows both policies side by side.

Turkiye has applied Montreux Art. 19 (belligerents' warships barred) since 27-28 Feb 2022;
whether it lifts after a ceasefire is open (../shared/reference/facts.md §4). The plan answers
the instance's ``scenario.straits``; the other policy is a full re-solve of the same instance
with only that switch flipped, on the same solver and options, reported in the same figures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from optimizer.instance.schema import Instance, Straits
from optimizer.model.evaluate import coverage
from optimizer.model.solve import Solution
from optimizer.results.dependency import plan_figures

ASSUMPTION = "Art. 19 applied since Feb 2022 (facts 4: TWZ; DSN; FXL); open after a ceasefire"


def applies(instance: Instance) -> bool:
    """Only an instance with Black Sea stations has a straits question to answer."""
    return any(s.in_black_sea for s in instance.stations)


def both_policies(
    solution: Solution, solve: Callable[[Instance], Solution | None]
) -> dict[str, Any] | None:
    """The plan's figures under its policy and the re-planned figures under the other."""
    instance = solution.instance
    if solution.x is None or not applies(instance):
        return None
    current = instance.scenario.straits
    other = Straits.CLOSED if current is Straits.MONTREUX else Straits.MONTREUX
    counts = np.round(solution.x[solution.formulation.x_slice])
    here = plan_figures(solution.data, coverage(solution.data, counts), solution.objective)
    flipped = solve(instance.with_scenario(straits=other.value))
    if flipped is None:  # past the shared time limit
        there: dict[str, Any] = {"status": "not run (time limit)"}
    else:
        there = {"status": flipped.status.value}
    if flipped is not None and flipped.x is not None:
        c = np.round(flipped.x[flipped.formulation.x_slice])
        there |= plan_figures(flipped.data, coverage(flipped.data, c), flipped.objective)
    return {
        "assumed": current.value,
        "assumption": ASSUMPTION,
        current.value: {"status": solution.status.value, **here},
        other.value: there,
    }
