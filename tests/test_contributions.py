"""Contributions (SPEC 9 A4): Shapley values by hand, efficiency, null players, worst withdrawals.

The hand-checked game: three front sectors F0, F1, F2 a degree apart, each needing one air
patrol; a base on each sector, every pool reaching only its own bases' sector (50 km radius).
    UK  one station from B0            -> F0
    US  one station from B0 or B1      -> F0 or F1
    DE  one station from B2, needs the US backstop -> F2
v(∅)=0, v(UK)=v(US)=1, v(DE)=0 (no US, no backstop), v(UK,US)=2, v(UK,DE)=1, v(US,DE)=2,
v(all)=3. Shapley: UK 1; US 1/3·1 + 1/6·1 + 1/6·2 + 1/3·2 = 1.5; DE 1/6·1 + 1/3·1 = 0.5.
Without the backstop rule (the scenario's US level holds): every nation adds exactly 1.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.analysis.batch import Batch, base_of
from optimizer.analysis.contributions import Game, contributions, shapley_exact, worst_withdrawals
from tests.builders import front, make, on, pool
from tests.strategies import PROFILE, small_instances


def base_at(sector: dict, bid: str) -> dict:
    return {
        "id": bid,
        "country": "PL",
        "lat": sector["lat"],
        "lon": sector["lon"],
        "capacity": {"aircraft": 100},
    }


def three_nations(extra_nation: bool = False):
    sectors = [front(i) for i in range(3)]
    bases = [base_at(s, f"B{i}") for i, s in enumerate(sectors)]
    near = {"radius_km": 50.0}
    pools = [
        pool("UK-P", "UK", units=1, ups=1, bases=["B0"], **near),
        pool("US-P", "US", units=1, ups=1, bases=["B0", "B1"], **near),
        pool("DE-P", "DE", units=1, ups=1, bases=["B2"], **near),
    ]
    nations = [
        {"id": "UK"},
        {"id": "US"},
        {"id": "DE", "requires_us_backstop": True},
    ]
    if extra_nation:  # a nation whose only pool has no station to take: a null player
        nations.append({"id": "NL"})
        pools.append(pool("NL-P", "NL", capability="isr", units=1, ups=1, bases=["B0"]))
    return make(sectors, [on(s) for s in sectors], pools, bases=bases, nations=nations)


def values(result) -> dict[str, float]:
    return dict(zip(result.shapley["nation"], result.shapley["value"], strict=True))


def test_shapley_by_hand_with_the_us_backstop() -> None:
    result = contributions(base_of(three_nations()), worst_k=2)
    assert result.exact
    assert result.v_all == pytest.approx(3.0)
    assert result.v_none == pytest.approx(0.0)
    phi = values(result)
    assert phi["UK"] == pytest.approx(1.0)
    assert phi["US"] == pytest.approx(1.5)
    assert phi["DE"] == pytest.approx(0.5)  # useful only together with the US
    assert (result.shapley["stderr"] == 0).all()
    # front miles: 40 per sector covered
    front_phi = dict(zip(result.shapley["nation"], result.shapley["front_miles"], strict=True))
    assert front_phi["US"] == pytest.approx(60.0)
    # leave one out: without the US, DE is out too
    loo = result.leave_one_out.set_index(["kind", "id"])["loss"]
    assert loo[("nation", "US")] == pytest.approx(2.0)
    assert loo[("nation", "UK")] == pytest.approx(1.0)  # the US covers F0 or F1, not both
    assert loo[("pool", "DE-P")] == pytest.approx(1.0)
    # the worst withdrawals, exact
    worst = result.worst.set_index("k")
    assert worst.loc[1, "removed"] == "US" and worst.loc[1, "loss"] == pytest.approx(2.0)
    assert set(worst.loc[2, "removed"].split()) == {"UK", "US"}
    assert worst.loc[2, "loss"] == pytest.approx(3.0)
    assert (worst["status"] == "optimal").all()


def test_shapley_without_the_backstop_rule() -> None:
    phi = values(contributions(base_of(three_nations()), backstop="scenario", worst_k=0))
    assert phi == pytest.approx({"UK": 1.0, "US": 1.0, "DE": 1.0})


def test_null_player_gets_zero_and_is_not_enumerated() -> None:
    result = contributions(base_of(three_nations(extra_nation=True)), worst_k=0)
    assert "NL" not in result.players
    assert values(result)["NL"] == 0.0
    assert result.shapley["value"].sum() == pytest.approx(3.0)


def test_sampled_shapley_adds_up_and_is_seeded() -> None:
    base = base_of(three_nations())
    one = contributions(base, exact_max=0, permutations=7, seed=3, worst_k=0)
    two = contributions(base, exact_max=0, permutations=7, seed=3, worst_k=0)
    assert not one.exact and one.permutations == 7
    assert one.shapley["value"].sum() == pytest.approx(one.v_all - one.v_none)
    assert one.shapley.equals(two.shapley)
    # every marginal of UK is 1: no spread, and the estimate is exact
    uk = one.shapley.set_index("nation").loc["UK"]
    assert uk["value"] == pytest.approx(1.0) and uk["stderr"] == pytest.approx(0.0)


def _with_null(instance):
    """The instance plus a nation whose pool is usable but adds nothing (a station on a
    sector of weight 0 that no one else needs)."""
    data = instance.model_dump(mode="json")
    data["nations"].append({"id": "ZZ"})
    data["capabilities"].append({"id": "liaison", "asset_class": "aircraft"})
    data["sectors"].append(
        {
            "id": "KZ",
            "kind": "air",
            "lat": 40.0,
            "lon": 15.0,
            "weight": 0.0,
            "requirements": {"liaison": 1},
        }
    )
    data["stations"].append(
        {"id": "SZ", "capability": "liaison", "lat": 40.0, "lon": 15.0, "covers": ["KZ"]}
    )
    data["pools"].append(
        {
            "id": "ZZ-P",
            "nation": "ZZ",
            "capability": "liaison",
            "units": 1,
            "bases": [data["bases"][0]["id"]],
        }
    )
    data["bases"][0]["capacity"] = {**data["bases"][0].get("capacity", {}), "aircraft": 30}
    return type(instance).model_validate(data)


@settings(PROFILE, max_examples=30)
@given(small_instances(), st.sampled_from(["us", "scenario"]))
def test_efficiency_and_null_player_on_generated_instances(instance, backstop) -> None:
    instance = _with_null(instance)
    base = base_of(instance)
    game = Game.of(instance, backstop)
    batch = Batch(base)
    phi, phi_f = shapley_exact(game, batch)
    everyone = batch.one(game.overrides(game.players))
    nobody = batch.one(game.overrides(()))
    assert phi.sum() == pytest.approx(everyone["objective"] - nobody["objective"], abs=1e-6)
    assert phi_f.sum() == pytest.approx(
        everyone["front_miles_covered"] - nobody["front_miles_covered"], abs=1e-6
    )
    assert "ZZ" in game.players  # usable, but adds nothing
    assert phi[game.players.index("ZZ")] == pytest.approx(0.0, abs=1e-6)


@settings(PROFILE, max_examples=30)
@given(small_instances())
def test_worst_withdrawals_cutting_planes_equal_enumeration(instance) -> None:
    base = base_of(instance)
    game = Game.of(instance)
    batch = Batch(base)
    k_max = min(2, len(game.players))
    if k_max == 0:
        return
    everyone = batch.one(game.overrides(game.players))
    v, f = everyone["objective"], everyone["front_miles_covered"]
    cuts = worst_withdrawals(game, batch, k_max, "cutting-planes", v, f)
    enum = worst_withdrawals(game, Batch(base), k_max, "enumeration", v, f)
    assert np.allclose(cuts["objective"], enum["objective"], atol=1e-6)
    assert (cuts["status"] == "optimal").all()


def test_cli_writes_the_folder_and_json(tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from optimizer.cli import main

    path = tmp_path / "three.yaml"
    path.write_text(json.dumps(three_nations().model_dump(mode="json")))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["contributions", str(path), "--worst", "1", "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["v_all"] == pytest.approx(3.0) and payload["v_none"] == pytest.approx(0.0)
    by_nation = {s["nation"]: s for s in payload["shapley"]}
    assert by_nation["US"]["value"] == pytest.approx(1.5) and by_nation["US"]["stderr"] == 0
    folder = out / next(p.name for p in out.iterdir())
    for name in ("contributions.json", "shapley.csv", "leave_one_out.csv", "worst_coalitions.csv"):
        assert (folder / name).is_file()
    bad = CliRunner().invoke(main, ["contributions", str(path), "--set", "scenario.objective=x"])
    assert bad.exit_code == 2


def test_flat_api() -> None:
    import optimizer as po

    result = po.contributions(three_nations(), worst=1)
    assert result.v_all == pytest.approx(3.0)
    strike = po.attack(three_nations(), bases=1)
    assert strike.worst["objective"].iloc[0] == pytest.approx(2.0)  # B0: UK lost, US to F1
