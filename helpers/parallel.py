"""Fitting the data-set scaler in several processes: shards without repeats, a local group.

``torch.distributed`` runs one process per GPU (a *rank*); each reads its own
share of the data set. :func:`shard` gives a rank its share without the
repeated items that ``DistributedSampler`` adds, so that a
:meth:`helpers.scaling.Scaler.fit` merged across ranks counts every clip
exactly once. :func:`run_in_processes` starts such a group on this machine
(``gloo``, on 127.0.0.1) and :func:`fit_in_processes` fits a scaler in it,
to show and test it from a notebook, a test or the benchmark.

Notebook: 05b_scaling_at_scale.ipynb
"""

import datetime
import os
import socket
import tempfile
import time
import warnings

import torch

from ._validate import check_choice, check_int, check_number
from .fitting import combine

SHARDINGS = ("unpadded", "padded", "drop_last")


def shard(dataset, rank=None, num_replicas=None):
    """This rank's share of ``dataset``: items ``rank``, ``rank + num_replicas``, ..., no repeats.

    The same interleaving as ``DistributedSampler(dataset, shuffle=False)``,
    without its padding: when ``len(dataset)`` is not a multiple of
    ``num_replicas``, the first ranks get one item more instead of the last
    ranks getting repeats. Right for statistics (every item counted once);
    for training, where every rank must take the same number of steps, keep
    the sampler.

    Parameters
    ----------
    dataset : torch.utils.data.Dataset
        With a length.
    rank, num_replicas : int or None
        This process's rank and the number of processes; None: from the
        initialised ``torch.distributed`` process group.

    Returns
    -------
    torch.utils.data.Subset

    See also
    --------
    torch.utils.data.distributed.DistributedSampler : pads (``drop_last=False``)
        or drops (``drop_last=True``) items to give every rank the same count.

    Notebook: 05b_scaling_at_scale.ipynb
    """
    if rank is None or num_replicas is None:
        dist = torch.distributed
        if not (dist.is_available() and dist.is_initialized()):
            raise RuntimeError("shard() without rank and num_replicas needs an initialised "
                               "torch.distributed process group; pass them explicitly.")
        rank = dist.get_rank() if rank is None else rank
        num_replicas = dist.get_world_size() if num_replicas is None else num_replicas
    num_replicas = check_int(num_replicas, "num_replicas", low=1)
    rank = check_int(rank, "rank", low=0, high=num_replicas - 1)
    return torch.utils.data.Subset(dataset, range(rank, len(dataset), num_replicas))


