"""helpers.listen: distances between spectrograms, the seeded mel round trip, the explorer.

References are independent computations (NumPy written out here, librosa's own
inverse called directly), never numbers copied from a run.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import helpers
from helpers import listen

SR = 16000
VOWEL = helpers.vowel("a", sr=SR, duration=0.5)
RNG = np.random.default_rng(0)
S_A = np.abs(RNG.standard_normal((65, 12))) + 1e-3
S_B = np.abs(RNG.standard_normal((65, 12))) + 1e-3

magnitudes = arrays(np.float64, (9, 4), elements=st.floats(0, 1e3, allow_nan=False,
                                                           allow_infinity=False))


# --------------------------------------------------------------------------- distances

def _lsd_reference(A, B, top_db):
    """The log-spectral distance written out frame by frame, with plain loops."""
    floor = max(A.max(), B.max()) * 10 ** (-top_db / 20)
    per_frame = []
    for t in range(A.shape[1]):
        a = 20 * np.log10(np.maximum(A[:, t], floor))
        b = 20 * np.log10(np.maximum(B[:, t], floor))
        per_frame.append(np.sqrt(np.mean((a - b) ** 2)))
    return float(np.mean(per_frame))


def test_lsd_matches_an_independent_computation():
    for top_db in (40.0, 80.0, 120.0):
        assert listen.log_spectral_distance(S_A, S_B, top_db=top_db) == pytest.approx(
            _lsd_reference(S_A, S_B, top_db), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(magnitudes, magnitudes)
def test_lsd_is_zero_for_identical_symmetric_and_non_negative(A, B):
    assert listen.log_spectral_distance(A, A) == 0.0
    d_ab = listen.log_spectral_distance(A, B)
    assert d_ab >= 0.0
    assert d_ab == pytest.approx(listen.log_spectral_distance(B, A), rel=1e-12, abs=1e-12)


def test_lsd_of_a_uniform_gain_is_that_gain_in_db():
    # No bin near the floor: every bin differs by exactly 20 log10(2) dB.
    assert listen.log_spectral_distance(S_A, 2 * S_A, top_db=200) == pytest.approx(
        20 * np.log10(2), rel=1e-12)


def test_distances_grow_with_the_distortion():
    noise = np.abs(np.random.default_rng(1).standard_normal(S_A.shape))
    lsd = [listen.log_spectral_distance(S_A, S_A + eps * noise) for eps in (0.01, 0.1, 1.0)]
    sc = [listen.spectral_convergence(S_A, S_A + eps * noise) for eps in (0.01, 0.1, 1.0)]
    assert 0 < lsd[0] < lsd[1] < lsd[2]
    assert 0 < sc[0] < sc[1] < sc[2]


def test_spectral_convergence_is_the_relative_frobenius_error():
    want = np.sqrt(np.sum((S_A - S_B) ** 2) / np.sum(S_A ** 2))
    assert listen.spectral_convergence(S_A, S_B) == pytest.approx(want, rel=1e-12)
    assert listen.spectral_convergence(S_A, S_A) == 0.0
    assert listen.spectral_convergence(S_A, np.zeros_like(S_A)) == pytest.approx(1.0)
    # Not symmetric (the reference's energy is the yardstick), as documented.
    assert listen.spectral_convergence(S_A, 2 * S_A) != listen.spectral_convergence(2 * S_A, S_A)


def test_distances_accept_torch_tensors_and_one_spectrum():
    torch = pytest.importorskip("torch")
    assert listen.log_spectral_distance(torch.from_numpy(S_A), torch.from_numpy(S_B)) == \
        pytest.approx(listen.log_spectral_distance(S_A, S_B))
    assert listen.log_spectral_distance(S_A[:, 0], S_B[:, 0]) == pytest.approx(
        _lsd_reference(S_A[:, :1], S_B[:, :1], 80.0))


def test_silence_against_silence_is_distance_zero():
    z = np.zeros((5, 3))
    assert listen.log_spectral_distance(z, z) == 0.0


BAD_DISTANCE_INPUTS = [
    ("shape mismatch", S_A, S_A[:, :5], ValueError, ["same shape", "(65, 12)", "(65, 5)"]),
    ("complex", S_A + 0j, S_B, TypeError, ["S_ref", "complex", "np.abs"]),
    ("negative", S_A, -S_B, ValueError, ["S_est", "negative"]),
    ("nan", np.full((3, 3), np.nan), S_B[:3, :3], ValueError, ["S_ref", "finite"]),
    ("3-D", np.ones((2, 2, 2)), np.ones((2, 2, 2)), ValueError, ["S_ref", "shape (2, 2, 2)"]),
    ("empty", np.ones((0, 3)), np.ones((0, 3)), ValueError, ["S_ref", "empty"]),
    ("string", "spectrogram", S_B, TypeError, ["S_ref", "str"]),
    ("None", S_A, None, TypeError, ["S_est", "NoneType"]),
]


@pytest.mark.parametrize("fn", [listen.log_spectral_distance, listen.spectral_convergence])
@pytest.mark.parametrize("label, a, b, exc, fragments", BAD_DISTANCE_INPUTS,
                         ids=[row[0] for row in BAD_DISTANCE_INPUTS])
def test_bad_distance_inputs_raise_clear_errors(fn, label, a, b, exc, fragments):
    with pytest.raises(exc) as info:
        fn(a, b)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_bad_top_db_and_silent_reference():
    with pytest.raises(ValueError, match="top_db"):
        listen.log_spectral_distance(S_A, S_B, top_db=0)
    with pytest.raises(ValueError, match="all zeros"):
        listen.spectral_convergence(np.zeros((3, 3)), np.ones((3, 3)))


def test_stft_distance_compares_magnitudes_only():
    # A sign flip changes every phase by pi but no magnitude.
    assert listen.stft_distance(VOWEL, -VOWEL) == 0.0
    A = np.abs(helpers.stft(VOWEL, n_fft=512, hop_length=128))
    B = np.abs(helpers.stft(0.5 * VOWEL, n_fft=512, hop_length=128))
    assert listen.stft_distance(VOWEL, 0.5 * VOWEL, n_fft=512, hop_length=128, metric="sc") == \
        pytest.approx(listen.spectral_convergence(A, B))
    with pytest.raises(ValueError, match="same length"):
        listen.stft_distance(VOWEL, VOWEL[:-1])
    with pytest.raises(ValueError, match="metric"):
        listen.stft_distance(VOWEL, VOWEL, metric="l2")


# --------------------------------------------------------------------------- round trip

@pytest.mark.parametrize("power", [1.0, 2.0])
def test_roundtrip_is_deterministic_and_seeded(power):
    listen.clear_cache()
    a = listen.mel_roundtrip(VOWEL, sr=SR, n_mels=40, n_iter=8, seed=3, power=power)
    listen.clear_cache()  # recompute, do not reuse the remembered result
    b = listen.mel_roundtrip(VOWEL, sr=SR, n_mels=40, n_iter=8, seed=3, power=power)
    c = listen.mel_roundtrip(VOWEL, sr=SR, n_mels=40, n_iter=8, seed=4, power=power)
    assert a.shape == VOWEL.shape and a.dtype == np.float64
    assert np.array_equal(a, b)           # same seed: the very same samples
    assert not np.array_equal(a, c)       # another seed: another initial phase


def test_the_cache_is_keyed_by_content_and_arguments_and_hands_out_copies():
    listen.clear_cache()
    a = listen.mel_roundtrip(VOWEL, sr=SR, n_mels=24, n_iter=4)
    a[:] = 0.0                                      # a caller scribbling on its result ...
    b = listen.mel_roundtrip(VOWEL, sr=SR, n_mels=24, n_iter=4)
    assert np.any(b != 0)                           # ... does not change the next one
    other = VOWEL.copy()
    other[100] += 0.01                              # other samples: another key
    c = listen.mel_roundtrip(other, sr=SR, n_mels=24, n_iter=4)
    d = listen.mel_roundtrip(VOWEL, sr=SR, n_mels=24, n_iter=5)
    assert not np.array_equal(b, c) and not np.array_equal(b, d)
    short = VOWEL[:2048]
    for seed in range(listen._CACHE_SIZE + 3):        # bounded: the oldest are forgotten
        listen.mel_roundtrip(short, sr=SR, n_mels=16, n_iter=1, seed=seed)
    assert len(listen._CACHE) == listen._CACHE_SIZE
    listen.clear_cache()
    assert len(listen._CACHE) == 0


def test_roundtrip_is_librosas_inverse_of_helpers_mel():
    import librosa

    for power in (1.0, 2.0):
        M = helpers.melspectrogram(VOWEL, sr=SR, n_fft=1024, hop_length=256, n_mels=64,
                                   fmax=6000, power=power)
        S = librosa.feature.inverse.mel_to_stft(M, sr=SR, n_fft=1024, fmax=6000, power=power)
        want = librosa.griffinlim(S, n_iter=8, hop_length=256, n_fft=1024, length=len(VOWEL),
                                  **listen.griffinlim_seed(0))
        got = listen.mel_roundtrip(VOWEL, sr=SR, n_mels=64, fmax=6000, n_iter=8, seed=0,
                                   power=power)
        # The same computation; only the BLAS thread count may differ (last digits).
        assert listen.stft_distance(want, got) < 0.05
        if power == 1.0:  # the amplitude mel's inverse is insensitive to those digits
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-9 * np.abs(want).max())


def test_more_mels_bring_the_vowel_closer():
    d = listen.distance_vs_mels(VOWEL, sr=SR, n_mels=(16, 128), n_iter=16)
    assert d.shape == (1, 2)
    assert d[0, 1] <= d[0, 0]
    assert np.all(d > 0)  # a round trip through 16 or 128 mels is never lossless


def test_fmax_removes_what_lies_above_it():
    chirp = helpers.chirp(3000, 7000, sr=SR, duration=0.5, amplitude=0.5)
    d = listen.distance_vs_mels(chirp, sr=SR, n_mels=(64,), fmax=(2000, 8000), metric="sc",
                                n_iter=8)
    assert d.shape == (2, 1)
    # Everything of this 3-7 kHz sweep is above 2 kHz: nothing comes back (SC close to 1).
    assert d[0, 0] > 0.9 > d[1, 0]
    both = listen.distance_vs_mels(chirp, sr=SR, n_mels=(64,), fmax=(2000, 8000),
                                   metric=("lsd", "sc"), n_iter=8)
    assert both.shape == (2, 2, 1)
    np.testing.assert_array_equal(both[1], d)  # the same round trips, measured twice
    assert both[0, 0, 0] == listen.stft_distance(
        chirp, listen.mel_roundtrip(chirp, sr=SR, n_mels=64, fmax=2000, n_iter=8))


def test_clamp_changes_only_what_is_below_the_floor():
    loud = listen.mel_roundtrip(VOWEL, sr=SR, n_mels=40, n_iter=8, power=1.0)
    same = listen.mel_roundtrip(VOWEL, sr=SR, n_mels=40, n_iter=8, power=1.0,
                                clamp_db=(-200.0, 200.0))
    assert listen.stft_distance(loud, same) < 0.05  # nothing clamped: the same sound
    floored = listen.mel_roundtrip(VOWEL, sr=SR, n_mels=40, n_iter=8, power=1.0,
                                   clamp_db=(20.0, 80.0))
    assert listen.stft_distance(loud, floored) > 1.0


BAD_ROUNDTRIP = [
    ({"n_mels": 0}, ValueError, "n_mels"),
    ({"n_mels": 2.5}, TypeError, "n_mels"),
    ({"fmax": 9000}, ValueError, "fmax"),
    ({"n_iter": 0}, ValueError, "n_iter"),
    ({"seed": -1}, ValueError, "seed"),
    ({"clamp_db": (-50,)}, TypeError, "clamp_db"),
    ({"clamp_db": (80, -50)}, ValueError, "clamp_db"),
    ({"window": "triangle"}, ValueError, "window"),
]


@pytest.mark.parametrize("kwargs, exc, name", BAD_ROUNDTRIP, ids=[str(r[0]) for r in BAD_ROUNDTRIP])
def test_bad_roundtrip_arguments_raise(kwargs, exc, name):
    with pytest.raises(exc, match=name):
        listen.mel_roundtrip(VOWEL, sr=SR, n_iter=kwargs.pop("n_iter", 2), **kwargs)


def test_bad_audio_and_grid():
    with pytest.raises(ValueError, match="mono"):
        listen.mel_roundtrip(np.stack([VOWEL, VOWEL]), sr=SR)
    with pytest.raises(TypeError, match="integer"):
        listen.mel_roundtrip((VOWEL * 32767).astype(np.int16), sr=SR)
    with pytest.raises(TypeError, match="n_ffts"):
        listen.distance_vs_mels(VOWEL, sr=SR, n_mels=(16,), n_ffts=512)
    with pytest.raises(ValueError, match="at least one"):
        listen.distance_vs_mels(VOWEL, sr=SR, n_mels=(), fmax=(None,))
    with pytest.raises(ValueError, match="metric"):
        listen.distance_vs_mels(VOWEL, sr=SR, metric=("lsd", "snr"))


def test_players_make_one_row_of_labelled_audio():
    html = listen.players({"original": VOWEL, "40 mels <b>": VOWEL}, SR).data
    assert html.count("<audio") == 2 and "40 mels &lt;b&gt;" in html
    with pytest.raises(TypeError, match="dict"):
        listen.players([VOWEL], SR)


# --------------------------------------------------------------------------- explorer

def test_explorer_drives_without_raising():
    ex = listen.reconstruction_explorer(sr=SR, n_mels=16)
    assert set(ex.controls) == {"sound", "n_mels", "fmax"}
    assert ex.last_error is None and ex.figure is not None
    first = ex.y_hat.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would end up in the readout, not here
        ex.controls["n_mels"].value = 64
        ex.controls["fmax"].value = 4000
        ex.controls["sound"].value = "chirp"
    assert ex.last_error is None
    assert "Log-spectral distance" in ex.readout_text
    # 0 to 4000 Hz in steps of 16000 / 1024 Hz: bins 0..256, the other 256 are lost.
    assert "the 257 STFT bins from 0 to fmax = 4000 Hz" in ex.readout_text
    assert "the 256 bins above fmax are lost" in ex.readout_text
    assert len(ex.audio.value) > 1000 and ex.image.value[:4] == b"\x89PNG"
    assert ex.y_hat.shape != first.shape  # the chirp is longer than the vowel


def test_explorer_takes_your_sound_and_refuses_bad_arguments():
    ex = listen.reconstruction_explorer(y=VOWEL, sr=SR, sound="your sound")
    assert ex.y_hat.shape == VOWEL.shape
    with pytest.raises(ValueError, match="sound"):
        listen.reconstruction_explorer(sr=SR, sound="piano")
    with pytest.raises(ValueError, match="fmax"):
        listen.reconstruction_explorer(sr=SR, fmax=100)
