"""Conversion both ways: librosa keyword arguments <-> torchaudio transforms, code, the dB step.

Notebook: 08_porting.ipynb
"""

import math
import numbers
import warnings

import numpy as np
import torch
import torchaudio

from .._validate import check_number
from .parse import parse_call
from .settings import (FB_MATCH, LIBROSA_DEFAULTS, PAD_TO_LIBROSA, PAD_TO_TORCH,
                       TORCHAUDIO_DEFAULTS, fb_gap, grid_reason, grids_agree, identify_window,
                       librosa_fb, librosa_window, no, resolve, torch_window, torchaudio_fb)


# --------------------------------------------------------------------------- reading settings
def _from_librosa_kwargs(kwargs):
    kwargs = dict(kwargs)
    for name, why in (("y", "it is the signal, not a setting: call the transform on it"),
                      ("S", "a precomputed spectrogram; translate the settings that made it")):
        if name in kwargs:
            no(name, why + ".")
    unknown = sorted(set(kwargs) - set(LIBROSA_DEFAULTS) - {"dtype"})
    if unknown:
        no(f"unknown argument {unknown[0]!r}", "librosa.feature.melspectrogram does not take "
            f"it (or it does not shape the result); allowed: {', '.join(LIBROSA_DEFAULTS)}.")
    dtype = kwargs.pop("dtype", np.float32)
    if np.dtype(dtype) != np.float32:
        no(f"dtype={dtype!r}", "torchaudio builds its filterbank in float32; use the default "
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
        kw["window"] = identify_window(arr)
    return resolve(kw)



def _torchaudio_from_kwargs(kwargs):
    unknown = sorted(set(kwargs) - set(TORCHAUDIO_DEFAULTS))
    if unknown:
        no(f"unknown argument {unknown[0]!r}", "torchaudio.transforms.MelSpectrogram does not "
            f"take it; allowed: {', '.join(TORCHAUDIO_DEFAULTS)}.")
    if "window_fn" in kwargs and not callable(kwargs["window_fn"]):
        raise TypeError(f"window_fn must be a window function such as torch.hann_window, got "
                        f"{kwargs['window_fn']!r}.")
    if kwargs.get("normalized"):
        no(f"normalized={kwargs['normalized']!r}",
            "torchaudio then divides the STFT by sqrt(sum(window**2)) (or sqrt(n_fft)); "
            "librosa.feature.melspectrogram has no such option. Use normalized=False.")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="At least one mel filterbank")
        return torchaudio.transforms.MelSpectrogram(**kwargs)


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
            "normalized": False, "wkwargs": wkwargs, "center": s["center"],
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
            f"mel_scale={'htk' if s['htk'] else 'slaney'!r})")
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
    if spec.normalized:
        no(f"normalized={spec.normalized!r}",
            "torchaudio then divides the STFT by sqrt(sum(window**2)) (or sqrt(n_fft) for "
            "'frame_length'); librosa.feature.melspectrogram has no such option. Use "
            "normalized=False, or divide librosa's output by that factor to the power `power`.")
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
                  "fmax": mel.f_max, "htk": _scale(mel.mel_scale), "norm": mel.norm})
    fb = mel.fb.detach().cpu()
    own = torchaudio_fb(s)
    is_own = fb.shape == own.shape and torch.allclose(fb.to(own.dtype), own)
    if grids_agree(s["sr"], s["n_fft"]) and is_own:
        return s
    # librosa's filterbank copied in (what librosa_to_torchaudio does for odd sr or n_fft)
    if fb_gap(fb.numpy().T, librosa_fb(s)) <= FB_MATCH:
        s["librosa_fb"] = True
        return s
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
    window, _ = librosa_window(s["window"], s["win_length"])
    return {"sr": s["sr"], "n_fft": s["n_fft"], "hop_length": s["hop_length"],
            "win_length": s["win_length"], "window": window, "center": s["center"],
            "pad_mode": s["pad_mode"], "power": s["power"], "n_mels": s["n_mels"],
            "fmin": s["fmin"], "fmax": s["fmax"], "htk": s["htk"], "norm": s["norm"]}


def librosa_code_of(s):
    _, window_code = librosa_window(s["window"], s["win_length"])
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
    return librosa_code_of(settings_of(x))


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
        no(f"ref={getattr(ref, '__name__', ref)!r}",
            f"torchaudio's AmplitudeToDB has no ref argument (it always uses 1.0). Instead "
            f"use AmplitudeToDB(stype={stype!r}, top_db=...) and {instead}; top_db is "
            "unaffected because it is relative to the maximum.")
    amin = default_amin if amin is None else check_number(amin, "amin", low=0, low_open=True)
    if top_db is not None:
        top_db = check_number(top_db, "top_db", low=0)
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
        no(f"stype={transform.stype!r}", "torchaudio treats every stype other than 'power' "
            "as an amplitude; say 'magnitude' or 'power'.")
    name = "power_to_db" if transform.multiplier == 10.0 else "amplitude_to_db"
    return name, {"ref": float(10.0 ** transform.db_multiplier), "amin": float(transform.amin),
                  "top_db": transform.top_db}


