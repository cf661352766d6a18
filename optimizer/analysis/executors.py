"""Running cases: in this process, in local worker processes, or on a Dask cluster.

Cases run in *chains*: fixed blocks of consecutive cases (``chain_length``), each case
warm-started from the plan of the case before it in its block. The blocks depend only on the
case list, never on the executor or the number of workers, so every executor solves every case
from the same start with the same options and produces the same table (HiGHS with one thread
and a fixed seed is deterministic). Only the timing columns differ.

Why fixed chains: a start can change which of several equally good plans the solver returns
(same objective and cost; the deterministic tie-break is finer than the MIP gap), e.g. the
number of stations placed. ``chain_length=1`` solves every case cold, as ``posture solve`` does.

Results are yielded as cases finish (any order); callers sort by case index.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import queue
import signal
import socket
import threading
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from optimizer.analysis.cases import Case, CaseBase, CaseResult, Plan, run_case

DEFAULT_CHAIN = 8


@dataclass(frozen=True)
class Chain:
    """Cases solved one after another, the first from ``start`` (or cold)."""

    cases: tuple[Case, ...]
    start: Plan | None = None


def make_chains(
    cases: Sequence[Case],
    done: dict[int, Plan | None] | None = None,
    chain_length: int = DEFAULT_CHAIN,
) -> list[Chain]:
    """The chains of the cases not yet done, each starting from its finished predecessor.

    ``cases`` is the whole ordered case list; ``done`` maps the indices of finished cases to
    their plans (None when not kept), so a resumed run warm-starts each case from the same
    plan as an uninterrupted run would.
    """
    if chain_length < 1:
        raise ValueError("chain_length must be at least 1")
    done = done or {}
    chains: list[Chain] = []
    for first in range(0, len(cases), chain_length):
        block = cases[first : first + chain_length]
        run: list[Case] = []
        start: Plan | None = None
        for position, case in enumerate(block):
            if case.index in done:
                if run:
                    chains.append(Chain(tuple(run), start))
                    run = []
                continue
            if not run:
                previous = block[position - 1].index if position > 0 else None
                start = done.get(previous) if previous is not None else None
            run.append(case)
        if run:
            chains.append(Chain(tuple(run), start))
    return chains


def execute(
    base: CaseBase,
    chains: Sequence[Chain],
    jobs: int = 1,
    scheduler: str | None = None,
) -> Generator[CaseResult, None, None]:
    """Run the chains with the chosen executor, yielding results as cases finish."""
    if not chains:
        return
    if scheduler:
        yield from _dask(base, chains, scheduler)
    elif jobs > 1 and sum(len(c.cases) for c in chains) > 1:
        yield from _processes(base, chains, jobs)
    else:
        yield from _serial(base, chains)


def _serial(base: CaseBase, chains: Sequence[Chain]) -> Iterator[CaseResult]:
    for chain in chains:
        start = chain.start
        for case in chain.cases:
            result = run_case(base, case, start)
            start = result.plan
            yield result


# --- local processes -------------------------------------------------------------------------

_WORKER_BASE: CaseBase | None = None


def _init_worker(base: CaseBase) -> None:
    """Each worker receives the parsed base once; Ctrl-C is the parent's to handle."""
    global _WORKER_BASE
    _WORKER_BASE = base
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_run(chain_id: int, case: Case, start: Plan | None) -> tuple[int, CaseResult]:
    assert _WORKER_BASE is not None
    return chain_id, run_case(_WORKER_BASE, case, start)


def _processes(base: CaseBase, chains: Sequence[Chain], jobs: int) -> Iterator[CaseResult]:
    """A process pool; each chain's next case is submitted when its previous one finishes."""
    ctx = multiprocessing.get_context("forkserver")
    # Workers fork from one server that has imported the model code (and __main__) once.
    ctx.set_forkserver_preload(["__main__", "optimizer.analysis.cases"])
    done: queue.SimpleQueue[Any] = queue.SimpleQueue()
    pool = ctx.Pool(min(jobs, len(chains)), initializer=_init_worker, initargs=(base,))
    position = [0] * len(chains)

    def submit(chain_id: int, start: Plan | None) -> None:
        case = chains[chain_id].cases[position[chain_id]]
        pool.apply_async(
            _worker_run,
            (chain_id, case, start),
            callback=done.put,
            error_callback=done.put,
        )

    try:
        for chain_id, chain in enumerate(chains):
            submit(chain_id, chain.start)
        remaining = sum(len(c.cases) for c in chains)
        while remaining:
            try:
                item = done.get(timeout=0.2)  # short waits keep Ctrl-C responsive
            except queue.Empty:
                continue
            if isinstance(item, BaseException):
                raise item
            chain_id, result = item
            remaining -= 1
            position[chain_id] += 1
            if position[chain_id] < len(chains[chain_id].cases):
                submit(chain_id, result.plan)
            yield result
        pool.close()
        pool.join()
    finally:
        pool.terminate()


