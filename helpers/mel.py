"""The mel scale, mel filterbanks and the mel spectrogram.

Notebook: 03_mel.ipynb explains everything in this module.
"""

import collections
import warnings

import numpy as np

from ._validate import check_bool, check_choice, check_frequencies, check_int, check_number
from .spectral import check_stft_args, fft_frequencies, stft_frames

# Slaney's scale (the Auditory Toolbox, librosa's default): linear below 1 kHz,
# logarithmic above, joined so that 1000 Hz is 15 mel.
_F_SP = 200.0 / 3          # Hz per mel in the linear part
_MIN_LOG_HZ = 1000.0       # where the log part starts
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOGSTEP = np.log(6.4) / 27.0


def _check_htk(htk):
    return check_bool(htk, "htk", "True (HTK formula) or False (Slaney)")


def hz_to_mel(frequencies, htk=False):
    """Convert frequencies in Hz to mel.

    HTK: ``m = 2595 * log10(1 + f / 700)``. Slaney (``htk=False``): ``m = f / (200/3)``
    below 1000 Hz, ``15 + log(f / 1000) / (log(6.4) / 27)`` above.

    Parameters
    ----------
    frequencies : float or array_like
        Frequencies in Hz, non-negative.
    htk : bool
        True for the HTK formula (torchaudio's default), False for Slaney's (librosa's default).

    Returns
    -------
    float or numpy.ndarray
        Mel values, same shape as ``frequencies``.

    See also
    --------
    librosa.hz_to_mel, torchaudio.functional.melscale_fbanks

    Notebook: 03_mel.ipynb
    """
    f = check_frequencies(frequencies, "frequencies")
    if _check_htk(htk):
        mels = 2595.0 * np.log10(1.0 + f / 700.0)
    else:
        with np.errstate(divide="ignore"):
            log_part = _MIN_LOG_MEL + np.log(np.maximum(f, _MIN_LOG_HZ) / _MIN_LOG_HZ) / _LOGSTEP
        mels = np.where(f >= _MIN_LOG_HZ, log_part, f / _F_SP)
    return mels if mels.ndim else float(mels)


def mel_to_hz(mels, htk=False):
    """Convert mel values to frequencies in Hz (the inverse of :func:`hz_to_mel`).

    See also
    --------
    librosa.mel_to_hz

    Notebook: 03_mel.ipynb
    """
    m = check_frequencies(mels, "mels")
    if _check_htk(htk):
        f = 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    else:
        f = np.where(m >= _MIN_LOG_MEL, _MIN_LOG_HZ * np.exp(_LOGSTEP * (m - _MIN_LOG_MEL)),
                     _F_SP * m)
    return f if f.ndim else float(f)


def mel_frequencies(n_mels=128, fmin=0.0, fmax=11025.0, htk=False):
    """``n_mels`` frequencies in Hz, equally spaced on the mel scale from fmin to fmax.

    Returns
    -------
    numpy.ndarray, shape (n_mels,)

    See also
    --------
    librosa.mel_frequencies

    Notebook: 03_mel.ipynb
    """
    n_mels = check_int(n_mels, "n_mels", low=1)
    fmin = check_number(fmin, "fmin", low=0)
    fmax = check_number(fmax, "fmax", low=0)
    if fmin > fmax:
        raise ValueError(f"fmin={fmin:g} Hz must not exceed fmax={fmax:g} Hz.")
    mels = np.linspace(hz_to_mel(fmin, htk=htk), hz_to_mel(fmax, htk=htk), n_mels)
    return np.atleast_1d(mel_to_hz(mels, htk=htk))


def check_mel_args(sr, n_fft, n_mels, fmin, fmax, htk, norm):
    """Validate the filterbank's arguments; return them with fmax resolved (None -> sr / 2)."""
    sr = check_number(sr, "sr", low=0, low_open=True)
    n_fft = check_int(n_fft, "n_fft", low=2)
    n_mels = check_int(n_mels, "n_mels", low=1)
    nyquist = sr / 2
    fmax = nyquist if fmax is None else check_number(fmax, "fmax", low=0)
    if fmax > nyquist:
        raise ValueError(f"fmax={fmax:g} Hz is above the Nyquist frequency sr/2 = {nyquist:g} Hz; "
                         f"allowed: 0 < fmax <= {nyquist:g}.")
    fmin = check_number(fmin, "fmin", low=0)
    if fmin >= fmax:
        raise ValueError(f"fmin={fmin:g} Hz must be below fmax={fmax:g} Hz.")
    _check_htk(htk)
    check_choice(norm, "norm", ("slaney", None))
    return sr, n_fft, n_mels, fmin, fmax, bool(htk), norm


