"""Fitting the data-set scaler in several processes: shards without repeats, a local group.

``torch.distributed`` runs one process per GPU (a *rank*); each reads its own
share of the data set. :func:`shard` gives a rank its share without the
repeated items that ``DistributedSampler`` adds, so that a
:meth:`helpers.scaling.Scaler.fit` merged across ranks counts every clip
exactly once. :func:`fit_in_processes` starts such a group on this machine
(``gloo``, on 127.0.0.1) to show and test it, from a notebook or a test.

Notebook: 05b_scaling_at_scale.ipynb
"""

import datetime
import os
import socket
import tempfile
import time

import torch

from ._validate import check_choice, check_int, check_number

SHARDINGS = ("unpadded", "padded", "drop_last")


def shard(dataset, rank=None, num_replicas=None):
    """This rank's share of ``dataset``: items ``rank``, ``rank + num_replicas``, ... — no repeats.

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


def _rank_main(rank, world_size, port, dataset, options, out_dir):
    """One process of :func:`fit_in_processes`: join the group, fit on its shard, save."""
    import torch.distributed as dist
    import warnings

    from .scaling import Scaler

    lo = _loopback_interface()
    if lo and "GLOO_SOCKET_IFNAME" not in os.environ:
        os.environ["GLOO_SOCKET_IFNAME"] = lo  # stay on this machine, even without a network
    torch.set_num_threads(1)  # one core per rank
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank,
                            world_size=world_size,
                            timeout=datetime.timedelta(seconds=options["timeout"]))
    try:
        if options["sharding"] == "unpadded":
            part, sampler = shard(dataset, rank, world_size), None
        else:
            part = dataset
            sampler = torch.utils.data.distributed.DistributedSampler(
                dataset, num_replicas=world_size, rank=rank, shuffle=False,
                drop_last=options["sharding"] == "drop_last")
        loader = torch.utils.data.DataLoader(part, batch_size=options["batch_size"],
                                             sampler=sampler, num_workers=options["num_workers"])
        scaler = Scaler("dataset", **options["scaler"])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t0 = time.perf_counter()
            scaler.fit(loader, progress=False)
            seconds = time.perf_counter() - t0
        torch.save({"state": scaler.state_dict(), "n_items": len(sampler) if sampler is not None else len(part),
                    "fit_seconds": seconds, "warnings": [str(w.message) for w in caught]},
                   os.path.join(out_dir, f"rank{rank}.pt"))
    finally:
        dist.destroy_process_group()


def fit_in_processes(dataset, world_size=2, sharding="unpadded", batch_size=8, num_workers=0,
                     timeout=120.0, **scaler_kwargs):
    """Fit a data-set :class:`~helpers.scaling.Scaler` in ``world_size`` processes, as DDP would.

    Starts ``world_size`` fresh Python processes (``torch.multiprocessing``,
    "spawn"), joins them in a ``gloo`` process group on 127.0.0.1 (a free
    port chosen now), and in each one fits ``Scaler("dataset", ...)`` over a
    ``DataLoader`` of its share of ``dataset``; ``fit`` merges the ranks'
    statistics. Each process uses one thread.

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
    import torch.multiprocessing as mp

    world_size = check_int(world_size, "world_size", low=1)
    sharding = check_choice(sharding, "sharding", SHARDINGS)
    options = {"sharding": sharding, "batch_size": check_int(batch_size, "batch_size", low=1),
               "num_workers": check_int(num_workers, "num_workers", low=0),
               "timeout": check_number(timeout, "timeout", low=0, low_open=True),
               "scaler": {"normtype": "mean", **scaler_kwargs}}
    with tempfile.TemporaryDirectory(prefix="fit_in_processes_") as out_dir:
        context = mp.start_processes(_rank_main, args=(world_size, free_port(), dataset, options,
                                                       out_dir),
                                     nprocs=world_size, join=False, start_method="spawn")
        deadline = time.monotonic() + options["timeout"]
        while not context.join(timeout=1.0):
            if time.monotonic() > deadline:
                for process in context.processes:
                    if process.is_alive():
                        process.terminate()
                for process in context.processes:
                    process.join(5.0)
                raise TimeoutError(f"fit_in_processes: the {world_size} processes did not finish "
                                   f"within {options['timeout']:g} s; they were stopped.")
        return [torch.load(os.path.join(out_dir, f"rank{r}.pt"), weights_only=True)
                for r in range(world_size)]
