"""helpers.translate.parse: calls written as text are read with ast, never executed.

The paste forms run both sides on the same signal where a signal applies.
"""

import librosa
import numpy as np
import pytest
import scipy.signal
import torch
import torchaudio
from translate_helpers import BOUND, rel_err, signal, ta
from translate_helpers import quiet_mel_warnings  # noqa: F401 (autouse fixture)

from helpers import translate as tr


def test_parse_call_reads_literals_only():
    side, kw = tr.parse_call("torchaudio.transforms.MelSpectrogram(16000, 2048, "
                             "window_fn=torch.hamming_window, wkwargs={'periodic': False})")
    assert side == "torchaudio" and kw["sample_rate"] == 16000 and kw["n_fft"] == 2048
    assert kw["window_fn"] is torch.hamming_window
    side, kw = tr.parse_call("melspectrogram(y=y, sr=16000, fmin=-0.0, window=('kaiser', 4.0))")
    assert side == "librosa" and kw == {"sr": 16000, "fmin": -0.0, "window": ("kaiser", 4.0)}


@pytest.mark.parametrize("text", [
    "librosa.feature.melspectrogram(y=y, sr=__import__('os').system('echo hacked'))",
    "librosa.feature.melspectrogram(y=y, sr=sr)",
    "torchaudio.transforms.MelSpectrogram(window_fn=eval('torch.hann_window'))",
    "os.system('echo hacked')",
    "1 + 1",
    "librosa.feature.melspectrogram(y=y, **kw)",
])
def test_parse_call_refuses_code(text):
    with pytest.raises(ValueError):
        tr.explain(text)


# --------------------------------------------------------------------- the calls people paste
def test_numpy_dtype_names_are_read():
    side, kw = tr.parse_call("librosa.feature.melspectrogram(y=y, sr=16000, dtype=np.float32)")
    assert kw["dtype"] is np.float32
    assert tr.parse_call("melspectrogram(y=y, dtype=numpy.float64)")[1]["dtype"] is np.float64
    y = signal(16000, 2048, seed=12)
    t = tr.librosa_to_torchaudio(**kw)  # both sides on the same signal
    assert rel_err(ta(t, y), librosa.feature.melspectrogram(y=y, sr=16000, dtype=np.float32)) \
        <= BOUND
    with pytest.raises(tr.NoEquivalentError, match="dtype=float64"):
        tr.explain("librosa.feature.melspectrogram(y=y, dtype=np.float64)")


@pytest.mark.parametrize("suffix", [".to(device)", ".cuda()", ".eval()", ".to('cpu').eval()",
                                    ".cpu().train(False)", ".float()", ".cuda(0)"])
def test_where_the_transform_lives_is_ignored(suffix):
    call = "torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, n_mels=40)"
    assert tr.parse_call(call + suffix) == tr.parse_call(call)
    y = signal(16000, 512, seed=13)
    t = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, n_mels=40)
    code = tr.librosa_code(call + suffix)
    got = eval(code, {"librosa": librosa, "np": np, "scipy": scipy, "y": y})  # our own output
    assert rel_err(got, ta(t, y)) <= BOUND


@pytest.mark.parametrize("text, name, value", [
    ("f_max=22050 / 2", "f_max", 11025.0), ("n_fft=2 ** 10", "n_fft", 1024),
    ("hop_length=int(0.010 * 16000)", "hop_length", 160),
    ("win_length=int(0.025 * 16000)", "win_length", 400), ("n_mels=128 // 2", "n_mels", 64),
    ("f_min=-(-20.0)", "f_min", 20.0), ("hop_length=round(16000 / 100)", "hop_length", 160),
    ("wkwargs={'periodic': True, 'beta': 4 * 2.0}", "wkwargs", {"periodic": True, "beta": 8.0}),
])
def test_constant_arithmetic_is_evaluated_from_the_tree(text, name, value):
    n_fft = "" if name == "n_fft" else "n_fft=1024, "
    window = "window_fn=torch.kaiser_window, " if name == "wkwargs" else ""
    call = f"torchaudio.transforms.MelSpectrogram(sample_rate=22050, {n_fft}{window}{text})"
    side, kw = tr.parse_call(call)
    assert kw[name] == value and type(kw[name]) is type(value)
    t = torchaudio.transforms.MelSpectrogram(**kw)  # both sides on the same signal
    y = signal(22050, 1024, seed=14)
    assert rel_err(librosa.feature.melspectrogram(y=y, **tr.torchaudio_to_librosa(t)), ta(t, y)) \
        <= BOUND


@pytest.mark.parametrize("text, says", [
    ("n_fft=2 ** 10000", "too large"), ("n_fft=10 ** 30", "too large"),
    ("n_fft=(2 ** 64) ** 2", "too large"), ("n_fft=1 // 0", "by zero"),
    ("fmax=(-8) ** 0.5", "not a real number"), ("sr=int(1e400)", "cannot be computed"),
    ("sr=len('abc')", "only literal values"), ("sr=2 ** sr", "only literal values"),
    ("sr=(1).__class__", "only literal values"),
])
def test_arithmetic_stays_arithmetic(text, says):
    with pytest.raises(ValueError, match=says):
        tr.parse_call(f"librosa.feature.melspectrogram(y=y, {text})")


def test_precomputed_spectrogram_reaches_its_own_message():
    side, kw = tr.parse_call("librosa.feature.melspectrogram(S=np.abs(D) ** 2, sr=16000)")
    assert side == "librosa" and "S" in kw  # kept as a placeholder, never read
    with pytest.raises(tr.NoEquivalentError, match="precomputed spectrogram.*librosa.stft"):
        tr.explain("librosa.feature.melspectrogram(S=S, sr=16000)")


def test_long_input_is_quoted_as_a_short_excerpt():
    text = "librosa.feature.melspectrogram(y=y, window=np.array([" + "0.5, " * 200_000 + "]))"
    with pytest.raises(ValueError) as info:
        tr.parse_call(text)
    assert len(str(info.value)) < 300 and str(len(text)) in str(info.value)
    with pytest.raises(ValueError) as info:
        tr.parse_call("librosa.feature.melspectrogram(y=y, sr=" + "q" * 5000 + ")")
    assert len(str(info.value)) < 1000 and "(5000 characters)" in str(info.value)
