"""helpers.augment: DESED's frame_shift, mixup and add_noise, the same numbers from the same draws.

The reference functions below are DESED_task's ``desed_task/data_augm.py`` at commit
c6bcb45b8b986ccde5c56bb86eefaf9d19b2320c, copied verbatim (MIT licence, (c) 2024 Romain
Serizel): each test seeds the global generators, runs DESED's code, and compares with
helpers.augment given the same seed. Further tests check each definition directly.
"""

import random

import numpy as np
import pytest
import torch

from helpers import augment


# ------------------------------------------- DESED_task desed_task/data_augm.py (verbatim)

def desed_frame_shift(mels, labels, net_pooling=4):
    bsz, n_bands, frames = mels.shape
    shifted = []
    new_labels = []
    for bindx in range(bsz):
        shift = int(random.gauss(0, 90))
        shifted.append(torch.roll(mels[bindx], shift, dims=-1))
        shift = -abs(shift) // net_pooling if shift < 0 else shift // net_pooling
        new_labels.append(torch.roll(labels[bindx], shift, dims=-1))
    return torch.stack(shifted), torch.stack(new_labels)


def desed_mixup(data, target=None, alpha=0.2, beta=0.2, mixup_label_type="soft"):
    with torch.no_grad():
        batch_size = data.size(0)
        c = np.random.beta(alpha, beta)

        perm = torch.randperm(batch_size)

        mixed_data = c * data + (1 - c) * data[perm, :]
        if target is not None:
            if mixup_label_type == "soft":
                mixed_target = torch.clamp(
                    c * target + (1 - c) * target[perm, :], min=0, max=1
                )
            elif mixup_label_type == "hard":
                mixed_target = torch.clamp(target + target[perm, :], min=0, max=1)
            else:
                raise NotImplementedError(
                    f"mixup_label_type: {mixup_label_type} not implemented. choice in "
                    f"{'soft', 'hard'}"
                )

            return mixed_data, mixed_target
        else:
            return mixed_data


def desed_add_noise(mels, snrs=(6, 30), dims=(1, 2)):
    if isinstance(snrs, (list, tuple)):
        snr = (snrs[0] - snrs[1]) * torch.rand(
            (mels.shape[0],), device=mels.device
        ).reshape(-1, 1, 1) + snrs[1]
    else:
        snr = snrs

    snr = 10 ** (snr / 20)  # linear domain
    sigma = torch.std(mels, dim=dims, keepdim=True) / snr
    mels = mels + torch.randn(mels.shape, device=mels.device) * sigma

    return mels


# ------------------------------------------------------------------------ inputs

def _batch(seed=0, batch=6, n_mels=16, n_frames=626, n_pooled=156, n_classes=5):
    g = torch.Generator().manual_seed(seed)
    mels = torch.rand((batch, n_mels, n_frames), generator=g) * 60 - 50  # dB-like
    labels = (torch.rand((batch, n_classes, n_pooled), generator=g) > 0.7).float()
    return mels, labels


@pytest.fixture(autouse=True)
def _keep_global_generators():
    """The DESED references use the global generators: restore them after each test."""
    state = random.getstate(), np.random.get_state(), torch.random.get_rng_state()
    yield
    random.setstate(state[0])
    np.random.set_state(state[1])
    torch.random.set_rng_state(state[2])


# -------------------------------------------------------------- the same numbers

@pytest.mark.parametrize("seed", [0, 1, 7, 123])
def test_frame_shift_equals_desed(seed):
    mels, labels = _batch(seed)
    random.seed(seed)
    want = desed_frame_shift(mels, labels)
    got = augment.frame_shift(mels, labels, seed=seed)
    for g, w in zip(got, want):
        torch.testing.assert_close(g, w, rtol=0, atol=0)
    random.seed(seed)  # seed=None uses the global generator, as DESED does
    for g, w in zip(augment.frame_shift(mels, labels), want):
        torch.testing.assert_close(g, w, rtol=0, atol=0)


