"""helpers.baseline: the DCASE baseline front end, three ways (torchaudio, librosa, helpers).

The torchaudio transform is built here from scratch with the settings of the
DESED_task code, independently of helpers.baseline.mel_spec, and librosa is
called directly, so each backend is compared with an independent reference.
"""

import librosa
import numpy as np
import pytest
import scipy.signal
import torch
import torchaudio
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import baseline as bl
from helpers.scaling import Scaler


@pytest.fixture(scope="module")
def batch():
    return bl.synthetic_batch(n_clips=2, seed=3)


def _desed_mel_spec():
    # Copied from DESED_task's sed_trainer_pretrained.py (2021-2024).
    return torchaudio.transforms.MelSpectrogram(
        sample_rate=16000, n_fft=2048, win_length=2048, hop_length=256, f_min=0, f_max=8000,
        n_mels=128, window_fn=torch.hamming_window, wkwargs={"periodic": False}, power=1)


def _desed_take_log(mels):
    amp_to_db = torchaudio.transforms.AmplitudeToDB(stype="amplitude")
    amp_to_db.amin = 1e-5
    return amp_to_db(mels).clamp(min=-50, max=80)


def _librosa_front_end(y):
    S = librosa.feature.melspectrogram(
        y=y, sr=16000, n_fft=2048, hop_length=256, win_length=2048,
        window=scipy.signal.get_window("hamming", 2048, fftbins=False), center=True,
        pad_mode="reflect", power=1.0, n_mels=128, fmin=0.0, fmax=8000.0, htk=True, norm=None)
    return S, np.clip(librosa.amplitude_to_db(S, ref=1.0, amin=1e-5, top_db=None), -50, 80)


def test_mel_spec_has_the_baseline_settings():
    m = bl.mel_spec()
    assert (m.sample_rate, m.n_fft, m.win_length, m.hop_length) == (16000, 2048, 2048, 256)
    assert (m.f_min, m.f_max, m.n_mels, m.power) == (0, 8000, 128, 1)
    assert m.spectrogram.center and m.spectrogram.pad_mode == "reflect"
    assert m.mel_scale.norm is None and m.mel_scale.mel_scale == "htk"
    torch.testing.assert_close(m.spectrogram.window, torch.hamming_window(2048, periodic=False))


def test_ten_seconds_give_626_frames(batch):
    x, events = batch
    assert x.shape == (2, 160000) and x.dtype == torch.float32
    assert bl.mel_spec()(x).shape == (2, 128, 626)
    assert 1 + 160000 // 256 == 626
    assert len(events) == 2 and all(len(ev) == 4 for ev in events)


def test_mel_and_log_match_desed_code(batch):
    x, _ = batch
    mels = bl.mel_spec()(x)
    torch.testing.assert_close(mels, _desed_mel_spec()(x), rtol=0, atol=0)
    torch.testing.assert_close(bl.take_log(mels), _desed_take_log(mels), rtol=0, atol=0)


@pytest.mark.parametrize("backend", ["librosa", "helpers"])
def test_three_way_parity_mel(batch, backend):
    x, _ = batch
    ref = _desed_mel_spec()(x).numpy()
    for i, y in enumerate(x.numpy()):
        S = bl.mel_spec_numpy(y, backend=backend)
        assert S.shape == (128, 626) and S.dtype == np.float32
        assert np.max(np.abs(S - ref[i])) <= 1e-5 * np.max(ref[i])
    S_lib, _ = _librosa_front_end(x.numpy()[0])
    assert np.max(np.abs(bl.mel_spec_numpy(x.numpy()[0], backend) - S_lib)) <= 1e-5 * S_lib.max()


@pytest.mark.parametrize("backend", ["librosa", "helpers"])
def test_three_way_parity_log_mel(batch, backend):
    x, _ = batch
    ref = _desed_take_log(_desed_mel_spec()(x)).numpy()
    got = bl.front_end(x, backend=backend)
    assert got.shape == (2, 128, 626)
    assert np.max(np.abs(got - ref)) <= 1e-3  # dB
    _, lib_db = _librosa_front_end(x.numpy()[1])
    assert np.max(np.abs(got[1] - lib_db)) <= 1e-3


