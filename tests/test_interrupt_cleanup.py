"""An interrupt during a CBC solve leaves no temporary file behind (PuLP's .mps, .mst, .sol).

PuLP writes the model, the start and the solution beside each other in a temporary folder and
removes them only when the solve returns; a Ctrl-C used to leave them in the system's temporary
folder. They now live in a folder of posture's own, removed on any exit (the watchdog's
emergency exit included).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from optimizer.cli.interrupt import MESSAGE
from tests.strategies import hard_instance, write_yaml
from tests.test_safe_writes import (
    POSTURE,
    _default_sigint,
    processes_mentioning,
    wait_for,
    wait_until_guarded,
)


@pytest.fixture(scope="module")
def slow_cbc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    file = tmp_path_factory.mktemp("slow") / "slow.yaml"
    write_yaml(hard_instance(n_sectors=400, n_stations=400), file)
    return file


@pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc as on Linux")
@pytest.mark.parametrize("sig", [signal.SIGINT])  # Ctrl-C; SIGTERM takes the same path
def test_interrupted_cbc_leaves_no_temporary_file(
    slow_cbc: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    scratch = tmp_path / "scratch"  # the temporary folder of this run alone
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": str(Path.cwd())}
    proc = subprocess.Popen(
        [*POSTURE, "solve", str(slow_cbc), "--solver", "cbc", "--no-write", "--time-limit", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=_default_sigint,
    )
    wait_until_guarded(proc.pid)
    wait_for(lambda: processes_mentioning(str(scratch)))  # CBC is solving, its files written
    assert any(scratch.rglob("*-pulp.mps")), list(scratch.rglob("*"))
    time.sleep(0.5)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and err == MESSAGE + "\n", (out, err)
    time.sleep(0.2)
    assert processes_mentioning(str(scratch)) == []  # no orphaned CBC
    assert list(scratch.rglob("*")) == []  # no .mps, .mst, .sol, no folder
