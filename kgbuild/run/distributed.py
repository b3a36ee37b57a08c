"""`kgbuild build --dask ADDRESS`: extraction on a Dask distributed cluster.

Why Dask: beyond one machine, users should not rewrite anything.  The same
partitions a local build makes (kgbuild.run.parallel) are submitted as Dask
tasks; each worker runs `process_partition`, which loads the model once per
worker process (kgbuild.nlp caches it) and writes the partition's sorted
N-Quads and annotation runs into the run directory.  The client merges the
runs exactly as a local build does, so the output is byte-identical.

On a real cluster the run directory (inside --out) must be on a filesystem
every worker can write (NFS, a shared volume); see README "Scaling".
`--dask local` starts a LocalCluster with one single-threaded worker
process per core.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from ..errors import UsageError
from .chain import Config, PartResult, process_partition
from .parallel import done, in_order
from ..records import Article


@contextmanager
def client_for(address: str):
    """A dask.distributed Client for `address`, or for a new LocalCluster if "local"."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--dask needs the `distributed` package: pip install 'dask[distributed]'") from None
    if address == "local":
        workers = max(1, os.cpu_count() or 1)
        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    with client:
        yield client


def run_dask(
    parts: Iterable[list[Article]],
    cfg: Config,
    run_dir: str,
    *,
    address: str,
    progress: Callable | None = None,
    client=None,
) -> Iterator[PartResult]:
    """PartResults in partition order, computed on the cluster.

    At most a few partitions per worker are in flight, so the client reads
    the input as the cluster consumes it instead of all at once.
    """
    if client is not None:
        yield from _submit_all(client, parts, cfg, run_dir, progress)
        return
    with client_for(address) as c:
        yield from _submit_all(c, parts, cfg, run_dir, progress)


def _submit_all(client, parts, cfg: Config, run_dir: str, progress) -> Iterator[PartResult]:
    workers = max(1, len(client.scheduler_info().get("workers", {})))

    def submit(i: int, part: list[Article]):
        # pure=False: the same articles built twice must run twice (the runs are files)
        return client.submit(process_partition, part, cfg, run_dir, i, pure=False)

    for future in in_order(parts, submit, 3 * workers):
        res = future.result()
        future.release()
        yield done(res, progress)
