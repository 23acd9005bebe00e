"""Every setting of a mel front end in plain words, and what the other library's default costs.

The cost figures come from running librosa on one second of seeded pink noise.

Notebook: 08_porting.ipynb
"""

import math
import warnings

import librosa
import numpy as np

from .._validate import check_number
from ..spectral import frame_count
from .convert import divisor_of, norm_words, settings_of, side_of
from .settings import (LIBROSA_DEFAULTS, PAD_TO_LIBROSA, PAD_TO_TORCH, TORCHAUDIO_DEFAULTS,
                       describe_window, fb_gap, grid_reason, identify_window, librosa_fb,
                       librosa_window, torchaudio_fb)

def _librosa_mel(y, s):
    window, _ = librosa_window(s["window"], s["win_length"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return librosa.feature.melspectrogram(
            y=y, sr=s["sr"], n_fft=s["n_fft"], hop_length=s["hop_length"],
            win_length=s["win_length"], window=window, center=s["center"],
            pad_mode=s["pad_mode"], power=s["power"], n_mels=s["n_mels"], fmin=s["fmin"],
            fmax=s["fmax"], htk=s["htk"], norm=s["norm"])


def _db_change(s, other):
    """Median and largest change in dB (of |X|^2, floored 80 dB below the top) on pink noise."""
    from ..signals import pink_noise
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
    """The value ``name`` takes if the other library's call leaves it out (others kept).

    Read from LIBROSA_DEFAULTS / TORCHAUDIO_DEFAULTS; a default of None is resolved
    the way that library resolves it, from the settings kept.
    """
    if side == "torchaudio":  # the other library is librosa
        value = LIBROSA_DEFAULTS[name]
        none_means = {"win_length": s["n_fft"], "fmax": s["sr"] / 2.0}
        if name == "window":
            return ("scipy", value, True)  # librosa's named windows are periodic
    else:
        d = TORCHAUDIO_DEFAULTS
        value = d[{**_TA_NAME, "window": "window_fn"}.get(name, name)]
        none_means = {"hop_length": s["win_length"] // 2, "win_length": s["n_fft"],
                      "fmax": float(s["sr"] // 2)}
        if name == "window":  # the window values torchaudio would make, named
            return identify_window(value(s["win_length"], **(d["wkwargs"] or {})).numpy())
        if name in ("htk", "pad_mode"):
            return value == "htk" if name == "htk" else PAD_TO_LIBROSA[value]
    return none_means[name] if value is None and name in none_means else value


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
        "window": f"{nm('window')} = {describe_window(s['window'])}: the taper each frame is "
                  f"multiplied by, so its edges fade to zero and the spectrum leaks less.",
        "center": f"center = {s['center']}: " + (
            f"pad n_fft // 2 = {n_fft // 2} samples on each side so frame t is centred on "
            f"sample t * hop_length." if s["center"] else
            "no padding: the first frame starts at sample 0 (fewer frames)."),
        "pad_mode": f"pad_mode = {PAD_TO_TORCH[s['pad_mode']] if ta else s['pad_mode']!r}: "
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
    except (ValueError, TypeError, librosa.util.exceptions.ParameterError):
        # e.g. a default that is invalid together with the other settings
        return "not comparable with these other settings."
    if cost is None:
        return f"changes the output shape (for 1 s) from {shape_a} to {shape_b}."
    if not all(map(math.isfinite, cost)):  # e.g. a default with no frequency range left
        return "not comparable with these other settings."
    if cost[1] < 0.01:
        return "no measurable change (< 0.01 dB)."
    where = " (only the first and last frames)" if name == "pad_mode" else ""
    typical = ("leaves most cells unchanged and changes the others" if cost[0] < 0.01 else
               f"changes the result by {cost[0]:.2g} dB typically and")
    return f"{typical} by up to {cost[1]:.2g} dB{where}, measured on 1 s of pink noise."


def _fb_words(s, side):
    """When and why the filterbank is (or must be) replaced by librosa's, in words."""
    gap = fb_gap(torchaudio_fb(s).numpy(), librosa_fb(s).T)
    reason = grid_reason(s["sr"], s["n_fft"])
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


def _tail_words(s):
    """A warning when librosa's last frame can depart from torch's pad-then-frame, or ''."""
    from ..spectral import librosa_tail_deviates

    n_fft, hop = s["n_fft"], s["hop_length"]
    if not (s["center"] and librosa_tail_deviates(4 * hop, n_fft, hop, True, s["pad_mode"])):
        return ""
    return (f"last frame: with reflect padding, n_fft = {n_fft} and hop_length = {hop}, "
            f"librosa.stft pads the tail on its own and its last frame differs from torch's "
            f"(pad the whole signal, then frame) whenever the clip's length is a multiple of "
            f"{hop} samples (two hops or more). For the same numbers in librosa, pad first and frame without "
            f"centring: y = np.pad(y, {n_fft // 2}, mode='reflect'), then center=False "
            f"(chapter 08).")


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
    side = side_of(x)
    s = settings_of(x)
    other = "torchaudio" if side == "librosa" else "librosa"
    words = _words(s, side)
    title = ("librosa.feature.melspectrogram" if side == "librosa"
             else "torchaudio.transforms.MelSpectrogram")
    out = [f"{title}, setting by setting:"]
    out += [f"  - {w}" for w in words.values()]
    if s["librosa_fb"]:
        out.append(f"  - {_fb_words(s, side)}")
    if s["fb_note"]:
        out.append(f"  - {s['fb_note']}")
    if s["normalized"]:
        mode = "True (or 'window')" if s["normalized"] == "window" else "'frame_length'"
        out.append(f"  - normalized = {mode}: torchaudio divides each frame's STFT "
                   f"by {norm_words(s)}. librosa has no such argument, so the librosa call is "
                   f"followed by a division of its result by that constant to the power "
                   f"power = {s['power']:g}, that is by {divisor_of(s):.8g}.")
    tail = _tail_words(s)
    if tail:
        out.append(f"  - {tail}")
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
        shown = {"window": describe_window(o) if isinstance(o, tuple) else o}.get(name, o)
        if name == "htk":
            mine, theirs = repr("htk" if s["htk"] else "slaney"), repr("htk" if o else "slaney")
            label = "htk / mel_scale" if side == "librosa" else "mel_scale"
        else:
            mine = describe_window(s[name]) if name == "window" else repr(s[name])
            theirs = shown if name == "window" else repr(o)
            label = name if side == "librosa" else _TA_NAME.get(name, name)
        out.append(f"  - {label}: {mine} here, {other} default {theirs}: "
                   f"{_cost_words(s, name, o)}")
    if not n_diff:
        out.append("  (none)")
    if seconds is not None:
        seconds = check_number(seconds, "seconds", low=0, low_open=True, high=1e6)
        n = int(round(seconds * s["sr"]))
        frames = frame_count(n, s["n_fft"], s["hop_length"], s["center"])
        rule = (f"1 + {n} // {s['hop_length']}" if s["center"] and s["n_fft"] % 2 == 0 else
                f"1 + ({n} - 1) // {s['hop_length']}" if s["center"] else
                f"1 + ({n} - {s['n_fft']}) // {s['hop_length']}")
        out.append(f"Output shape for {seconds:g} s ({n} samples): ({s['n_mels']}, {frames})"
                   f" = (n_mels, {rule}).")
    return "\n".join(out)
