"""Batches as tasks on a Dask cluster (`python -m pipeline run --scheduler tcp://HOST:8786`, or `local`).

Each task is `runner.run_task`: a worker ingests and computes its batch with the models it loaded once (they are
cached per worker process), writes the part files into the run's staging snapshot, and returns a small summary.
The driver (the `run` process) keeps the lock, merges `entities`, checks integrity and publishes. So `--out` must
be a folder every worker reaches under the same path (shared storage); the raw files are read by the driver and
sent with the tasks. dask is imported only here, when a scheduler is asked for.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from . import config, io


# distributed keeps its last messages and task events for debugging (1000 by default, per worker and per stream),
# and each of ours carries a batch's raw files: that memory would grow with the corpus up to 1000 batches.
LOW_LEVEL_LOG_LENGTH = 10


@contextmanager
def dask_map(scheduler: str, workers: int | None = None) -> Iterator:
    """A `map(fn, tasks)` over a Dask cluster, yielding results in the tasks' order with a bounded number of tasks
    in flight (twice the cluster's threads). "local" starts a LocalCluster of `workers` processes (default one per
    core), one thread each, and prints its dashboard's address."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise io.UserError("--scheduler needs dask.distributed: pip install 'dask[distributed]' "
                           "(or the package's [dask] extra)") from None
    cluster = None
    with dask.config.set({"distributed.admin.low-level-log-length": LOW_LEVEL_LOG_LENGTH}):
        try:
            if scheduler == config.LOCAL_SCHEDULER:
                cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=":0")
                address = cluster.scheduler_address
                print(f"dask: LocalCluster of {len(cluster.workers)} workers, dashboard {cluster.dashboard_link}",
                      file=sys.stderr)
            else:
                address = scheduler
            try:
                client = Client(address, timeout=config.SCHEDULER_TIMEOUT)
            except Exception as err:  # noqa: BLE001 -- every way of not reaching it is the same user error
                detail = str(err).splitlines()[0] if str(err) else type(err).__name__
                raise io.UserError(f"cannot reach the Dask scheduler at {scheduler}: {detail}") from None
            with client:
                if not client.scheduler_info().get("workers"):
                    client.wait_for_workers(1, timeout=config.SCHEDULER_TIMEOUT)
                client.run(_warm_up)  # every worker loads the models now, at once, not on its first task
                threads = max(1, sum(client.nthreads().values()))
                yield lambda fn, tasks: _in_order(client, fn, tasks, 2 * threads)
        finally:
            if cluster is not None:
                with suppress(Exception):
                    cluster.close()


def _warm_up() -> None:
    from .runner import warm_up

    warm_up(freeze=True)


def _in_order(client, fn, tasks, in_flight: int) -> Iterator:
    from collections import deque

    pending = deque()
    for task in tasks:
        pending.append(client.submit(fn, task, pure=False))
        if len(pending) >= in_flight:
            yield _result(pending.popleft())
    while pending:
        yield _result(pending.popleft())


def _result(future):
    try:
        return future.result()
    except FileNotFoundError as err:  # the worker cannot see the staging snapshot
        raise io.UserError(f"a Dask worker cannot write to {err.filename}: --out must be a folder every worker "
                           "reaches under the same path (shared storage)") from None
