"""Decibels: power_to_db and amplitude_to_db.

Notebook: 04_decibels.ipynb explains everything in this module.
"""

import numpy as np

from ._validate import check_number, check_spectrogram


def _reference(ref, magnitude):
    if callable(ref):
        return float(ref(magnitude))
    return abs(check_number(ref, "ref"))


def power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0):
    """Convert a power spectrogram to decibels: ``10 * log10(max(S, amin) / ref)``.

    Parameters
    ----------
    S : numpy.ndarray
        Power values (``|X|**2``), non-negative.
    ref : float or callable
        The value that becomes 0 dB; a callable such as ``np.max`` is applied to ``S``.
    amin : float
        Smallest value taken into account (> 0): ``1e-10`` is a floor at -100 dB
        and keeps ``log10(0)`` away.
    top_db : float or None
        If given, values more than ``top_db`` dB below the maximum are raised to
        ``max - top_db``. None disables the floor.

    Returns
    -------
    numpy.ndarray, same shape as ``S``
        Decibels (dB). ``top_db`` is taken over the whole array, as in librosa 0.11.
        float32 for float32 or float16 input (float16 cannot hold the 1e-10 floor:
        it is computed in float32), float64 otherwise.

    See also
    --------
    librosa.power_to_db, torchaudio.transforms.AmplitudeToDB(stype="power")

    Notebook: 04_decibels.ipynb
    """
    S = check_spectrogram(S)
    amin = check_number(amin, "amin", low=0, low_open=True)
    ref_value = _reference(ref, S)
    log_spec = 10.0 * np.log10(np.maximum(amin, S))
    log_spec -= 10.0 * np.log10(np.maximum(amin, ref_value))
    if top_db is not None:
        top_db = check_number(top_db, "top_db", low=0)
        log_spec = np.maximum(log_spec, log_spec.max() - top_db)
    return log_spec


def amplitude_to_db(S, ref=1.0, amin=1e-5, top_db=80.0):
    """Convert an amplitude (magnitude) spectrogram to decibels: ``20 * log10(max(S, amin) / ref)``.

    Same as ``power_to_db(S**2, ref=ref**2, amin=amin**2, top_db=top_db)``:
    squaring an amplitude gives a power, and 20 log10 of an amplitude is
    10 log10 of its power.

    Parameters
    ----------
    S : numpy.ndarray
        Magnitudes (``|X|``), non-negative.
    ref : float or callable
        The amplitude that becomes 0 dB; a callable such as ``np.max`` is applied to ``S``.
    amin : float
        Smallest amplitude taken into account (> 0); ``1e-5`` is -100 dB.
    top_db : float or None
        Floor relative to the maximum, in dB; None disables it.

    Returns
    -------
    numpy.ndarray, same shape as ``S``
        float32 for float32 or float16 input (computed in float32: the square of a
        float16 amplitude above 256 would overflow), float64 otherwise.

    See also
    --------
    librosa.amplitude_to_db, torchaudio.transforms.AmplitudeToDB(stype="magnitude")

    Notebook: 04_decibels.ipynb
    """
    S = check_spectrogram(S)
    amin = check_number(amin, "amin", low=0, low_open=True)
    ref_value = _reference(ref, S)
    return power_to_db(np.square(S), ref=ref_value ** 2, amin=amin ** 2, top_db=top_db)
