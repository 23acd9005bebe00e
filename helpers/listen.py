"""Listening to a mel spectrogram: invert it, resynthesise it, and measure what was lost.

librosa already inverts mel spectrograms (``librosa.feature.inverse.mel_to_stft``)
and recovers a phase (``librosa.griffinlim``). This module only adds what the
chapter needs around them:

- two distances between magnitude spectrograms (log-spectral distance in dB and
  spectral convergence), so "it sounds worse" becomes a number;
- :func:`mel_roundtrip`, which ties one set of mel settings to its inverse
  (audio -> mel -> linear spectrogram -> audio), seeded, so the same call
  always gives the same samples;
- :func:`distance_vs_mels`, the distance for a grid of ``n_mels`` and ``fmax``;
- :func:`players` (from :mod:`helpers.players`), labelled audio players side by side;
- :func:`reconstruction_explorer` (from :mod:`helpers.widgets`), sliders for
  ``n_mels`` and ``fmax`` with a player of the reconstruction.

Reproducibility: with ``power=1`` (the default here, and the DCASE baseline's
amplitude mel) a round trip gave bit-identical samples with every BLAS kernel
and thread count we tried (OpenBLAS Haswell, SkylakeX and Sandybridge kernels,
numpy without AVX-512, one or two threads). With ``power=2`` it is identical
run to run on one machine, but the final square root lets the last digits of
another CPU's arithmetic show up in the samples.

librosa is imported inside the functions: ``import helpers`` stays fast.

Notebook: 07_listen.ipynb explains everything in this module.
"""

import collections
import contextlib
import hashlib
import inspect

import numpy as np

from ._validate import (check_audio, check_choice, check_int, check_number,
                        check_spectrogram_pair)
from .mel import check_mel_args, melspectrogram
from .players import players
from .spectral import check_stft_args, get_window, stft, window_name

__all__ = ["log_spectral_distance", "spectral_convergence", "stft_distance", "mel_roundtrip",
           "distance_vs_mels", "players", "reconstruction_explorer", "clear_cache",
           "METRICS"]

METRICS = ("lsd", "sc")
# helpers.stft's pad modes that librosa.griffinlim can use too ('wrap' it cannot)
ROUNDTRIP_PAD_MODES = ("constant", "reflect", "edge", "symmetric")


def log_spectral_distance(S_ref, S_est, top_db=80.0):
    r"""Log-spectral distance in dB between two magnitude spectrograms.

    For each frame :math:`t`, the root mean square over frequency bins :math:`k`
    of the level difference in dB, then the mean over frames:

    .. math::

        \mathrm{LSD} = \frac{1}{T} \sum_t \sqrt{\frac{1}{K} \sum_k
        \left(20 \log_{10} \frac{\max(|S_\mathrm{ref}[k, t]|, a)}
        {\max(|S_\mathrm{est}[k, t]|, a)}\right)^2}

    with the floor :math:`a` set ``top_db`` below the larger of the two maxima,
    so that silent bins (where the level in dB is meaningless) count as equal
    once both are below it. The floor depends on both inputs in the same way,
    so the distance is symmetric. 0 dB means identical levels. It is a yardstick
    for comparing settings with each other, not a measure of audibility: no
    listening test ties a number of dB here to what people hear (chapter 07).

    Parameters
    ----------
    S_ref, S_est : numpy.ndarray, shape (n_bins, n_frames) or (n_bins,)
        Magnitude spectrograms (``|STFT|``, not power, not dB), same shape.
    top_db : float
        Dynamic range taken into account, in dB (> 0).

    Returns
    -------
    float
        The distance in dB (>= 0). 0 when both are all zeros.

    See also
    --------
    spectral_convergence, stft_distance

    Notebook: 07_listen.ipynb
    """
    A, B = check_spectrogram_pair(S_ref, S_est)
    top_db = check_number(top_db, "top_db", low=0, low_open=True)
    peak = max(A.max(), B.max())
    if peak == 0:
        return 0.0
    floor = peak * 10.0 ** (-top_db / 20.0)
    diff = 20.0 * np.log10(np.maximum(A, floor) / np.maximum(B, floor))
    return float(np.mean(np.sqrt(np.mean(diff ** 2, axis=0))))


