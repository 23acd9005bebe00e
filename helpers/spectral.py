"""Windows, framing and the short-time Fourier transform (STFT).

Notebook: 02_stft.ipynb explains everything in this module.
"""

import numpy as np
import scipy.fft

from ._validate import check_audio, check_bool, check_choice, check_int, check_number

WINDOWS = ("hann", "hamming", "blackman", "rectangular")
_ALIASES = {"boxcar": "rectangular", "rect": "rectangular", "ones": "rectangular",
            "hanning": "hann"}
# Generalised cosine windows: w[k] = sum_j (-1)^j a_j cos(2 pi j k / N).
_COSINE_COEFFS = {"hann": (0.5, 0.5), "hamming": (0.54, 0.46), "blackman": (0.42, 0.5, 0.08)}
PAD_MODES = ("constant", "reflect", "edge", "symmetric", "wrap")
_BLOCK_BYTES = 2 ** 18  # STFT output computed in blocks of about 256 kB


def get_window(window, n, periodic=True):
    """Return a window of ``n`` samples.

    Parameters
    ----------
    window : {'hann', 'hamming', 'blackman', 'rectangular'} or array_like
        The window's name ('boxcar' is an alias of 'rectangular'), or the
        window itself as an array of ``n`` values.
    n : int
        Length in samples, at least 1.
    periodic : bool
        True (the default, like ``scipy.signal.get_window(..., fftbins=True)``
        and ``torch.hann_window(n)``) gives the periodic window used for
        spectral analysis: the symmetric window of ``n + 1`` samples without
        its last sample. False gives the symmetric window, like
        ``torch.hamming_window(n, periodic=False)`` in the DCASE baseline.

    Returns
    -------
    numpy.ndarray, shape (n,), float64

    See also
    --------
    scipy.signal.get_window, torch.hann_window, torch.hamming_window

    Notebook: 02_stft.ipynb
    """
    n = check_int(n, "n (window length)", low=1)
    periodic = check_bool(periodic, "periodic")
    if not isinstance(window, str):
        if callable(window):  # np.hanning, scipy.signal.windows.hann, torch.hann_window
            module = {"numpy": "np"}.get(getattr(window, "__module__", None) or "", "")
            name = ".".join(filter(None, [module, getattr(window, "__name__", "window")]))
            raise TypeError(f"window must be a name ({', '.join(WINDOWS)}) or an array of {n} "
                            f"numbers, got the function {name}: pass its values instead, "
                            f"e.g. window={name}({n}).")
        try:
            w = None if window is None else np.asarray(window, dtype=float)
        except (TypeError, ValueError):
            w = None
        if w is None:
            raise TypeError(f"window must be a name ({', '.join(WINDOWS)}) or an array of "
                            f"{n} numbers, got {window!r}.")
        if w.shape != (n,):
            raise ValueError(f"window array must have shape ({n},), got {w.shape}.")
        if not np.all(np.isfinite(w)):
            raise ValueError("window array must contain only finite values.")
        return w
    name = window_name(window)
    if name == "rectangular":
        return np.ones(n)
    if n == 1:
        return np.ones(1)
    denom = n if periodic else n - 1
    phase = 2.0 * np.pi * np.arange(n) / denom
    w = np.zeros(n)
    for j, a in enumerate(_COSINE_COEFFS[name]):
        w += (-1) ** j * a * np.cos(j * phase)
    return w