def mel_filterbank(sr, n_fft, n_mels=128, fmin=0.0, fmax=None, htk=False, norm="slaney"):
    """The mel filterbank: a matrix of triangular filters over the STFT bins.

    Filter ``i`` rises linearly from mel point ``i`` to a peak at point ``i + 1``
    and falls back to zero at point ``i + 2``, where the ``n_mels + 2`` points are
    :func:`mel_frequencies` between fmin and fmax.

    Parameters
    ----------
    sr : float
        Sampling rate in Hz.
    n_fft : int
        FFT size; the filters have ``1 + n_fft // 2`` weights.
    n_mels : int
        Number of filters, at least 1.
    fmin, fmax : float
        Lowest and highest frequency in Hz; fmax None means sr / 2.
    htk : bool
        Mel formula: HTK (True) or Slaney (False, librosa's default).
    norm : {'slaney', None}
        'slaney' divides each filter by its width in Hz / 2 (equal area);
        None leaves every peak at 1 (torchaudio's default).

    Returns
    -------
    numpy.ndarray, shape (n_mels, 1 + n_fft // 2), float64, read-only
        Cached: the same arguments return the same array without recomputing.
        The cache holds at most ``CACHE_BYTES`` (64 MiB) of filterbanks, the least
        recently used go first; a larger filterbank is computed and not kept.

    Warns
    -----
    UserWarning
        When some filters are empty (no FFT bin falls inside them): too many
        mels for this n_fft; the message says how many.

    See also
    --------
    librosa.filters.mel, torchaudio.functional.melscale_fbanks

    Notebook: 03_mel.ipynb
    """
    args = check_mel_args(sr, n_fft, n_mels, fmin, fmax, htk, norm)
    weights = _mel_filterbank_cached(*args)
    n_empty = empty_filter_count(weights)
    if n_empty:
        warnings.warn(
            f"{n_empty} of {args[2]} mel filters are empty (all zero): no FFT bin falls inside "
            f"them. Use fewer mels (n_mels), a larger n_fft, or a higher fmax.",
            UserWarning, stacklevel=2)
    return weights


def empty_filter_count(weights):
    """How many rows of a filterbank are all zero (filters that no FFT bin reaches).

    Notebook: 03_mel.ipynb
    """
    w = None if weights is None or isinstance(weights, (str, bytes)) else np.asarray(weights)
    if w is None or not np.issubdtype(w.dtype, np.number):
        raise TypeError("weights must be a filterbank: a 2-D numeric array of shape "
                        f"(n_mels, 1 + n_fft // 2), got {type(weights).__name__}.")
    if w.ndim != 2 or 0 in w.shape:
        raise ValueError("weights must be a filterbank: a non-empty 2-D array of shape "
                         f"(n_mels, 1 + n_fft // 2), got shape {w.shape}.")
    return int(np.sum(np.max(w, axis=1) <= 0))


def harmonics_resolved(f0, sr, n_mels=128, fmin=0.0, fmax=None, htk=False):
    """Which mel bands resolve neighbouring harmonics spaced ``f0`` apart.

    The one criterion the chapters use: band ``i`` resolves harmonics ``f0`` apart
    when its triangle, from its lower edge to its upper edge, is narrower than
    ``f0``::

        f[i + 2] - f[i] < f0,   f = mel_frequencies(n_mels + 2, fmin, fmax, htk)

    Why this width: (1) such a triangle never holds two neighbouring harmonics at
    once, so a band centred on a harmonic reads that harmonic alone; (2) the full
    width is two centre spacings, so the band centres are about ``f0 / 2`` apart
    or closer there (their average spacing is below ``f0 / 2``): about two bands
    or more per harmonic spacing, what a ripple of period
    ``f0`` along the band axis needs to be sampled without aliasing (one band on a
    harmonic, one between). A looser test, centre spacing below ``f0``, lets the
    band values still change with the harmonics, but with fewer than two bands per
    spacing that change is aliased: the peaks are not where the harmonics are
    (07_listen.ipynb measures it on an inverted mel spectrogram).

    This is about the filterbank alone: the STFT under it must resolve the
    harmonics too (a Hann window's main lobe is ``4 * sr / n_fft`` Hz wide).

    Parameters
    ----------
    f0 : float
        Spacing of the harmonics in Hz (the fundamental frequency), > 0.
    sr : float
        Sampling rate in Hz; ``fmax`` None means ``sr / 2``.
    n_mels : int
        Number of mel bands, at least 1.
    fmin, fmax : float
        Lowest and highest frequency of the filterbank in Hz, as in
        :func:`mel_filterbank`.
    htk : bool
        Mel formula: HTK (True) or Slaney (False, librosa's default).

    Returns
    -------
    numpy.ndarray of bool, shape (n_mels,)
        True for the bands whose triangle is narrower than ``f0``. The mel bands
        widen with frequency, so the True entries come first; the centre of the
        last True band, ``mel_frequencies(n_mels + 2, ...)[1:-1][resolved].max()``,
        is the frequency above which neighbouring harmonics merge.

    See also
    --------
    librosa.mel_frequencies : the band edges and centres this compares.

    Notebook: 03_mel.ipynb (the criterion), 07_listen.ipynb (heard and measured)
    """
    f0 = check_number(f0, "f0", low=0, low_open=True)
    sr = check_number(sr, "sr", low=0, low_open=True)
    n_mels = check_int(n_mels, "n_mels", low=1)
    nyquist = sr / 2
    fmax = nyquist if fmax is None else check_number(fmax, "fmax", low=0, high=nyquist)
    fmin = check_number(fmin, "fmin", low=0)
    if fmin >= fmax:
        raise ValueError(f"fmin={fmin:g} Hz must be below fmax={fmax:g} Hz.")
    points = mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax, htk=_check_htk(htk))
    return (points[2:] - points[:-2]) < f0


