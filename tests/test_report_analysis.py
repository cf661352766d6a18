"""posture report on analysis folders, built by hand: each kind draws its chart, degrades when
a table is missing, and never changes the folder's own files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer import __version__
from optimizer.cli import main


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def marker(kind: str, **fields: object) -> str:
    return json.dumps({"package_version": __version__, "instance": "tiny", **fields})


def report(folder: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["report", str(folder)])
    return result.exit_code, result.stdout, result.stderr


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


FOLDERS: dict[str, tuple[dict[str, str], str, str]] = {
    # kind: (files, chart written, text the brief must contain)
    "contributions": (
        {
            "contributions.json": marker("contributions", v_all=12.5, v_none=0.0),
            "shapley.csv": "nation,value,stderr\nUS,7.5,0\nUK,5.0,0\n",
            "summary.md": "Shapley values add up to 12.5\n",
        },
        "chart-contributions.png",
        "Shapley values add up to 12.5",
    ),
    "attack": (
        {
            "attack.json": marker("attack"),
            "worst.csv": "k,removed,objective,status\n0,,10,optimal\n1,B1,6,optimal\n"
            "2,B1 B2,2.5,optimal\n",
        },
        "chart-strike-curve.png",
        "B1 B2",
    ),
    "tradeoff": (
        {
            "tradeoff.json": marker("tradeoff", axes=["front", "air"]),
            "frontier.csv": "epsilon,front_points,air_points,sea_points,status\n"
            "0,70,20,40,optimal\n1,50,50,40,optimal\n2,20,70,40,optimal\n",
            "budget.csv": "budget,objective,status\n100,50,optimal\n200,90,optimal\n",
        },
        "chart-frontier.png",
        "Pareto frontier: front points against air points",
    ),
    "montecarlo": (
        {
            "montecarlo.json": marker("montecarlo", samples=200),
            "quantiles.csv": "figure,p10,p50,p90\nobjective,140,150,160\nfront_pct,50,60,70\n",
        },
        "chart-quantiles.png",
        "quantiles.csv",
    ),
    "sweep": (
        {
            "sweep.json": json.dumps(
                {
                    "kind": "posture-sweep",
                    "package_version": __version__,
                    "instance_file": "tiny.yaml",
                    "varies": [{"path": "pools.P.units", "values": ["0", "4", "8"]}],
                    "solver": "highs",
                    "options": {"gap": 1e-6, "threads": 1, "seed": 0},
                }
            ),
            "cases.csv": "case,pools.P.units,status,objective,front_pct,air_coverage\n"
            "0,0,optimal,0,0,0\n1,4,optimal,5,40,0.5\n2,8,optimal,9,80,0.9\n",
        },
        "chart-sweep.png",
        "posture sweep tiny.yaml --vary pools.P.units=0,4,8",
    ),
    "compare": (
        {
            "compare.md": "# Compare\n\nA = run-a\nB = run-b\n",
            "summary.csv": "figure,a,b,b_minus_a\nobjective,10,8,-2\n",
            "sectors.csv": "sector,kind,name,length,coverage_a,coverage_b,change,length_change\n"
            "F1,front,one,40,1,0.5,-0.5,-20\n",
        },
        "chart-differences.png",
        "B = run-b",
    ),
    "sensitivity": (
        {
            "sensitivity.json": json.dumps(
                {
                    "kind": "posture-sensitivity",
                    "package_version": __version__,
                    "instance_file": "tiny.yaml",
                    "request": {"tables": ["s1", "s4"], "tornado": [], "force_steps": 3},
                }
            ),
            "s1_us_participation.csv": "us_participation,front_pct,air_coverage,sea_coverage,"
            "front_miles_covered\nnone,20,0.2,0.5,10\nfull,60,0.8,0.9,30\n",
            "s4_tornado.csv": "field,base_value,low,high,obj_change_low,obj_change_high,swing,"
            "front_miles_swing,source\nscenario.roe_distance_km,100,0,150,3,-2,5,12,facts 8 C\n",
        },
        "chart-tornado.png",
        "range from: facts 8 C",
    ),
}


@pytest.mark.parametrize("kind", sorted(FOLDERS))
def test_analysis_folder_is_drawn(kind: str, tmp_path: Path) -> None:
    """Each analysis folder gets its chart and a brief; its own files stay as they were."""
    files, chart, text = FOLDERS[kind]
    folder = write(tmp_path / kind, files)
    before = digests(folder)
    code, out, err = report(folder)
    assert code == 0, err
    after = digests(folder)
    assert {k: after[k] for k in before} == before
    assert (folder / chart).is_file() and (folder / chart.replace(".png", ".svg")).is_file()
    brief = (folder / "brief.html").read_text()
    assert text in brief.replace("&#x27;", "'")
    assert out.strip().splitlines()[-1] == f"brief       {folder / 'brief.html'}"
    if kind == "tradeoff":
        assert (folder / "chart-budget.png").is_file()


@pytest.mark.parametrize("kind", ["contributions", "attack", "tradeoff", "montecarlo"])
def test_analysis_marker_without_its_table_still_briefs(kind: str, tmp_path: Path) -> None:
    """A marker whose table is absent (an older or partial folder): a brief, no chart."""
    files, chart, _ = FOLDERS[kind]
    folder = write(tmp_path / kind, {f"{kind}.json": files[f"{kind}.json"]})
    code, _, err = report(folder)
    assert code == 0, err
    assert (folder / "brief.html").is_file() and not (folder / chart).exists()


def test_unknown_analysis_kind_is_exit_2(tmp_path: Path) -> None:
    folder = write(tmp_path / "x", {"run.json": json.dumps({"kind": "posture-unheard-of"})})
    code, _, err = report(folder)
    assert code == 2 and "unheard-of" in err and len(err.strip().splitlines()) == 1
