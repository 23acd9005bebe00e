"""Translate a mel front end between librosa and torchaudio, and explain it in plain words.

``librosa.feature.melspectrogram`` and ``torchaudio.transforms.MelSpectrogram``
compute the same thing with different defaults (n_fft 2048 vs 400, hop 512 vs
200, zero vs reflect padding, Slaney vs HTK mel scale, area norm vs none).
This module turns one into the other so that both give the same numbers on the
same float32 signal (within 1e-4 of the maximum, tested), refuses clearly when
there is no equivalent, and explains every setting in words.

Command line::

    python -m helpers.translate "librosa.feature.melspectrogram(y=y, sr=22050, fmax=8000)"
    python -m helpers.translate --code "torchaudio.transforms.MelSpectrogram(sample_rate=16000)"
    python -m helpers.translate --seconds 10 "..."

Not imported by ``import helpers`` (it imports torch, which takes seconds):
use ``import helpers.translate`` or ``helpers.translate`` (loaded on first use).

Notebook: 08_porting.ipynb
"""

import argparse
import ast
import math
import numbers
import sys
import warnings

import librosa
import numpy as np
import scipy.signal
import torch
import torchaudio

from .spectral import frame_count

__all__ = ["librosa_to_torchaudio", "torchaudio_to_librosa", "torchaudio_code", "librosa_code",
           "librosa_db_to_torchaudio", "torchaudio_db_to_librosa", "explain", "parse_call",
           "LIBROSA_DEFAULTS", "TORCHAUDIO_DEFAULTS"]

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
_TA_ORDER = list(TORCHAUDIO_DEFAULTS)  # positional order of MelSpectrogram's arguments

_PAD_TO_TORCH = {"constant": "constant", "reflect": "reflect", "edge": "replicate"}
_PAD_TO_LIBROSA = {v: k for k, v in _PAD_TO_TORCH.items()}
# scipy window name -> torch function that makes the same window (periodic=True <-> fftbins=True)
_TORCH_WINDOW_FUNCS = {"hann": torch.hann_window, "hamming": torch.hamming_window,
                       "blackman": torch.blackman_window, "bartlett": torch.bartlett_window}
_KNOWN_CODE = {  # names the string parser accepts for window_fn, and their objects
    "torch.hann_window": torch.hann_window, "torch.hamming_window": torch.hamming_window,
    "torch.blackman_window": torch.blackman_window,
    "torch.bartlett_window": torch.bartlett_window,
    "torch.kaiser_window": torch.kaiser_window, "torch.ones": torch.ones,
    "torch.signal.windows.gaussian": torch.signal.windows.gaussian,
}
_CODE_OF = {id(f): name for name, f in _KNOWN_CODE.items()}


#: a filterbank counts as librosa's if it differs by at most this fraction of its maximum
_FB_MATCH = 1e-6


class NoEquivalentError(ValueError):
    """A setting that the other library cannot reproduce (a ValueError, with the reason)."""


def _no(setting, why):
    raise NoEquivalentError(f"{setting}: {why}")


# --------------------------------------------------------------------------- windows
def _window_values(win, n):
    """The window as float64 values of length n, from our internal form."""
    kind = win[0]
    if kind == "scipy":
        return scipy.signal.get_window(win[1], n, fftbins=win[2])
    return np.asarray(win[1], dtype=np.float64)


def _identify(values):
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


def _torch_window(win):
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


def _librosa_window(win, win_length):
    """(value for librosa's window=, code) from our internal window form."""
    if win[0] == "scipy" and win[2]:
        return win[1], repr(win[1])
    if win[0] == "scipy":
        return (scipy.signal.get_window(win[1], win_length, fftbins=False),
                f"scipy.signal.get_window({win[1]!r}, {win_length}, fftbins=False)")
    values = np.asarray(win[1], dtype=np.float64)
    return values, f"np.array({_list_code(values)})"


def _describe_window(win):
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


# --------------------------------------------------------------------------- checks
def _int(value, name, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or \
            not float(value).is_integer():
        raise TypeError(f"{name} must be an integer, got {value!r}.")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value!r}.")
    return int(value)