def spectral_convergence(S_ref, S_est):
    r"""Spectral convergence: the relative error of the magnitudes, :math:`\|S_\mathrm{ref} -
    S_\mathrm{est}\|_F / \|S_\mathrm{ref}\|_F`.

    Dominated by the loud parts (it is linear, not in dB): 0 is a perfect
    match, 1 is as far off as predicting silence. Not symmetric: the
    reference's energy is the yardstick.

    Parameters
    ----------
    S_ref : numpy.ndarray, shape (n_bins, n_frames) or (n_bins,)
        Reference magnitudes (not all zero).
    S_est : numpy.ndarray, same shape
        Estimated magnitudes.

    Returns
    -------
    float
        The ratio (>= 0, no unit).

    See also
    --------
    log_spectral_distance

    Notebook: 07_listen.ipynb
    """
    A, B = check_spectrogram_pair(S_ref, S_est)
    norm = np.linalg.norm(A)
    if norm == 0:
        raise ValueError("S_ref is all zeros: spectral convergence divides by its energy; "
                         "use log_spectral_distance for silent references.")
    return float(np.linalg.norm(A - B) / norm)


def stft_distance(y_ref, y_est, n_fft=1024, hop_length=256, window="hann", metric="lsd",
                  top_db=80.0):
    """Distance between two sounds, compared by their STFT magnitudes (the phase is ignored).

    Parameters
    ----------
    y_ref, y_est : numpy.ndarray, shape (n_samples,)
        The original and the reconstruction, same length, same sampling rate.
    n_fft, hop_length, window
        The STFT used for the comparison (as in :func:`helpers.stft`).
    metric : {'lsd', 'sc'}
        :func:`log_spectral_distance` (dB) or :func:`spectral_convergence`.
    top_db : float
        Dynamic range of the log-spectral distance, in dB.

    Returns
    -------
    float

    Notebook: 07_listen.ipynb
    """
    y_ref = check_audio(y_ref, "y_ref")
    y_est = check_audio(y_est, "y_est")
    if len(y_ref) != len(y_est):
        raise ValueError(f"y_ref and y_est must have the same length, got {len(y_ref)} and "
                         f"{len(y_est)} samples. Pass length=len(y) to the inverse.")
    check_choice(metric, "metric", METRICS)
    A = np.abs(stft(y_ref, n_fft=n_fft, hop_length=hop_length, window=window))
    B = np.abs(stft(y_est, n_fft=n_fft, hop_length=hop_length, window=window))
    if metric == "sc":
        return spectral_convergence(A, B)
    return log_spectral_distance(A, B, top_db=top_db)


