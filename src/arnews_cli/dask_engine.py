"""Run a chain on a Dask cluster (``--engine dask``): the local batch, spread over hosts.

Inputs are cut into chunks exactly as in :mod:`arnews_cli.runner`, and each chunk is one
Dask task running :func:`~arnews_cli.runner.run_chunk` on a worker: it reads the inputs,
runs the stages, writes ``--output-dir`` files atomically and sends back the records and
partial roll-ups. This process only lists the inputs, writes the records to stdout in
input order and merges the roll-ups, so the result is the local engine's.

At most a few chunks per worker thread are in flight, so memory stays flat on a corpus
of any size. Workers must see the inputs and the output directory at the same names:
a shared mount (absolute paths) or URLs (``s3://…``, see :mod:`arnews_cli.storage`).

Failures: one input's failure comes back as in a local batch. A task that raises is
retried (:data:`RETRIES`); a task whose worker died is recomputed on another worker by
the scheduler (up to ``distributed.scheduler.allowed-failures`` deaths). A recomputed
chunk writes its output files again with the same content, each through a temporary
name and a rename (or one put), so no reader ever sees a half-written file.

Dask is imported only here, and only when this engine runs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from arnews_cli.errors import ArnewsError
from arnews_cli.pipeline import Rollup
from arnews_cli.runner import Item, Options, Outcome, _chunks, absorb, new_rollups, run_chunk
from arnews_cli.storage import is_url

CHUNK = 48
RETRIES = 2
IN_FLIGHT_PER_THREAD = 2
WAIT_FOR_WORKERS = 60.0
INSTALL_HINT = "--engine dask needs Dask: pip install 'arnews-cli[dask]'"


def scheduler_address(given: str | None) -> str | None:
    """``given``, else Dask's ``scheduler-address`` setting (``DASK_SCHEDULER_ADDRESS``)."""
    if given:
        return given
    try:
        import dask
    except ImportError:
        raise ArnewsError(INSTALL_HINT) from None
    address = dask.config.get("scheduler-address", None)
    return str(address) if address else None


@contextlib.contextmanager
def connect(address: str | None, jobs: int) -> Iterator[Any]:
    """A client of the scheduler at ``address``, or of a new local cluster of ``jobs`` workers."""
    try:
        import distributed
    except ImportError:
        raise ArnewsError(INSTALL_HINT) from None
    dist: Any = distributed  # its constructors are not annotated
    if address:
        try:
            client = dist.Client(address)
        except (OSError, TimeoutError) as exc:
            raise ArnewsError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        with client:
            yield client
        return
    with _workers_ignore_ctrl_c():
        cluster = dist.LocalCluster(
            n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
            dashboard_address=":0",  # any free port: never clash with a cluster already here
            silence_logs=logging.ERROR,  # arnews reports failures itself
        )
    with cluster, dist.Client(cluster) as client:
        yield client


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start local workers with Ctrl-C blocked, so that it never reaches them, and stop
    this process once they have started if one came meanwhile.

    Ctrl-C reaches every process of the terminal; this one then closes the cluster
    itself, and workers that also caught it would only print tracebacks. A process
    inherits the signal mask of the thread that starts it, and the threads started here
    inherit this one's; a Ctrl-C that comes is noted (whichever thread the system hands
    it to) or kept pending until the block ends, never lost. ``SIGTERM`` is held too, as
    while the local engine's workers start.
    """
    from arnews_cli.interrupts import ctrl_c_blocked, ctrl_c_held

    if hasattr(signal, "pthread_sigmask"):  # POSIX: where workers inherit the block
        from multiprocessing import resource_tracker

        # started now, not by a thread of the cluster: starting it unblocks the signals
        # in the thread that does, which would pass that on to the workers it starts
        resource_tracker.ensure_running()
    with ctrl_c_held(), ctrl_c_blocked():  # held: noted, and raised once they have started
        yield


def _threads(client: Any, address: str | None) -> int:
    """Worker threads of the cluster, waiting a while for a first worker to join."""
    threads = sum(client.nthreads().values())
    if threads:
        return int(threads)
    try:
        client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
    except TimeoutError:
        raise ArnewsError(
            f"no Dask worker joined the scheduler at {address} in {WAIT_FOR_WORKERS:g} s"
        ) from None
    return int(sum(client.nthreads().values())) or 1


def _result(future: Any, chunk: list[Item]) -> Outcome:
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    inputs = f"the inputs {chunk[0].name} … {chunk[-1].name}"
    try:
        outcome = future.result()
    except KilledWorker:
        raise ArnewsError(f"Dask workers kept dying on {inputs} (out of memory?)") from None
    except FutureCancelledError as exc:
        raise ArnewsError(f"the Dask cluster dropped {inputs} ({exc.reason})") from None
    assert isinstance(outcome, Outcome)
    return outcome


def run(
    items: Iterable[Item],
    options: Options,
    jobs: int,
    on_failure: Callable[[str, str], None],
    on_progress: Callable[[Outcome], None] = lambda outcome: None,
    address: str | None = None,
) -> tuple[Iterator[bytes], list[Rollup | None]]:
    """Like :func:`arnews_cli.runner.run`, on the cluster at ``address`` (or a local one).

    The connection is made when the records are first asked for; the roll-ups are
    complete once the record iterator is exhausted.
    """
    merged = new_rollups(options.stages)
    if options.output_dir and not is_url(options.output_dir):
        options = dataclasses.replace(options, output_dir=os.path.abspath(options.output_dir))

    def records() -> Iterator[bytes]:
        where = scheduler_address(address)
        with connect(where, jobs) as client:
            window = IN_FLIGHT_PER_THREAD * _threads(client, where)
            run_id = uuid.uuid4().hex[:8]
            pending: deque[tuple[Any, list[Item]]] = deque()
            try:
                for index, chunk in enumerate(_chunks(items, CHUNK)):
                    future = client.submit(
                        run_chunk, chunk, options,
                        key=f"arnews-chunk-{run_id}-{index}", retries=RETRIES, pure=False,
                    )
                    pending.append((future, chunk))
                    while len(pending) >= window:
                        outcome = _result(*pending.popleft())
                        yield from absorb(outcome, merged, on_failure, on_progress)
                while pending:
                    outcome = _result(*pending.popleft())
                    yield from absorb(outcome, merged, on_failure, on_progress)
            finally:
                for future, _ in pending:
                    future.cancel()

    return records(), merged
