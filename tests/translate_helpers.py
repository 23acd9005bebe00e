"""Shared pieces of the translator's tests (tests/test_translate*.py): signals, bounds, references.

The references are the real libraries: every translated transform is run
against librosa.feature.melspectrogram / torchaudio.transforms.MelSpectrogram
on the same float32 signal, at the bound the package promises (1e-4 of the maximum).

The promise is stated against the definition of a centred analysis (pad the whole
signal, then frame), which torch.stft computes. librosa.stft pads its tail frames
apart, and with reflect padding its last frame departs from that definition at some
geometries (helpers.spectral.librosa_tail_deviates); there the reference is librosa run
on the padded signal with center=False, and a named test shows the deviation itself.
"""

import warnings

import librosa
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, settings

import helpers

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BOUND = 1e-4


@pytest.fixture(autouse=True)
def quiet_mel_warnings():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*[Ee]mpty filters.*")
        warnings.filterwarnings("ignore", message="At least one mel filterbank")
        yield


def signal(sr, n_fft, seed=0):
    """A seeded float32 test signal: a sine plus noise, long enough for any padding."""
    n = max(3 * n_fft, int(sr) // 8)
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sr
    return (0.5 * np.sin(2 * np.pi * 0.05 * sr * t) + 0.1 * rng.standard_normal(n)
            ).astype(np.float32)


def rel_err(a, b):
    dtype = np.complex128 if np.iscomplexobj(a) or np.iscomplexobj(b) else np.float64
    a, b = np.asarray(a, dtype=dtype), np.asarray(b, dtype=dtype)
    assert a.shape == b.shape, (a.shape, b.shape)
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30)


def ta(transform, y):
    return transform(torch.from_numpy(y)).numpy()



def librosa_mel(y, kw):
    return librosa.feature.melspectrogram(y=y, **kw)


def geometry(kw):
    """(n_fft, hop_length, center, pad_mode) that librosa uses for these keyword arguments."""
    n_fft = kw.get("n_fft", 2048)
    hop = kw.get("hop_length", 512)  # melspectrogram's default; None is win_length // 4
    hop = (kw.get("win_length") or n_fft) // 4 if hop is None else hop
    return n_fft, hop, kw.get("center", True), kw.get("pad_mode", "constant")


def definition_mel(y, kw):
    """The mel spectrogram by definition: pad the whole signal, then frame (as torch.stft).

    librosa itself computes the framing, on the padded signal with center=False.
    """
    n_fft, _, center, pad_mode = geometry(kw)
    if center:
        y = np.pad(y, n_fft // 2, mode=pad_mode)
    return librosa.feature.melspectrogram(y=y, **{**kw, "center": False})


def librosa_follows_definition(y, kw):
    return not helpers.spectral.librosa_tail_deviates(len(y), *geometry(kw))