@pytest.mark.parametrize("label_type", ["soft", "hard"])
@pytest.mark.parametrize("seed", [0, 3, 42])
def test_mixup_equals_desed(seed, label_type):
    mels, labels = _batch(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    want = desed_mixup(mels, labels, mixup_label_type=label_type)
    got = augment.mixup(mels, labels, mixup_label_type=label_type, seed=seed)
    for g, w in zip(got, want):
        torch.testing.assert_close(g, w, rtol=0, atol=0)
    np.random.seed(seed)  # seed=None uses the global generators, as DESED does
    torch.manual_seed(seed)
    for g, w in zip(augment.mixup(mels, labels, mixup_label_type=label_type), want):
        torch.testing.assert_close(g, w, rtol=0, atol=0)


@pytest.mark.parametrize("snrs", [(6, 30), (0, 10), 20.0])
@pytest.mark.parametrize("seed", [0, 5])
def test_add_noise_equals_desed(seed, snrs):
    mels, _ = _batch(seed)
    torch.manual_seed(seed)
    want = desed_add_noise(mels, snrs=snrs)
    torch.testing.assert_close(augment.add_noise(mels, snrs=snrs, seed=seed), want, rtol=0, atol=0)
    torch.manual_seed(seed)
    torch.testing.assert_close(augment.add_noise(mels, snrs=snrs), want, rtol=0, atol=0)


# ----------------------------------------------------------- against definitions

def test_frame_shift_rolls_features_by_the_gauss_draw_and_labels_by_its_floor_quarter():
    mels, labels = _batch(1)
    got_mels, got_labels = augment.frame_shift(mels, labels, seed=11)
    draw = random.Random(11)
    for b in range(len(mels)):
        shift = int(draw.gauss(0, 90))
        np.testing.assert_array_equal(got_mels[b].numpy(), np.roll(mels[b].numpy(), shift, axis=-1))
        np.testing.assert_array_equal(got_labels[b].numpy(),
                                      np.roll(labels[b].numpy(), int(np.floor(shift / 4)), axis=-1))


@pytest.mark.parametrize("shift, want", [(0, 0), (3, 0), (4, 1), (90, 22), (-1, -1), (-4, -1),
                                         (-5, -2), (-90, -23)])
def test_label_shift_is_floor_division(shift, want):
    assert augment.label_shift(shift) == want == int(np.floor(shift / 4))


def test_frame_shift_shifts_spread_like_gauss_0_90():
    mels, labels = _batch(0, batch=400, n_mels=1, n_frames=626, n_pooled=156, n_classes=1)
    mels = torch.arange(626.0).expand(400, 1, 626).contiguous()  # a ramp: the roll is readable
    shifted, _ = augment.frame_shift(mels, labels, seed=2)
    shifts = (-shifted[:, 0, 0]) % 626  # frame 0 now holds frame -shift
    shifts = np.where(shifts > 313, shifts - 626, shifts).astype(float)
    assert abs(shifts.mean()) < 3 * 90 / np.sqrt(400)
    assert 80 < shifts.std() < 100


def test_mixup_is_a_convex_combination_with_soft_labels():
    mels, labels = _batch(2)
    mixed, soft = augment.mixup(mels, labels, seed=9)
    c = np.random.RandomState(9).beta(0.2, 0.2)
    perm = torch.randperm(len(mels), generator=torch.Generator().manual_seed(9))
    torch.testing.assert_close(mixed, c * mels + (1 - c) * mels[perm])
    torch.testing.assert_close(soft, (c * labels + (1 - c) * labels[perm]).clamp(0, 1))
    _, hard = augment.mixup(mels, labels, mixup_label_type="hard", seed=9)
    torch.testing.assert_close(hard, torch.maximum(labels, labels[perm]))


def test_mixup_beta_02_puts_most_weights_near_0_or_1():
    cs = np.array([np.random.RandomState(s).beta(0.2, 0.2) for s in range(2000)])
    assert np.mean((cs < 0.1) | (cs > 0.9)) > 0.6  # Beta(0.2, 0.2) is U-shaped
    assert abs(cs.mean() - 0.5) < 0.03  # and symmetric


def test_add_noise_has_the_drawn_snr_on_the_feature_std():
    mels, _ = _batch(4, batch=8, n_mels=64, n_frames=626)
    noisy = augment.add_noise(mels, seed=3)
    g = torch.Generator().manual_seed(3)
    snr_db = (6 - 30) * torch.rand((8,), generator=g) + 30
    assert torch.all((snr_db >= 6) & (snr_db <= 30))
    noise = noisy - mels
    measured = 20 * torch.log10(mels.std(dim=(1, 2)) / noise.std(dim=(1, 2)))
    torch.testing.assert_close(measured, snr_db, rtol=0, atol=0.1)  # 8 * 64 * 626 draws each


def test_seeded_calls_leave_the_global_generators_alone():
    mels, labels = _batch(0)
    state = random.getstate(), np.random.get_state()[1].copy(), torch.random.get_rng_state()
    augment.frame_shift(mels, labels, seed=1)
    augment.mixup(mels, labels, seed=1)
    augment.add_noise(mels, seed=1)
    assert random.getstate() == state[0]
    assert np.array_equal(np.random.get_state()[1], state[1])
    assert torch.equal(torch.random.get_rng_state(), state[2])


@pytest.mark.parametrize("call, error, words", [
    (lambda m, l: augment.frame_shift(m[0], l), ValueError, "mels must have shape"),
    (lambda m, l: augment.frame_shift(m.numpy(), l), TypeError, "torch.Tensor"),
    (lambda m, l: augment.frame_shift(m, l[:2]), ValueError, "same clips"),
    (lambda m, l: augment.mixup(m, l, mixup_label_type="union"), ValueError, "mixup_label_type"),
    (lambda m, l: augment.mixup(m, l, alpha=0), ValueError, "alpha"),
    (lambda m, l: augment.add_noise(m, snrs=(1, 2, 3)), ValueError, "snrs"),
    (lambda m, l: augment.add_noise(m, seed=-1), ValueError, "seed"),
])
def test_bad_input(call, error, words):
    mels, labels = _batch(0)
    with pytest.raises(error, match=words):
        call(mels, labels)


# --------------------------------------------------------------- on every device

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.mark.parametrize("device", DEVICES)
def test_seeded_augmentations_give_the_cpu_numbers_on_every_device(device):
    mels, labels = _batch(6)
    on = [mels.to(device), labels.to(device)]
    for name, call in {"frame_shift": lambda m, l: augment.frame_shift(m, l, seed=4),
                       "mixup": lambda m, l: augment.mixup(m, l, seed=4),
                       "add_noise": lambda m, l: (augment.add_noise(m, seed=4),)}.items():
        for g, w in zip(call(*on), call(mels, labels)):
            assert g.device.type == device, name
            torch.testing.assert_close(g.cpu(), w, rtol=1e-6, atol=1e-5, msg=name)
