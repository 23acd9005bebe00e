"""Conversion both ways: librosa keyword arguments <-> torchaudio transforms, code, the dB step.

Notebook: 08_porting.ipynb
"""

import math
import numbers
import warnings

import numpy as np
import torch
import torchaudio

from .._validate import check_bool, check_choice, check_int, check_number
from .parse import PRECOMPUTED, parse_call
from .settings import (FB_MATCH, LIBROSA_DEFAULTS, MAX_HOP, MAX_N_FFT, MAX_N_MELS, MAX_SR,
                       PAD_TO_LIBROSA, PAD_TO_TORCH, TORCHAUDIO_DEFAULTS, excerpt, fb_gap,
                       grid_reason, grids_agree, identify_window, librosa_fb, librosa_window, no,
                       resolve, torch_window, torchaudio_fb, window_values)


# --------------------------------------------------------------------------- reading settings
def _from_librosa_kwargs(kwargs):
    kwargs = dict(kwargs)
    if "y" in kwargs:
        no("y", "it is the signal, not a setting: call the transform on it.")
    if "S" in kwargs:
        shown = "S=..." if kwargs["S"] is PRECOMPUTED else f"S={excerpt(kwargs['S'], 40)}"
        no(shown, "the call starts from a precomputed spectrogram, so the settings that "
           "decide the numbers (n_fft, hop_length, window, center, pad_mode, power) are not "
           "in it: they were given where S was made. Translate that call (librosa.stft or "
           "librosa.feature.melspectrogram(y=...)) instead.")
    unknown = sorted(set(kwargs) - set(LIBROSA_DEFAULTS) - {"dtype"})
    if unknown:
        no(f"unknown argument {unknown[0]!r}", "librosa.feature.melspectrogram does not take "
            f"it (or it does not shape the result); allowed: {', '.join(LIBROSA_DEFAULTS)}.")
    dtype = kwargs.pop("dtype", np.float32)
    try:
        dtype_ok = np.dtype(dtype) == np.float32
    except TypeError:
        raise TypeError(f"dtype must be a NumPy dtype such as np.float32, got "
                        f"{excerpt(dtype)}.") from None
    if not dtype_ok:
        no(f"dtype={getattr(dtype, '__name__', dtype)}", "torchaudio builds its filterbank in "
           "float32; use the default dtype=np.float32 (float64 changes the numbers by about "
           "1e-7 only).")
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
                            f"array, got {excerpt(window)}.")
        kw["window"] = identify_window(arr)
    return resolve(kw)


def _torchaudio_from_kwargs(kwargs):
    """A MelSpectrogram from parsed keyword arguments, each checked before torchaudio sees it."""
    unknown = sorted(set(kwargs) - set(TORCHAUDIO_DEFAULTS))
    if unknown:
        no(f"unknown argument {excerpt(unknown[0])}", "torchaudio.transforms.MelSpectrogram "
           f"does not take it; allowed: {', '.join(TORCHAUDIO_DEFAULTS)}.")
    kw = {**TORCHAUDIO_DEFAULTS, **kwargs}
    check_number(kw["sample_rate"], "sample_rate", low=0, low_open=True, high=MAX_SR)
    n_fft = check_int(kw["n_fft"], "n_fft", low=2, high=MAX_N_FFT)
    if kw["win_length"] is not None:
        check_int(kw["win_length"], "win_length", low=1, high=n_fft)
    if kw["hop_length"] is not None:
        check_int(kw["hop_length"], "hop_length", low=1, high=MAX_HOP)
    check_int(kw["pad"], "pad", low=0, high=MAX_N_FFT)
    check_int(kw["n_mels"], "n_mels", low=1, high=MAX_N_MELS)
    check_number(kw["f_min"], "f_min", low=0)
    if kw["f_max"] is not None:
        check_number(kw["f_max"], "f_max", low=0)
    if kw["power"] is not None:
        check_number(kw["power"], "power", low=0, low_open=True)
    if kw["normalized"] not in (False, True, "window", "frame_length"):
        raise ValueError(f"normalized={excerpt(kw['normalized'])} is not supported; allowed: "
                         "False, True (= 'window') and 'frame_length'.")
    check_bool(kw["center"], "center")
    check_choice(kw["pad_mode"], "pad_mode", ("constant", "reflect", "replicate", "circular"))
    check_choice(kw["norm"], "norm", (None, "slaney"))
    check_choice(kw["mel_scale"], "mel_scale", ("htk", "slaney"))
    if not callable(kw["window_fn"]):
        raise TypeError(f"window_fn must be a window function such as torch.hann_window, got "
                        f"{excerpt(kw['window_fn'])}.")
    if kw["wkwargs"] is not None and not isinstance(kw["wkwargs"], dict):
        raise TypeError(f"wkwargs must be a dict such as {{'periodic': False}}, got "
                        f"{excerpt(kw['wkwargs'])}.")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="At least one mel filterbank")
        warnings.filterwarnings("ignore", message="Argument 'onesided' has been deprecated")
        try:
            return torchaudio.transforms.MelSpectrogram(**kwargs)
        except (RuntimeError, TypeError, ValueError) as exc:  # e.g. wkwargs the window refuses
            raise ValueError(f"torchaudio.transforms.MelSpectrogram refused these arguments: "
                             f"{excerpt(exc, 200)}") from None


