"""The settings model shared by the translator: defaults, windows, filterbanks, validation.

Settings are held in one internal form with librosa's names (``sr``, ``fmin``,
``htk``...) and the window as a tuple: ``("scipy", spec, fftbins)`` for a window
scipy names (``spec`` is a name, a (name, parameter) tuple or a Kaiser beta) or
``("array", values)`` for any other weights. :func:`resolve` validates a dict of
such settings and fills the derived values; :mod:`.convert` reads and writes the
two libraries' arguments from and to it.

Names without a leading underscore are shared inside ``helpers.translate``; the
package's ``__init__`` exports the learner-facing ones.

Notebook: 08_porting.ipynb
"""

import math
import warnings

import librosa
import numpy as np
import scipy.signal
import torch
import torchaudio

from .._validate import check_bool, check_int, check_number

#: ``librosa.feature.melspectrogram``'s defaults (hop_length is 512 whatever n_fft:
#: only librosa.stft's None means win_length // 4; win_length None means n_fft,
#: fmax None means sr / 2).
LIBROSA_DEFAULTS = {"sr": 22050, "n_fft": 2048, "hop_length": 512, "win_length": None,
                    "window": "hann", "center": True, "pad_mode": "constant", "power": 2.0,
                    "n_mels": 128, "fmin": 0.0, "fmax": None, "htk": False, "norm": "slaney"}
#: ``torchaudio.transforms.MelSpectrogram``'s defaults (hop_length None means
#: win_length // 2, f_max None means sample_rate // 2).
TORCHAUDIO_DEFAULTS = {"sample_rate": 16000, "n_fft": 400, "win_length": None,
                       "hop_length": None, "f_min": 0.0, "f_max": None, "pad": 0, "n_mels": 128,
                       "window_fn": torch.hann_window, "power": 2.0, "normalized": False,
                       "wkwargs": None, "center": True, "pad_mode": "reflect", "onesided": None,
                       "norm": None, "mel_scale": "htk"}
TA_ORDER = list(TORCHAUDIO_DEFAULTS)  # positional order of MelSpectrogram's arguments

PAD_TO_TORCH = {"constant": "constant", "reflect": "reflect", "edge": "replicate"}
PAD_TO_LIBROSA = {v: k for k, v in PAD_TO_TORCH.items()}
# scipy window name -> torch function that makes the same window (periodic=True <-> fftbins=True)
_TORCH_WINDOW_FUNCS = {"hann": torch.hann_window, "hamming": torch.hamming_window,
                       "blackman": torch.blackman_window, "bartlett": torch.bartlett_window}
KNOWN_CODE = {  # names the string parser accepts for window_fn, and their objects
    "torch.hann_window": torch.hann_window, "torch.hamming_window": torch.hamming_window,
    "torch.blackman_window": torch.blackman_window,
    "torch.bartlett_window": torch.bartlett_window,
    "torch.kaiser_window": torch.kaiser_window, "torch.ones": torch.ones,
    "torch.signal.windows.gaussian": torch.signal.windows.gaussian,
}
_CODE_OF = {id(f): name for name, f in KNOWN_CODE.items()}


#: a filterbank counts as librosa's if it differs by at most this fraction of its maximum
FB_MATCH = 1e-6
#: the largest settings read (beyond them a filterbank or a test signal would not fit in memory)
MAX_SR = 1_000_000            # Hz
MAX_N_FFT = 2 ** 16           # samples
MAX_HOP = 2 ** 24             # samples
MAX_N_MELS = 4096
MAX_FB_ENTRIES = 2 ** 24      # n_mels * (n_fft // 2 + 1)


class NoEquivalentError(ValueError):
    """A setting that the other library cannot reproduce (a ValueError, with the reason)."""


def no(setting, why):
    raise NoEquivalentError(f"{setting}: {why}")


def excerpt(text, limit=80):
    """``text`` quoted, shortened to its start and end when longer than ``limit`` characters."""
    text = str(text)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit - 24]!r} ... {text[-16:]!r} ({len(text)} characters)"


# --------------------------------------------------------------------------- windows
def identify_window(values):
    """Name a window array if it is a standard periodic or symmetric window, else keep it."""
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    for fftbins in (True, False):
        for name in ("hann", "hamming", "blackman", "bartlett", "boxcar"):
            if np.allclose(values, scipy.signal.get_window(name, n, fftbins=fftbins),
                           rtol=0, atol=2e-6):
                return ("scipy", name, fftbins)
    return ("array", values)


def _scipy_window(n, window, fftbins=True):
    """torchaudio window_fn for any scipy window (module level, so the transform pickles)."""
    return torch.tensor(scipy.signal.get_window(window, n, fftbins=fftbins), dtype=torch.float32)


def _array_window(n, values):
    """torchaudio window_fn that returns a fixed array (which must have length n)."""
    w = torch.as_tensor(values, dtype=torch.float32)
    if w.shape != (n,):
        raise ValueError(f"window array has shape {tuple(w.shape)}, expected ({n},).")
    return w


