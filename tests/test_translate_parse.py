"""helpers.translate.parse: calls written as text are read with ast, literals only."""

import pytest
import torch
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