def _num(value, name, low=None, open_low=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or \
            not math.isfinite(value):
        raise TypeError(f"{name} must be a finite number, got {value!r}.")
    if low is not None and (value < low or (open_low and value == low)):
        raise ValueError(f"{name} must be {'greater than' if open_low else 'at least'} {low}, "
                         f"got {value!r}.")
    return float(value)


def _bool(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}.")
    return bool(value)


def _grids_agree(sr, n_fft):
    """Whether torchaudio's own filterbank is librosa's.

    torchaudio places its FFT bins at linspace(0, sr // 2, n_fft // 2 + 1) Hz (integer
    sr // 2), librosa at k * sr / n_fft: the same only for an even integer sr and an
    even n_fft. Otherwise the translated transform carries librosa's filterbank.
    """
    return float(sr).is_integer() and int(sr) % 2 == 0 and n_fft % 2 == 0


def _grid_reason(sr, n_fft):
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


def _librosa_fb(s):
    """librosa's filterbank for settings ``s``: float32, shape (n_mels, n_fft // 2 + 1)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return librosa.filters.mel(sr=s["sr"], n_fft=s["n_fft"], n_mels=s["n_mels"],
                                   fmin=s["fmin"], fmax=s["fmax"], htk=s["htk"],
                                   norm=s["norm"], dtype=np.float32)


def _torchaudio_fb(s):
    """The filterbank torchaudio builds for settings ``s``: shape (n_fft // 2 + 1, n_mels)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="At least one mel filterbank")
        return torchaudio.functional.melscale_fbanks(
            s["n_fft"] // 2 + 1, s["fmin"], s["fmax"], s["n_mels"], s["sr"], s["norm"],
            "htk" if s["htk"] else "slaney")


def _fb_gap(fb, reference):
    """Largest difference between two filterbanks, as a fraction of the reference's maximum."""
    fb = np.asarray(fb, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if fb.shape != reference.shape:
        return math.inf
    return float(np.max(np.abs(fb - reference)) / max(np.max(np.abs(reference)), 1e-30))


def _resolve(kw):
    """Validate resolved settings (librosa names, internal window) and fill derived values."""
    sr = _num(kw["sr"], "sr", 0, open_low=True)
    n_fft = _int(kw["n_fft"], "n_fft", 2)
    win_length = n_fft if kw["win_length"] is None else _int(kw["win_length"], "win_length", 1)
    if win_length > n_fft:
        raise ValueError(f"win_length={win_length} must be at most n_fft={n_fft}.")
    hop = kw["hop_length"]
    hop = _int(hop, "hop_length", 1)
    center = _bool(kw["center"], "center")
    power = _num(kw["power"], "power", 0, open_low=True)
    n_mels = _int(kw["n_mels"], "n_mels", 1)
    fmin = _num(kw["fmin"], "fmin", 0)
    fmax = sr / 2.0 if kw["fmax"] is None else _num(kw["fmax"], "fmax", 0)
    if fmax > sr / 2.0:
        _no(f"fmax={fmax:g} (torchaudio f_max)", f"it is above the Nyquist frequency "
            f"sr / 2 = {sr / 2:g} Hz: no FFT bin lies there, so the top filters are cut off "
            "or empty (and the two libraries reach the edge differently). Use fmax <= sr / 2.")
    if fmin >= fmax:
        raise ValueError(f"fmin={fmin:g} must be below fmax={fmax:g}.")
    htk = _bool(kw["htk"], "htk")
    norm = kw["norm"]
    if norm not in (None, "slaney"):
        _no(f"norm={norm!r}", "torchaudio's MelSpectrogram knows only norm=None and "
            "norm='slaney' (area normalisation); librosa's p-norm filter normalisation "
            "(norm=1, 2, np.inf) has no equivalent there.")
    win = kw["window"]
    if win[0] == "array" and len(win[1]) != win_length:
        raise ValueError(f"window array has {len(win[1])} values but win_length={win_length}.")
    if win[0] == "scipy":
        try:
            scipy.signal.get_window(win[1], win_length, fftbins=win[2])
        except Exception as exc:
            raise ValueError(f"window={win[1]!r} is not a window scipy knows: {exc}") from None
    pad_mode = kw["pad_mode"]
    if pad_mode not in _PAD_TO_TORCH:
        if center:
            _no(f"pad_mode={pad_mode!r}", "torch.stft pads only with 'constant' (zeros), "
                "'reflect', 'replicate' (librosa 'edge') or 'circular' (which librosa refuses "
                "with center=True); allowed here: 'constant', 'reflect', 'edge'.")
        pad_mode = "constant"
    return {"sr": int(sr) if float(sr).is_integer() else sr, "n_fft": n_fft, "hop_length": hop,
            "win_length": win_length, "window": win, "center": center, "pad_mode": pad_mode,
            "power": power, "n_mels": n_mels, "fmin": fmin, "fmax": fmax, "htk": htk,
            "norm": norm, "librosa_fb": not _grids_agree(sr, n_fft)}


def _from_librosa_kwargs(kwargs):
    kwargs = dict(kwargs)
    for name, why in (("y", "it is the signal, not a setting: call the transform on it"),
                      ("S", "a precomputed spectrogram; translate the settings that made it")):
        if name in kwargs:
            _no(name, why + ".")
    unknown = sorted(set(kwargs) - set(LIBROSA_DEFAULTS) - {"dtype"})
    if unknown:
        _no(f"unknown argument {unknown[0]!r}", "librosa.feature.melspectrogram does not take "
            f"it (or it does not shape the result); allowed: {', '.join(LIBROSA_DEFAULTS)}.")
    dtype = kwargs.pop("dtype", np.float32)
    if np.dtype(dtype) != np.float32:
        _no(f"dtype={dtype!r}", "torchaudio builds its filterbank in float32; use the default "
            "dtype=np.float32 (float64 changes the numbers by about 1e-7 only).")
    kw = {**LIBROSA_DEFAULTS, **kwargs}
    n_fft = kw["n_fft"]
    win_length = n_fft if kw["win_length"] is None else kw["win_length"]
    if kw["hop_length"] is None and isinstance(win_length, numbers.Integral):
        kw["hop_length"] = win_length // 4  # what librosa.stft does with hop_length=None
    window = kw["window"]
    if callable(window):  # librosa calls it with win_length: do the same
        if not isinstance(win_length, numbers.Integral) or isinstance(win_length, bool):
            raise TypeError(f"win_length must be an integer, got {win_length!r}.")
        window = np.asarray(window(int(win_length)), dtype=np.float64)
    if isinstance(window, (str, tuple)) or isinstance(window, numbers.Real):
        kw["window"] = ("scipy", window, True)
    else:
        arr = np.asarray(window)
        if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.number) or \
                not np.all(np.isfinite(arr)):
            raise TypeError(f"window must be a name, a (name, parameter) tuple or a 1-D finite "
                            f"array, got {window!r}.")
        kw["window"] = _identify(arr)
    return _resolve(kw)


# --------------------------------------------------------------------------- librosa -> torch
def librosa_to_torchaudio(**kwargs):
    """The ``torchaudio.transforms.MelSpectrogram`` equal to ``librosa.feature.melspectrogram``.

    Parameters
    ----------
    **kwargs
        Any of librosa's settings: sr (Hz), n_fft, hop_length, win_length (samples),
        window (name, (name, parameter) tuple or array of win_length values; librosa's
        windows are periodic), center, pad_mode ('constant', 'reflect' or 'edge'),
        power, n_mels, fmin, fmax (Hz), htk, norm (None or 'slaney').
        Left-out settings take librosa's defaults, not torchaudio's.

    Returns
    -------
    torchaudio.transforms.MelSpectrogram
        ``transform(torch.from_numpy(y))`` has shape (n_mels, n_frames) and equals
        ``librosa.feature.melspectrogram(y=y, **kwargs)`` within 1e-4 of its maximum
        for float32 ``y``. Every argument is passed explicitly. It pickles.
        For an odd or fractional sr (e.g. 11025 Hz) or an odd n_fft, torchaudio's
        own filterbank is not librosa's (it places its FFT bins at
        linspace(0, sr // 2, n_fft // 2 + 1) Hz, librosa at k * sr / n_fft), so the
        transform's filterbank buffer ``mel_scale.fb`` (n_fft // 2 + 1, n_mels) is
        replaced by ``librosa.filters.mel(...).T``; the buffer is saved by
        ``state_dict`` and pickle. For even sr and n_fft it is left as built.

    Raises
    ------
    NoEquivalentError (a ValueError)
        For settings torchaudio cannot reproduce (fmax above sr / 2, norm other
        than None/'slaney', pad modes torch.stft lacks, unknown arguments),
        naming the setting and why.

    See also
    --------
    torchaudio_to_librosa, torchaudio_code, explain

    Notebook: 08_porting.ipynb
    """
    return _build_torchaudio(_from_librosa_kwargs(kwargs))


def _torch_kwargs(s):
    window_fn, wkwargs, _ = _torch_window(s["window"])
    return {"sample_rate": s["sr"], "n_fft": s["n_fft"], "win_length": s["win_length"],
            "hop_length": s["hop_length"], "f_min": s["fmin"], "f_max": s["fmax"], "pad": 0,
            "n_mels": s["n_mels"], "window_fn": window_fn, "power": s["power"],
            "normalized": False, "wkwargs": wkwargs, "center": s["center"],
            "pad_mode": _PAD_TO_TORCH[s["pad_mode"]], "norm": s["norm"],
            "mel_scale": "htk" if s["htk"] else "slaney"}


def _build_torchaudio(s):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="At least one mel filterbank")
        t = torchaudio.transforms.MelSpectrogram(**_torch_kwargs(s))
    if not _grids_agree(s["sr"], s["n_fft"]):  # odd sr or n_fft: use librosa's filterbank
        with torch.no_grad():
            t.mel_scale.fb.copy_(torch.from_numpy(_librosa_fb(s).T))
    return t


def _torchaudio_code(s):
    _, _, window_code = _torch_window(s["window"])
    pm = _PAD_TO_TORCH[s["pad_mode"]]
    code = (f"torchaudio.transforms.MelSpectrogram(sample_rate={s['sr']!r}, n_fft={s['n_fft']}, "
            f"win_length={s['win_length']}, hop_length={s['hop_length']}, f_min={s['fmin']!r}, "
            f"f_max={s['fmax']!r}, n_mels={s['n_mels']}, {window_code}, power={s['power']!r}, "
            f"center={s['center']}, pad_mode={pm!r}, norm={s['norm']!r}, "
            f"mel_scale={'htk' if s['htk'] else 'slaney'!r})")
    if _grids_agree(s["sr"], s["n_fft"]):
        return code
    # one expression: build the transform t, copy librosa's filterbank into t.mel_scale.fb,
    # give back t (a lambda, so that no variable leaks into the caller's namespace)
    fb = (f"librosa.filters.mel(sr={s['sr']!r}, n_fft={s['n_fft']}, n_mels={s['n_mels']}, "
          f"fmin={s['fmin']!r}, fmax={s['fmax']!r}, htk={s['htk']}, norm={s['norm']!r})")
    return (f"(lambda t: (t.mel_scale.fb.copy_(torch.from_numpy({fb}.T)), t)[1])({code})")


def torchaudio_code(x):
    """Python code (one expression) that builds the torchaudio transform for ``x``.

    ``x`` is a dict of librosa keyword arguments or a ``MelSpectrogram``. The
    code runs with ``torch``, ``torchaudio``, ``librosa`` and ``scipy`` imported.
    For an odd or fractional sr or an odd n_fft it builds the transform, then
    copies librosa's filterbank into ``t.mel_scale.fb`` (see librosa_to_torchaudio).

    Notebook: 08_porting.ipynb
    """
    return _torchaudio_code(_settings(x))


# --------------------------------------------------------------------------- torch -> librosa
def _from_torchaudio(t):
    """Internal settings (librosa names) read from a MelSpectrogram instance."""
    if not isinstance(t, torchaudio.transforms.MelSpectrogram):
        raise TypeError(f"expected a torchaudio.transforms.MelSpectrogram, got "
                        f"{type(t).__name__}.")
    spec, mel = t.spectrogram, t.mel_scale
    if spec.normalized:
        _no(f"normalized={spec.normalized!r}",
            "torchaudio then divides the STFT by sqrt(sum(window**2)) (or sqrt(n_fft) for "
            "'frame_length'); librosa.feature.melspectrogram has no such option. Use "
            "normalized=False, or divide librosa's output by that factor to the power `power`.")
    if spec.pad:
        _no(f"pad={spec.pad}", "torchaudio pads the signal with pad zeros on both sides before "
            "the STFT; librosa has no such argument. Use pad=0 and pad y yourself "
            "(np.pad(y, pad)).")
    if spec.power is None:
        _no("power=None", "that returns the complex STFT, not a mel spectrogram of magnitudes; "
            "librosa.feature.melspectrogram needs a number (1 magnitude, 2 power).")
    if not spec.onesided:
        _no("onesided=False", "librosa's spectrogram is always one-sided.")
    if spec.center and spec.pad_mode not in _PAD_TO_LIBROSA:
        _no(f"pad_mode={spec.pad_mode!r}", "librosa.stft with center=True supports only "
            "'constant', 'reflect' and 'edge' (torch 'replicate') among torch's modes.")
    window = spec.window.detach().cpu().numpy()
    if window.shape != (spec.win_length,):
        _no("window", f"the window has shape {window.shape}, not ({spec.win_length},).")
    s = _resolve({"sr": t.sample_rate, "n_fft": spec.n_fft, "hop_length": spec.hop_length,
                  "win_length": spec.win_length, "window": _identify(window),
                  "center": spec.center, "pad_mode": _PAD_TO_LIBROSA.get(spec.pad_mode, "constant"),
                  "power": spec.power, "n_mels": mel.n_mels, "fmin": mel.f_min,
                  "fmax": mel.f_max, "htk": _scale(mel.mel_scale), "norm": mel.norm})
    fb = mel.fb.detach().cpu()
    own = _torchaudio_fb(s)
    is_own = fb.shape == own.shape and torch.allclose(fb.to(own.dtype), own)
    if _grids_agree(s["sr"], s["n_fft"]) and is_own:
        return s
    # librosa's filterbank copied in (what librosa_to_torchaudio does for odd sr or n_fft)
    if _fb_gap(fb.numpy().T, _librosa_fb(s)) <= _FB_MATCH:
        s["librosa_fb"] = True
        return s
    if is_own:
        setting = (f"n_fft={s['n_fft']}" if s["n_fft"] % 2 else f"sample_rate={s['sr']:g}")
        gap = _fb_gap(own.numpy(), _librosa_fb(s).T)
        _no(setting, f"{_grid_reason(s['sr'], s['n_fft'])}. torchaudio places its FFT bins at "
            "linspace(0, sr // 2, n_fft // 2 + 1) Hz, librosa at k * sr / n_fft, so this "
            f"transform's filterbank differs from librosa's by {gap:.2g} of its maximum and "
            "librosa cannot build it. Replace it with librosa's "
            "(t.mel_scale.fb.copy_(torch.from_numpy(librosa.filters.mel(...).T)), as "
            "librosa_to_torchaudio does), or use an even sample rate and n_fft.")
    _no("mel_scale.fb", "the filterbank was changed after the transform was built and is "
        "neither torchaudio's nor librosa's for its settings, so its settings no longer "
        "describe it; build a fresh transform.")


def _scale(mel_scale):
    if mel_scale not in ("htk", "slaney"):
        raise ValueError(f"mel_scale={mel_scale!r} is not supported; allowed: 'htk', 'slaney'.")
    return mel_scale == "htk"


def torchaudio_to_librosa(transform):
    """Keyword arguments for ``librosa.feature.melspectrogram`` equal to a MelSpectrogram.

    Parameters
    ----------
    transform : torchaudio.transforms.MelSpectrogram
        Read as built: window values (periodic or symmetric), padding, mel scale,
        filter norm, power.

    Returns
    -------
    dict
        ``librosa.feature.melspectrogram(y=y, **kwargs)`` equals ``transform(torch.from_numpy(y))``
        within 1e-4 of the maximum for float32 ``y``. A periodic standard window
        becomes its name; any other window becomes an array of win_length values.

    Raises
    ------
    NoEquivalentError (a ValueError)
        For normalized=True, pad > 0, power=None, circular padding, f_max above
        sample_rate / 2, an edited filterbank, and an odd or fractional
        sample_rate or odd n_fft whose filterbank is still torchaudio's own (it
        differs from librosa's: copy librosa's into ``mel_scale.fb``, as
        librosa_to_torchaudio does, and it translates). A transform whose
        filterbank was replaced by librosa's for its own settings translates.

    See also
    --------
    librosa_to_torchaudio, librosa_code, explain

    Notebook: 08_porting.ipynb
    """
    return _librosa_kwargs(_from_torchaudio(transform))


def _librosa_kwargs(s):
    window, _ = _librosa_window(s["window"], s["win_length"])
    return {"sr": s["sr"], "n_fft": s["n_fft"], "hop_length": s["hop_length"],
            "win_length": s["win_length"], "window": window, "center": s["center"],
            "pad_mode": s["pad_mode"], "power": s["power"], "n_mels": s["n_mels"],
            "fmin": s["fmin"], "fmax": s["fmax"], "htk": s["htk"], "norm": s["norm"]}


def _librosa_code(s):
    _, window_code = _librosa_window(s["window"], s["win_length"])
    return (f"librosa.feature.melspectrogram(y=y, sr={s['sr']!r}, n_fft={s['n_fft']}, "
            f"hop_length={s['hop_length']}, win_length={s['win_length']}, window={window_code}, "
            f"center={s['center']}, pad_mode={s['pad_mode']!r}, power={s['power']!r}, "
            f"n_mels={s['n_mels']}, fmin={s['fmin']!r}, fmax={s['fmax']!r}, htk={s['htk']}, "
            f"norm={s['norm']!r})")


def librosa_code(x):
    """Python code (one expression, needs ``y``) calling librosa with the settings of ``x``.

    ``x`` is a ``MelSpectrogram`` or a dict of librosa keyword arguments. The code
    runs with ``librosa``, ``numpy as np`` and ``scipy`` imported and ``y`` defined.

    Notebook: 08_porting.ipynb
    """
    return _librosa_code(_settings(x))


# --------------------------------------------------------------------------- dB step
_DB_FUNCS = {"power_to_db": ("power", 1e-10), "amplitude_to_db": ("magnitude", 1e-5)}


def librosa_db_to_torchaudio(function="power_to_db", ref=1.0, amin=None, top_db=80.0):
    """The ``torchaudio.transforms.AmplitudeToDB`` equal to librosa's dB step.

    Parameters
    ----------
    function : {'power_to_db', 'amplitude_to_db'}
        The librosa function (its ``S`` is power or magnitude).
    ref : float
        Only 1.0 has an exact equivalent: AmplitudeToDB has no ``ref``.
    amin : float or None
        Floor before the log; None means librosa's default for ``function``
        (1e-10 for power_to_db, 1e-5 for amplitude_to_db). Copied onto the
        transform's ``amin`` attribute (torchaudio's own default is 1e-10 for both).
    top_db : float or None
        Floor relative to the maximum, in dB (librosa's default 80; torchaudio's None).

    Returns
    -------
    torchaudio.transforms.AmplitudeToDB
        Equal to librosa on a 2-D (n_mels, n_frames) input. On 3-D input
        (batch, n_mels, n_frames) torchaudio takes ``top_db`` below the maximum of
        the WHOLE batch; give it (batch, 1, n_mels, n_frames) (``x.unsqueeze(1)``)
        to get librosa's per-clip floor.

    Raises
    ------
    NoEquivalentError
        For ``ref`` other than 1.0 (the message says what to do instead).

    See also
    --------
    torchaudio_db_to_librosa, librosa.power_to_db, librosa.amplitude_to_db

    Notebook: 08_porting.ipynb
    """
    if function not in _DB_FUNCS:
        raise ValueError(f"function={function!r} is not supported; allowed: "
                         f"{', '.join(map(repr, _DB_FUNCS))}.")
    stype, default_amin = _DB_FUNCS[function]
    if callable(ref) or ref != 1.0:
        mult = 10 if stype == "power" else 20
        instead = ("subtract each clip's maximum afterwards: db = t(x); "
                   "db - db.amax(dim=(-2, -1), keepdim=True)" if callable(ref) else
                   f"subtract {mult} * log10(ref) = {mult * math.log10(abs(ref)):.6g} dB "
                   "from its output")
        _no(f"ref={getattr(ref, '__name__', ref)!r}",
            f"torchaudio's AmplitudeToDB has no ref argument (it always uses 1.0). Instead "
            f"use AmplitudeToDB(stype={stype!r}, top_db=...) and {instead}; top_db is "
            "unaffected because it is relative to the maximum.")
    amin = default_amin if amin is None else _num(amin, "amin", 0, open_low=True)
    if top_db is not None:
        top_db = _num(top_db, "top_db", 0)
    t = torchaudio.transforms.AmplitudeToDB(stype=stype, top_db=top_db)
    t.amin = amin
    return t


def torchaudio_db_to_librosa(transform):
    """(function name, kwargs) of the librosa dB step equal to an ``AmplitudeToDB``.

    Returns
    -------
    tuple (str, dict)
        ``('power_to_db' or 'amplitude_to_db', {'ref': ..., 'amin': ..., 'top_db': ...})``;
        ``getattr(librosa, name)(S, **kwargs)`` equals ``transform(torch.from_numpy(S))``
        for a 2-D ``S`` (for 3-D input torchaudio's ``top_db`` is batch-wide: apply
        librosa per clip only if you also give torchaudio (batch, 1, F, T)).
        amin is always written out: torchaudio's default 1e-10 is NOT librosa
        amplitude_to_db's default 1e-5.

    See also
    --------
    librosa_db_to_torchaudio

    Notebook: 08_porting.ipynb
    """
    if not isinstance(transform, torchaudio.transforms.AmplitudeToDB):
        raise TypeError(f"expected a torchaudio.transforms.AmplitudeToDB, got "
                        f"{type(transform).__name__}.")
    if transform.stype not in ("power", "magnitude", "amplitude"):
        _no(f"stype={transform.stype!r}", "torchaudio treats every stype other than 'power' "
            "as an amplitude; say 'magnitude' or 'power'.")
    name = "power_to_db" if transform.multiplier == 10.0 else "amplitude_to_db"
    return name, {"ref": float(10.0 ** transform.db_multiplier), "amin": float(transform.amin),
                  "top_db": transform.top_db}


# --------------------------------------------------------------------------- parsing
def _literal(node, what):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        pass
    dotted = _dotted(node)
    if dotted in _KNOWN_CODE:
        return _KNOWN_CODE[dotted]
    if isinstance(node, ast.Call):
        fname = _dotted(node.func)
        args = [_literal(a, what) for a in node.args]
        kws = {k.arg: _literal(k.value, what) for k in node.keywords}
        if fname in ("scipy.signal.get_window", "signal.get_window") and \
                set(kws) <= {"fftbins"} and len(args) == 2:
            _int(args[1], "window length", 1)
            if args[1] > 2 ** 20:
                raise ValueError(f"{what}: a window of {args[1]} samples is too long.")
            return scipy.signal.get_window(*args, **kws)
        if fname in ("np.array", "numpy.array") and len(args) == 1 and not kws:
            return np.asarray(args[0], dtype=np.float64)
        if fname in ("float",) and args == ["inf"]:
            return float("inf")
    raise ValueError(f"{what}: only literal values (numbers, strings, True/False/None, "
                     "lists, tuples, dicts), the torch window functions "
                     f"({', '.join(_KNOWN_CODE)}), np.array([...]) and "
                     f"scipy.signal.get_window(name, n, fftbins=...) are understood, got "
                     f"{ast.unparse(node)!r}. Write the value itself (e.g. sr=22050, not sr=sr).")


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def parse_call(text):
    """Read a call written as text, with ``ast`` (never ``eval``).

    Parameters
    ----------
    text : str
        ``"librosa.feature.melspectrogram(y=y, sr=22050, ...)"`` (also ``melspectrogram(...)``)
        or ``"torchaudio.transforms.MelSpectrogram(...)"`` (also ``T.MelSpectrogram``,
        ``MelSpectrogram``). Arguments must be literals or known window functions.

    Returns
    -------
    tuple (str, dict)
        ``('librosa', kwargs without y)`` or ``('torchaudio', MelSpectrogram kwargs)``.

    Notebook: 08_porting.ipynb
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}.")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"not a Python call: {exc.msg} in {text!r}.") from None
    call = tree.body
    if not isinstance(call, ast.Call):
        raise ValueError(f"expected a call such as librosa.feature.melspectrogram(...) or "
                         f"torchaudio.transforms.MelSpectrogram(...), got {text!r}.")
    fname = _dotted(call.func) or ""
    last = fname.rsplit(".", 1)[-1]
    if any(isinstance(k.value, ast.Starred) or k.arg is None for k in call.keywords):
        raise ValueError("**kwargs cannot be read: write every argument out.")
    if last == "melspectrogram":
        if call.args:
            raise ValueError("librosa.feature.melspectrogram takes keyword arguments only "
                             "(y=y, sr=...).")
        kwargs = {}
        for k in call.keywords:
            if k.arg == "y":
                continue  # the signal: any expression is fine, it is not a setting
            kwargs[k.arg] = _literal(k.value, k.arg)
        return "librosa", kwargs
    if last == "MelSpectrogram":
        if len(call.args) > len(_TA_ORDER):
            raise ValueError("too many positional arguments for MelSpectrogram.")
        kwargs = {_TA_ORDER[i]: _literal(a, _TA_ORDER[i]) for i, a in enumerate(call.args)}
        for k in call.keywords:
            if k.arg in kwargs:
                raise ValueError(f"{k.arg} is given twice.")
            kwargs[k.arg] = _literal(k.value, k.arg)
        return "torchaudio", kwargs
    raise ValueError(f"unknown function {fname!r}: expected librosa.feature.melspectrogram "
                     "or torchaudio.transforms.MelSpectrogram.")


def _torchaudio_from_kwargs(kwargs):
    unknown = sorted(set(kwargs) - set(TORCHAUDIO_DEFAULTS))
    if unknown:
        _no(f"unknown argument {unknown[0]!r}", "torchaudio.transforms.MelSpectrogram does not "
            f"take it; allowed: {', '.join(TORCHAUDIO_DEFAULTS)}.")
    if "window_fn" in kwargs and not callable(kwargs["window_fn"]):
        raise TypeError(f"window_fn must be a window function such as torch.hann_window, got "
                        f"{kwargs['window_fn']!r}.")
    if kwargs.get("normalized"):
        _no(f"normalized={kwargs['normalized']!r}",
            "torchaudio then divides the STFT by sqrt(sum(window**2)) (or sqrt(n_fft)); "
            "librosa.feature.melspectrogram has no such option. Use normalized=False.")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="At least one mel filterbank")
        return torchaudio.transforms.MelSpectrogram(**kwargs)


def _settings(x):
    """Internal settings from a dict of librosa kwargs, a MelSpectrogram or a call string."""
    if isinstance(x, str):
        side, kwargs = parse_call(x)
        x = kwargs if side == "librosa" else _torchaudio_from_kwargs(kwargs)
    if isinstance(x, torchaudio.transforms.MelSpectrogram):
        return _from_torchaudio(x)
    if isinstance(x, dict):
        return _from_librosa_kwargs(x)
    raise TypeError(f"expected a dict of librosa arguments, a "
                    f"torchaudio.transforms.MelSpectrogram or a call as a string, got "
                    f"{type(x).__name__}.")


def _side(x):
    if isinstance(x, str):
        return parse_call(x)[0]
    return "torchaudio" if isinstance(x, torch.nn.Module) else "librosa"


# --------------------------------------------------------------------------- explain
def _librosa_mel(y, s):
    window, _ = _librosa_window(s["window"], s["win_length"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return librosa.feature.melspectrogram(
            y=y, sr=s["sr"], n_fft=s["n_fft"], hop_length=s["hop_length"],
            win_length=s["win_length"], window=window, center=s["center"],
            pad_mode=s["pad_mode"], power=s["power"], n_mels=s["n_mels"], fmin=s["fmin"],
            fmax=s["fmax"], htk=s["htk"], norm=s["norm"])


def _db_change(s, other):
    """Median and largest change in dB (of |X|^2, floored 80 dB below the top) on pink noise."""
    from .signals import pink_noise
    y = pink_noise(sr=s["sr"], duration=1.0, seed=0).astype(np.float32)
    a, b = _librosa_mel(y, s), _librosa_mel(y, other)
    if a.shape != b.shape:
        return None, a.shape, b.shape
    da = 20.0 / s["power"] * np.log10(np.maximum(a, 1e-30))
    db = 20.0 / other["power"] * np.log10(np.maximum(b, 1e-30))
    # floor both 80 dB below their top, as power_to_db's default top_db does
    diff = np.abs(np.maximum(da, da.max() - 80) - np.maximum(db, db.max() - 80))
    return (float(np.median(diff)), float(diff.max())), a.shape, b.shape


def _other_default(s, name, side):
    """The value ``name`` takes if the other library's call leaves it out (others kept)."""
    if side == "librosa":  # the other library is torchaudio
        return {"sr": 16000, "n_fft": 400, "hop_length": s["win_length"] // 2,
                "win_length": s["n_fft"], "window": ("scipy", "hann", True), "center": True,
                "pad_mode": "reflect", "power": 2.0, "n_mels": 128, "fmin": 0.0,
                "fmax": float(s["sr"] // 2), "htk": True, "norm": None}[name]
    return {"sr": 22050, "n_fft": 2048, "hop_length": 512,
            "win_length": s["n_fft"], "window": ("scipy", "hann", True), "center": True,
            "pad_mode": "constant", "power": 2.0, "n_mels": 128, "fmin": 0.0,
            "fmax": s["sr"] / 2.0, "htk": False, "norm": "slaney"}[name]


_TA_NAME = {"sr": "sample_rate", "fmin": "f_min", "fmax": "f_max", "htk": "mel_scale",
            "window": "window_fn/wkwargs"}


def _same(a, b):
    if isinstance(a, tuple) and isinstance(b, tuple):
        return a[0] == b[0] == "scipy" and a[1:] == b[1:]
    return a == b


def _words(s, side):
    sr, n_fft, hop, wl = s["sr"], s["n_fft"], s["hop_length"], s["win_length"]
    ms = 1000.0 / sr
    ta = side == "torchaudio"

    def nm(k):
        return _TA_NAME.get(k, k) if ta else k
    htk_value = ("'htk'" if s["htk"] else "'slaney'") if ta else s["htk"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fb = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=s["n_mels"], fmin=s["fmin"],
                                 fmax=s["fmax"], htk=s["htk"], norm=s["norm"])
    empty = int(np.sum(fb.max(axis=1) <= 0))
    lines = {
        "sr": f"{nm('sr')} = {sr} Hz: samples per second of the audio. It must be the rate of "
              f"your signal: the filters are placed in Hz using it.",
        "n_fft": f"n_fft = {n_fft} samples ({n_fft * ms:.1f} ms): length of each analysis frame "
                 f"for the FFT. Gives {n_fft // 2 + 1} frequency bins, {sr / n_fft:.3g} Hz apart.",
        "hop_length": f"hop_length = {hop} samples ({hop * ms:.1f} ms): step between frames; "
                      f"sets the time resolution: {sr / hop:.4g} frames per second.",
        "win_length": f"win_length = {wl} samples ({wl * ms:.1f} ms): length of the window "
                      f"inside each frame" + (f" (zero-padded to n_fft = {n_fft})." if wl < n_fft
                                              else " (= n_fft)."),
        "window": f"{nm('window')} = {_describe_window(s['window'])}: the taper each frame is "
                  f"multiplied by, so its edges fade to zero and the spectrum leaks less.",
        "center": f"center = {s['center']}: " + (
            f"pad n_fft // 2 = {n_fft // 2} samples on each side so frame t is centred on "
            f"sample t * hop_length." if s["center"] else
            "no padding: the first frame starts at sample 0 (fewer frames)."),
        "pad_mode": f"pad_mode = {_PAD_TO_TORCH[s['pad_mode']] if ta else s['pad_mode']!r}: "
                    "what the centring pads with: " + {
                        "constant": "zeros (silence).", "reflect": "a mirror image of the signal.",
                        "edge": "copies of the first/last sample."}[s["pad_mode"]]
                    + ("" if s["center"] else " (unused: center=False)"),
        "power": f"power = {s['power']:g}: exponent on the magnitude |X|: "
                 + {1.0: "1 gives amplitude (magnitude).",
                    2.0: "2 gives power (energy)."}.get(s["power"], "neither amplitude (1) "
                                                         "nor power (2)."),
        "n_mels": f"n_mels = {s['n_mels']}: number of mel bands, the rows of the output"
                  + (f"; {empty} of them are empty (no FFT bin falls inside): too many mels for "
                     f"n_fft = {n_fft}." if empty else "."),
        "fmin": f"{nm('fmin')} = {s['fmin']:g} Hz: lowest frequency the filters cover.",
        "fmax": f"{nm('fmax')} = {s['fmax']:g} Hz: highest frequency the filters cover "
                f"(at most sr / 2 = {sr / 2:g} Hz).",
        "htk": f"{nm('htk')} = {htk_value}: which mel formula places the filters: "
               + ("HTK, 2595 log10(1 + f / 700), logarithmic everywhere." if s["htk"] else
                  "Slaney, linear below 1 kHz and logarithmic above."),
        "norm": f"norm = {s['norm']!r}: " + (
            "each triangle is scaled by 2 / (its width in Hz), so every band has the same "
            "area: wide high bands get small weights." if s["norm"] else
            "triangles peak at 1, so wide high bands collect more energy."),
    }
    return lines


def _cost_words(s, name, other):
    o = dict(s)
    o[name] = other
    if name == "n_fft" and s["win_length"] == s["n_fft"]:
        o["win_length"] = other  # win_length's default follows n_fft in both libraries
        if s["window"][0] == "array":
            o["window"] = ("scipy", "hann", True)
    if name == "win_length" and other > s["n_fft"]:
        return "not comparable."
    if name == "window" or name == "win_length":
        o["window"] = s["window"] if s["window"][0] == "scipy" else ("scipy", "hann", True)
        if name == "window":
            o["window"] = other
    if name == "power":
        return ("every value is raised to another power: after the matching dB step the "
                "numbers agree again, but power=1 with power_to_db (or 2 with "
                "amplitude_to_db) is off by a factor of two in dB.")
    if name == "sr":
        return (f"every filter would be placed for {other} Hz audio: wrong by a factor "
                f"{other / s['sr']:.3g} in frequency; always pass your signal's rate.")
    if name == "fmax" and other > o["sr"] / 2:
        return "not comparable."
    try:
        cost, shape_a, shape_b = _db_change(s, o)
    except Exception:  # e.g. a default that is invalid together with the other settings
        return "not comparable with these other settings."
    if cost is None:
        return f"changes the output shape (for 1 s) from {shape_a} to {shape_b}."
    if cost[1] < 0.01:
        return "no measurable change (< 0.01 dB)."
    where = " (only the first and last frames)" if name == "pad_mode" else ""
    typical = ("leaves most cells unchanged and changes the others" if cost[0] < 0.01 else
               f"changes the result by {cost[0]:.2g} dB typically and")
    return f"{typical} by up to {cost[1]:.2g} dB{where}, measured on 1 s of pink noise."


def _fb_words(s, side):
    """When and why the filterbank is (or must be) replaced by librosa's, in words."""
    gap = _fb_gap(_torchaudio_fb(s).numpy(), _librosa_fb(s).T)
    reason = _grid_reason(s["sr"], s["n_fft"])
    why = ("torchaudio places its FFT bins at linspace(0, sr // 2, n_fft // 2 + 1) Hz, "
           "librosa at k * sr / n_fft. " + (f"Here {reason}. " if reason else "")
           + f"torchaudio's own filterbank would differ from librosa's by up to {gap:.2g} of "
           "its maximum")
    if side == "librosa":
        return (f"filterbank: replaced on the torchaudio side. {why}, so the torchaudio "
                "equivalent is built as usual and then its filterbank buffer mel_scale.fb "
                "(n_fft // 2 + 1, n_mels) is overwritten with librosa.filters.mel(...).T; "
                "then the numbers agree.")
    return ("mel_scale.fb: librosa's filterbank for these settings, copied in after the "
            f"transform was built. {why}; librosa builds this one itself, so the translation "
            "is exact.")


def explain(x, seconds=None):
    """Every setting of a mel front end in plain words, what differs from the other library.

    Parameters
    ----------
    x : dict, torchaudio.transforms.MelSpectrogram or str
        librosa keyword arguments, a transform, or a call written as a string.
    seconds : float or None
        If given, the output shape for a signal of this many seconds is printed,
        e.g. (128, 44) for librosa's defaults at 22050 Hz and 1 s.

    Returns
    -------
    str
        Several lines of text: each setting with its unit and meaning, the
        settings that differ from the other library's defaults with how much the
        default would change the result in dB (measured on 1 s of seeded pink
        noise), and the output shape.

    See also
    --------
    librosa_to_torchaudio, torchaudio_to_librosa

    Notebook: 08_porting.ipynb
    """
    side = _side(x)
    s = _settings(x)
    other = "torchaudio" if side == "librosa" else "librosa"
    words = _words(s, side)
    title = ("librosa.feature.melspectrogram" if side == "librosa"
             else "torchaudio.transforms.MelSpectrogram")
    out = [f"{title}, setting by setting:"]
    out += [f"  - {w}" for w in words.values()]
    if s["librosa_fb"]:
        out.append(f"  - {_fb_words(s, side)}")
    out.append(f"Different from {other}'s defaults (the value {other} uses if you leave the "
               "argument out), and what that default would do here:")
    n_diff = 0
    for name in words:
        o = _other_default(s, name, side)
        if _same(s[name], o):
            continue
        if name == "pad_mode" and not s["center"]:
            continue
        n_diff += 1
        shown = {"window": _describe_window(o) if isinstance(o, tuple) else o}.get(name, o)
        if name == "htk":
            mine, theirs = repr("htk" if s["htk"] else "slaney"), repr("htk" if o else "slaney")
            label = "htk / mel_scale" if side == "librosa" else "mel_scale"
        else:
            mine = _describe_window(s[name]) if name == "window" else repr(s[name])
            theirs = shown if name == "window" else repr(o)
            label = name if side == "librosa" else _TA_NAME.get(name, name)
        out.append(f"  - {label}: {mine} here, {other} default {theirs}: "
                   f"{_cost_words(s, name, o)}")
    if not n_diff:
        out.append("  (none)")
    if seconds is not None:
        seconds = _num(seconds, "seconds", 0, open_low=True)
        n = int(round(seconds * s["sr"]))
        frames = frame_count(n, s["n_fft"], s["hop_length"], s["center"])
        rule = (f"1 + {n} // {s['hop_length']}" if s["center"] and s["n_fft"] % 2 == 0 else
                f"1 + ({n} - 1) // {s['hop_length']}" if s["center"] else
                f"1 + ({n} - {s['n_fft']}) // {s['hop_length']}")
        out.append(f"Output shape for {seconds:g} s ({n} samples): ({s['n_mels']}, {frames})"
                   f" = (n_mels, {rule}).")
    return "\n".join(out)


# --------------------------------------------------------------------------- command line
def main(argv=None):
    """Command line: explain a call and print the equivalent call in the other library."""
    p = argparse.ArgumentParser(
        prog="python -m helpers.translate",
        description="Explain a librosa or torchaudio mel spectrogram call in plain words and "
                    "print the equivalent call in the other library.")
    p.add_argument("call", help='e.g. "librosa.feature.melspectrogram(y=y, sr=22050, '
                                'n_mels=128, fmax=8000)" or "torchaudio.transforms.'
                                'MelSpectrogram(sample_rate=16000, ...)"')
    p.add_argument("--code", action="store_true", help="print only the equivalent code")
    p.add_argument("--seconds", type=float, default=1.0,
                   help="signal length for the output shape (default 1)")
    args = p.parse_args(argv)
    try:
        side = parse_call(args.call)[0]
        s = _settings(args.call)
        code = _torchaudio_code(s) if side == "librosa" else _librosa_code(s)
        if args.code:
            print(code)
            return 0
        print(explain(args.call, seconds=args.seconds))
        target = "torchaudio" if side == "librosa" else "librosa"
        print(f"\nEquivalent {target} code:")
        print(code)
    except (ValueError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
