"""Property-based tests (hypothesis) over the DSP core.

Invariants that must hold for every input, not just the examples in the
notebooks: the STFT's shape follows the frame-count formula, mel filters are
non-negative triangles, the STFT keeps energy (Parseval with a window whose
squares overlap-add to a constant), and decibels are monotone.
"""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import signal as sps

import helpers

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _noise(n, seed):
    return np.random.default_rng(seed).standard_normal(n)


# ----------------------------------------------------------------- shapes

def _frames_by_counting(n_samples, n_fft, hop_length, center):
    """Count frame start positions one by one: an independent check of the formula."""
    padded = n_samples + 2 * (n_fft // 2) if center else n_samples
    return len(range(0, padded - n_fft + 1, hop_length))


@SETTINGS
@given(n=st.integers(1, 3000), n_fft=st.integers(2, 600), hop=st.integers(1, 700),
       center=st.booleans(), seed=st.integers(0, 2**16))
def test_stft_shape_follows_frame_count(n, n_fft, hop, center, seed):
    y = _noise(n, seed)
    expected = _frames_by_counting(n, n_fft, hop, center)
    if expected == 0:  # no full frame: both must refuse, with a ValueError
        with pytest.raises(ValueError):
            helpers.frame_count(n, n_fft, hop, center=center)
        with pytest.raises(ValueError):
            helpers.stft(y, n_fft=n_fft, hop_length=hop, center=center)
        return
    assert helpers.frame_count(n, n_fft, hop, center=center) == expected
    X = helpers.stft(y, n_fft=n_fft, hop_length=hop, center=center)
    assert X.shape == (1 + n_fft // 2, expected)


@SETTINGS
@given(n=st.integers(64, 4000), n_fft=st.sampled_from([64, 128, 256, 400, 512]),
       hop=st.integers(1, 512), n_mels=st.integers(1, 40), center=st.booleans())
def test_melspectrogram_shape_follows_frame_count(n, n_fft, hop, n_mels, center):
    assume(n >= n_fft or center)
    y = _noise(n, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # empty filters are fine here
        S = helpers.melspectrogram(y, sr=16000, n_fft=n_fft, hop_length=hop, n_mels=n_mels,
                                   center=center)
    assert S.shape == (n_mels, helpers.frame_count(n, n_fft, hop, center=center))


# ------------------------------------------------------------- filterbank

@SETTINGS
@given(sr=st.sampled_from([8000, 16000, 22050, 44100, 48000]),
       n_fft=st.sampled_from([256, 512, 1024, 2048, 4096]), n_mels=st.integers(1, 128),
       fmin_frac=st.floats(0.0, 0.5), fmax_frac=st.floats(0.55, 1.0), htk=st.booleans(),
       norm=st.sampled_from(["slaney", None]))
def test_filterbank_rows_are_nonnegative_triangles(sr, n_fft, n_mels, fmin_frac, fmax_frac, htk,
                                                   norm):
    fmin, fmax = fmin_frac * sr / 2, fmax_frac * sr / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fb = helpers.mel_filterbank(sr, n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk,
                                    norm=norm)
    assert fb.shape == (n_mels, 1 + n_fft // 2)
    assert np.all(fb >= 0)
    freqs = helpers.fft_frequencies(sr=sr, n_fft=n_fft)
    edges = helpers.mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax, htk=htk)
    for i, row in enumerate(fb):
        support = np.flatnonzero(row > 0)
        if support.size == 0:
            continue
        # non-zero only strictly between the filter's two outer edges ...
        assert freqs[support[0]] > edges[i] - 1e-9 and freqs[support[-1]] < edges[i + 2] + 1e-9
        # ... on one contiguous run of bins ...
        assert np.all(np.diff(support) == 1)
        # ... rising, then falling: once it has gone down it never goes up again
        d = np.diff(row[support[0]:support[-1] + 1])
        first_fall = np.argmax(d < 0) if np.any(d < 0) else d.size
        assert np.all(d[:first_fall] >= 0) and np.all(d[first_fall:] <= 1e-15)
        if norm is None:  # peak 1 at the centre edge: a bin can only come close
            assert row.max() <= 1 + 1e-12


# -------------------------------------------------------- energy (Parseval)

def _one_sided_energy(X, n_fft):
    """sum over frames of sum_k |X[k]|^2 over the FULL spectrum, from the one-sided one."""
    power = np.abs(X) ** 2
    weights = np.full(X.shape[0], 2.0)
    weights[0] = 1.0
    if n_fft % 2 == 0:
        weights[-1] = 1.0  # the Nyquist bin appears once
    return np.sum(weights[:, None] * power) / n_fft


@SETTINGS
@given(n_fft=st.sampled_from([16, 32, 64, 100, 128, 256, 512, 1024]),
       length=st.integers(1, 5000), seed=st.integers(0, 2**16))
def test_stft_energy_parseval_with_cola_window(n_fft, length, seed):
    # periodic Hann with hop n_fft / 4: the squared windows overlap-add to a constant,
    # sum(w**2) / hop, so every sample's energy is counted that many times.
    hop = n_fft // 4
    w = sps.get_window("hann", n_fft, fftbins=True)  # scipy's, not ours
    w2_sum = sum(np.roll(np.pad(w ** 2, (0, 3 * n_fft)), t * hop) for t in range(16))
    assert np.allclose(w2_sum[n_fft:3 * n_fft], np.sum(w ** 2) / hop)  # COLA of w**2 holds
    # zeros around the signal so that every non-zero sample is under all its frames
    y = np.concatenate([np.zeros(n_fft), _noise(length, seed), np.zeros(n_fft)])
    X = helpers.stft(y, n_fft=n_fft, hop_length=hop, window="hann", center=True)
    energy = _one_sided_energy(X, n_fft)
    assert energy == pytest.approx(np.sum(y ** 2) * np.sum(w ** 2) / hop, rel=1e-9)


@SETTINGS
@given(n_fft=st.integers(2, 512), n_frames=st.integers(1, 20), seed=st.integers(0, 2**16))
def test_stft_energy_parseval_rectangular_no_overlap(n_fft, n_frames, seed):
    y = _noise(n_fft * n_frames, seed)
    X = helpers.stft(y, n_fft=n_fft, hop_length=n_fft, window="rectangular", center=False)
    assert X.shape[1] == n_frames
    assert _one_sided_energy(X, n_fft) == pytest.approx(np.sum(y ** 2), rel=1e-9)


# ---------------------------------------------------------------- decibels

positive_arrays = st.integers(0, 2**16).map(
    lambda seed: np.random.default_rng(seed).lognormal(mean=-8, sigma=6, size=(7, 11)))


@SETTINGS
@given(S=positive_arrays, zeros=st.integers(0, 10), top_db=st.sampled_from([None, 80.0, 20.0]),
       ref=st.sampled_from([1.0, np.max, 1e-3]))
def test_db_is_monotone(S, zeros, top_db, ref):
    S = S.copy()
    S.flat[:zeros] = 0.0  # silence too
    order = np.argsort(S, axis=None, kind="stable")
    for to_db, values in ((helpers.power_to_db, S), (helpers.amplitude_to_db, np.sqrt(S))):
        db = to_db(values, ref=ref, top_db=top_db).ravel()[order]
        assert np.all(np.diff(db) >= 0), to_db.__name__
        assert np.all(np.isfinite(db))


@SETTINGS
@given(S=positive_arrays)
def test_db_ten_decibels_per_decade_of_power(S):
    S = np.maximum(S, 1e-9)  # above amin, so the floor does not touch it
    gain = helpers.power_to_db(10 * S, top_db=None) - helpers.power_to_db(S, top_db=None)
    assert np.allclose(gain, 10.0)
    gain = helpers.amplitude_to_db(10 * np.sqrt(S), amin=1e-6, top_db=None) \
        - helpers.amplitude_to_db(np.sqrt(S), amin=1e-6, top_db=None)
    assert np.allclose(gain, 20.0)


# -------------------------------------------------------------- mel scale

@SETTINGS
@given(f=st.lists(st.floats(0.0, 30000.0), min_size=2, max_size=30), htk=st.booleans())
def test_mel_scale_is_monotone_and_invertible(f, htk):
    f = np.sort(np.asarray(f))
    m = helpers.hz_to_mel(f, htk=htk)
    assert np.all(np.diff(m) >= 0)
    assert np.allclose(helpers.mel_to_hz(m, htk=htk), f, rtol=1e-9, atol=1e-6)