def test_front_end_torchaudio_is_take_log_of_mel_spec(batch):
    x, _ = batch
    want = _desed_take_log(_desed_mel_spec()(x)).numpy()
    np.testing.assert_array_equal(bl.front_end(x, backend="torchaudio"), want)
    np.testing.assert_array_equal(bl.front_end(x[0], backend="torchaudio"), want[0])


def test_take_log_floor_and_ceiling():
    mels = torch.tensor([[0.0, 1e-7, 1e-5, 1.0, 10.0, 1e5]])
    out = bl.take_log(mels)
    np.testing.assert_allclose(out.numpy(), [[-50, -50, -50, 0, 20, 80]], atol=1e-4)
    np.testing.assert_allclose(bl.take_log_numpy(mels.numpy()), out.numpy(), atol=1e-4)


@settings(max_examples=10, deadline=None)
@given(n_samples=st.integers(1025, 6000), seed=st.integers(0, 100))
def test_frame_count_and_parity_for_any_length(n_samples, seed):
    y = (0.1 * np.random.default_rng(seed).standard_normal(n_samples)).astype(np.float32)
    ref = bl.front_end(y, backend="torchaudio")
    assert ref.shape == (128, 1 + n_samples // 256)
    assert np.max(np.abs(bl.front_end(y, backend="helpers") - ref)) <= 1e-3


def test_synthetic_batch_is_seeded():
    a, ev_a = bl.synthetic_batch(n_clips=2, seed=5, duration=4.0)
    b, ev_b = bl.synthetic_batch(n_clips=2, seed=5, duration=4.0)
    assert torch.equal(a, b) and ev_a == ev_b
    assert not torch.equal(a[0], a[1])  # different seeds per clip


def test_strong_labels_mark_event_frames():
    events = [(1.0, 2.0, "Speech"), (0.0, 0.5, "Dishes")]
    y = bl.strong_labels(events, n_frames=156, frame_seconds=0.064)
    assert y.shape == (4, 156)
    row = bl.SOUNDSCAPE_LABELS.index("Speech")
    assert y[row].sum() == np.ceil(2.0 / 0.064) - np.floor(1.0 / 0.064)
    assert y[row, int(1.5 / 0.064)] == 1 and y[row, int(2.5 / 0.064)] == 0
    with pytest.raises(ValueError, match="label"):
        bl.strong_labels([(0, 1, "Cat")], n_frames=10, frame_seconds=0.1)


def test_tiny_crnn_layout_and_156_frames(batch):
    x, _ = batch
    model = bl.TinyCRNN(seed=0)
    strong, weak = bl.detect(bl.mel_spec()(x), model, Scaler())
    assert model.shapes["CNN input (batch, 1, n_frames, n_mels)"] == (2, 1, 626, 128)
    assert strong.shape == (2, 10, 156) and weak.shape == (2, 10)
    assert torch.all((strong >= 0) & (strong <= 1))
    again, _ = bl.detect(bl.mel_spec()(x), bl.TinyCRNN(seed=0), Scaler())
    torch.testing.assert_close(strong, again, rtol=0, atol=0)  # seeded weights


def test_tiny_crnn_does_not_touch_the_global_rng():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    bl.TinyCRNN(seed=7)
    assert torch.equal(torch.rand(1), before)


def test_detect_is_model_of_scaler_of_take_log(batch):
    x, _ = batch
    mels = bl.mel_spec()(x)
    scaler = Scaler("instance", "standard")
    got = bl.detect(mels, torch.nn.Identity(), scaler)
    torch.testing.assert_close(got, scaler(_desed_take_log(mels)))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="backend"):
        bl.front_end(np.zeros(4000, dtype=np.float32), backend="sox")
    with pytest.raises(TypeError, match="mels"):
        bl.take_log(np.ones((128, 10)))
    with pytest.raises(ValueError, match="n_clips"):
        bl.synthetic_batch(n_clips=0)
    with pytest.raises(ValueError, match="n_mels"):
        bl.TinyCRNN(n_mels=100)