def settings_of(x):
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


def side_of(x):
    if isinstance(x, str):
        return parse_call(x)[0]
    return "torchaudio" if isinstance(x, torch.nn.Module) else "librosa"


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
    window_fn, wkwargs, _ = torch_window(s["window"])
    return {"sample_rate": s["sr"], "n_fft": s["n_fft"], "win_length": s["win_length"],
            "hop_length": s["hop_length"], "f_min": s["fmin"], "f_max": s["fmax"], "pad": 0,
            "n_mels": s["n_mels"], "window_fn": window_fn, "power": s["power"],
            "normalized": s["normalized"], "wkwargs": wkwargs, "center": s["center"],
            "pad_mode": PAD_TO_TORCH[s["pad_mode"]], "norm": s["norm"],
            "mel_scale": "htk" if s["htk"] else "slaney"}


def _build_torchaudio(s):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="At least one mel filterbank")
        t = torchaudio.transforms.MelSpectrogram(**_torch_kwargs(s))
    if not grids_agree(s["sr"], s["n_fft"]):  # odd sr or n_fft: use librosa's filterbank
        with torch.no_grad():
            t.mel_scale.fb.copy_(torch.from_numpy(librosa_fb(s).T))
    return t


def torchaudio_code_of(s):
    _, _, window_code = torch_window(s["window"])
    pm = PAD_TO_TORCH[s["pad_mode"]]
    code = (f"torchaudio.transforms.MelSpectrogram(sample_rate={s['sr']!r}, n_fft={s['n_fft']}, "
            f"win_length={s['win_length']}, hop_length={s['hop_length']}, f_min={s['fmin']!r}, "
            f"f_max={s['fmax']!r}, n_mels={s['n_mels']}, {window_code}, power={s['power']!r}, "
            f"center={s['center']}, pad_mode={pm!r}, norm={s['norm']!r}, "
            f"mel_scale={'htk' if s['htk'] else 'slaney'!r}"
            + (f", normalized={s['normalized']!r})" if s["normalized"] else ")"))
    if grids_agree(s["sr"], s["n_fft"]):
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
    return torchaudio_code_of(settings_of(x))


