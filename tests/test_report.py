"""posture report: run folders drawn into map, GeoJSON and a self-contained brief."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import main

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "instances" / "baseline.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A baseline run folder, solved once for the module (never drawn into)."""
    out = tmp_path_factory.mktemp("runs")
    code, _, err = run("solve", str(BASELINE), "--out", str(out))
    assert code == 0, err
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return folder


@pytest.fixture()
def run_folder(solved: Path, tmp_path: Path) -> Path:
    """A private copy of the baseline run folder."""
    return Path(shutil.copytree(solved, tmp_path / solved.name))


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A baseline run folder written by `posture solve --report`."""
    out = tmp_path_factory.mktemp("reported")
    code, stdout, err = run("solve", str(BASELINE), "--out", str(out), "--report")
    assert code == 0, err
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    (out / "stdout.txt").write_text(stdout)  # beside the run folder, not in it
    return folder


def test_solve_report_names_brief_and_map_last(reported: Path) -> None:
    """`posture solve --report` ends by naming map.png and brief.html (V5)."""
    lines = (reported.parent / "stdout.txt").read_text().strip().splitlines()
    assert lines[-2] == f"map         {reported / 'map.png'}"
    assert lines[-1] == f"brief       {reported / 'brief.html'}"
    assert (reported / "brief.html").is_file() and (reported / "map.png").is_file()


def test_solve_report_refuses_no_write() -> None:
    code, _, err = run("solve", str(BASELINE), "--no-write", "--report")
    assert code == 2 and "--no-write" in err


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_report_adds_its_files_and_changes_none(run_folder: Path) -> None:
    """The run's own files are byte-identical after report; map, GeoJSON and brief are added."""
    before = _digests(run_folder)
    code, out, err = run("report", str(run_folder))
    assert code == 0, err
    after = _digests(run_folder)
    assert {k: after[k] for k in before} == before
    added = set(after) - set(before)
    assert {"map.png", "map.svg", "plan.geojson", "brief.html"} <= added
    assert all(
        n in {"map.png", "map.svg", "plan.geojson", "brief.html"} or n.startswith("chart-")
        for n in added
    )
    assert not [n for n in after if n.startswith(".tmp")]
    lines = out.strip().splitlines()
    assert lines[-1].endswith("brief.html") and lines[-2].endswith("map.png")


def test_report_again_gives_the_same_files(reported: Path, tmp_path: Path) -> None:
    """Drawing is deterministic: reporting again writes the same map, GeoJSON and brief."""
    folder = Path(shutil.copytree(reported, tmp_path / reported.name))
    first = _digests(folder)
    assert run("report", str(folder))[0] == 0
    second = _digests(folder)
    for name in ("map.png", "map.svg", "plan.geojson", "brief.html"):
        assert first[name] == second[name], name


def test_brief_is_self_contained(reported: Path) -> None:
    """brief.html loads nothing: no http(s) or protocol-relative src/href, images inline."""
    text = (reported / "brief.html").read_text()
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", text)
    assert refs, "the brief has no images"
    assert all(r.startswith("data:") for r in refs), [
        r[:40] for r in refs if not r.startswith("data:")
    ]
    assert "@import" not in text and "url(" not in text
    assert text.count("data:image/png;base64,") >= 2  # map and at least one chart
    record = json.loads((reported / "run.json").read_text())
    assert record["reproduce"] in text.replace("&#x27;", "'")
    for figure in ("85 of 777 mi", "43.0 %", "What binds", "sectors.csv", "plan.csv"):
        assert figure in text


def _features(folder: Path) -> list[dict]:
    data = json.loads((folder / "plan.geojson").read_text())
    assert data["type"] == "FeatureCollection"
    return data["features"]


