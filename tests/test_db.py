"""helpers.db (power_to_db, amplitude_to_db), and the facts about decibels chapter 04 teaches.

References are librosa and torchaudio or the definition; the randomised comparison with
librosa is in test_core_parity.py, monotonicity in test_properties.py, bad input in
test_bad_input.py.
"""

import warnings

import librosa
import numpy as np
import pytest
import torch
import torchaudio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import helpers

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
RNG = np.random.default_rng(0)
S_POWER = RNG.exponential(1e-3, size=(40, 30)) * np.logspace(0, -9, 30)[None, :]


def _no_warnings(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call()


@pytest.mark.parametrize("kw", [dict(), dict(ref=np.max), dict(top_db=None), dict(top_db=40.0),
                                dict(ref=1e-3, amin=1e-12)])
def test_power_to_db_matches_librosa(kw):
    np.testing.assert_allclose(helpers.power_to_db(S_POWER, **kw),
                               librosa.power_to_db(S_POWER, **kw), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("kw", [dict(), dict(ref=np.max), dict(top_db=None), dict(amin=1e-3)])
def test_amplitude_to_db_matches_librosa(kw):
    S = np.sqrt(S_POWER)
    np.testing.assert_allclose(helpers.amplitude_to_db(S, **kw),
                               librosa.amplitude_to_db(S, **kw), rtol=1e-12, atol=1e-9)


def test_amplitude_to_db_is_power_to_db_of_the_square():
    S = np.sqrt(S_POWER)
    np.testing.assert_allclose(helpers.amplitude_to_db(S, ref=0.5, amin=1e-4, top_db=60.0),
                               helpers.power_to_db(S ** 2, ref=0.25, amin=1e-8, top_db=60.0),
                               rtol=1e-12)


def test_float16_amplitudes_do_not_overflow_in_the_square():
    # float16 holds amplitudes up to 65504 but their squares only up to 256**2
    S = np.array([[0.0, 1e-3, 1.0, 300.0, 60000.0]], dtype=np.float16)
    db = _no_warnings(lambda: helpers.amplitude_to_db(S, top_db=None))
    assert db.dtype == np.float32 and np.all(np.isfinite(db))
    ref = librosa.amplitude_to_db(S.astype(np.float64), top_db=None)  # the same values, exactly
    np.testing.assert_allclose(db, ref, rtol=1e-6, atol=1e-4)


def test_float16_zeros_give_the_power_floor_not_minus_infinity():
    # float16 cannot hold amin = 1e-10 (it rounds to 0): the floor must not become log10(0)
    zeros = np.zeros((3, 4), dtype=np.float16)
    db = _no_warnings(lambda: helpers.power_to_db(zeros))
    assert db.dtype == np.float32
    np.testing.assert_allclose(db, 10 * np.log10(1e-10), rtol=1e-6)
    np.testing.assert_allclose(_no_warnings(lambda: helpers.amplitude_to_db(zeros)),
                               20 * np.log10(1e-5), rtol=1e-6)


@pytest.mark.parametrize("dtype, out", [(np.float32, np.float32), (np.float64, np.float64),
                                        (np.int64, np.float64), (np.uint8, np.float64)])
def test_result_dtype(dtype, out):
    S = (S_POWER * 1e5).astype(dtype)
    db = helpers.power_to_db(S)
    assert db.dtype == out
    np.testing.assert_allclose(db, librosa.power_to_db(S.astype(np.float64)),
                               rtol=1e-5, atol=1e-4)


def test_torch_tensors_give_the_numpy_result():
    t = torch.from_numpy(S_POWER).requires_grad_(True)
    np.testing.assert_array_equal(helpers.power_to_db(t), helpers.power_to_db(S_POWER))
    np.testing.assert_array_equal(helpers.amplitude_to_db(torch.from_numpy(np.sqrt(S_POWER))),
                                  helpers.amplitude_to_db(np.sqrt(S_POWER)))


# Facts chapter 04 teaches ----------------------------------------------------------------

@given(st.lists(st.floats(1e-8, 1e3), min_size=2, max_size=40))
@SETTINGS
def test_amplitude_to_db_of_a_power_doubles_the_decibels(values):
    S = np.array(values)[None, :]
    wrong = librosa.amplitude_to_db(S, top_db=None, amin=1e-10)
    right = librosa.power_to_db(S, top_db=None, amin=1e-10)
    np.testing.assert_allclose(wrong, 2 * right, rtol=1e-9, atol=1e-9)


def test_torchaudio_amplitude_stype_is_treated_as_magnitude():
    x = torch.tensor([[1e-3, 0.5, 2.0]])
    a = torchaudio.transforms.AmplitudeToDB(stype="amplitude")
    m = torchaudio.transforms.AmplitudeToDB(stype="magnitude")
    torch.testing.assert_close(a(x), m(x))
    torch.testing.assert_close(a(x), 20 * torch.log10(x))


def test_torchaudio_top_db_is_batch_wide_on_3d_input():
    loud = torch.full((1, 4, 5), 1.0)
    quiet = torch.full((1, 4, 5), 1e-9, dtype=torch.float64)   # -90 dB
    quiet[0, 0, 0] = 1e-3                                       # its maximum, -30 dB
    loud = loud.double()
    batch = torch.cat([loud, quiet])  # (B, F, T)
    db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=80.0)
    alone = db(quiet)[0]
    together = db(batch)[1]
    assert float(together.min()) == pytest.approx(-80.0)     # floor from the loud clip
    assert float(alone.min()) == pytest.approx(-90.0)        # own floor -110: no effect
    per_item = db(batch.unsqueeze(1))[:, 0]                  # (B, 1, F, T): per clip
    torch.testing.assert_close(per_item[1], alone)


@given(seed=st.integers(0, 2 ** 16), kind=st.sampled_from(["noise", "square", "sine"]))
@settings(max_examples=8, deadline=None)
def test_baseline_log_mel_of_float_audio_stays_below_80_db(seed, kind):
    rng = np.random.default_rng(seed)
    n = 16000
    if kind == "noise":
        y = rng.uniform(-1, 1, n)
    elif kind == "square":
        y = np.sign(np.sin(2 * np.pi * rng.uniform(50, 4000) * np.arange(n) / 16000))
    else:
        y = np.sin(2 * np.pi * rng.uniform(50, 7900) * np.arange(n) / 16000)
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=16000, n_fft=2048, win_length=2048, hop_length=256, f_min=0, f_max=8000,
        n_mels=128, window_fn=torch.hamming_window, wkwargs={"periodic": False}, power=1)
    db = 20 * torch.log10(torch.clamp(mel(torch.tensor(y, dtype=torch.float32)), min=1e-5))
    assert float(db.max()) < 80.0
    db16 = 20 * torch.log10(torch.clamp(mel(torch.tensor(y * 32768, dtype=torch.float32)),
                                        min=1e-5))
    assert float(db16.max()) == pytest.approx(float(db.max()) + 20 * np.log10(32768), abs=0.01)