@contextlib.contextmanager
def _one_blas_thread():
    """Run BLAS on one thread: librosa's NNLS (L-BFGS) then gives the same bits on any machine
    core count (with several threads the sums are split differently and the last digits change,
    which Griffin-Lim then carries into the samples)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with librosa's scikit-learn
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def mel_roundtrip(y, sr=16000, n_mels=128, fmin=0.0, fmax=None, n_fft=1024, hop_length=256,
                  window="hann", center=True, pad_mode="constant", power=1.0, htk=False,
                  norm="slaney", clamp_db=None, amin=1e-5, n_iter=32, seed=0):
    """Audio -> mel spectrogram -> linear spectrogram -> audio, with the same settings both ways.

    1. ``M = helpers.melspectrogram(y, ...)`` (the forward mel);
    2. optionally, ``M`` is taken to dB (``amplitude_to_db`` of ``M ** (1 / power)``
       with ``ref=1`` and ``amin``), clipped to ``clamp_db``, and taken back: what a
       clamp such as the DCASE baseline's ``clamp(min=-50, max=80)`` removes;
    3. ``librosa.feature.inverse.mel_to_stft``: the non-negative least-squares
       linear spectrogram whose mel spectrogram is ``M``;
    4. ``librosa.griffinlim`` with ``n_iter`` iterations from a random phase
       seeded by ``seed``: the same arguments always give the same samples.

    Parameters
    ----------
    y : numpy.ndarray, shape (n_samples,)
        Mono audio. Keep it short (a few seconds): step 3 is an iterative solver.
    sr : float
        Sampling rate in Hz.
    n_mels, fmin, fmax, htk, norm
        The mel filterbank, as in :func:`helpers.mel_filterbank` (fmax None: sr / 2).
    n_fft, hop_length, window, center
        The STFT, as in :func:`helpers.stft`; Griffin-Lim uses the same.
    pad_mode : {'constant', 'reflect', 'edge', 'symmetric'}
        As in :func:`helpers.stft`, without 'wrap' (``librosa.griffinlim`` cannot pad so).
    power : float
        Exponent of the magnitude in the mel spectrogram: 1 (amplitude mel, like the
        DCASE baseline; the default here) or 2 (power mel, librosa's default). The
        amplitude mel inverts better: going back from power needs a square root,
        which turns the rounding differences of near-zero bins into visible ones,
        so a power-mel round trip is reproducible on one machine but its samples
        can differ slightly between machines (other BLAS kernels).
    clamp_db : (float, float) or None
        ``(low, high)`` in dB to clip the log-mel to before inverting; None: no clamp.
    amin : float
        Amplitude floor of the dB conversion (only used with ``clamp_db``).
    n_iter : int
        Griffin-Lim iterations (32, librosa's default, is enough to hear the result).
    seed : int
        Seed of Griffin-Lim's initial random phase.

    Returns
    -------
    numpy.ndarray, shape (n_samples,), float64
        The reconstruction, as long as ``y``. The last 64 results are remembered
        (keyed by the samples of ``y`` and every argument), so asking again is
        instant; :func:`clear_cache` forgets them.

    See also
    --------
    librosa.feature.inverse.mel_to_audio (the same without a seed or a clamp),
    torchaudio.transforms.InverseMelScale, torchaudio.transforms.GriffinLim

    Notebook: 07_listen.ipynb
    """
    import librosa

    y = check_audio(y, "y")
    if pad_mode not in ROUNDTRIP_PAD_MODES:
        raise ValueError(f"pad_mode={pad_mode!r} is not supported by mel_roundtrip "
                         f"(the inverse, librosa.griffinlim, cannot pad that way); allowed: "
                         f"{', '.join(repr(m) for m in ROUNDTRIP_PAD_MODES)}.")
    n_fft, hop_length, _ = check_stft_args(n_fft, hop_length, None, window, center, pad_mode)
    sr, n_fft, n_mels, fmin, fmax, htk, norm = check_mel_args(sr, n_fft, n_mels, fmin, fmax,
                                                              htk, norm)
    power = check_number(power, "power", low=0, low_open=True)
    clamp_db = None if clamp_db is None else _check_clamp(clamp_db)
    amin = check_number(amin, "amin", low=0, low_open=True)
    n_iter = check_int(n_iter, "n_iter", low=1, high=1000)
    seed = check_int(seed, "seed", low=0)
    y = y.astype(np.float64)
    # a name librosa knows ('hanning' -> 'hann'), or the array, checked like helpers.stft's
    win = window_name(window) if isinstance(window, str) else get_window(window, n_fft)
    key = (hashlib.sha1(y.tobytes()).hexdigest(), len(y), sr, n_mels, fmin, fmax, n_fft,
           hop_length, win if isinstance(win, str) else win.tobytes(), center, pad_mode, power,
           htk, norm, clamp_db, amin, n_iter, seed)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key].copy()
    with _one_blas_thread():  # also the forward mel: small products are faster on one thread
        M = melspectrogram(y, sr=sr, n_fft=n_fft, hop_length=hop_length, window=win,
                           center=center, pad_mode=pad_mode, power=power, n_mels=n_mels,
                           fmin=fmin, fmax=fmax, htk=htk, norm=norm)
        if clamp_db is not None:
            M = _clamp(M, power, clamp_db, amin)
        S = librosa.feature.inverse.mel_to_stft(M, sr=sr, n_fft=n_fft, power=power, fmin=fmin,
                                                fmax=fmax, htk=htk, norm=norm)
        y_hat = librosa.griffinlim(S, n_iter=n_iter, hop_length=hop_length, n_fft=n_fft,
                                   window=win, center=center, pad_mode=pad_mode, length=len(y),
                                   init="random", **griffinlim_seed(seed))
    _CACHE[key] = y_hat.copy()
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return y_hat


def griffinlim_seed(seed):
    """The keyword that seeds ``librosa.griffinlim`` identically in librosa 0.11 and 1.x.

    librosa 1.0 renamed ``random_state`` to ``rng`` and turns an integer into
    ``numpy.random.default_rng(seed)``, where 0.11 made ``numpy.random.RandomState(seed)``: a
    different random start. Passing a ``RandomState`` object gives the same start in both.

    Returns
    -------
    dict
        ``{"rng": RandomState(seed)}`` or ``{"random_state": RandomState(seed)}``.

    Notebook: 07_listen.ipynb
    """
    import librosa

    name = "rng" if "rng" in inspect.signature(librosa.griffinlim).parameters else "random_state"
    return {name: np.random.RandomState(seed)}


# Round trips already computed, keyed by the audio's content and every argument (a notebook
# asks for the same settings in its players, its figure and its explorer).
_CACHE = collections.OrderedDict()
_CACHE_SIZE = 64


def clear_cache():
    """Forget the round trips :func:`mel_roundtrip` remembers (to time it, or to test that a
    recomputation gives the same samples)."""
    _CACHE.clear()


def _check_clamp(clamp_db):
    """``clamp_db`` as a pair of floats (low, high) in dB, low < high, or a clear error."""
    try:
        low, high = (float(v) for v in clamp_db)
    except (TypeError, ValueError):
        raise TypeError(f"clamp_db must be None or a pair (low, high) in dB, got "
                        f"{clamp_db!r}.") from None
    low = check_number(low, "clamp_db[0]")
    high = check_number(high, "clamp_db[1]")
    if low >= high:
        raise ValueError(f"clamp_db=({low:g}, {high:g}): low must be below high.")
    return low, high


def _clamp(M, power, clamp_db, amin):
    from .db import amplitude_to_db

    low, high = clamp_db
    db = np.clip(amplitude_to_db(M ** (1.0 / power), ref=1.0, amin=amin, top_db=None), low, high)
    return (10.0 ** (db / 20.0)) ** power


def distance_vs_mels(y, sr=16000, n_mels=(16, 32, 64, 128), fmax=(None,), metric="lsd",
                     **kwargs):
    """The distance between ``y`` and its mel round trip, for every ``n_mels`` and ``fmax``.

    Parameters
    ----------
    y : numpy.ndarray, shape (n_samples,)
        Mono audio, short (each grid point runs :func:`mel_roundtrip`).
    sr : float
        Sampling rate in Hz.
    n_mels : sequence of int
        Numbers of mel bands to try.
    fmax : sequence of float or None
        Upper edges of the filterbank to try, in Hz (None: sr / 2).
    metric : {'lsd', 'sc'} or tuple of them
        Log-spectral distance in dB or spectral convergence (see :func:`stft_distance`),
        measured with the round trip's own ``n_fft``, ``hop_length`` and ``window``.
        A tuple such as ``('lsd', 'sc')`` measures each reconstruction both ways.
    **kwargs
        Passed to :func:`mel_roundtrip` (``n_fft``, ``hop_length``, ``n_iter``, ``seed``, ...).

    Returns
    -------
    numpy.ndarray, shape (len(fmax), len(n_mels)), float64
        ``D[i, j]`` is the distance for ``fmax[i]`` and ``n_mels[j]``; with a tuple
        of metrics, shape (len(metric), len(fmax), len(n_mels)).

    Notebook: 07_listen.ipynb
    """
    y = check_audio(y, "y")
    metrics = tuple(metric) if isinstance(metric, (list, tuple)) else (metric,)
    if not metrics:
        raise ValueError(f"metric must name at least one of {METRICS}.")
    for m in metrics:
        check_choice(m, "metric", METRICS)
    n_mels = [check_int(n, "n_mels", low=1) for n in np.atleast_1d(n_mels)]
    fmax = [None if f is None else check_number(f, "fmax", low=0, low_open=True)
            for f in (fmax if isinstance(fmax, (list, tuple, np.ndarray)) else [fmax])]
    if not n_mels or not fmax:
        raise ValueError("n_mels and fmax must each hold at least one value.")
    stft_kwargs = {k: kwargs[k] for k in ("n_fft", "hop_length", "window") if k in kwargs}
    stft_kwargs.setdefault("n_fft", 1024)
    stft_kwargs.setdefault("hop_length", 256)
    A = np.abs(stft(y, **stft_kwargs))  # the reference, computed once for the whole grid
    out = np.empty((len(metrics), len(fmax), len(n_mels)))
    for i, f in enumerate(fmax):
        for j, n in enumerate(n_mels):
            y_hat = mel_roundtrip(y, sr=sr, n_mels=n, fmax=f, **kwargs)
            B = np.abs(stft(y_hat, **stft_kwargs))
            for k, m in enumerate(metrics):  # as stft_distance(y, y_hat, metric=m)
                out[k, i, j] = (spectral_convergence(A, B) if m == "sc"
                                else log_spectral_distance(A, B))
    return out if isinstance(metric, (list, tuple)) else out[0]


def reconstruction_explorer(y=None, sr=16000, n_mels=40, fmax=None, sound="vowel 'a'"):
    """Chapter 07's explorer: :func:`helpers.widgets.reconstruction_explorer` (the same call).

    Sliders for ``n_mels`` and ``fmax``, the original and reconstructed spectrograms and
    their players; each change runs :func:`mel_roundtrip`. It lives with the other
    explorers in :mod:`helpers.widgets` (ipywidgets loads only when it is called).

    Notebook: 07_listen.ipynb
    """
    from .widgets import reconstruction_explorer as explorer

    return explorer(y=y, sr=sr, n_mels=n_mels, fmax=fmax, sound=sound)