def frame_count(n_samples, n_fft, hop_length, center=True):
    """Number of STFT frames for a signal of ``n_samples``.

    With ``center=True`` the signal is padded by ``n_fft // 2`` on each side
    first, so that frame ``t`` is centred on sample ``t * hop_length``::

        center=True:   1 + (n_samples + 2 * (n_fft // 2) - n_fft) // hop_length
                       (= 1 + n_samples // hop_length for even n_fft)
        center=False:  1 + (n_samples - n_fft) // hop_length

    Parameters
    ----------
    n_samples : int
        Length of the signal in samples.
    n_fft : int
        Frame length in samples.
    hop_length : int
        Samples between the starts of consecutive frames.
    center : bool
        Whether the signal is padded so frames are centred on their time stamps.

    Returns
    -------
    int
        The frame count; 22050 samples, n_fft 2048, hop 512 give 44 centred
        and 40 uncentred.

    Notebook: 00_start_here.ipynb, 02_stft.ipynb
    """
    n_samples = check_int(n_samples, "n_samples", low=0)
    n_fft = check_int(n_fft, "n_fft", low=1)
    hop_length = check_int(hop_length, "hop_length", low=1)
    center = check_bool(center, "center")
    padded = n_samples + 2 * (n_fft // 2) if center else n_samples
    if padded < n_fft:
        raise ValueError(
            f"a signal of {n_samples} samples is shorter than n_fft={n_fft}"
            + (" even after centre padding" if center else " and center=False")
            + ": there is not a single full frame. Use a longer signal or a smaller n_fft."
        )
    return 1 + (padded - n_fft) // hop_length


def fft_frequencies(sr=22050, n_fft=2048):
    """Centre frequency in Hz of each STFT bin: ``k * sr / n_fft`` for k = 0 .. n_fft // 2.

    See also
    --------
    librosa.fft_frequencies, numpy.fft.rfftfreq

    Notebook: 02_stft.ipynb
    """
    sr = check_number(sr, "sr", low=0, low_open=True)
    n_fft = check_int(n_fft, "n_fft", low=1)
    return np.fft.rfftfreq(n_fft, d=1.0 / sr)


def window_name(window):
    """The canonical name of a window name or alias ('Hann', 'hanning' -> 'hann';
    'boxcar', 'rect', 'ones' -> 'rectangular'), or a ValueError listing the allowed names.

    Notebook: 02_stft.ipynb
    """
    if not isinstance(window, str):
        raise TypeError(f"window must be a name ({', '.join(WINDOWS)}), got {window!r}.")
    name = _ALIASES.get(window.lower(), window.lower())
    check_choice(name, "window", WINDOWS + tuple(_ALIASES))
    return name


def check_stft_args(n_fft, hop_length, win_length, window, center, pad_mode):
    """Validate STFT arguments and fill librosa's defaults; return the resolved values."""
    n_fft = check_int(n_fft, "n_fft", low=2)
    win_length = n_fft if win_length is None else check_int(win_length, "win_length", low=1)
    if win_length > n_fft:
        raise ValueError(f"win_length={win_length} must be at most n_fft={n_fft}.")
    if hop_length is None:
        hop_length = win_length // 4
        if hop_length < 1:
            raise ValueError(
                f"hop_length was not given, and its default win_length // 4 (win_length "
                f"defaults to n_fft) works out to {win_length} // 4 = 0 samples. Pass "
                f"hop_length (at least 1), or use win_length >= 4.")
    hop_length = check_int(hop_length, "hop_length", low=1)
    check_bool(center, "center")
    check_choice(pad_mode, "pad_mode", PAD_MODES)
    if isinstance(window, str):
        window_name(window)
    return n_fft, hop_length, win_length


def stft(y, n_fft=2048, hop_length=None, win_length=None, window="hann", center=True,
         pad_mode="constant"):
    """Short-time Fourier transform: the DFT of overlapping, windowed frames.

    Parameters
    ----------
    y : numpy.ndarray, shape (n_samples,)
        Mono floating-point audio.
    n_fft : int
        FFT size in samples (frame length after zero-padding the window), at least 2.
    hop_length : int or None
        Samples between frames; None means ``win_length // 4``.
    win_length : int or None
        Window length in samples, at most ``n_fft``; None means ``n_fft``.
        A shorter window is zero-padded on both sides to ``n_fft``.
    window : str or array_like
        A name for :func:`get_window` (periodic, as in librosa), or an array of
        ``win_length`` values (pass ``get_window('hamming', n, periodic=False)``
        for the symmetric window of the DCASE baseline).
    center : bool
        If True, pad ``n_fft // 2`` samples on each side so frame ``t`` is
        centred on sample ``t * hop_length``.
    pad_mode : {'constant', 'reflect', 'edge', 'symmetric', 'wrap'}
        How to pad when ``center=True``: 'constant' pads zeros (librosa's
        default), 'reflect' mirrors the signal (torchaudio's default).

    Returns
    -------
    numpy.ndarray, shape (1 + n_fft // 2, n_frames), complex
        complex64 for float32 input (computed in float64, then rounded, as librosa
        does), complex128 otherwise;
        ``n_frames == frame_count(len(y), n_fft, hop_length, center)``.
        The whole signal is padded, then framed, as ``torch.stft`` does; librosa's last
        frame differs where :func:`librosa_tail_deviates` says so.

    See also
    --------
    librosa.stft, torch.stft

    Notebook: 02_stft.ipynb
    """
    return stft_frames(y, n_fft, hop_length, win_length, window, center, pad_mode).T


def stft_frames(y, n_fft=2048, hop_length=None, win_length=None, window="hann", center=True,
                pad_mode="constant"):
    """The STFT with frames along the first axis: ``stft(y, ...).T``.

    Shape (n_frames, 1 + n_fft // 2): the layout in which it is computed (each row is one
    frame's spectrum, contiguous in memory), for callers that go on frame by frame, such as
    the mel filterbank product ``stft_frames(...) @ fb.T``. Arguments as in :func:`stft`.

    Notebook: 02_stft.ipynb (as :func:`stft`)
    """
    n_fft, hop_length, win_length = check_stft_args(
        n_fft, hop_length, win_length, window, center, pad_mode)
    y = check_audio(y)
    frame_count(len(y), n_fft, hop_length, center)  # raises if there is no full frame
    w = get_window(window, win_length, periodic=True)
    if win_length < n_fft:  # centre the window inside the frame, like librosa.util.pad_center
        left = (n_fft - win_length) // 2
        w = np.pad(w, (left, n_fft - win_length - left))
    if center:
        if pad_mode in ("reflect", "symmetric") and len(y) < 2:
            raise ValueError(f"pad_mode={pad_mode!r} needs at least 2 samples, got {len(y)}.")
        y = np.pad(y, n_fft // 2, mode=pad_mode)
    frames = np.lib.stride_tricks.sliding_window_view(y, n_fft)[::hop_length]  # a view
    # Like librosa: the window stays float64, so float32 frames are windowed and transformed in
    # double precision and only the result is stored as complex64 (a single-precision FFT is
    # 2-10x further from the exact spectrum).
    out = np.empty((len(frames), n_fft // 2 + 1), dtype=np.result_type(y.dtype, np.complex64))
    # A few frames at a time, so the temporaries stay in the CPU cache (as librosa does):
    # about 3x faster than windowing and transforming all frames at once.
    block = max(1, _BLOCK_BYTES // out[0].nbytes)
    for start in range(0, len(frames), block):
        out[start:start + block] = scipy.fft.rfft(frames[start:start + block] * w, axis=1)
    return out


def librosa_tail_deviates(n_samples, n_fft, hop_length, center=True, pad_mode="constant"):
    """Whether ``librosa.stft``'s last frames depart from "pad the whole signal, then frame".

    With ``center=True`` the definition (and ``torch.stft``, and :func:`stft`) pads the
    whole signal by ``n_fft // 2`` on each side and then cuts frames. ``librosa.stft``
    (0.11 and later) pads the head and the tail separately instead: the tail frames
    are cut from ``y[tail_k * hop_length - n_fft // 2:]`` padded on its own. With
    ``pad_mode='reflect'``, when that piece has only ``n_fft // 2`` samples (it cannot
    have fewer), it is one sample short of supplying ``n_fft // 2`` mirrored samples,
    ``numpy.pad`` reflects a second time, and the last frame ends with a sample the
    definition does not have. Zero ('constant'), 'edge' and 'symmetric' padding never
    deviate.

    Parameters
    ----------
    n_samples : int
        Length of the signal in samples.
    n_fft, hop_length : int
        Frame length and hop in samples.
    center : bool
        librosa's ``center``; False never deviates (no padding).
    pad_mode : str
        librosa's ``pad_mode``.

    Returns
    -------
    bool
        True if librosa's last frame differs from the definition for a generic
        signal (checked against librosa itself in tests/test_core_parity.py);
        e.g. True for 1536 samples, n_fft 512, hop 512, 'reflect'.

    See also
    --------
    librosa.stft, torch.stft

    Notebook: 08_porting.ipynb
    """
    n = check_int(n_samples, "n_samples", low=0)
    n_fft = check_int(n_fft, "n_fft", low=1)
    hop = check_int(hop_length, "hop_length", low=1)
    if not center or pad_mode != "reflect":
        return False
    half = n_fft // 2
    head_frames = -(-half // hop)                # frames that touch the head padding
    tail_k = (n + half - n_fft) // hop + 1       # first frame that touches the tail padding
    if tail_k <= head_frames or tail_k * hop - half + n_fft > n + half:
        return False                             # librosa pads the whole signal at once
    piece = n - tail_k * hop + half              # samples in the separately padded tail
    # Its first frame fits, so piece >= n_fft - half; mirroring half samples once needs
    # half + 1 of them: short only when piece == half (an even n_fft).
    return piece <= half