# Filterbanks already computed, keyed by every (validated) argument, least recently used
# first; bounded in bytes, not entries: one filterbank for n_fft = 2**18 is 134 MB.
CACHE_BYTES = 64 * 2 ** 20
_CACHE = collections.OrderedDict()


def _mel_filterbank_cached(*args):
    weights = _CACHE.get(args)
    if weights is not None:
        _CACHE.move_to_end(args)
        return weights
    weights = _mel_filterbank_compute(*args)
    if weights.nbytes <= CACHE_BYTES:
        _CACHE[args] = weights
        held = sum(w.nbytes for w in _CACHE.values())
        while held > CACHE_BYTES:
            held -= _CACHE.popitem(last=False)[1].nbytes
    return weights


def clear_cache():
    """Forget the filterbanks :func:`mel_filterbank` keeps (to time it, or to free memory)."""
    _CACHE.clear()


def _mel_filterbank_compute(sr, n_fft, n_mels, fmin, fmax, htk, norm):
    fftfreqs = fft_frequencies(sr=sr, n_fft=n_fft)
    mel_f = mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax, htk=htk)
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fftfreqs[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = -ramps[:-2] / fdiff[:-1, None]
        upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights = np.nan_to_num(weights, nan=0.0, posinf=0.0, neginf=0.0)
    if norm == "slaney":
        weights *= (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]
    weights.setflags(write=False)
    return weights


def melspectrogram(y, sr=22050, n_fft=2048, hop_length=512, win_length=None, window="hann",
                   center=True, pad_mode="constant", power=2.0, n_mels=128, fmin=0.0,
                   fmax=None, htk=False, norm="slaney"):
    """Mel spectrogram: the mel filterbank applied to ``|STFT|**power``.

    ``S = mel_filterbank(...) @ np.abs(stft(y, ...)) ** power``. The defaults are
    librosa's (``librosa.feature.melspectrogram``).

    Parameters
    ----------
    y : numpy.ndarray, shape (n_samples,)
        Mono floating-point audio.
    sr : float
        Sampling rate in Hz.
    n_fft, hop_length, win_length, window, center, pad_mode
        As in :func:`helpers.stft`.
    power : float
        Exponent of the magnitude: 2 for power (librosa's and torchaudio's
        default), 1 for amplitude (the DCASE baseline).
    n_mels, fmin, fmax, htk, norm
        As in :func:`mel_filterbank`.

    Returns
    -------
    numpy.ndarray, shape (n_mels, n_frames)
        float32 for float32 input, float64 otherwise.

    See also
    --------
    librosa.feature.melspectrogram, torchaudio.transforms.MelSpectrogram

    Notebook: 00_start_here.ipynb, 03_mel.ipynb
    """
    check_stft_args(n_fft, hop_length, win_length, window, center, pad_mode)
    power = check_number(power, "power", low=0, low_open=True)
    fb = mel_filterbank(sr, n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm)
    X = stft_frames(y, n_fft, hop_length, win_length, window, center, pad_mode)
    if power == 2.0:
        S = X.real ** 2 + X.imag ** 2
    elif power == 1.0:
        S = np.abs(X)
    else:
        S = np.abs(X) ** power
    return (S @ fb.T.astype(S.dtype, copy=False)).T  # (frames, bins) @ (bins, mels)
