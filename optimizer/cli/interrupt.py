"""Ctrl-C and SIGTERM that work even while a solver's native code holds the main thread.

Python runs signal handlers in the main thread between bytecodes, so a solve inside HiGHS or
SCIP (one long C++ call) would hear a Ctrl-C only when it ends, possibly hours later. The
:class:`Watchdog` listens for the signal on another thread (through ``signal.set_wakeup_fd``):
when the main thread has not finished handling it within a grace period, the watchdog removes
any run folder still being written, stops the solver processes this command started (CBC), says
so in one line and exits with code 130. When the main thread does hear the signal (its Python
handler, :meth:`Watchdog.raise_interrupt`, runs), the command handles it itself: a sweep, for
one, keeps its finished rows and says how to resume. Nothing is written into ``results/``
during a solve, and a run folder is renamed into place only when complete, so an exit at any
moment leaves either a whole run folder or none.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

GRACE_SECONDS = 1.0
MESSAGE = "interrupted: nothing half-written was kept"
_STOP = 0  # not a signal number: tells the listening thread to finish


def descendants(pid: int | None = None) -> set[int]:
    """Process ids below ``pid`` (default: this process), read from /proc (Linux; else empty)."""
    root = os.getpid() if pid is None else pid
    parents: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return set()
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1].isdigit():
            parents[int(entry)] = int(fields[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _is_resource_tracker(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"resource_tracker" in cmdline


def stop_processes(pids: set[int], wait: float = 0.5) -> None:
    """SIGTERM, then SIGKILL what is left after ``wait`` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = set()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
                alive.add(pid)
        if not alive:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(_alive(p) for p in alive):
            time.sleep(0.02)
        pids = {p for p in alive if _alive(p)}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)  # reap our own zombies
        if done:
            return False
    return True


class Watchdog:
    """Context manager around one command; inert outside the main thread."""

    def __init__(self, grace: float = GRACE_SECONDS) -> None:
        self.grace = grace
        self.finished = threading.Event()
        self.before: set[int] = set()
        self._thread: threading.Thread | None = None
        self._fds: tuple[int, int] | None = None
        self._previous = -1

    def __enter__(self) -> Watchdog:
        if threading.current_thread() is not threading.main_thread():
            return self
        self.before = descendants()
        read, write = os.pipe()
        os.set_blocking(write, False)
        try:
            self._previous = signal.set_wakeup_fd(write, warn_on_full_buffer=False)
        except ValueError:  # not the main interpreter
            os.close(read)
            os.close(write)
            return self
        self._fds = (read, write)
        self._thread = threading.Thread(target=self._listen, name="posture-watchdog", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.finished.set()
        if self._fds is None:
            return
        signal.set_wakeup_fd(self._previous)
        with contextlib.suppress(OSError):
            os.write(self._fds[1], bytes([_STOP]))
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds = None

    def raise_interrupt(self, signum: int, frame: object) -> None:
        """The Python-level handler for SIGINT and SIGTERM: it runs only when the main thread
        is executing Python, which then handles the interrupt itself: the watchdog stands down.
        """
        self.finished.set()
        raise KeyboardInterrupt

    def new_children(self) -> set[int]:
        """Processes started since the command began (the solvers it launched), except
        multiprocessing's resource tracker, which cleans up after the others and then ends."""
        return {p for p in descendants() - self.before if not _is_resource_tracker(p)}

    def _listen(self) -> None:
        assert self._fds is not None
        while True:
            try:
                data = os.read(self._fds[0], 64)
            except OSError:
                return
            if not data or _STOP in data:
                return
            heard = signal.SIGINT in data or signal.SIGTERM in data
            if heard and not self.finished.wait(self.grace):
                self._emergency_exit()

    def _emergency_exit(self) -> None:
        from optimizer.results.writer import ACTIVE_TEMP_FOLDERS

        for folder in list(ACTIVE_TEMP_FOLDERS):
            shutil.rmtree(folder, ignore_errors=True)
        stop_processes(self.new_children())
        with contextlib.suppress(Exception):
            sys.stderr.write(MESSAGE + "\n")
            sys.stderr.flush()
        os._exit(130)
