"""helpers.scaling.Scaler: DESED TorchScaler semantics, exact and stable fit, saved state.

References are independent computations: NumPy/torch statistics of the whole
data set concatenated, in float64, and the TorchScaler formulas written out.
"""

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.utils.data import DataLoader, TensorDataset

from helpers.scaling import Scaler, pitfall_mean_of_batch_means, pitfall_one_pass_variance


def _features(n=11, n_mels=6, n_frames=9, seed=0, offset=0.0, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    # Clips that differ in level, like real recordings: the mean depends on the clip.
    level = torch.linspace(-30, 10, n).reshape(n, 1, 1)
    x = level + 8 * torch.randn(n, n_mels, n_frames, generator=g) + offset
    return x.to(dtype)


def _reference(x, dims):
    axes = tuple(sorted(set(dims) | {0}))
    a = x.numpy().astype(np.float64)
    return a.mean(axis=axes, keepdims=True), a.var(axis=axes, keepdims=True)


# ---------------------------------------------------------------- instance

@pytest.mark.parametrize("dims", [(1, 2), (2,), (1,)])
def test_instance_formulas_match_torchscaler(dims):
    x = _features()
    eps = 1e-8
    mean = x.mean(dim=dims, keepdim=True)
    want = {
        "mean": x - mean,
        "standard": (x - mean) / (x.std(dim=dims, keepdim=True) + eps),  # n-1, as DESED
        "minmax": (x - x.amin(dim=dims, keepdim=True))
        / (x.amax(dim=dims, keepdim=True) - x.amin(dim=dims, keepdim=True) + eps) * 2 - 1,
    }
    for normtype, expected in want.items():
        got = Scaler("instance", normtype, dims=dims, eps=eps)(x)
        torch.testing.assert_close(got, expected)


def test_instance_minmax_spans_minus_one_to_one_per_clip():
    y = Scaler()(_features()).double()
    np.testing.assert_allclose(y.amin(dim=(1, 2)).numpy(), -1.0, atol=1e-6)
    np.testing.assert_allclose(y.amax(dim=(1, 2)).numpy(), 1.0, atol=1e-6)


def test_instance_scaling_does_not_mix_clips():
    x = _features()
    alone = Scaler("instance", "standard")(x[:1])
    in_batch = Scaler("instance", "standard")(x)[:1]
    torch.testing.assert_close(alone, in_batch)


def test_instance_silent_clip_gives_finite_output():
    y = Scaler()(torch.full((2, 4, 5), -50.0))
    assert torch.isfinite(y).all()


# ---------------------------------------------------------------- dataset fit

@pytest.mark.parametrize("dims", [(1, 2), (2,), (1,)])
@pytest.mark.parametrize("batch_size", [1, 3, 4, 11, 20])
def test_fit_is_exact_with_uneven_batches(dims, batch_size):
    x = _features()
    scaler = Scaler("dataset", "standard", dims=dims).fit(DataLoader(x, batch_size=batch_size))
    mean, var = _reference(x, dims)
    assert tuple(scaler.mean.shape) == mean.shape
    np.testing.assert_allclose(scaler.mean.numpy(), mean, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(scaler.var.numpy(), var, rtol=1e-10)
    assert int(scaler.count) == x.numel() // mean.size


def test_fit_uses_transform_func_and_tuples():
    x = _features()
    labels = torch.zeros(len(x))
    loader = DataLoader(TensorDataset(x, labels), batch_size=4)
    scaler = Scaler("dataset", "mean").fit(loader, transform_func=lambda b: b[0] * 2)
    mean, _ = _reference(x * 2, (1, 2))
    np.testing.assert_allclose(scaler.mean.numpy(), mean, rtol=1e-12)


def test_dataset_forward_matches_formula():
    x = _features()
    scaler = Scaler("dataset", "standard", dims=(2,)).fit(DataLoader(x, batch_size=4))
    mean, var = _reference(x, (2,))
    want = (x.double() - torch.from_numpy(mean)) / (torch.from_numpy(np.sqrt(var)) + 1e-8)
    torch.testing.assert_close(scaler(x).double(), want, rtol=1e-5, atol=1e-5)
    assert scaler(x).dtype == x.dtype
    out = scaler(x).double()
    np.testing.assert_allclose(out.mean(dim=(0, 2)).numpy(), 0.0, atol=1e-5)
    np.testing.assert_allclose(out.std(dim=(0, 2), unbiased=False).numpy(), 1.0, rtol=1e-5)


def test_fit_is_stable_where_float32_one_pass_fails():
    # Data far from zero: mean 1e4, std about 1. float32 E[x²] − E[x]² loses it.
    g = torch.Generator().manual_seed(1)
    x = (1e4 + torch.randn(7, 16, 50, generator=g)).to(torch.float32)
    true_var = x.double().var(unbiased=False).item()
    scaler = Scaler("dataset", "standard").fit(DataLoader(x, batch_size=3))
    assert scaler.var.item() == pytest.approx(true_var, rel=1e-9)
    naive = float(pitfall_one_pass_variance(x.numpy()))
    assert abs(naive - true_var) / true_var > 0.05  # the pitfall is real on this data


def test_mean_of_batch_means_is_biased_with_small_last_batch():
    x = _features(n=9)  # batches of 4, 4, 1: the last clip counts 4 times too much
    batches = [b.numpy() for b in DataLoader(x, batch_size=4)]
    naive = float(pitfall_mean_of_batch_means(batches))
    exact = Scaler("dataset", "mean").fit(DataLoader(x, batch_size=4)).mean.item()
    assert exact == pytest.approx(x.double().mean().item(), rel=1e-12)
    assert abs(naive - exact) > 1.0  # dB: far beyond rounding
    even = [b.numpy() for b in DataLoader(x[:8], batch_size=4)]  # equal batches: no bias
    assert float(pitfall_mean_of_batch_means(even)) == pytest.approx(
        x[:8].double().mean().item(), abs=1e-4)


@settings(max_examples=30, deadline=None)
@given(sizes=st.lists(st.integers(1, 5), min_size=1, max_size=6),
       dims=st.sampled_from([(1, 2), (1,), (2,)]),
       offset=st.sampled_from([0.0, 100.0, -1e3]),
       seed=st.integers(0, 1000))
def test_fit_equals_concatenation_for_any_batching(sizes, dims, offset, seed):
    x = _features(n=sum(sizes), n_mels=3, n_frames=4, seed=seed, offset=offset)
    batches = list(torch.split(x, sizes))
    scaler = Scaler("dataset", "standard", dims=dims).fit(batches)
    mean, var = _reference(x, dims)
    np.testing.assert_allclose(scaler.mean.numpy(), mean, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(scaler.var.numpy(), var, rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------- saving state

def test_state_round_trips_through_a_file(tmp_path):
    x = _features()
    fitted = Scaler("dataset", "standard", dims=(2,)).fit(DataLoader(x, batch_size=4))
    path = tmp_path / "scaler.pt"
    torch.save(fitted.state_dict(), path)
    fresh = Scaler("dataset", "standard", dims=(2,))
    fresh.load_state_dict(torch.load(path))  # weights_only loading works
    for name in ("mean", "var", "count"):
        assert torch.equal(getattr(fresh, name), getattr(fitted, name))
    assert torch.equal(fresh(x), fitted(x))


def test_state_dict_into_fresh_scaler_and_inside_a_model():
    x = _features()
    fitted = Scaler("dataset", "mean").fit([x])
    model = torch.nn.Sequential(fitted, torch.nn.Identity())
    other = torch.nn.Sequential(Scaler("dataset", "mean"), torch.nn.Identity())
    other.load_state_dict(model.state_dict())
    assert torch.equal(other[0].mean, fitted.mean)


@pytest.mark.parametrize("change, word", [
    (dict(normtype="mean"), "normtype"),
    (dict(dims=(1, 2)), "dims"),
    (dict(statistic="instance"), "statistic"),
])
def test_mismatched_state_is_refused(change, word):
    fitted = Scaler("dataset", "standard", dims=(2,)).fit([_features()])
    settings_ = dict(statistic="dataset", normtype="standard", dims=(2,))
    settings_.update(change)
    with pytest.raises(ValueError, match=word):
        Scaler(**settings_).load_state_dict(fitted.state_dict())


def test_mismatched_shape_is_refused():
    a = Scaler("dataset", "standard", dims=(2,)).fit([_features(n_mels=6)])
    b = Scaler("dataset", "standard", dims=(2,)).fit([_features(n_mels=5)])
    with pytest.raises(ValueError, match="shape"):
        b.load_state_dict(a.state_dict())
    state = a.state_dict()
    state["mean"] = state["mean"].reshape(1, 1, 6)  # reduced axis 2 no longer size 1
    state["var"] = state["var"].reshape(1, 1, 6)
    with pytest.raises(ValueError, match="dims"):
        Scaler("dataset", "standard", dims=(2,)).load_state_dict(state)
    with pytest.raises(ValueError, match="shape"):
        a(_features(n_mels=5))


def test_not_a_scaler_state_is_refused():
    with pytest.raises((ValueError, RuntimeError)):
        Scaler("dataset", "standard").load_state_dict({"weight": torch.zeros(3)})


# ---------------------------------------------------------------- errors

def test_dataset_scaler_before_fit_raises():
    with pytest.raises(RuntimeError, match="fit"):
        Scaler("dataset", "standard")(_features())


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="statistic"):
        Scaler(statistic="global")
    with pytest.raises(ValueError, match="normtype"):
        Scaler(normtype="zscore")
    with pytest.raises(ValueError, match="minmax"):
        Scaler("dataset", "minmax")
    with pytest.raises(ValueError, match="dims"):
        Scaler(dims=())
    with pytest.raises(ValueError, match="dims"):
        Scaler(dims=(1, 1))
    with pytest.raises(ValueError, match="dims"):
        Scaler(dims=(3,))(torch.zeros(2, 3, 4))
    with pytest.raises(ValueError, match="no data"):
        Scaler("dataset", "mean").fit([])
    with pytest.raises(ValueError, match="NaN"):
        Scaler("dataset", "mean").fit([torch.tensor([[[float("nan")]]])])
    with pytest.raises(TypeError, match="Tensor"):
        Scaler()(np.zeros((1, 2, 3)))
    with pytest.raises(RuntimeError, match="instance"):
        Scaler().fit([_features()])


def test_progress_bar_only_when_asked(capsys):
    Scaler("dataset", "mean").fit([_features()], progress=True)
    assert "Scaler.fit" in capsys.readouterr().err
    Scaler("dataset", "mean").fit([_features()], progress=False)
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- robustness (issue 13)

def _fitted(eps=1e-8, dims=(2,), seed=0):
    return Scaler("dataset", "standard", dims=dims, eps=eps).fit([_features(seed=seed)])


def _snapshot(scaler):
    return {name: getattr(scaler, name).clone() for name in ("mean", "var", "count")}


def _unchanged(scaler, snapshot):
    return all(torch.equal(getattr(scaler, n), v) for n, v in snapshot.items())


def test_eps_is_saved_and_checked():
    x = _features()
    one = _fitted(eps=1.0)
    assert one.state_dict()["_extra_state"]["eps"] == 1.0
    default = Scaler("dataset", "standard", dims=(2,))
    with pytest.raises(ValueError, match=r"eps: saved 1\.0, this Scaler has 1e-08"):
        default.load_state_dict(one.state_dict())
    same = Scaler("dataset", "standard", dims=(2,), eps=1.0)
    same.load_state_dict(one.state_dict())
    assert torch.equal(same(x), one(x))
    old = one.state_dict()
    old["_extra_state"] = {k: v for k, v in old["_extra_state"].items() if k != "eps"}
    with pytest.raises(ValueError, match="eps: not saved"):
        Scaler("dataset", "standard", dims=(2,), eps=1.0).load_state_dict(old)


@pytest.mark.parametrize("name, value, words", [
    ("var", -1.0, ["var", "1 negative"]),
    ("var", float("nan"), ["var", "NaN or inf"]),
    ("var", float("inf"), ["var", "NaN or inf"]),
    ("mean", float("nan"), ["mean", "NaN or inf"]),
])
def test_bad_statistics_are_refused_and_change_nothing(name, value, words):
    source, target = _fitted(seed=1), _fitted(seed=2)
    state = source.state_dict()
    state[name] = state[name].clone()
    state[name][0, 3, 0] = value
    before = _snapshot(target)
    with pytest.raises(ValueError) as info:
        target.load_state_dict(state)
    assert all(w in str(info.value) for w in words), str(info.value)
    assert _unchanged(target, before)
    assert torch.isfinite(target(_features())).all()


@pytest.mark.parametrize("strict", [True, False])
def test_partial_state_is_refused_and_changes_nothing(strict):
    # The case: a state with a new mean but no var used to replace mean anyway.
    source, target = _fitted(seed=1), _fitted(seed=2)
    state = source.state_dict()
    del state["var"]
    before = _snapshot(target)
    with pytest.raises(ValueError, match="incomplete.*not var"):
        target.load_state_dict(state, strict=strict)
    assert _unchanged(target, before)
    settings_missing = {k: v for k, v in source.state_dict().items() if k != "_extra_state"}
    with pytest.raises(RuntimeError, match="_extra_state"):
        target.load_state_dict(settings_missing)  # strict: torch reports the missing key
    assert _unchanged(target, before)


def test_count_must_be_a_whole_number():
    state = _fitted().state_dict()
    state["count"] = torch.tensor(-3)
    with pytest.raises(ValueError, match="count"):
        Scaler("dataset", "standard", dims=(2,)).load_state_dict(state)


def test_tuple_batches_are_refused_with_the_transform_func_to_use():
    x = _features()
    loader = DataLoader(TensorDataset(x, torch.zeros(len(x))), batch_size=4)
    scaler = _fitted()
    before = _snapshot(scaler)
    with pytest.raises(TypeError, match=r"transform_func=lambda batch: batch\[0\]"):
        scaler.fit(loader)
    assert _unchanged(scaler, before)  # a failed refit keeps the old statistics
    by_first = Scaler("dataset", "standard", dims=(2,)).fit(loader, lambda b: b[0])
    mean, var = _reference(x, (2,))
    np.testing.assert_allclose(by_first.mean.numpy(), mean, rtol=1e-12)
    np.testing.assert_allclose(by_first.var.numpy(), var, rtol=1e-10)
    with pytest.raises(TypeError, match="features only"):
        Scaler("dataset", "mean").fit(loader, transform_func=lambda b: b)
    with pytest.raises(TypeError, match=r"batch\['audio'\]"):
        Scaler("dataset", "mean").fit([{"audio": x, "labels": None}])


def test_one_item_batches_need_no_transform_func():
    x = _features()
    a = Scaler("dataset", "standard").fit(DataLoader(TensorDataset(x), batch_size=4))
    b = Scaler("dataset", "standard").fit(DataLoader(x, batch_size=4))
    assert torch.equal(a.mean, b.mean) and torch.equal(a.var, b.var)


def test_second_fit_replaces_and_a_failed_fit_keeps_the_old_state():
    a, b = _features(seed=1), _features(seed=2, offset=5.0)
    scaler = Scaler("dataset", "standard").fit([a]).fit([b])
    alone = Scaler("dataset", "standard").fit([b])
    for name in ("mean", "var", "count"):
        assert torch.equal(getattr(scaler, name), getattr(alone, name))
    before = _snapshot(scaler)
    bad = a.clone()
    bad[2, 1, 1] = float("nan")
    with pytest.raises(ValueError, match="NaN"):
        scaler.fit([a, bad])  # fails on the second batch, after using the first
    assert _unchanged(scaler, before)
    with pytest.raises(ValueError, match="no data"):
        scaler.fit([])
    assert _unchanged(scaler, before)


def test_instance_standard_constant_clip_warns_and_gives_zero():
    x = _features(n=3)
    x[1] = -37.3  # constant: float32 rounding of its mean, divided by eps, gave up to +-763
    with pytest.warns(RuntimeWarning, match="1 of the 3 .* constant"):
        out = Scaler("instance", "standard")(x)
    assert torch.equal(out[1], torch.zeros_like(out[1]))
    others = x[[0, 2]]
    want = (others - others.mean(dim=(1, 2), keepdim=True)) / (
        others.std(dim=(1, 2), keepdim=True) + 1e-8)
    torch.testing.assert_close(out[[0, 2]], want, rtol=0, atol=0)  # DESED's formula elsewhere
    with pytest.warns(RuntimeWarning, match="constant"):
        out = Scaler("instance", "standard", eps=0)(torch.full((2, 4, 5), -50.0))
    assert torch.equal(out, torch.zeros_like(out))  # was NaN (0 / 0)
    with pytest.warns(RuntimeWarning, match="single value"):
        out = Scaler("instance", "standard")(torch.full((2, 1, 1), 3.0))  # std of one value
    assert torch.equal(out, torch.zeros_like(out))


def test_instance_minmax_constant_clip_is_minus_one_without_nan_or_warning():
    x = torch.full((2, 4, 5), 7.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for eps in (1e-8, 0.0):
            out = Scaler("instance", "minmax", eps=eps)(x)
            assert torch.equal(out, torch.full_like(x, -1.0))


def test_distributed_argument_is_checked():
    with pytest.raises(RuntimeError, match="init_process_group"):
        Scaler("dataset", "mean").fit([_features()], distributed=True)
    with pytest.raises(TypeError, match="distributed"):
        Scaler("dataset", "mean").fit([_features()], distributed="yes")


# ---------------------------------------------------------------- merge (issue 18)

@pytest.mark.parametrize("dims", [(1, 2), (2,), (1,)])
@pytest.mark.parametrize("split", [1, 4, 10])
def test_merge_equals_one_fit_over_the_union(dims, split):
    x = _features(n=11, offset=1e3)  # far from zero: a naive merge would lose digits
    a = Scaler("dataset", "standard", dims=dims).fit(DataLoader(x[:split], batch_size=3))
    b = Scaler("dataset", "standard", dims=dims).fit(DataLoader(x[split:], batch_size=2))
    b_before = _snapshot(b)
    assert a.merge(b) is a
    mean, var = _reference(x, dims)
    np.testing.assert_allclose(a.mean.numpy(), mean, rtol=1e-12)
    np.testing.assert_allclose(a.var.numpy(), var, rtol=1e-12)
    assert int(a.count) == x.numel() // mean.size
    assert _unchanged(b, b_before)


@settings(max_examples=20, deadline=None)
@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=5), seed=st.integers(0, 1000))
def test_merging_many_parts_in_any_grouping(sizes, seed):
    x = _features(n=sum(sizes), n_mels=3, n_frames=4, seed=seed, offset=-200.0)
    parts = [Scaler("dataset", "standard", dims=(2,)).fit([p]) for p in torch.split(x, sizes)]
    left = parts[0]
    for p in parts[1:]:
        left.merge(p)
    mean, var = _reference(x, (2,))
    np.testing.assert_allclose(left.mean.numpy(), mean, rtol=1e-12)
    np.testing.assert_allclose(left.var.numpy(), var, rtol=1e-10, atol=1e-12)


def test_merge_refusals_change_nothing():
    a = _fitted(seed=1)
    before = _snapshot(a)
    with pytest.raises(ValueError, match="dims"):
        a.merge(_fitted(dims=(1, 2)))
    with pytest.raises(ValueError, match="eps"):
        a.merge(_fitted(eps=1.0))
    with pytest.raises(ValueError, match="shape"):
        a.merge(Scaler("dataset", "standard", dims=(2,)).fit([_features(n_mels=5)]))
    with pytest.raises(RuntimeError, match="fit it"):
        a.merge(Scaler("dataset", "standard", dims=(2,)))
    with pytest.raises(TypeError, match="Scaler"):
        a.merge(a.state_dict())
    with pytest.raises(RuntimeError, match="instance"):
        Scaler().merge(Scaler())
    assert _unchanged(a, before)


# ---------------------------------------------------------------- DistributedSampler padding

def _fit_per_rank_and_merge(dataset, samplers):
    parts = [Scaler("dataset", "mean").fit(DataLoader(dataset, batch_size=2, sampler=s))
             for s in samplers]
    for p in parts[1:]:
        parts[0].merge(p)
    return parts[0]


def test_padded_distributed_sampler_counts_clips_twice_and_warns():
    # What fit inside a process group computes, ranks simulated in one process: each rank
    # fits its sampler's share, the ranks are merged. 9 clips on 4 ranks: 3 are read twice.
    from torch.utils.data.distributed import DistributedSampler

    from helpers.parallel import shard

    x = _features(n=9)
    exact = x.double().mean().item()
    with pytest.warns(RuntimeWarning, match="repeating 3 of them"):
        padded = _fit_per_rank_and_merge(
            x, [DistributedSampler(x, num_replicas=4, rank=r, shuffle=False) for r in range(4)])
    repeated = torch.cat([x, x[:3]]).double().mean().item()  # the padding repeats clips 0, 1, 2
    assert padded.mean.item() == pytest.approx(repeated, rel=1e-12)
    assert abs(padded.mean.item() - exact) > 1.0  # dB: the clips differ in level
    with pytest.warns(RuntimeWarning, match="drops 1 of the 9"):
        _fit_per_rank_and_merge(x, [DistributedSampler(x, num_replicas=4, rank=r, shuffle=False,
                                                       drop_last=True) for r in range(4)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parts = [Scaler("dataset", "mean").fit(DataLoader(shard(x, r, 4), batch_size=2))
                 for r in range(4)]
    for p in parts[1:]:
        parts[0].merge(p)
    assert parts[0].mean.item() == pytest.approx(exact, rel=1e-12)
    assert int(parts[0].count) == x.numel()


# ---------------------------------------------------------------- from_desed

class _TorchScaler(torch.nn.Module):
    """DESED's TorchScaler, statistic="dataset", written out from its source.

    DESED_task, desed_task/utils/scaler.py at commit c6bcb45b8b986ccde5c56bb86eefaf9d19b2320c
    (last changed in 58a016a9aa89e9558f915bdc2d2c61f805847807): ``fit`` averages the batches'
    ``torch.mean(feats, dims, keepdim=True).mean(0).unsqueeze(0)`` and the same of ``feats**2``
    into the buffers ``mean`` and ``mean_squared``; ``forward`` returns ``tensor - mean``
    ("mean") or ``(tensor - mean) / (sqrt(mean_squared - mean**2) + eps)`` ("standard").
    Defaults: normtype="standard", dims=(1, 2), eps=1e-8; fit's transform_func=lambda x: x[0].
    """

    def __init__(self, normtype="standard", dims=(1, 2), eps=1e-8):
        super().__init__()
        self.normtype, self.dims, self.eps = normtype, dims, eps

    def fit(self, dataloader, transform_func=lambda x: x[0]):
        indx = 0
        for batch in dataloader:
            feats = transform_func(batch)
            if indx == 0:
                mean = torch.mean(feats, self.dims, keepdim=True).mean(0).unsqueeze(0)
                mean_squared = torch.mean(feats ** 2, self.dims, keepdim=True).mean(0).unsqueeze(0)
            else:
                mean += torch.mean(feats, self.dims, keepdim=True).mean(0).unsqueeze(0)
                mean_squared += torch.mean(feats ** 2, self.dims, keepdim=True).mean(0).unsqueeze(0)
            indx += 1
        mean /= indx
        mean_squared /= indx
        self.register_buffer("mean", mean)
        self.register_buffer("mean_squared", mean_squared)

    def forward(self, tensor):
        assert tensor.ndim == self.mean.ndim
        if self.normtype == "mean":
            return tensor - self.mean
        std = torch.sqrt(self.mean_squared - self.mean ** 2)
        return (tensor - self.mean) / (std + self.eps)


def _desed_fitted(normtype="standard", dims=(1, 2), eps=1e-8):
    x = _features(n=10, n_mels=8, n_frames=12, seed=4)
    desed = _TorchScaler(normtype, dims, eps)
    desed.fit(DataLoader(TensorDataset(x, torch.zeros(len(x))), batch_size=4))  # uneven batches
    return desed, _features(n=3, n_mels=8, n_frames=12, seed=5)


@pytest.mark.parametrize("normtype", ["standard", "mean"])
@pytest.mark.parametrize("dims", [(1, 2), (2,), (1,)])
def test_from_desed_gives_desed_outputs_bit_for_bit(normtype, dims):
    desed, x = _desed_fitted(normtype, dims)
    ours = Scaler.from_desed(desed.state_dict(), normtype=normtype)  # dims read from the shape
    assert ours.dims == dims and ours.statistic == "dataset" and int(ours.count) == 0
    with torch.no_grad():
        torch.testing.assert_close(ours(x), desed(x), rtol=0, atol=0)
    ms = desed.mean_squared.double() - desed.mean.double() ** 2
    np.testing.assert_allclose(ours.var.numpy(), ms.numpy(), rtol=1e-5)  # = E[x²] - E[x]²


def test_from_desed_reads_files_checkpoints_and_modules(tmp_path):
    desed, x = _desed_fitted(eps=1e-3)
    want = desed(x)
    path = tmp_path / "scaler_state.pt"
    torch.save(desed.state_dict(), path)
    lightning = {"state_dict": {"sed_student.dense.weight": torch.zeros(2, 2),
                                "scaler.mean": desed.mean,
                                "scaler.mean_squared": desed.mean_squared},
                 "epoch": 3}
    torch.save(lightning, tmp_path / "last.ckpt")
    for source in (path, str(path), tmp_path / "last.ckpt", lightning, desed):
        torch.testing.assert_close(Scaler.from_desed(source, eps=1e-3)(x), want, rtol=0, atol=0)
    # the state is a normal Scaler state: it saves and loads like any other
    again = Scaler("dataset", "standard", dims=(1, 2), eps=1e-3)
    again.load_state_dict(Scaler.from_desed(path, eps=1e-3).state_dict())
    torch.testing.assert_close(again(x), want, rtol=0, atol=0)


def test_from_desed_refusals(tmp_path, monkeypatch):
    import sys
    import types

    desed, _ = _desed_fitted()
    with pytest.raises(ValueError, match="instance"):
        Scaler.from_desed({})  # an instance TorchScaler's state is empty
    bad = {"mean": desed.mean, "mean_squared": desed.mean ** 2 - 1.0}
    with pytest.raises(ValueError, match="negative for 1 of 1 statistic"):
        Scaler.from_desed(bad)  # DESED's sqrt would give NaN
    two = {"a.mean": desed.mean, "a.mean_squared": desed.mean_squared,
           "b.mean": desed.mean, "b.mean_squared": desed.mean_squared}
    with pytest.raises(ValueError, match="several"):
        Scaler.from_desed(two)
    with pytest.raises(ValueError, match="minmax"):
        Scaler.from_desed(desed.state_dict(), normtype="minmax")
    with pytest.raises(TypeError, match="state dict"):
        Scaler.from_desed(3)
    with pytest.raises(ValueError, match="merged"):
        Scaler.from_desed(desed.state_dict()).merge(Scaler.from_desed(desed.state_dict()))
    # DESED's recipe pickles the whole module: torch.save(scaler, "scaler.ckpt")
    for name in ("desed_task", "desed_task.utils", "desed_task.utils.scaler"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    module = sys.modules["desed_task.utils.scaler"]
    cls = type("TorchScaler", (_TorchScaler,), {"__module__": module.__name__})
    module.TorchScaler = cls
    sys.modules["desed_task"].utils = sys.modules["desed_task.utils"]
    sys.modules["desed_task.utils"].scaler = module
    pickled = cls()
    pickled.register_buffer("mean", desed.mean)
    pickled.register_buffer("mean_squared", desed.mean_squared)
    torch.save(pickled, tmp_path / "scaler.ckpt")
    with pytest.raises(ValueError, match="weights_only=False"):
        Scaler.from_desed(tmp_path / "scaler.ckpt")