def torch_window(win):
    """(window_fn, wkwargs, code) for MelSpectrogram from our internal window form."""
    if win[0] == "scipy":
        spec, fftbins = win[1], win[2]
        name = spec[0] if isinstance(spec, tuple) else spec
        if isinstance(spec, str) and spec in _TORCH_WINDOW_FUNCS:
            f = _TORCH_WINDOW_FUNCS[spec]
            return f, {"periodic": fftbins}, (f"window_fn={_CODE_OF[id(f)]}, "
                                              f"wkwargs={{'periodic': {fftbins}}}")
        if spec == "boxcar":
            return torch.ones, None, "window_fn=torch.ones"
        if name == "kaiser" and isinstance(spec, tuple) and len(spec) == 2:
            kw = {"periodic": fftbins, "beta": float(spec[1])}
            return torch.kaiser_window, kw, f"window_fn=torch.kaiser_window, wkwargs={kw!r}"
        if name == "gaussian" and isinstance(spec, tuple) and len(spec) == 2:
            kw = {"std": float(spec[1]), "sym": not fftbins}
            return (torch.signal.windows.gaussian, kw,
                    f"window_fn=torch.signal.windows.gaussian, wkwargs={kw!r}")
        return (_scipy_window, {"window": spec, "fftbins": fftbins},
                f"window_fn=lambda n: torch.tensor(scipy.signal.get_window({spec!r}, n, "
                f"fftbins={fftbins}), dtype=torch.float32)")
    values = np.asarray(win[1], dtype=np.float64)
    return (_array_window, {"values": torch.tensor(values, dtype=torch.float32)},
            f"window_fn=lambda n: torch.tensor({_list_code(values)}, dtype=torch.float32)")


def _list_code(values):
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def window_values(win, n):
    """The window as float64 values of length n, from our internal form."""
    if win[0] == "scipy":
        return scipy.signal.get_window(win[1], n, fftbins=win[2])
    return np.asarray(win[1], dtype=np.float64)


def librosa_window(win, win_length, as_array=False):
    """(value for librosa's window=, code) from our internal window form.

    ``as_array=True`` gives the values and code for the array even for a named window.
    """
    if win[0] == "scipy" and win[2] and as_array:
        return (scipy.signal.get_window(win[1], win_length),
                f"scipy.signal.get_window({win[1]!r}, {win_length})")
    if win[0] == "scipy" and win[2]:
        return win[1], repr(win[1])
    if win[0] == "scipy":
        return (scipy.signal.get_window(win[1], win_length, fftbins=False),
                f"scipy.signal.get_window({win[1]!r}, {win_length}, fftbins=False)")
    values = np.asarray(win[1], dtype=np.float64)
    return values, f"np.array({_list_code(values)})"


def describe_window(win):
    if win[0] == "array":
        return "a custom array of weights"
    spec = win[1]
    if isinstance(spec, str):
        text = spec
    elif isinstance(spec, tuple):
        text = f"{spec[0]} ({', '.join(map(str, spec[1:]))})"
    else:  # a number means a Kaiser window with that beta, as in scipy
        text = f"kaiser (beta {spec})"
    return f"{text}, {'periodic' if win[2] else 'symmetric'}"


# ------------------------------------------------------------------- filterbanks and validation
def grids_agree(sr, n_fft):
    """Whether torchaudio's own filterbank is librosa's.

    torchaudio places its FFT bins at linspace(0, sr // 2, n_fft // 2 + 1) Hz (integer
    sr // 2), librosa at k * sr / n_fft: the same only for an even integer sr and an
    even n_fft. Otherwise the translated transform carries librosa's filterbank.
    """
    return float(sr).is_integer() and int(sr) % 2 == 0 and n_fft % 2 == 0


def grid_reason(sr, n_fft):
    """Why the two FFT-bin grids differ for these settings, in words (empty if they agree)."""
    why = []
    if not float(sr).is_integer() or int(sr) % 2:
        why.append(f"sr = {sr:g} Hz is {'odd' if float(sr).is_integer() else 'fractional'}, "
                   f"so torchaudio's top bin is the integer sr // 2 = {sr // 2:g} Hz, not "
                   f"the Nyquist frequency sr / 2 = {sr / 2:.7g} Hz")
    if n_fft % 2:
        why.append(f"n_fft = {n_fft} is odd, so librosa's top bin is sr / 2 - sr / (2 n_fft) "
                   f"= {sr / 2 - sr / (2 * n_fft):.6g} Hz while torchaudio's is "
                   f"{sr // 2:g} Hz")
    return "; ".join(why)


