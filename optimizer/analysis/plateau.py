"""What caps a plan: why more force stops buying coverage (A7, the flat parts of the force curve).

Read from the plan and the model rows, not guessed: the limits the plan sits on (resource rows
at their bound: posts' room, base capacity, tanker support, US share, escalation budget,
Montreux tonnage, budget), and the capability that binds where coverage is missing, weighted
by the points missing there. A binding capability whose pools still have whole stations to
spare cannot use them: no admissible post is left (range C3, politics and ROE C9, the posts'
room), which the text says.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from optimizer.model.diagnose import row_labels
from optimizer.model.evaluate import coverage
from optimizer.model.solve import Solution

TOL = 1e-6


def limits_at_bound(solution: Solution) -> list[str]:
    """Readable names of the resource rows the plan sits on (pools' own C1 rows left out)."""
    f = solution.formulation
    assert solution.x is not None
    m = f.matrix
    activity = m.A @ solution.x
    out = []
    for i, (family, label) in row_labels(f).items():
        hi = m.row_hi[i]
        if label.startswith("pool ") or not np.isfinite(hi) or hi <= 0:
            continue
        if activity[i] >= hi - TOL * max(1.0, abs(hi)):
            out.append(f"{family} {label}")
    return out


def binding_capability(solution: Solution) -> tuple[str | None, float, bool]:
    """The capability that binds on most missing points; whether its pools have spare stations."""
    data = solution.data
    assert solution.x is not None
    counts = np.round(solution.x[solution.formulation.x_slice])
    cov = coverage(data, counts)
    missing: dict[int, float] = {}
    for k in np.flatnonzero(cov.sector < 1 - TOL):
        pairs = np.flatnonzero(data.r_sector == k)
        c = int(data.r_cap[pairs[np.argmin(cov.capability[pairs])]])
        missing[c] = missing.get(c, 0.0) + float(data.k_weight[k] * (1 - cov.sector[k]))
    if not missing:
        return None, 0.0, False
    cap, points = max(missing.items(), key=lambda item: (item[1], -item[0]))
    inst = data.instance
    pool_cap = np.array([[c.id for c in inst.capabilities].index(p.capability) for p in inst.pools])
    # units each placed station takes at its own triple (F1: grows with distance)
    used = np.bincount(data.t_pool, weights=counts * data.t_units, minlength=len(data.p_units))
    # a station to spare: units left for one more at the pool's cheapest admissible triple
    fewest = np.full(len(data.p_units), np.inf)
    np.minimum.at(fewest, data.t_pool, data.t_units)
    spare = ((data.p_units - used) >= fewest - TOL) & (pool_cap == cap) & data.p_usable
    return data.instance.capabilities[cap].id, points, bool(spare.any())


def what_caps(solution: Solution) -> str:
    """One line: the binding capability and the limits at their bound."""
    if solution.x is None:
        return f"no plan ({solution.status.value})"
    cap, points, spare = binding_capability(solution)
    parts = []
    if cap is None:
        parts.append("every sector fully covered")
    else:
        why = (
            "its pools have stations to spare but no admissible post (range, ROE, posts' room)"
            if spare
            else "every station its pools offer is in use"
        )
        parts.append(f"{cap} binds on {points:.3g} missing pts ({why})")
    limits = limits_at_bound(solution)
    if limits:
        families = Counter(label.split(" ", 1)[0] for label in limits)
        shown = "; ".join(limits[:3]) + (f"; +{len(limits) - 3} more" if len(limits) > 3 else "")
        parts.append(f"at bound: {shown} ({', '.join(f'{k} x{v}' for k, v in families.items())})")
    return "; ".join(parts)
