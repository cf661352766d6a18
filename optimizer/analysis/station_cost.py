"""Units one 24/7 station of a pool takes, for counting a pool's offer in whole stations.

A pool with a fixed sustainment ratio takes ``units_per_station`` at every post. A pool with
time-on-station physics (F1: ``sortie`` or ``voyage``) takes a different number at each
admissible (base, post) triple, growing with distance. A pool's offer is counted at the
cheapest triple it has: the fewest units any admissible (base, post) of the pool takes for
one station, tanker-supported triples included. Its whole stations are then
``floor(units / that)``: the most stations its units could keep, an upper bound on what it
keeps at farther posts. Admissible means in the instance as given (range C3, US level C7,
politics and ROE C9, straits C10, stand-off F3, time-on-station floor F1); the pool's own size
is ignored here, so a pool too small for one station still has a price for one.
"""

from __future__ import annotations

import numpy as np

from optimizer.instance.schema import Instance

# a pool size no triple costs more than, so the size filter of the build keeps every triple
_UNLIMITED = 10**9


def cheapest_station_units(instance: Instance) -> tuple[float | None, ...]:
    """Per pool (instance order): the fewest units one station takes at any admissible triple.

    A fixed-ratio pool without an admissible triple keeps its ``units_per_station``; an F1 pool
    without one has no price (None: it offers no station).
    """
    from optimizer.model.data import compile_instance

    unlimited = instance.model_copy(
        update={"pools": tuple(p.model_copy(update={"units": _UNLIMITED}) for p in instance.pools)}
    )
    data = compile_instance(unlimited)
    fewest = np.full(len(instance.pools), np.inf)
    np.minimum.at(fewest, data.t_pool, data.t_units)
    out: list[float | None] = []
    for pool, units in zip(instance.pools, fewest.tolist(), strict=True):
        if np.isfinite(units):
            out.append(float(units))
        elif pool.sortie is None and pool.voyage is None:
            out.append(float(pool.units_per_station))
        else:
            out.append(None)
    return tuple(out)
