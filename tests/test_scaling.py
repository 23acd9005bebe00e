"""helpers.scaling.Scaler: DESED TorchScaler semantics, exact and stable fit, saved state.

References are independent computations: NumPy/torch statistics of the whole
data set concatenated, in float64, and the TorchScaler formulas written out.
"""

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
