"""python -m helpers.translate: the code it prints runs in a fresh Python and reproduces the call."""

import subprocess
import sys

import librosa
import numpy as np
import torchaudio
from translate_helpers import BOUND, rel_err, ta
from translate_helpers import quiet_mel_warnings  # noqa: F401 (autouse fixture)

from helpers import translate as tr

CALLS = [
    "librosa.feature.melspectrogram(y=y, sr=22050, n_mels=128, fmax=8000)",
    "librosa.feature.melspectrogram(y=y, sr=16000, n_fft=400, hop_length=160, "
    "window=scipy.signal.get_window('hamming', 400, fftbins=False), pad_mode='edge', "
    "power=1.0, n_mels=40, htk=True, norm=None)",
    "torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=2048, win_length=2048, "
    "hop_length=256, f_min=0, f_max=8000, n_mels=128, window_fn=torch.hamming_window, "
    "wkwargs={'periodic': False}, power=1)",
    "torchaudio.transforms.MelSpectrogram(sample_rate=22050, n_fft=1024, hop_length=256, "
    "n_mels=80, f_min=0.0, f_max=8000.0, power=1.0, norm='slaney', mel_scale='slaney', "
    "center=False)",
    # an odd rate (and n_fft): the code replaces the filterbank with librosa's
    "librosa.feature.melspectrogram(y=y, sr=11025, n_fft=1023, hop_length=256, n_mels=64, "
    "fmax=5000.0)",
]
RUNNER = r"""
import contextlib, io, runpy, sys
import numpy as np, torch, torchaudio, librosa, scipy
# the first call goes through the real `python -m helpers.translate --code` entry point
args = sys.argv[1:]
sys.argv = ["helpers.translate", "--code", args[0]]
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    try:
        runpy.run_module("helpers.translate", run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        assert not stop.code, stop.code
srs, out_path = [int(a) for a in args[1:-1]], args[-1]
codes = [buf.getvalue().strip()] + sys.stdin.read().split("\n<<>>\n")
out = {}
for i, code in enumerate(codes):
    sr = srs[i]
    rng = np.random.default_rng(i)
    y = (0.5 * np.sin(2 * np.pi * 440 * np.arange(sr) / sr)
         + 0.1 * rng.standard_normal(sr)).astype(np.float32)
    # only what the --code promise allows: torch, torchaudio, librosa, np, scipy and y
    names = {"torch": torch, "torchaudio": torchaudio, "librosa": librosa, "np": np,
             "scipy": scipy, "y": y, "__builtins__": __builtins__}
    value = eval(code, names)  # the product's own output, never user text
    if isinstance(value, torch.nn.Module):
        value = value(torch.from_numpy(y))
    out[f"a{i}"] = np.asarray(value)
    out[f"code{i}"] = np.array(code)
np.savez(out_path, **out)
"""


def test_command_line_code_runs_in_a_fresh_python_and_reproduces(tmp_path, capsys):
    codes = []
    for call in CALLS[1:]:  # in-process here; CALLS[0] goes through `-m` in the subprocess
        assert tr.main(["--code", call]) == 0
        codes.append(capsys.readouterr().out.strip())
    assert all("\n" not in c for c in codes)
    srs = [tr.parse_call(c)[1].get("sr") or tr.parse_call(c)[1]["sample_rate"] for c in CALLS]
    out = tmp_path / "out.npz"
    subprocess.run([sys.executable, "-c", RUNNER, CALLS[0], *map(str, srs), str(out)],
                   input="\n<<>>\n".join(codes), text=True, check=True, timeout=300)
    got = np.load(out)
    assert str(got["code0"]).startswith("torchaudio.transforms.MelSpectrogram(")
    assert str(got["code2"]).startswith("librosa.feature.melspectrogram(y=y")
    assert "mel_scale.fb.copy_(torch.from_numpy(librosa.filters.mel(" in str(got["code4"])
    assert "mel_scale.fb" not in str(got["code0"])
    for i, call in enumerate(CALLS):
        sr = srs[i]
        rng = np.random.default_rng(i)
        y = (0.5 * np.sin(2 * np.pi * 440 * np.arange(sr) / sr)
             + 0.1 * rng.standard_normal(sr)).astype(np.float32)
        side, kw = tr.parse_call(call)
        if side == "librosa":
            want = librosa.feature.melspectrogram(y=y, **kw)
        else:
            want = ta(torchaudio.transforms.MelSpectrogram(**kw), y)
        assert rel_err(got[f"a{i}"], want) <= BOUND, call


def test_command_line_explains_and_fails_cleanly(capsys):
    assert tr.main([CALLS[0]]) == 0
    out = capsys.readouterr().out
    assert "(128, 44)" in out and "torchaudio.transforms.MelSpectrogram(" in out
    assert tr.main(["torchaudio.transforms.MelSpectrogram(normalized=True)"]) == 2
    assert "normalized" in capsys.readouterr().err


