"""helpers.translate.explain: every setting in words; shapes and reasons match the libraries."""

import librosa
import numpy as np
import torch
import torchaudio
from translate_helpers import quiet_mel_warnings  # noqa: F401 (autouse fixture)

import helpers
from helpers import translate as tr


def test_explain_shapes_match_the_libraries():
    text = tr.explain({"sr": 22050, "n_mels": 128, "fmax": 8000}, seconds=1)
    y = helpers.sine(440, sr=22050, duration=1.0).astype(np.float32)
    shape = librosa.feature.melspectrogram(y=y, sr=22050, n_mels=128, fmax=8000).shape
    assert f"({shape[0]}, {shape[1]})" in text and shape == (128, 44)
    t = helpers.baseline.mel_spec()
    shape = tuple(t(torch.zeros(160000)).shape)
    assert f"({shape[0]}, {shape[1]})" in tr.explain(t, seconds=10) and shape == (128, 626)


def test_explain_names_every_setting_and_the_differences():
    text = tr.explain("librosa.feature.melspectrogram(y=y, sr=22050, n_mels=128, fmax=8000)")
    for name in ["sr", "n_fft", "hop_length", "win_length", "window", "center", "pad_mode",
                 "power", "n_mels", "fmin", "fmax", "htk", "norm", "Hz", "samples"]:
        assert name in text
    differ = text.split("defaults")[1]
    for name in ["n_fft", "pad_mode", "mel_scale", "norm"]:
        assert name in differ
    assert "window" not in differ  # hann periodic in both
    ta_text = tr.explain(torchaudio.transforms.MelSpectrogram())
    assert "sample_rate" in ta_text and "f_max" in ta_text


def test_explain_says_why_the_filterbank_is_replaced():
    text = tr.explain({"sr": 11025})
    assert "mel_scale.fb" in text and "odd" in text and "5512 Hz" in text
    assert "fractional" in tr.explain({"sr": 22050.5})
    text = tr.explain({"sr": 16000, "n_fft": 401}, seconds=1)
    assert "n_fft = 401 is odd" in text
    frames = librosa.feature.melspectrogram(y=np.zeros(16000, np.float32), sr=16000,
                                            n_fft=401).shape[1]
    assert f"(128, {frames})" in text
    assert "copied in" in tr.explain(tr.librosa_to_torchaudio(sr=7999, n_fft=512))




def test_explain_warns_where_librosas_last_frame_departs_from_torch():
    """torchaudio's defaults (reflect, n_fft 400, hop 200) are the geometry where librosa's
    separately padded tail differs from torch.stft; the advice given must give torch's numbers."""
    text = tr.explain("torchaudio.transforms.MelSpectrogram(sample_rate=16000)")
    assert "last frame:" in text and "np.pad(y, 200, mode='reflect')" in text
    assert "last frame:" not in tr.explain({"sr": 16000})  # zero padding never departs
    y = np.random.default_rng(0).standard_normal(16000)  # 80 hops of 200
    want = torch.stft(torch.from_numpy(y), 400, 200, window=torch.hann_window(400, dtype=torch.float64),
                      pad_mode="reflect", return_complex=True).numpy()
    centred = librosa.stft(y, n_fft=400, hop_length=200, pad_mode="reflect")
    advised = librosa.stft(np.pad(y, 200, mode="reflect"), n_fft=400, hop_length=200, center=False)
    assert np.abs(centred - want).max() > 1e-6  # the deviation the warning is about
    np.testing.assert_allclose(advised, want, atol=1e-10)
