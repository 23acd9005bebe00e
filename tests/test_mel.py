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


# ------------------------------------------------------------------------------------------
# The mel scale, the filterbank and its cache (moved here from test_mel_db_extras.py, plus
# the cache's bound). librosa and torchaudio are the references.

@pytest.mark.parametrize("htk", [False, True])
def test_hz_to_mel_and_back_match_librosa(htk):
    f = np.concatenate([[0.0, 1.0, 999.0, 1000.0, 1001.0], np.geomspace(20.0, 24000.0, 50)])
    np.testing.assert_allclose(helpers.hz_to_mel(f, htk=htk), librosa.hz_to_mel(f, htk=htk),
                               rtol=1e-12)
    m = librosa.hz_to_mel(f, htk=htk)
    np.testing.assert_allclose(helpers.mel_to_hz(m, htk=htk), librosa.mel_to_hz(m, htk=htk),
                               rtol=1e-12)
    assert isinstance(helpers.hz_to_mel(440.0, htk=htk), float)


def _filterbank_quietly(*args, **kw):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return helpers.mel_filterbank(*args, **kw)


@pytest.mark.parametrize("sr", [8000, 16000, 22050, 44100])
def test_empty_filter_count_matches_torchaudio_zero_columns(sr):
    import warnings

    import torchaudio

    fmax = min(8000.0, sr / 2)
    seen = set()
    for n_fft in (256, 512, 1024):
        for n_mels in (10, 40, 64, 128, 200):
            fb = _filterbank_quietly(sr, n_fft, n_mels=n_mels, fmax=fmax, htk=True, norm=None)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ta = torchaudio.functional.melscale_fbanks(1 + n_fft // 2, 0.0, fmax, n_mels,
                                                           sr, norm=None, mel_scale="htk")
            n_empty = int((ta.max(dim=0).values <= 0).sum())
            assert helpers.empty_filter_count(fb) == n_empty, (n_fft, n_mels)
            seen.add(n_empty > 0)
    assert seen == {True, False}  # both cases occur on this grid


def test_mel_filterbank_warns_exactly_when_a_filter_is_empty():
    import warnings

    # The chapter's example: 22050 Hz, n_fft 512, fmax 8000, HTK; librosa is the reference.
    for n_mels in (60, 83, 84, 85, 128):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            fb = helpers.mel_filterbank(22050, 512, n_mels=n_mels, fmax=8000, htk=True,
                                        norm=None)
            ref = librosa.filters.mel(sr=22050, n_fft=512, n_mels=n_mels, fmax=8000, htk=True,
                                      norm=None)
        n_empty = helpers.empty_filter_count(fb)
        assert n_empty == int((ref.max(axis=1) <= 0).sum())
        ours = [r for r in rec if "mel filters are empty" in str(r.message)]
        assert (len(ours) == 1) == (n_empty > 0)
        if n_empty:
            assert f"{n_empty} of {n_mels}" in str(ours[0].message)


def test_slaney_norm_is_peak_one_divided_by_half_width():
    sr, n_fft, n_mels = 22050, 2048, 128
    peak1 = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmax=8000, norm=None)
    area = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmax=8000)
    edges = librosa.mel_frequencies(n_mels + 2, fmin=0.0, fmax=8000)
    np.testing.assert_allclose(area, peak1 * (2.0 / (edges[2:] - edges[:-2]))[:, None],
                               rtol=1e-5, atol=1e-9)
    # each area-normalised triangle has area ~1 in Hz (sum * bin width)
    np.testing.assert_allclose(area[10:].sum(axis=1) * sr / n_fft, 1.0, atol=0.05)
    ours = helpers.mel_filterbank(sr, n_fft, n_mels=n_mels, fmax=8000)
    np.testing.assert_allclose(ours, area, rtol=1e-5, atol=1e-9)  # librosa's is float32