def free_port(host="127.0.0.1"):
    """A TCP port that is free on ``host`` right now (the system picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _loopback_interface():
    try:
        return next((name for _, name in socket.if_nameindex() if name.startswith("lo")), None)
    except (AttributeError, OSError):
        return None


def _process_main(rank, fn, world_size, port, args, timeout, out_dir):
    """One process of :func:`run_in_processes`: join the group, run ``fn``, save its result."""
    import torch.distributed as dist

    lo = _loopback_interface()
    if lo and "GLOO_SOCKET_IFNAME" not in os.environ:
        os.environ["GLOO_SOCKET_IFNAME"] = lo  # stay on this machine, even without a network
    torch.set_num_threads(1)  # one core per rank
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank,
                            world_size=world_size, timeout=datetime.timedelta(seconds=timeout))
    try:
        result = fn(rank, world_size, *args)
        torch.save(result, os.path.join(out_dir, f"rank{rank}.pt"))
    finally:
        dist.destroy_process_group()


def run_in_processes(fn, world_size=2, args=(), timeout=120.0):
    """Run ``fn(rank, world_size, *args)`` in ``world_size`` new processes, one process group.

    Each process is a fresh Python (``torch.multiprocessing``, "spawn") that
    joins a ``gloo`` process group on 127.0.0.1 (a free port chosen now; the
    loopback interface, so no network is needed), uses one thread, calls
    ``fn`` and leaves the group. This is what ``torchrun`` or a DDP launcher
    does on one machine, small enough for a test or a notebook.

    Parameters
    ----------
    fn : callable
        A function defined in an importable module (the new processes import
        it by name: not a lambda, not a notebook function). Its result must be
        something ``torch.save`` can write and ``torch.load(weights_only=True)``
        can read: tensors, numbers, strings, and lists, tuples, dicts of them.
    world_size : int
        Number of processes, at least 1.
    args : tuple
        Further arguments of ``fn``, picklable.
    timeout : float
        Seconds: for the group's collectives, and for the whole run; after it
        the processes are stopped and ``TimeoutError`` is raised.

    Returns
    -------
    list
        ``fn``'s result in each process, by rank. If a process raises, its
        exception (with the traceback) is raised here, after stopping the others.

    Notebook: 05b_scaling_at_scale.ipynb
    """
    import torch.multiprocessing as mp

    world_size = check_int(world_size, "world_size", low=1)
    timeout = check_number(timeout, "timeout", low=0, low_open=True)
    if not callable(fn):
        raise TypeError(f"fn must be a function, got {type(fn).__name__}.")
    with tempfile.TemporaryDirectory(prefix="run_in_processes_") as out_dir:
        context = mp.start_processes(
            _process_main, args=(fn, world_size, free_port(), tuple(args), timeout, out_dir),
            nprocs=world_size, join=False, start_method="spawn")
        deadline = time.monotonic() + timeout
        while not context.join(timeout=1.0):
            if time.monotonic() > deadline:
                for process in context.processes:
                    if process.is_alive():
                        process.terminate()
                for process in context.processes:
                    process.join(5.0)
                raise TimeoutError(f"run_in_processes: the {world_size} processes did not finish "
                                   f"within {timeout:g} s; they were stopped.")
        return [torch.load(os.path.join(out_dir, f"rank{r}.pt"), weights_only=True)
                for r in range(world_size)]


def _fit_rank(rank, world_size, dataset, options):
    """One rank of :func:`fit_in_processes`: fit on its share of ``dataset``."""
    import warnings

    from .scaling import Scaler

    if options["sharding"] == "unpadded":
        part, sampler = shard(dataset, rank, world_size), None
    else:
        part = dataset
        sampler = torch.utils.data.distributed.DistributedSampler(
            dataset, num_replicas=world_size, rank=rank, shuffle=False,
            drop_last=options["sharding"] == "drop_last")
    loader = torch.utils.data.DataLoader(part, batch_size=options["batch_size"], sampler=sampler,
                                         num_workers=options["num_workers"])
    scaler = Scaler("dataset", **options["scaler"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        scaler.fit(loader, progress=False)
        seconds = time.perf_counter() - t0
    return {"state": scaler.state_dict(),
            "n_items": len(sampler) if sampler is not None else len(part),
            "fit_seconds": seconds, "warnings": [str(w.message) for w in caught]}


def fit_in_processes(dataset, world_size=2, sharding="unpadded", batch_size=8, num_workers=0,
                     timeout=120.0, **scaler_kwargs):
    """Fit a data-set :class:`~helpers.scaling.Scaler` in ``world_size`` processes, as DDP would.

    With :func:`run_in_processes`, each of ``world_size`` fresh processes in
    a ``gloo`` group fits ``Scaler("dataset", ...)`` over a ``DataLoader`` of
    its share of ``dataset``; ``fit`` merges the ranks' statistics.

    Parameters
    ----------
    dataset : torch.utils.data.Dataset
        Picklable (it is sent to the new processes), items of features such
        as :class:`helpers.baseline.ClipFolder`.
    world_size : int
        Number of processes (ranks), at least 1.
    sharding : {"unpadded", "padded", "drop_last"}
        How the data set is shared out: :func:`shard` (every item once), or
        ``DistributedSampler(shuffle=False)`` with ``drop_last=False``
        (padded with repeats) or ``True`` (tail dropped), to measure the
        pitfall.
    batch_size, num_workers : int
        Of each rank's ``DataLoader``.
    timeout : float
        Seconds: for the process group's collectives and for the whole run;
        the processes are stopped and ``TimeoutError`` raised when it passes.
    **scaler_kwargs
        ``normtype``, ``dims``, ``eps`` of the Scaler (default: "mean", (1, 2)).

    Returns
    -------
    list of dict, one per rank
        ``"state"`` (the Scaler's ``state_dict()``), ``"n_items"`` (items the
        rank read), ``"fit_seconds"`` (wall time of its ``fit``),
        ``"warnings"`` (messages raised during ``fit``).

    Notebook: 05b_scaling_at_scale.ipynb
    """
    sharding = check_choice(sharding, "sharding", SHARDINGS)
    options = {"sharding": sharding, "batch_size": check_int(batch_size, "batch_size", low=1),
               "num_workers": check_int(num_workers, "num_workers", low=0),
               "scaler": {"normtype": "mean", **scaler_kwargs}}
    return run_in_processes(_fit_rank, world_size, args=(dataset, options), timeout=timeout)


# ------------------------------------------- used by Scaler.fit inside a process group

def use_distributed(distributed):
    if distributed is not None and not isinstance(distributed, bool):
        raise TypeError(f"distributed must be None (automatic), True or False, "
                        f"got {distributed!r}.")
    on = torch.distributed.is_available() and torch.distributed.is_initialized()
    if distributed and not on:
        raise RuntimeError("fit(distributed=True) needs an initialised torch.distributed "
                           "process group: call torch.distributed.init_process_group first.")
    return on if distributed is None else distributed


def merge_across_ranks(summary, error):
    """Every rank's (count, mean, M2), merged in rank order on every rank (identical results).

    A rank that failed still takes part, so that no rank waits for it forever;
    then every rank raises.
    """
    import torch.distributed as dist

    payload = {"error": None if error is None else f"{type(error).__name__}: {error}",
               "summary": None if summary is None else
               (summary[0], summary[1].cpu().numpy(), summary[2].cpu().numpy())}
    gathered = [None] * dist.get_world_size()
    dist.all_gather_object(gathered, payload)
    failed = [(rank, p["error"]) for rank, p in enumerate(gathered) if p["error"]]
    if failed:
        if error is not None:
            raise error
        rank, message = failed[0]
        raise RuntimeError(f"Scaler.fit failed on rank {rank} ({message}); no rank keeps new "
                           "statistics.")
    shapes = [None if p["summary"] is None else p["summary"][1].shape for p in gathered]
    if len({s for s in shapes if s is not None}) > 1:
        raise ValueError(f"the ranks' statistics have different shapes ({shapes}, by rank): "
                         "every rank must compute the same kind of features.")
    merged = (0, None, None)
    for p in gathered:
        if p["summary"] is not None:
            n, mean, m2 = p["summary"]
            merged = combine(merged, (n, torch.from_numpy(mean), torch.from_numpy(m2)))
    return merged if merged[0] else None


def warn_if_sampler_repeats_or_drops(loader):
    """A DistributedSampler pads the data set with repeats (or drops its tail): say so."""
    from torch.utils.data.distributed import DistributedSampler

    sampler = getattr(loader, "sampler", None)
    if not isinstance(sampler, DistributedSampler):
        return
    n, total = len(sampler.dataset), sampler.total_size
    if total == n:
        return
    if total > n:
        what = (f"pads the data set of {n} items to {total} by repeating {total - n} of them, "
                "so those are counted twice")
    else:
        what = f"drops {n - total} of the {n} items (drop_last=True), so they are left out"
    warnings.warn(f"This DataLoader's DistributedSampler {what}: the fitted statistics are not "
                  "the data set's. Give each rank its share without repeats instead: "
                  "DataLoader(helpers.parallel.shard(dataset), ...).", RuntimeWarning,
                  stacklevel=4)