# --- Dask distributed -------------------------------------------------------------------------


class SchedulerUnavailable(OSError):
    """No Dask scheduler answered at the given address (CLI exit code 2)."""


SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss")  # over TCP: probed with a plain connect first
CONNECT_SECONDS = 3.0


def scheduler_endpoint(address: str) -> tuple[str, int] | None:
    """(host, port) of a scheduler address ``[tcp://|tls://]host:port``, or raise; None for an
    in-process scheduler (``inproc://``, tests and notebooks)."""
    text = address.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    if scheme.lower() == "inproc":
        return None
    if scheme.lower() not in SCHEDULER_SCHEMES:
        raise SchedulerUnavailable(
            f"scheduler address {address!r}: expected tcp://HOST:PORT or tls://HOST:PORT"
        )
    host, colon, port_text = rest.rstrip("/").rpartition(":")
    host = host.strip("[]")
    if not colon or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SchedulerUnavailable(
            f"scheduler address {address!r}: expected HOST:PORT with a port in 1..65535"
        )
    return host, int(port_text)


def check_scheduler(address: str, timeout: float = 10.0) -> int:
    """Connect once to the scheduler; return its number of workers, or raise.

    The address is parsed and a plain TCP connection tried first (a few seconds at most), so a
    typo or a closed port is reported at once, without Dask's own client (which would wait
    its whole timeout and print a traceback when collected).
    """
    endpoint = scheduler_endpoint(address)
    try:
        if endpoint is not None:
            with socket.create_connection(endpoint, timeout=min(timeout, CONNECT_SECONDS)):
                pass
    except (OSError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise SchedulerUnavailable(f"no Dask scheduler at {address}: {reason}") from None
    try:
        identity = asyncio.run(asyncio.wait_for(_identity(address, timeout), timeout))
    except Exception as exc:  # anything but a scheduler's answer, even a runaway length prefix
        reason = "a garbled reply" if isinstance(exc, MemoryError) else str(exc) or repr(exc)
        raise SchedulerUnavailable(
            f"no Dask scheduler at {address}: it did not answer as one ({reason.splitlines()[0]})"
        ) from None
    workers = identity.get("workers", {}) if isinstance(identity, dict) else None
    if not isinstance(workers, dict):
        raise SchedulerUnavailable(f"no Dask scheduler at {address}: it did not answer as one")
    return len(workers)


async def _identity(address: str, timeout: float) -> object:
    """The scheduler's identity message, over one short-lived comm (no Client: a Client that
    failed to connect waits out its timeout again when collected, printing a traceback)."""
    from distributed.comm import connect

    comm = await connect(address, timeout=timeout)
    try:
        await comm.write({"op": "identity", "reply": True})
        return await comm.read()
    finally:
        await comm.close()


# HiGHS objects are created with stdout redirected process-wide (solvers/highs.new_highs), which
# two threads must not do at once: cases in one Dask worker process run one at a time.
_DASK_LOCK = threading.Lock()


def _dask_run(base: CaseBase, case: Case, previous: CaseResult | Plan | None) -> CaseResult:
    start = previous.plan if isinstance(previous, CaseResult) else previous
    with _DASK_LOCK:
        return run_case(base, case, start)


def _dask(base: CaseBase, chains: Sequence[Chain], address: str) -> Iterator[CaseResult]:
    """Submit every chain as a sequence of dependent tasks to the Dask scheduler."""
    from distributed import Client, as_completed

    client = Client(address, set_as_default=False, timeout="20s")
    pending: set[Any] = set()
    try:
        shared = client.scatter(base, broadcast=True, hash=False)
        for chain in chains:
            previous: Any = chain.start
            for case in chain.cases:
                future = client.submit(_dask_run, shared, case, previous, pure=False)
                pending.add(future)
                previous = future
        del previous
        for future in as_completed(list(pending), loop=client.loop):
            result = future.result()
            pending.discard(future)  # released once its successor has used it
            yield result
    finally:
        if pending:
            client.cancel(list(pending))
        client.close()
