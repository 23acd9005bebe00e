"""Tests for helpers.mel: which mel bands resolve harmonics (harmonics_resolved).

The criterion is checked two ways: against its definition computed from librosa's own band
edges (librosa.mel_frequencies), and against what it is meant to predict, on a harmonic comb
whose mel spectrum is inverted the way librosa starts its inversion (clipped pseudo-inverse).
"""

import librosa
import numpy as np
import pytest

import helpers


@pytest.mark.parametrize("htk", [False, True])
@pytest.mark.parametrize("sr, n_mels, fmin, fmax", [
    (16000, 16, 0.0, None), (16000, 64, 0.0, 4000.0), (16000, 128, 0.0, None),
    (22050, 128, 0.0, 8000.0), (22050, 40, 300.0, None), (44100, 256, 20.0, 16000.0)])
@pytest.mark.parametrize("f0", [60.0, 120.0, 250.0])
def test_matches_the_definition_on_librosas_band_edges(f0, sr, n_mels, fmin, fmax, htk):
    edges = librosa.mel_frequencies(n_mels=n_mels + 2, fmin=fmin,
                                    fmax=sr / 2 if fmax is None else fmax, htk=htk)
    want = (edges[2:] - edges[:-2]) < f0        # lower edge to upper edge, narrower than f0
    got = helpers.harmonics_resolved(f0, sr, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk)
    assert got.dtype == bool and got.shape == (n_mels,)
    np.testing.assert_array_equal(got, want)


def _comb_contrast(f0, sr, n_fft, n_mels, htk):
    """Harmonic-over-midpoint level (dB) of a flat harmonic comb after mel and back."""
    step = round(f0 * n_fft / sr)                # f0 falls on a bin: sr / n_fft divides f0
    x = np.zeros(1 + n_fft // 2)
    x[step::step] = 1.0
    F = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, htk=htk, norm=None,
                            dtype=np.float64)
    x_hat = np.clip(np.linalg.pinv(F) @ (F @ x), 0, None)
    k = np.arange(step, len(x) - step, step)     # harmonic bins; k + step // 2 is midway
    floor = 1e-3                                 # 60 dB below a harmonic: "nothing"
    contrast = 10 * np.log10((x_hat[k] + floor) / (x_hat[k + step // 2] + floor))
    return k * sr / n_fft, contrast


@pytest.mark.parametrize("htk", [False, True])
@pytest.mark.parametrize("n_mels, f0", [(64, 120.0), (128, 120.0), (128, 200.0), (40, 200.0)])
def test_harmonics_come_back_below_the_limit_and_not_above(n_mels, f0, htk):
    sr, n_fft = 16000, 1600                      # 10 Hz bins
    resolved = helpers.harmonics_resolved(f0, sr, n_mels=n_mels, htk=htk)
    centres = helpers.mel_frequencies(n_mels + 2, fmax=sr / 2, htk=htk)[1:-1]
    limit = centres[resolved].max()
    freqs, contrast = _comb_contrast(f0, sr, n_fft, n_mels, htk)
    below, above = contrast[freqs < 0.8 * limit], contrast[freqs > 1.25 * limit]
    assert below.size >= 3 and above.size >= 3
    assert np.median(below) > 10.0               # harmonics stand out from the gaps
    assert np.median(above) < 1.0                # harmonics and gaps come back level


@pytest.mark.parametrize("n_mels", [16, 40])
def test_no_band_resolves_and_no_harmonic_comes_back(n_mels):
    sr, f0 = 16000, 120.0                        # 16 and 40 bands: every triangle > 120 Hz
    assert not helpers.harmonics_resolved(f0, sr, n_mels=n_mels).any()
    _, contrast = _comb_contrast(f0, sr, 1600, n_mels, False)
    assert np.median(contrast) < 1.0


def test_spacing_below_f0_is_not_enough():
    """The looser test (centre spacing < f0) calls 40 bands resolved below ~1.5 kHz; the comb
    does not come back there, which is why the helper uses the full triangle width."""
    sr, f0, n_mels = 16000, 120.0, 40
    edges = helpers.mel_frequencies(n_mels + 2, fmax=sr / 2)
    spacing_ok = np.diff(edges)[1:] < f0
    assert spacing_ok.sum() >= 10
    freqs, contrast = _comb_contrast(f0, sr, 1600, n_mels, False)
    looser_limit = edges[1:-1][spacing_ok].max()
    assert np.median(contrast[freqs < 0.8 * looser_limit]) < 3.0


def test_resolved_bands_come_first_and_grow_with_n_mels():
    previous = 0.0
    for n_mels in (32, 64, 96, 128, 192, 256):
        ok = helpers.harmonics_resolved(100.0, 22050, n_mels=n_mels, fmax=8000.0)
        assert not np.any(np.diff(ok.astype(int)) > 0)   # True... then False...
        top = helpers.mel_frequencies(n_mels + 2, fmax=8000.0)[1:-1][ok].max(initial=0.0)
        assert top >= previous
        previous = top


@pytest.mark.parametrize("kwargs, error", [
    (dict(f0=0.0), ValueError), (dict(f0=-5.0), ValueError), (dict(f0="120"), TypeError),
    (dict(sr=0), ValueError), (dict(n_mels=0), ValueError), (dict(n_mels=2.5), TypeError),
    (dict(fmax=9000.0), ValueError), (dict(fmin=8000.0), ValueError),
    (dict(fmin=-1.0), ValueError), (dict(htk="yes"), TypeError)])
def test_bad_input_names_the_argument(kwargs, error):
    args = dict(f0=120.0, sr=16000, n_mels=64) | kwargs
    name = next(iter(kwargs))
    with pytest.raises(error, match=name):
        helpers.harmonics_resolved(**args)