def test_geojson_is_valid_and_complete(reported: Path) -> None:
    """Every sector, station, base and plan row is a feature; coordinates are lon, lat."""
    instance = json.loads((reported / "instance.json").read_text())
    features = _features(reported)
    for f in features:
        assert f["type"] == "Feature" and set(f) == {"type", "geometry", "properties"}
        geometry = f["geometry"]
        assert geometry["type"] in ("Point", "LineString")
        points = (
            [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"]
        )
        if geometry["type"] == "LineString":
            assert len(points) >= 2
        for lon, lat in points:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    by_kind: dict[str, dict[str, dict]] = {}
    for f in features:
        props = f["properties"]
        by_kind.setdefault(props["feature"], {})[str(props.get("id"))] = f
    assert set(by_kind["sector"]) == {s["id"] for s in instance["sectors"]}
    assert set(by_kind["station"]) == {s["id"] for s in instance["stations"]}
    assert set(by_kind["base"]) == {b["id"] for b in instance["bases"]}
    # coordinate order: the feature's first coordinate is the instance's (lon, lat)
    for s in instance["sectors"]:
        geometry = by_kind["sector"][s["id"]]["geometry"]
        if s["kind"] in ("front", "sea"):
            assert geometry["type"] == "LineString"
            assert geometry["coordinates"][0] == [s["start"][1], s["start"][0]]
            assert geometry["coordinates"][1] == [s["end"][1], s["end"][0]]
        else:
            assert geometry["coordinates"] == [s["lon"], s["lat"]]
    for b in instance["bases"]:
        assert by_kind["base"][b["id"]]["geometry"]["coordinates"] == [b["lon"], b["lat"]]
    plan_rows = (reported / "plan.csv").read_text().strip().splitlines()[1:]
    links = [f for f in features if f["properties"]["feature"] == "link"]
    assert len(links) == len(plan_rows)
    posts = sum(f["properties"]["posts"] for f in by_kind["station"].values())
    assert posts == sum(f["properties"]["stations"] for f in links)


def test_geojson_coverage_matches_sectors_csv(reported: Path) -> None:
    """Sector features carry the run's coverage, as sectors.csv has it."""
    import pandas as pd

    sectors = pd.read_csv(reported / "sectors.csv").set_index("sector")
    for f in _features(reported):
        props = f["properties"]
        if props["feature"] == "sector":
            assert props["coverage"] == pytest.approx(sectors.loc[props["id"], "coverage"])


def test_not_a_run_folder_is_exit_2(tmp_path: Path) -> None:
    """A folder that no posture command wrote: one line, exit 2."""
    (tmp_path / "notes.txt").write_text("hello")
    code, _, err = run("report", str(tmp_path))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "not a posture run folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_missing_folder_is_exit_2(tmp_path: Path) -> None:
    code, _, err = run("report", str(tmp_path / "nowhere"))
    assert code == 2 and "no such folder" in err


def test_folder_from_another_version_is_exit_2(run_folder: Path) -> None:
    """A run folder written by another major version is refused, and nothing is written."""
    record = json.loads((run_folder / "run.json").read_text())
    record["package_version"] = "7.0.0"
    (run_folder / "run.json").write_text(json.dumps(record))
    before = sorted(p.name for p in run_folder.iterdir())
    code, _, err = run("report", str(run_folder))
    assert code == 2 and "written by posture 7.0.0" in err
    assert len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in run_folder.iterdir()) == before


def test_table_without_its_columns_is_exit_2(run_folder: Path) -> None:
    """A sectors.csv without its coverage column names the file and the column."""
    path = run_folder / "sectors.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(line.replace("coverage", "cover", 1) for line in lines[:1]) + "\n")
    code, _, err = run("report", str(run_folder))
    assert code == 2 and "sectors.csv" in err and "'coverage'" in err


def test_unfinished_run_folder_is_exit_2(run_folder: Path) -> None:
    (run_folder / "plan.csv").unlink()
    code, _, err = run("report", str(run_folder))
    assert code == 2 and "plan.csv" in err
