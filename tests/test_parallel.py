"""helpers.parallel and Scaler.fit inside a torch.distributed process group (two gloo processes).

The reference is always a single-process fit over the whole data set (itself checked against
NumPy in test_scaling.py). The group runs on 127.0.0.1 with a free port chosen at run time and
a bounded timeout, so a hang fails the test instead of blocking CI. Every scenario runs in one
pair of processes (starting them is the slow part).
"""

import warnings

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

from helpers.parallel import fit_in_processes, run_in_processes, shard
from helpers.scaling import Scaler

TIMEOUT = 300  # seconds, generous for a loaded CI machine; a run takes a few seconds


def _features(n, n_mels=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    level = torch.linspace(-30, 10, n).reshape(n, 1, 1)  # clips differ in level
    return level + 8 * torch.randn(n, n_mels, 9, generator=g)


def _single(x, **kw):
    return Scaler("dataset", "standard", dims=(2,)).fit(DataLoader(x, batch_size=4), **kw)


def _outcome(call):
    """The state of a successful fit, or the error's type and message."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            state = call().state_dict()
        return {"state": state, "warnings": [str(w.message) for w in caught]}
    except Exception as exc:  # the scenario records it; the test checks it
        return {"error": f"{type(exc).__name__}: {exc}"}


def _scenarios(rank, world_size):
    """Run in each of the two processes; the data are generated identically in both."""
    x = _features(9)

    def fit(part, sampler=None, transform=None, **kw):
        loader = DataLoader(part, batch_size=4, sampler=sampler)
        return lambda: Scaler("dataset", "standard", dims=(2,)).fit(loader, transform, **kw)

    def boom(batch):
        if rank == 1:
            raise ValueError("a bad file on rank 1")
        return batch

    return {
        "unpadded": _outcome(fit(shard(x))),
        "padded": _outcome(fit(x, DistributedSampler(x, shuffle=False))),
        "empty shard": _outcome(fit(shard(x[:1]))),  # rank 1 gets nothing
        "one rank fails": _outcome(fit(shard(x), transform=boom)),
        "shapes differ": _outcome(fit(shard(_features(9, n_mels=6 - rank)))),
        "local only": _outcome(fit(shard(x), distributed=False)),
        "again after errors": _outcome(fit(shard(x))),
    }


@pytest.fixture(scope="module")
def ranks():
    return run_in_processes(_scenarios, world_size=2, timeout=TIMEOUT)


def _assert_same(state, scaler, rtol=1e-12):
    for name in ("mean", "var"):
        torch.testing.assert_close(state[name], getattr(scaler, name), rtol=rtol, atol=0)
    assert torch.equal(state["count"], scaler.count)


def test_every_rank_gets_the_single_process_fit(ranks):
    want = _single(_features(9))
    for key in ("unpadded", "again after errors"):
        for r in ranks:
            _assert_same(r[key]["state"], want)
            assert r[key]["warnings"] == []
        for name in ("mean", "var", "count"):  # merged in the same order: identical bits
            assert torch.equal(ranks[0][key]["state"][name], ranks[1][key]["state"][name])


def test_a_rank_without_data_still_joins(ranks):
    want = _single(_features(9)[:1])
    for r in ranks:
        _assert_same(r["empty shard"]["state"], want)


def test_local_only_fits_each_share(ranks):
    x = _features(9)
    for rank, r in enumerate(ranks):
        _assert_same(r["local only"]["state"], _single(x[rank::2]))


def test_padded_sampler_warns_and_counts_the_repeat_twice(ranks):
    x = _features(9)
    want = _single(torch.cat([x, x[:1]]))  # DistributedSampler repeats item 0 for rank 1
    exact = _single(x)
    for r in ranks:
        _assert_same(r["padded"]["state"], want)
        assert any("repeating 1 of them" in w for w in r["padded"]["warnings"])
    bias = (ranks[0]["padded"]["state"]["mean"] - exact.mean).abs().max().item()
    assert bias > 0.1  # dB: one clip of nine counted twice


def test_errors_reach_every_rank_instead_of_a_hang(ranks):
    assert ranks[1]["one rank fails"]["error"] == "ValueError: a bad file on rank 1"
    assert ranks[0]["one rank fails"]["error"].startswith("RuntimeError: Scaler.fit failed on "
                                                          "rank 1 (ValueError: a bad file")
    for r in ranks:
        assert "different shapes" in r["shapes differ"]["error"]


def test_fit_in_processes_equals_the_single_process_fit():
    x = _features(7, n_mels=4, seed=3)
    data = TensorDataset(x)
    results = fit_in_processes(data, world_size=2, batch_size=2, timeout=TIMEOUT,
                               normtype="standard", dims=(2,))
    assert [r["n_items"] for r in results] == [4, 3]
    want = Scaler("dataset", "standard", dims=(2,)).fit(DataLoader(data, batch_size=3))
    for r in results:
        _assert_same(r["state"], want)
        assert r["warnings"] == []


# ---------------------------------------------------------------- shard (no processes)

@pytest.mark.parametrize("n, world", [(9, 4), (8, 4), (1, 2), (5, 1)])
def test_shards_cover_every_item_once(n, world):
    parts = [list(shard(range(n), r, world).indices) for r in range(world)]
    assert sorted(i for p in parts for i in p) == list(range(n))
    padded = [list(DistributedSampler(range(n), num_replicas=world, rank=r, shuffle=False))
              for r in range(world)]
    for mine, theirs in zip(parts, padded):  # the sampler's interleave, minus its padding
        assert theirs[:len(mine)] == mine


def test_shard_arguments_are_checked():
    with pytest.raises(ValueError, match="rank"):
        shard(range(4), 2, 2)
    with pytest.raises(ValueError, match="num_replicas"):
        shard(range(4), 0, 0)
    with pytest.raises(RuntimeError, match="process group"):
        shard(range(4))
    with pytest.raises(TypeError, match="fn"):
        run_in_processes("not a function")