def librosa_fb(s):
    """librosa's filterbank for settings ``s``: float32, shape (n_mels, n_fft // 2 + 1)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return librosa.filters.mel(sr=s["sr"], n_fft=s["n_fft"], n_mels=s["n_mels"],
                                   fmin=s["fmin"], fmax=s["fmax"], htk=s["htk"],
                                   norm=s["norm"], dtype=np.float32)


def torchaudio_fb(s):
    """The filterbank torchaudio builds for settings ``s``: shape (n_fft // 2 + 1, n_mels)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="At least one mel filterbank")
        return torchaudio.functional.melscale_fbanks(
            s["n_fft"] // 2 + 1, s["fmin"], s["fmax"], s["n_mels"], s["sr"], s["norm"],
            "htk" if s["htk"] else "slaney")


def fb_gap(fb, reference):
    """Largest difference between two filterbanks, as a fraction of the reference's maximum."""
    fb = np.asarray(fb, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if fb.shape != reference.shape:
        return math.inf
    return float(np.max(np.abs(fb - reference)) / max(np.max(np.abs(reference)), 1e-30))


def resolve(kw):
    """Validate resolved settings (librosa names, internal window) and fill derived values.

    ``normalized`` (optional) is torchaudio's STFT normalisation: False, 'window'
    (each frame divided by sqrt(sum(window ** 2)), what True means) or 'frame_length'
    (divided by sqrt(n_fft)). ``fb_note`` (optional) says in words where the
    filterbank came from when it is not what the transform's own settings build.
    """
    sr = check_number(kw["sr"], "sr", low=0, low_open=True, high=MAX_SR)
    n_fft = check_int(kw["n_fft"], "n_fft", low=2, high=MAX_N_FFT)
    win_length = n_fft if kw["win_length"] is None else \
        check_int(kw["win_length"], "win_length", low=1)
    if win_length > n_fft:
        raise ValueError(f"win_length={win_length} must be at most n_fft={n_fft}.")
    hop = check_int(kw["hop_length"], "hop_length", low=1, high=MAX_HOP)
    center = check_bool(kw["center"], "center")
    power = check_number(kw["power"], "power", low=0, low_open=True)
    n_mels = check_int(kw["n_mels"], "n_mels", low=1, high=MAX_N_MELS)
    if n_mels * (n_fft // 2 + 1) > MAX_FB_ENTRIES:
        raise ValueError(f"n_mels={n_mels} with n_fft={n_fft} makes a filterbank of "
                         f"{n_mels * (n_fft // 2 + 1)} weights, more than the {MAX_FB_ENTRIES} "
                         "read here; use fewer mels or a smaller n_fft.")
    fmin = check_number(kw["fmin"], "fmin", low=0)
    fmax = sr / 2.0 if kw["fmax"] is None else check_number(kw["fmax"], "fmax", low=0)
    if fmax > sr / 2.0:
        no(f"fmax={fmax:g} (torchaudio f_max)", f"it is above the Nyquist frequency "
            f"sr / 2 = {sr / 2:g} Hz: no FFT bin lies there, so the top filters are cut off "
            "or empty (and the two libraries reach the edge differently). Use fmax <= sr / 2.")
    if fmin >= fmax:
        raise ValueError(f"fmin={fmin:g} must be below fmax={fmax:g}.")
    htk = check_bool(kw["htk"], "htk")
    norm = kw["norm"]
    if norm not in (None, "slaney"):
        no(f"norm={norm!r}", "torchaudio's MelSpectrogram knows only norm=None and "
            "norm='slaney' (area normalisation); librosa's p-norm filter normalisation "
            "(norm=1, 2, np.inf) has no equivalent there.")
    win = kw["window"]
    if win[0] == "array" and len(win[1]) != win_length:
        raise ValueError(f"window array has {len(win[1])} values but win_length={win_length}.")
    if win[0] == "scipy":
        try:
            scipy.signal.get_window(win[1], win_length, fftbins=win[2])
        except Exception as exc:
            raise ValueError(f"window={excerpt(win[1])} is not a window scipy knows: "
                             f"{excerpt(exc, 200)}") from None
    pad_mode = kw["pad_mode"]
    if pad_mode not in PAD_TO_TORCH:
        if center:
            no(f"pad_mode={pad_mode!r}", "torch.stft pads only with 'constant' (zeros), "
                "'reflect', 'replicate' (librosa 'edge') or 'circular' (which librosa refuses "
                "with center=True); allowed here: 'constant', 'reflect', 'edge'.")
        pad_mode = "constant"
    normalized = kw.get("normalized", False)
    if normalized not in (False, "window", "frame_length"):
        raise ValueError(f"normalized={excerpt(normalized)} is not supported; allowed: False, "
                         "'window' (what True means) and 'frame_length'.")
    return {"sr": int(sr) if float(sr).is_integer() else sr, "n_fft": n_fft, "hop_length": hop,
            "win_length": win_length, "window": win, "center": center, "pad_mode": pad_mode,
            "power": power, "n_mels": n_mels, "fmin": fmin, "fmax": fmax, "htk": htk,
            "norm": norm, "normalized": normalized, "librosa_fb": not grids_agree(sr, n_fft),
            "fb_note": kw.get("fb_note")}