@pytest.fixture
def small_cache(monkeypatch):
    """A fresh filterbank cache with a small byte budget, restored afterwards."""
    from helpers import mel

    monkeypatch.setattr(mel, "_CACHE", type(mel._CACHE)())
    monkeypatch.setattr(mel, "CACHE_BYTES", 1 << 20)  # 1 MiB
    return mel


def _held(mel):
    return sum(w.nbytes for w in mel._CACHE.values())


def test_the_cache_holds_at_most_its_byte_budget(small_cache):
    mel = small_cache
    sizes = []
    for n_mels in range(40, 200, 20):  # each about (n_mels x 1025) float64: 0.3 to 1.5 MiB
        fb = _filterbank_quietly(16000, 2048, n_mels=n_mels)
        sizes.append(fb.nbytes)
        assert _held(mel) <= mel.CACHE_BYTES
    assert max(sizes) > mel.CACHE_BYTES  # the largest was computed, not kept
    big = _filterbank_quietly(16000, 2048, n_mels=180)
    assert big.nbytes > mel.CACHE_BYTES and not any(w is big for w in mel._CACHE.values())
    np.testing.assert_allclose(big, librosa.filters.mel(sr=16000, n_fft=2048, n_mels=180),
                               rtol=1e-5, atol=1e-9)


def test_the_cache_forgets_the_least_recently_used_first(small_cache):
    mel = small_cache
    a = helpers.mel_filterbank(16000, 1024, n_mels=64)        # about 0.25 MiB each
    b = helpers.mel_filterbank(16000, 1024, n_mels=65)
    c = helpers.mel_filterbank(16000, 1024, n_mels=66)
    assert helpers.mel_filterbank(16000, 1024, n_mels=64) is a  # a is now the most recent
    d = helpers.mel_filterbank(16000, 1024, n_mels=100)         # 0.4 MiB: one must go
    assert a.nbytes + c.nbytes + d.nbytes <= mel.CACHE_BYTES < a.nbytes + b.nbytes + c.nbytes \
        + d.nbytes
    kept = list(mel._CACHE.values())
    assert any(w is a for w in kept) and any(w is c for w in kept)
    assert not any(w is b for w in kept)
    assert _held(mel) <= mel.CACHE_BYTES
    mel.clear_cache()
    assert not mel._CACHE


@pytest.mark.parametrize("change", [dict(sr=22050), dict(n_fft=1024), dict(n_mels=41),
                                    dict(fmin=20.0), dict(fmax=6000.0), dict(htk=True),
                                    dict(norm=None)], ids=lambda d: next(iter(d)))
def test_the_cache_is_keyed_by_every_argument(small_cache, change):
    base = dict(sr=16000, n_fft=512, n_mels=40, fmin=0.0, fmax=None, htk=False, norm="slaney")
    first = helpers.mel_filterbank(**base)
    changed = helpers.mel_filterbank(**{**base, **change})
    assert changed is not first
    kw = {**base, **change}
    ref = librosa.filters.mel(sr=kw["sr"], n_fft=kw["n_fft"], n_mels=kw["n_mels"],
                              fmin=kw["fmin"], fmax=kw["fmax"], htk=kw["htk"], norm=kw["norm"])
    np.testing.assert_allclose(changed, ref, rtol=1e-5, atol=1e-9)
    # the same filterbank spelled differently is one entry: 16000 == 16000.0, None == sr / 2
    assert helpers.mel_filterbank(**{**base, "sr": 16000.0, "fmax": 8000}) is first


def test_integer_arguments_refuse_booleans():
    y = helpers.sine(440.0, sr=16000, duration=0.1)
    for call in (lambda: helpers.melspectrogram(y, sr=16000, n_mels=True),
                 lambda: helpers.mel_filterbank(16000, 512, n_mels=True),
                 lambda: helpers.mel_frequencies(n_mels=False)):
        with pytest.raises(TypeError, match=r"n_mels must be an integer, got (True|False)"):
            call()