# --------------------------------------------------------------------------- torch -> librosa
def _from_torchaudio(t):
    """Internal settings (librosa names) read from a MelSpectrogram instance."""
    if not isinstance(t, torchaudio.transforms.MelSpectrogram):
        raise TypeError(f"expected a torchaudio.transforms.MelSpectrogram, got "
                        f"{type(t).__name__}.")
    spec, mel = t.spectrogram, t.mel_scale
    if spec.pad:
        no(f"pad={spec.pad}", "torchaudio pads the signal with pad zeros on both sides before "
            "the STFT; librosa has no such argument. Use pad=0 and pad y yourself "
            "(np.pad(y, pad)).")
    if spec.power is None:
        no("power=None", "that returns the complex STFT, not a mel spectrogram of magnitudes; "
            "librosa.feature.melspectrogram needs a number (1 magnitude, 2 power).")
    if not spec.onesided:
        no("onesided=False", "librosa's spectrogram is always one-sided.")
    if spec.center and spec.pad_mode not in PAD_TO_LIBROSA:
        no(f"pad_mode={spec.pad_mode!r}", "librosa.stft with center=True supports only "
            "'constant', 'reflect' and 'edge' (torch 'replicate') among torch's modes.")
    window = spec.window.detach().cpu().numpy()
    if window.shape != (spec.win_length,):
        no("window", f"the window has shape {window.shape}, not ({spec.win_length},).")
    s = resolve({"sr": t.sample_rate, "n_fft": spec.n_fft, "hop_length": spec.hop_length,
                  "win_length": spec.win_length, "window": identify_window(window),
                  "center": spec.center, "pad_mode": PAD_TO_LIBROSA.get(spec.pad_mode, "constant"),
                  "power": spec.power, "n_mels": mel.n_mels, "fmin": mel.f_min,
                  "fmax": mel.f_max, "htk": _scale(mel.mel_scale), "norm": mel.norm,
                  "normalized": {True: "window", False: False}.get(spec.normalized,
                                                                   spec.normalized)})
    fb = mel.fb.detach().cpu()
    own = torchaudio_fb(s)
    is_own = fb.shape == own.shape and torch.allclose(fb.to(own.dtype), own)
    if grids_agree(s["sr"], s["n_fft"]) and is_own:
        return s
    # librosa's filterbank copied in (what librosa_to_torchaudio does for odd sr or n_fft)
    if fb_gap(fb.numpy().T, librosa_fb(s)) <= FB_MATCH:
        s["librosa_fb"] = True
        return s
    found = _librosa_fb_settings(fb.numpy().T, s, mel)
    if found is not None:
        return found
    if is_own:
        setting = (f"n_fft={s['n_fft']}" if s["n_fft"] % 2 else f"sample_rate={s['sr']:g}")
        gap = fb_gap(own.numpy(), librosa_fb(s).T)
        no(setting, f"{grid_reason(s['sr'], s['n_fft'])}. torchaudio places its FFT bins at "
            "linspace(0, sr // 2, n_fft // 2 + 1) Hz, librosa at k * sr / n_fft, so this "
            f"transform's filterbank differs from librosa's by {gap:.2g} of its maximum and "
            "librosa cannot build it. Replace it with librosa's "
            "(t.mel_scale.fb.copy_(torch.from_numpy(librosa.filters.mel(...).T)), as "
            "librosa_to_torchaudio does), or use an even sample rate and n_fft.")
    no("mel_scale.fb", "the filterbank was changed after the transform was built and is "
        "neither torchaudio's for its settings nor librosa's (librosa.filters.mel with either "
        "mel scale and either norm, for the transform's f_min and f_max or for 0 to sr / 2), "
        "so the settings no longer describe it. Build the transform with the f_min and f_max "
        "of the filterbank you copied in, or build a fresh transform.")


def _librosa_fb_settings(fb, s, mel):
    """Settings whose librosa filterbank is ``fb`` (n_mels, n_bins), or None.

    The course pattern: build a MelSpectrogram, then copy ``librosa.filters.mel(...).T``
    into ``mel_scale.fb``, often with librosa's defaults (Slaney scale, Slaney norm) while
    the transform keeps torchaudio's (HTK, no norm). The transform computes with the
    filterbank, so the translation follows the filterbank.
    """
    ranges = {(s["fmin"], s["fmax"]), (0.0, s["sr"] / 2.0)}
    for htk in (s["htk"], not s["htk"]):
        for norm in (s["norm"], "slaney" if s["norm"] is None else None):
            for fmin, fmax in sorted(ranges):
                candidate = {**s, "htk": htk, "norm": norm, "fmin": fmin, "fmax": fmax}
                if fb_gap(fb, librosa_fb(candidate)) > FB_MATCH:
                    continue
                note = (f"mel_scale.fb holds librosa's filterbank for htk={htk}, "
                        f"norm={norm!r}, fmin={fmin:g} Hz, fmax={fmax:g} Hz, copied in after "
                        f"the transform was built. The transform's own mel_scale="
                        f"{mel.mel_scale!r}, norm={mel.norm!r}, f_min={mel.f_min:g}, "
                        f"f_max={mel.f_max:g} describe the filterbank it was built with, not "
                        "the one it computes with; the translation follows the one it "
                        "computes with.")
                return resolve({**candidate, "fb_note": note})
    return None


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
    s = _from_torchaudio(transform)
    if s["normalized"]:
        no(f"normalized={transform.spectrogram.normalized!r}",
           f"torchaudio divides each frame's STFT by {norm_words(s)}, so the transform is "
           f"librosa's mel spectrogram divided by {divisor_of(s):.8g}; keyword "
           "arguments alone cannot say that. librosa_code(transform) writes the call with "
           "the division, librosa_divisor(transform) gives the constant.")
    return _librosa_kwargs(s)


