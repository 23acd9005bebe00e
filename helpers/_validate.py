"""Checks at the boundary of every public function.

Every public function in :mod:`helpers` calls these first, so that bad input
fails early with a message that says what was given and what is allowed,
instead of a traceback from deep inside NumPy.
"""

import numbers

import numpy as np


def check_audio(y, name="y", min_length=1):
    """Return ``y`` as a 1-D floating-point NumPy array, or raise a clear error.

    Parameters
    ----------
    y : array_like
        Audio samples, mono, floating point in roughly [-1, 1].
    name : str
        The argument's name, used in error messages.
    min_length : int
        The smallest number of samples that is allowed.

    Returns
    -------
    numpy.ndarray, shape (n_samples,)
        float32 input stays float32, everything else becomes float64.
    """
    if isinstance(y, (str, bytes)) or y is None:
        raise TypeError(f"{name} must be an array of audio samples, got {type(y).__name__}.")
    if hasattr(y, "detach") and hasattr(y, "numpy"):  # a torch tensor
        y = y.detach().cpu().numpy()
    try:
        arr = np.asarray(y)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of audio samples: {exc}") from None
    if arr.dtype == object:
        raise TypeError(f"{name} must be a numeric array, got an array of Python objects.")
    if arr.dtype == bool:
        raise TypeError(f"{name} must be floating-point audio, got a boolean array.")
    if np.issubdtype(arr.dtype, np.integer):
        info = np.iinfo(arr.dtype)
        scale = -int(info.min) if info.min < 0 else (int(info.max) + 1) // 2
        # unsigned PCM (8-bit WAV) is offset by half its range: silence is 128, not 0
        fix = (f"{name}.astype(np.float32) / {scale}" if info.min < 0 else
               f"({name}.astype(np.float32) - {scale}) / {scale}")
        raise TypeError(
            f"{name} has integer dtype {arr.dtype} (integer PCM). Scale it to float in [-1, 1] "
            f"first, e.g. {name} = {fix}."
        )
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real-valued audio, got complex dtype {arr.dtype}.")
    if not np.issubdtype(arr.dtype, np.floating):
        raise TypeError(f"{name} must be floating-point audio, got dtype {arr.dtype}.")
    if arr.ndim == 0:
        raise ValueError(f"{name} must be a 1-D array of samples, got a scalar.")
    if arr.ndim == 2 and 1 in arr.shape:
        raise ValueError(
            f"{name} must be 1-D (mono), got shape {arr.shape}. Drop the length-1 axis "
            f"with {name}.ravel()."
        )
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D (mono), got shape {arr.shape}. For stereo of shape "
            f"(channels, samples), mix down with {name}.mean(axis=0)."
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty: it needs at least {min_length} sample(s).")
    if arr.size < min_length:
        raise ValueError(f"{name} is too short: {arr.size} sample(s), at least {min_length} needed.")
    if not np.all(np.isfinite(arr)):
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise ValueError(
            f"{name} must contain only finite values, found {n_nan} NaN and {n_inf} inf. "
            f"Find them with np.flatnonzero(~np.isfinite({name}))."
        )
    if arr.dtype != np.float32 and arr.dtype != np.float64:
        arr = arr.astype(np.float64)
    return arr


def check_int(value, name, low=None, high=None):
    """Return ``value`` as an ``int`` within [low, high], or raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be an integer, got {value!r}.")
    value = int(value)
    _check_bounds(value, name, low, high)
    return value


def check_number(value, name, low=None, high=None, low_open=False):
    """Return ``value`` as a finite ``float`` within the bounds, or raise a clear error.

    ``low_open=True`` excludes ``low`` itself (strictly greater than ``low``).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}.")
    if low_open and low is not None and value <= low:
        raise ValueError(f"{name} must be greater than {low}, got {value:g}.")
    _check_bounds(value, name, low, high)
    return value


def check_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices``, or raise a clear error."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name}={value!r} is not supported; allowed: {allowed}.")
    return value


def _check_bounds(value, name, low, high):
    if low is not None and value < low:
        if high is not None:
            raise ValueError(f"{name} must be between {low} and {high}, got {value:g}.")
        raise ValueError(f"{name} must be at least {low}, got {value:g}.")
    if high is not None and value > high:
        if low is not None:
            raise ValueError(f"{name} must be between {low} and {high}, got {value:g}.")
        raise ValueError(f"{name} must be at most {high}, got {value:g}.")
