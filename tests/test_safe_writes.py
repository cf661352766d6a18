"""Safe writes: a run folder is complete or absent, never overwritten; Ctrl-C/SIGTERM exit 130.

The signal tests run ``posture solve`` in a subprocess on an instance that takes far longer
than the test (tests.strategies.hard_instance), send the signal while the solver's native code
runs, and check the exit code, the one-line message, how soon it came, and what is left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from optimizer.api import solve_instance
from optimizer.cli.interrupt import MESSAGE
from optimizer.results.writer import ACTIVE_TEMP_FOLDERS, write_folder, write_run
from tests.strategies import hard_instance, write_yaml

POSTURE = [sys.executable, "-m", "optimizer"]


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir()) if parent.exists() else []


def test_a_failure_inside_fill_leaves_nothing(tmp_path: Path) -> None:
    def fill(folder: Path) -> None:
        (folder / "run.json").write_text("{}")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_folder(tmp_path, "run", fill)
    assert leftovers(tmp_path) == [] and not ACTIVE_TEMP_FOLDERS


def test_an_interrupt_inside_fill_leaves_nothing(tmp_path: Path) -> None:
    def fill(folder: Path) -> None:
        (folder / "plan.csv").write_text("pool\n")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_folder(tmp_path, "run", fill)
    assert leftovers(tmp_path) == [] and not ACTIVE_TEMP_FOLDERS


def test_an_existing_run_is_never_overwritten(tmp_path: Path) -> None:
    def fill_with(text: str):
        return lambda folder: (folder / "run.json").write_text(text)

    first = write_folder(tmp_path, "run", fill_with("first"))
    second = write_folder(tmp_path, "run", fill_with("second"))
    third = write_folder(tmp_path, "run", fill_with("third"))
    assert [first.name, second.name, third.name] == ["run", "run-2", "run-3"]
    assert (first / "run.json").read_text() == "first"
    assert (second / "run.json").read_text() == "second"


def test_two_runs_of_one_solve_get_two_folders(tmp_path: Path) -> None:
    run = solve_instance(hard_instance(20, 20, 4, 4), "highs")
    a = write_run(run.report, {}, tmp_path, "one")
    b = write_run(run.report, {}, tmp_path, "two")
    assert a != b and (a / "summary.txt").read_text() == "one\n"
    assert not any(name.startswith(".tmp-") for name in leftovers(tmp_path))


def test_run_folders_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        folder = write_folder(tmp_path, "run", lambda f: None)
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o755


@pytest.fixture(scope="module")
def slow_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    file = tmp_path_factory.mktemp("slow") / "slow.yaml"
    write_yaml(hard_instance(n_sectors=400, n_stations=400), file)
    return file


def _default_sigint() -> None:
    """A shell's background job ignores SIGINT; a user's Ctrl-C does reach posture."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(condition, seconds: float = 60.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out waiting"
        time.sleep(0.05)


def wait_until_guarded(pid: int) -> None:
    """Until the command catches SIGTERM: it is inside ``guarded`` (Python alone catches only
    SIGINT), past the imports, where a signal is answered with one line and exit 130."""

    def catches_sigterm() -> bool:
        status = Path(f"/proc/{pid}/status").read_text()
        mask = int(next(x for x in status.splitlines() if x.startswith("SigCgt:")).split()[1], 16)
        return bool(mask & (1 << (signal.SIGTERM - 1)))

    wait_for(catches_sigterm)


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if text in cmdline:
                found.append(int(entry))
    return found


@pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc as on Linux")
@pytest.mark.parametrize(
    ("solver", "sig"),
    [
        ("highs", signal.SIGINT),
        ("highs", signal.SIGTERM),
        ("cbc", signal.SIGTERM),
        ("ortools", signal.SIGINT),
    ],
)
def test_a_signal_during_a_solve_exits_130_and_leaves_nothing(
    slow_file: Path, tmp_path: Path, solver: str, sig: signal.Signals
) -> None:
    results = tmp_path / "results"
    scratch = tmp_path / "scratch"  # CBC's files go here: its command line names the folder
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": str(Path.cwd())}
    command = [*POSTURE, "solve", str(slow_file), "--solver", solver, "--out", str(results)]
    proc = subprocess.Popen(
        [*command, "--time-limit", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=_default_sigint,
    )
    wait_until_guarded(proc.pid)  # startup can be slow on a loaded machine
    if solver == "cbc":
        wait_for(lambda: processes_mentioning(str(scratch)))  # CBC is solving
    time.sleep(1.0)  # inside the solver (or still building: either way handled)
    assert proc.poll() is None, proc.communicate()
    sent = time.monotonic()
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    waited = time.monotonic() - sent
    assert proc.returncode == 130, (out, err)
    assert err == MESSAGE + "\n"
    assert waited < 5.0  # not when the solve would have ended
    assert leftovers(results) == []  # no run folder, no .tmp-*
    time.sleep(0.2)
    assert processes_mentioning(str(scratch)) == []  # no orphaned CBC


@pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc as on Linux")
def test_ctrl_c_during_a_serial_sweep_exits_130_leaving_only_whole_files(
    slow_file: Path, tmp_path: Path
) -> None:
    """The sweep solves in this process, inside HiGHS: the watchdog answers the Ctrl-C."""
    results = tmp_path / "results"
    command = [*POSTURE, "sweep", str(slow_file), "--out", str(results), "--quiet"]
    command += ["--vary", "pools.P.units=20,22,24", "--time-limit", "60"]
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    proc = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=_default_sigint
    )
    wait_until_guarded(proc.pid)
    time.sleep(1.5)
    assert proc.poll() is None
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and err.count("\n") == 1 and err.startswith("interrupted")
    assert time.monotonic() - sent < 5.0
    left = [p for p in results.rglob("*")] if results.exists() else []
    assert not [p for p in left if ".tmp" in p.name], left
    for table in results.rglob("*.csv"):
        table.read_text().splitlines()  # whole files only (each written by rename)
