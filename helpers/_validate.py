"""Checks at the boundary of every public function: the one home of input checks.

Every public function in :mod:`helpers` calls these first, so that bad input
fails early with a message that says what was given and what is allowed,
instead of a traceback from deep inside NumPy. Conversions live here too
(:func:`as_numpy` for torch tensors), so each kind of input is read one way.

- :func:`as_numpy`: a torch tensor as a NumPy array, anything else unchanged;
- :func:`check_audio`: mono floating-point audio;
- :func:`check_int`, :func:`check_number`, :func:`check_bool`, :func:`check_choice`:
  scalar arguments;
- :func:`check_frequencies`: a frequency (or mel) value or array, non-negative;
- :func:`check_spectrogram`, :func:`check_spectrogram_pair`: magnitudes or powers.
"""

import numbers

import numpy as np


def as_numpy(x):
    """A torch tensor as a NumPy array (detached, on the CPU); anything else unchanged.

    torch is never imported here: a tensor is recognised by its ``detach`` and
    ``numpy`` methods, so ``import helpers`` stays light.
    """
    if hasattr(x, "detach") and hasattr(x, "numpy"):  # a torch tensor
        return x.detach().cpu().numpy()
    return x


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
    y = as_numpy(y)
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
    """Return ``value`` as an ``int`` within [low, high], or raise a clear error.

    A float with an integer value (``512.0``) is accepted; ``True``/``False`` are not
    (``n_mels=True`` would otherwise quietly mean one band).
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer, got {value!r} (a boolean).")
    if not isinstance(value, numbers.Integral):
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


def check_bool(value, name, allowed="True or False"):
    """Return ``value`` as a ``bool``, or raise a TypeError: ``1``, ``'yes'`` and None are refused.

    ``allowed`` is the phrase the message uses, e.g. ``"True (HTK formula) or False (Slaney)"``.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be {allowed}, got {value!r}.")
    return bool(value)


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


def check_frequencies(x, name):
    """Return ``x`` (a number or an array of numbers, e.g. Hz or mel) as a float array, non-negative
    and finite, or raise a clear error. A scalar gives a 0-d array."""
    try:
        arr = None if x is None or isinstance(x, (str, bytes)) else np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.dtype == object:
        raise TypeError(f"{name} must be a number or an array of numbers, got {x!r}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, found NaN or inf.")
    if arr.size and np.any(arr < 0):
        raise ValueError(f"{name} must be non-negative, got a minimum of {arr.min():g}.")
    return arr


# What check_spectrogram says, for the two uses: decibels (magnitudes or powers of any shape)
# and distances between magnitude spectrograms (listen).
_SPECTROGRAM_WORDS = {
    "db": {
        "what": "an array",
        "complex": "pass a magnitude, e.g. np.abs({name}) for amplitude_to_db or "
                   "np.abs({name})**2 for power_to_db",
        "negative": "decibels need magnitudes or powers, which are >= 0",
    },
    "magnitude": {
        "what": "a magnitude spectrogram (array)",
        "complex": "pass magnitudes, e.g. np.abs({name})",
        "negative": "pass magnitudes |X|, which are >= 0",
    },
}


def check_spectrogram(S, name="S", use="db", ndim=None):
    """Return ``S`` as a real, finite, non-negative NumPy array, or raise a clear error.

    Parameters
    ----------
    S : array_like or torch.Tensor
        Magnitudes ``|X|`` or powers ``|X|**2``.
    name : str
        The argument's name, used in error messages.
    use : {'db', 'magnitude'}
        What the caller does with it, for the hint in the messages: decibels
        (magnitudes or powers) or a distance between magnitude spectrograms.
    ndim : tuple of int or None
        The allowed numbers of dimensions; None allows any.

    Returns
    -------
    numpy.ndarray, same shape as ``S``
        Integers become float64 and float16 becomes float32 (float16 cannot hold
        ``S**2`` above 256 or a floor such as 1e-10); float32 and float64 stay.
    """
    words = _SPECTROGRAM_WORDS[use]
    S = as_numpy(S)
    if isinstance(S, (str, bytes)) or S is None:
        raise TypeError(f"{name} must be {words['what']}, got {type(S).__name__}.")
    S = np.asarray(S)
    if S.dtype == bool or not np.issubdtype(S.dtype, np.number):
        raise TypeError(f"{name} must be a numeric array, got dtype {S.dtype}.")
    if np.iscomplexobj(S):
        raise TypeError(f"{name} is complex: {words['complex'].format(name=name)}.")
    if ndim is not None and S.ndim not in ndim:
        raise ValueError(f"{name} must be 1-D (one spectrum) or 2-D (bins, frames), got "
                         f"shape {S.shape}.")
    if S.size == 0:
        raise ValueError(f"{name} is empty.")
    if not np.all(np.isfinite(S)):
        raise ValueError(f"{name} contains {int(np.isnan(S).sum())} NaN and "
                         f"{int(np.isinf(S).sum())} inf; a spectrogram of finite audio has "
                         f"neither. Check the audio with np.isfinite first.")
    if np.issubdtype(S.dtype, np.integer):
        S = S.astype(np.float64)
    elif S.dtype == np.float16:
        S = S.astype(np.float32)
    if np.any(S < 0):
        raise ValueError(f"{name} has negative values (minimum {S.min():g}); "
                         f"{words['negative']}.")
    return S


def check_spectrogram_pair(S_ref, S_est):
    """Two magnitude spectrograms as float64 arrays of shape (n_bins, n_frames), the same shape.

    1-D input (one spectrum) becomes one frame. Raises a clear error otherwise.
    """
    arrays = [check_spectrogram(S, name, use="magnitude", ndim=(1, 2)).astype(np.float64)
              for name, S in (("S_ref", S_ref), ("S_est", S_est))]
    arrays = [S.reshape(S.shape[0], -1) for S in arrays]
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(f"S_ref and S_est must have the same shape, got {np.shape(S_ref)} and "
                         f"{np.shape(S_est)}. Compute both with the same n_fft and hop_length "
                         f"on signals of the same length.")
    return arrays
