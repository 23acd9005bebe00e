"""The from-scratch DSP core in helpers equals librosa and torchaudio.

librosa and torchaudio are the references here: nothing is compared with
numbers copied from an earlier run.
"""

import warnings

import librosa
import numpy as np
import pytest
import scipy.signal
import torch
import torchaudio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import helpers

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
SRS = st.sampled_from([8000, 11025, 16000, 22050, 32000, 44100, 48000])
N_FFTS = st.sampled_from([256, 400, 512, 1000, 1024, 2048, 4096])
WINDOWS = st.sampled_from(["hann", "hamming", "blackman", "boxcar"])
PAD_MODES = st.sampled_from(["constant", "reflect", "edge"])


def rel_err(a, b):
    """Largest absolute difference relative to the largest reference value."""
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30)


def padded_then_framed(y, kw):
    """The definition of a centred analysis: pad the whole signal, then frame (center=False).

    This is what torch.stft and helpers.stft compute. librosa.stft pads the tail apart and
    departs from it in its last frame where helpers.spectral.librosa_tail_deviates says so.
    """
    if not kw.get("center", True):
        return y, kw
    padded = np.pad(y, kw["n_fft"] // 2, mode=kw.get("pad_mode", "constant"))
    return padded, {**kw, "center": False}


def librosa_reference(function, y, kw):
    """librosa's result, or the definition (through librosa, uncentred) where librosa's
    separately padded tail deviates from it."""
    hop = kw["hop_length"] or kw.get("win_length", kw["n_fft"]) // 4
    if helpers.spectral.librosa_tail_deviates(len(y), kw["n_fft"], hop, kw.get("center", True),
                                              kw.get("pad_mode", "constant")):
        y, kw = padded_then_framed(y, kw)
    return function(y=y, **kw)


def test_periodic_and_symmetric_windows_match_scipy():
    for name in ["hann", "hamming", "blackman", "boxcar"]:
        for n in [1, 2, 7, 256, 2048]:
            for periodic in [True, False]:
                ref = scipy.signal.get_window(name, n, fftbins=periodic)
                np.testing.assert_allclose(helpers.get_window(name, n, periodic=periodic), ref,
                                           atol=1e-12)


def test_symmetric_hamming_matches_torch_baseline_window():
    ref = torch.hamming_window(2048, periodic=False, dtype=torch.float64).numpy()
    np.testing.assert_allclose(helpers.get_window("hamming", 2048, periodic=False), ref,
                               atol=1e-12)
    ref = torch.hann_window(400, dtype=torch.float64).numpy()  # torch's default is periodic
    np.testing.assert_allclose(helpers.get_window("hann", 400), ref, atol=1e-12)


@SETTINGS
@given(sr=SRS, n_fft=N_FFTS, n_mels=st.integers(1, 256), htk=st.booleans(),
       norm=st.sampled_from(["slaney", None]), fmin_frac=st.floats(0, 0.4),
       fmax_frac=st.floats(0.5, 1.0))
def test_mel_filterbank_matches_librosa(sr, n_fft, n_mels, htk, norm, fmin_frac, fmax_frac):
    fmax = fmax_frac * sr / 2
    fmin = fmin_frac * fmax
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # empty filters are expected for some draws
        ref = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
                                  htk=htk, norm=norm, dtype=np.float64)
        ours = helpers.mel_filterbank(sr, n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk,
                                      norm=norm)
    assert ours.shape == ref.shape == (n_mels, 1 + n_fft // 2)
    assert rel_err(ours, ref) <= 1e-6


@SETTINGS
@given(n_fft=N_FFTS, hop_div=st.sampled_from([1, 2, 3, 4, 8]), win_div=st.sampled_from([1, 2]),
       window=WINDOWS, center=st.booleans(), pad_mode=PAD_MODES,
       n=st.integers(4096, 12000), seed=st.integers(0, 2**16))
def test_stft_matches_librosa(n_fft, hop_div, win_div, window, center, pad_mode, n, seed):
    y = np.random.default_rng(seed).standard_normal(n)
    kw = dict(n_fft=n_fft, hop_length=n_fft // (2 * hop_div) + 1,
              win_length=n_fft // win_div, window=window, center=center, pad_mode=pad_mode)
    ref = librosa_reference(librosa.stft, y, kw)
    ours = helpers.stft(y, **kw)
    assert ours.shape == ref.shape
    assert ours.shape[1] == helpers.frame_count(n, n_fft, kw["hop_length"], center=center)
    assert rel_err(ours, ref) <= 1e-6


@SETTINGS
@given(sr=SRS, n_fft=st.sampled_from([512, 1024, 2048]), hop=st.sampled_from([128, 256, 512]),
       n_mels=st.integers(1, 128), htk=st.booleans(), norm=st.sampled_from(["slaney", None]),
       power=st.sampled_from([1.0, 2.0]), center=st.booleans(), pad_mode=PAD_MODES,
       window=WINDOWS, seed=st.integers(0, 2**16))
def test_melspectrogram_matches_librosa(sr, n_fft, hop, n_mels, htk, norm, power, center,
                                        pad_mode, window, seed):
    y = np.random.default_rng(seed).standard_normal(sr // 2)
    kw = dict(sr=sr, n_fft=n_fft, hop_length=hop, window=window, center=center,
              pad_mode=pad_mode, power=power, n_mels=n_mels, fmax=sr / 2 * 0.9, htk=htk,
              norm=norm)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = librosa_reference(librosa.feature.melspectrogram, y, kw)
        ours = helpers.melspectrogram(y, **kw)
    assert ours.shape == ref.shape
    # librosa keeps its filterbank in float32: that is the size of the difference.
    assert rel_err(ours, ref) <= 1e-6


@SETTINGS
@given(seed=st.integers(0, 2**16), top_db=st.sampled_from([None, 40.0, 80.0]),
       use_max=st.booleans(), amin_exp=st.integers(-12, -3))
def test_decibels_match_librosa(seed, top_db, use_max, amin_exp):
    rng = np.random.default_rng(seed)
    S = rng.exponential(size=(64, 50)) ** 3 * 10.0 ** rng.uniform(-8, 2)
    ref = np.max if use_max else 0.5
    amin = 10.0 ** amin_exp
    np.testing.assert_allclose(helpers.power_to_db(S, ref=ref, amin=amin, top_db=top_db),
                               librosa.power_to_db(S, ref=ref, amin=amin, top_db=top_db),
                               rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(helpers.amplitude_to_db(S, ref=ref, amin=amin, top_db=top_db),
                               librosa.amplitude_to_db(S, ref=ref, amin=amin, top_db=top_db),
                               rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("pad_mode", ["reflect", "symmetric", "constant", "edge"])
def test_librosa_tail_predicate_says_exactly_where_librosa_departs(pad_mode):
    """librosa.stft pads its tail apart from the rest: the predicate must name every geometry
    where that changes a frame, and no other. If librosa changes its padding, this fails."""
    rng = np.random.default_rng(0)
    seen = set()
    for n_fft in [2, 3, 8, 15, 64, 255, 512]:
        for hop in sorted({1, max(1, n_fft // 4), n_fft // 2 + 1, n_fft, n_fft + 7}):
            for n in range(n_fft, 3 * n_fft + 2 * hop + 2, max(1, (2 * n_fft + 2 * hop) // 23)):
                y = rng.standard_normal(n)
                kw = dict(n_fft=n_fft, hop_length=hop, window="boxcar", pad_mode=pad_mode)
                got = librosa.stft(y, **kw)
                padded, uncentred = padded_then_framed(y, {**kw, "center": True})
                want = librosa.stft(padded, **uncentred)
                departs = got.shape != want.shape or rel_err(got, want) > 1e-12
                if departs:  # only ever the last frame
                    assert rel_err(got[:, :-1], want[:, :-1]) <= 1e-12
                assert departs == helpers.spectral.librosa_tail_deviates(n, n_fft, hop, True,
                                                                        pad_mode), (n, n_fft, hop)
                seen.add(departs)
    assert seen == ({True, False} if pad_mode == "reflect" else {False})


def test_starting_example_shape_and_values():
    sr = 22050
    y = np.sin(2 * np.pi * 440 * np.linspace(0, 1, sr))
    ref = librosa.feature.melspectrogram(y=y, sr=sr, n_mels=128, fmax=8000)
    ours = helpers.melspectrogram(y, sr=sr, n_mels=128, fmax=8000)
    assert ref.shape == ours.shape == (128, helpers.frame_count(sr, 2048, 512))
    assert ours.shape == (128, 1 + sr // 512)
    assert rel_err(ours, ref) <= 1e-6
    np.testing.assert_allclose(helpers.power_to_db(ours, ref=np.max),
                               librosa.power_to_db(ref, ref=np.max), atol=1e-4)


# torchaudio's defaults (n_fft 400, 128 mels) do leave empty filters: both libraries warn.
@pytest.mark.filterwarnings("ignore:At least one mel filterbank has all zero values")
@pytest.mark.filterwarnings("ignore:4 of 128 mel filters are empty")
@pytest.mark.parametrize("sr,n_fft,hop,n_mels,fmax,power,window", [
    (16000, 400, 200, 128, None, 2.0, "hann"),            # torchaudio's defaults
    (16000, 2048, 256, 128, 8000, 1.0, "hamming"),        # the DCASE baseline
    (22050, 1024, 256, 80, 8000, 1.0, "hann"),
    (8000, 512, 128, 40, 3000, 2.0, "blackman"),
])
def test_melspectrogram_matches_torchaudio(sr, n_fft, hop, n_mels, fmax, power, window):
    y = helpers.soundscape(sr=16000, duration=4.0, seed=3)[0].astype(np.float32)
    periodic = window != "hamming"  # the baseline's window is symmetric
    window_fn = {"hann": torch.hann_window, "hamming": torch.hamming_window,
                 "blackman": torch.blackman_window}[window]
    ta = torchaudio.transforms.MelSpectrogram(
        sample_rate=sr, n_fft=n_fft, hop_length=hop, f_min=0.0, f_max=fmax, n_mels=n_mels,
        window_fn=window_fn, wkwargs={"periodic": periodic}, power=power)
    ref = ta(torch.from_numpy(y)).numpy()
    ours = helpers.melspectrogram(
        y, sr=sr, n_fft=n_fft, hop_length=hop, window=helpers.get_window(window, n_fft, periodic),
        center=True, pad_mode="reflect", power=power, n_mels=n_mels, fmax=fmax, htk=True,
        norm=None)
    assert ours.shape == ref.shape
    assert rel_err(ours, ref) <= 1e-4


def test_filterbank_is_cached_and_read_only():
    a = helpers.mel_filterbank(16000, 1024, 64)
    b = helpers.mel_filterbank(16000, 1024, 64)
    assert a is b
    with pytest.raises(ValueError):
        a[0, 0] = 1.0


def test_float32_in_float32_out():
    y = helpers.sine(440, sr=16000, duration=0.5).astype(np.float32)
    assert helpers.stft(y).dtype == np.complex64
    assert helpers.melspectrogram(y, sr=16000).dtype == np.float32
    assert helpers.melspectrogram(y.astype(np.float64), sr=16000).dtype == np.float64


def test_too_many_mels_warns_with_count():
    with pytest.warns(UserWarning, match="Empty filters detected"):  # librosa warns too
        reference = librosa.filters.mel(sr=22050, n_fft=512, n_mels=128, fmax=8000, htk=True,
                                        norm=None)
    expected = helpers.empty_filter_count(reference)
    assert expected > 0
    with pytest.warns(UserWarning, match=rf"{expected} of 128 mel filters are empty"):
        helpers.mel_filterbank(22050, 512, n_mels=128, fmax=8000, htk=True, norm=None)
