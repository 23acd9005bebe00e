"""python -m helpers.translate: its code reproduces the call in a fresh Python; no traceback."""

import subprocess
import sys

import librosa
import numpy as np
import pytest
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
    assert tr.main(["torchaudio.transforms.MelSpectrogram(pad=10)"]) == 2
    assert "pad=10" in capsys.readouterr().err


# --------------------------------------------------------------------- never a traceback
BAD_CALLS = [  # (argument list, what the message must say); each fails with exit code 2
    (["librosa.feature.melspectrogram(y=y, sr=" + "-" * 3000 + "1)"], "nested too deeply"),
    (["librosa.feature.melspectrogram(y=y, sr=" + "a." * 300_000 + "a)"], "characters"),
    (["librosa.feature.melspectrogram(y=y, sr=" + "+" * 150_000 + "1)"], "nested too deeply"),
    (["librosa.feature.melspectrogram(y=y, window=" + "[" * 90_000 + "]" * 90_000 + ")"],
     "nested"),
    (["librosa.feature.melspectrogram(y=y, window=np.array([" + "0.5, " * 200_000 + "]))"],
     "characters, more than the 200000"),
    (["torchaudio.transforms.MelSpectrogram(n_fft=-1)"], "n_fft must be between 2 and"),
    (["torchaudio.transforms.MelSpectrogram(n_mels=1000000000)"], "n_mels must be between"),
    (["librosa.feature.melspectrogram(y=y, n_mels=1000000000)"], "n_mels must be between"),
    (["librosa.feature.melspectrogram(y=y, n_mels=4096, n_fft=65536)"], "filterbank of"),
    (["librosa.feature.melspectrogram(y=y, sr=1e12)"], "sr must be between"),
    (["torchaudio.transforms.MelSpectrogram(hop_length=0)"], "hop_length must be between"),
    (["torchaudio.transforms.MelSpectrogram(wkwargs={'beta': 8.0})"], "refused"),
    (["torchaudio.transforms.MelSpectrogram(pad_mode='wrap')"], "pad_mode"),
    (["torchaudio.transforms.MelSpectrogram(normalized='yes')"], "normalized"),
    (["librosa.feature.melspectrogram(y=y, n_fft=2 ** 10000)"], "too large"),
    (["librosa.feature.melspectrogram(y=y, n_fft=1 / 0)"], "division by zero"),
    (["librosa.feature.melspectrogram(y=y, fmax=(-8) ** 0.5)"], "not a real number"),
    (["librosa.feature.melspectrogram(y=y, sr=" + "9" * 5000 + ")"], "not a Python call"),
    (["librosa.feature.melspectrogram(y=y, sr=\x00)"], "null bytes"),
    (["librosa.feature.melspectrogram(y=y, dtype=np.float64)"], "dtype=float64"),
    (["librosa.feature.melspectrogram(y=y, dtype='no-such-type')"], "dtype"),
    (["librosa.feature.melspectrogram(S=S, sr=16000)"], "precomputed spectrogram"),
    (["torchaudio.transforms.MelSpectrogram().half()"], ".half"),
    (["torchaudio.transforms.MelSpectrogram().to(torch.float16)"], "dtype"),
    (["torchaudio.transforms.MelSpectrogram().to(device, dtype=torch.float64)"], "dtype"),
    (["librosa.feature.melspectrogram(y=y).to(device)"], "NumPy array"),
    (["librosa.feature.melspectrogram(y=y, sr=sr)"], "sr=sr"),
    (["librosa.feature.melspectrogram(y=y, sr=22050"], "never closed"),
    ([""], "not a Python call"),
    (["x" * 100_000], "expected a call"),
    (["--seconds", "nan", "librosa.feature.melspectrogram(y=y)"], "seconds must be finite"),
    (["--seconds", "1e300", "librosa.feature.melspectrogram(y=y)"], "seconds must be"),
    (["--code", "torchaudio.transforms.MelSpectrogram(normalized=True, power=None)"], "power"),
]


@pytest.mark.parametrize("argv, says", BAD_CALLS, ids=lambda a: a[-1][:40] if isinstance(a, list)
                         else None)
def test_every_command_line_failure_is_one_short_paragraph_and_exit_code_2(argv, says, capsys):
    assert tr.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and "Traceback" not in err
    assert "\n\n" not in err.strip() and len(err) < 800, err  # one paragraph, a short quote
    assert says in " ".join(err.split()), err


def test_the_command_line_itself_prints_no_traceback():
    """Through `python -m helpers.translate` in a fresh Python (the in-process test above cannot
    see a crash of the interpreter). Calls longer than the operating system's limit for one
    argument (about 128 kB on Linux) cannot reach the command line; they are tested above."""
    for call, says in [BAD_CALLS[0], BAD_CALLS[5], BAD_CALLS[14]]:
        run = subprocess.run([sys.executable, "-m", "helpers.translate", *call],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        assert run.stderr.startswith("error: ") and says in " ".join(run.stderr.split())