def _librosa_kwargs(s):
    window, _ = librosa_window(s["window"], s["win_length"])
    return {"sr": s["sr"], "n_fft": s["n_fft"], "hop_length": s["hop_length"],
            "win_length": s["win_length"], "window": window, "center": s["center"],
            "pad_mode": s["pad_mode"], "power": s["power"], "n_mels": s["n_mels"],
            "fmin": s["fmin"], "fmax": s["fmax"], "htk": s["htk"], "norm": s["norm"]}


def librosa_code_of(s):
    _, window_code = librosa_window(s["window"], s["win_length"])
    code = (f"librosa.feature.melspectrogram(y=y, sr={s['sr']!r}, n_fft={s['n_fft']}, "
            f"hop_length={s['hop_length']}, win_length={s['win_length']}, window={window_code}, "
            f"center={s['center']}, pad_mode={s['pad_mode']!r}, power={s['power']!r}, "
            f"n_mels={s['n_mels']}, fmin={s['fmin']!r}, fmax={s['fmax']!r}, htk={s['htk']}, "
            f"norm={s['norm']!r})")
    if not s["normalized"]:
        return code
    # torchaudio divided each frame's STFT by a constant c: the mel spectrogram by c ** power
    if s["normalized"] == "frame_length":
        c2 = f"{s['n_fft']}"
    else:
        _, w = librosa_window(s["window"], s["win_length"], as_array=True)
        c2 = f"np.sum({w} ** 2)"
    if s["power"] == 2.0:
        return f"{code} / {c2}"
    if s["power"] == 1.0:
        return f"{code} / np.sqrt({c2})"
    return f"{code} / {c2} ** {s['power'] / 2!r}"


def norm_words(s):
    """torchaudio's STFT normalisation in words, with its value."""
    if s["normalized"] == "frame_length":
        return f"sqrt(n_fft) = sqrt({s['n_fft']}) = {math.sqrt(s['n_fft']):.6g}"
    energy = float(np.sum(window_values(s["window"], s["win_length"]) ** 2))
    return f"sqrt(sum(window ** 2)) = sqrt({energy:.6g}) = {math.sqrt(energy):.6g}"


def librosa_divisor(x):
    """What librosa's mel spectrogram is divided by to equal a transform with ``normalized``.

    torchaudio's ``normalized=True`` (or ``'window'``) divides each frame's STFT by
    sqrt(sum(window ** 2)); ``'frame_length'`` divides it by sqrt(n_fft). The mel
    spectrogram is linear in ``|X| ** power``, so it is librosa's divided by that
    constant to the power ``power``: ``sum(window ** 2)`` for power 2.

    Parameters
    ----------
    x : torchaudio.transforms.MelSpectrogram, dict or str
        A transform, librosa keyword arguments (always 1.0) or a call as text.

    Returns
    -------
    float
        1.0 when the STFT is not normalised.

    See also
    --------
    librosa_code (writes the division out), torchaudio.functional.spectrogram

    Notebook: 08_porting.ipynb
    """
    return divisor_of(settings_of(x))


def divisor_of(s):
    """librosa_divisor for internal settings."""
    if not s["normalized"]:
        return 1.0
    if s["normalized"] == "frame_length":
        return float(s["n_fft"]) ** (s["power"] / 2)
    energy = float(np.sum(window_values(s["window"], s["win_length"]) ** 2))
    return energy ** (s["power"] / 2)


def librosa_code(x):
    """Python code (one expression, needs ``y``) calling librosa with the settings of ``x``.

    ``x`` is a ``MelSpectrogram`` or a dict of librosa keyword arguments. The code
    runs with ``librosa``, ``numpy as np`` and ``scipy`` imported and ``y`` defined.

    Notebook: 08_porting.ipynb
    """
    return librosa_code_of(settings_of(x))
