"""What several explorers compute or draw the same way.

The STFT they show (:func:`power_frames`), the filterbank as polylines
(:func:`filter_segments`, :func:`filterbank_axes`), a mel-spaced image axis
(:func:`mel_axis`), a waveform envelope, steady axis limits and the readout's
numbers and frame formula.
"""

import numpy as np
from matplotlib.collections import LineCollection

from .. import plotting
from ..mel import hz_to_mel
from ..spectral import get_window, stft

WINDOW_NAMES = ("hann", "hamming", "blackman", "rectangular")
N_FFTS = (64, 128, 256, 512, 1024, 2048, 4096, 8192)
HZ_TICKS = (0, 250, 500, 1000, 2000, 4000, 8000, 16000)
# Larger STFTs are not computed interactively (hop_length=1 on a long clip would need GBs).
MAX_STFT_CELLS = 6_000_000


def power_frames(y, n_fft, hop, window, periodic, power):
    """|STFT|**power with frames first, shape (n_frames, 1 + n_fft // 2), float32.

    The samples are float32 (``helpers.stft`` then windows and transforms them in
    float64, like librosa); the result is stored in single precision: plenty for a
    picture in dB, and the mel product that follows is twice as fast.
    """
    y = np.asarray(y, dtype=np.float32)
    w = get_window(window, n_fft, periodic=bool(periodic))
    X = stft(y, n_fft=n_fft, hop_length=hop, window=w, center=True, pad_mode="constant").T
    # X is a view: the frames-first array helpers.stft computes, no copy
    S = X.real ** 2 + X.imag ** 2 if power == 2 else np.abs(X)
    return np.ascontiguousarray(S, dtype=np.float32)


def envelope(y, sr, n_columns=1000):
    """(t, v) of a min/max envelope of ``y``: looks like the waveform, draws fast."""
    y = np.asarray(y)
    if len(y) <= 2 * n_columns:
        return np.arange(len(y)) / sr, y
    step = int(np.ceil(len(y) / n_columns))
    n = len(y) // step * step
    blocks = y[:n].reshape(-1, step)
    v = np.column_stack([blocks.min(axis=1), blocks.max(axis=1)]).ravel()
    t = np.repeat(np.arange(blocks.shape[0]) * step + step / 2, 2) / sr
    return t, v


def readout_number(x):
    """A number for the readout: two decimals, no float32 noise, no "-0.00"."""
    return f"{round(float(x), 2) + 0.0:.2f}"


def frame_formula(n, n_fft, hop, n_frames):
    """The frame count of a centred STFT, written out with the current numbers."""
    return (f"Frames (center=True): n_frames = 1 + (n_samples + 2·(n_fft // 2) − n_fft) // "
            f"hop_length = 1 + ({n} + 2·{n_fft // 2} − {n_fft}) // {hop} = {n_frames}.")


def mel_axis(ax, im, sr, hop_length, n_mels, fmin, fmax, htk):
    """Place a mel image on a mel-spaced axis from 0 Hz to sr/2, labelled in Hz.

    Band ``i`` is centred on mel point ``i + 1`` of the ``n_mels + 2`` points from
    fmin to fmax, and frame ``t`` on ``t * hop_length / sr`` seconds. The axis always
    spans 0 to sr/2, so it (and its Hz ticks) does not move when n_mels, fmin or fmax
    change, and what lies outside fmin–fmax shows as empty background.
    """
    lo, hi = hz_to_mel(fmin, htk=htk), hz_to_mel(fmax, htk=htk)
    step = (hi - lo) / (n_mels + 1)
    im.set_extent(plotting.image_extent(im.get_array().shape, dx=hop_length / sr, dy=step,
                                        y0=lo + step))
    ax.set_ylim(0, hz_to_mel(sr / 2, htk=htk))
    ticks = [f for f in HZ_TICKS if f <= sr / 2]
    ax.set_yticks(hz_to_mel(np.asarray(ticks, dtype=float), htk=htk))
    ax.set_yticklabels([f"{f:g}" for f in ticks])


def nice_top(value):
    """The smallest 1, 1.5, 2, 3, 4, 5, 6 or 8 × 10**k at or above ``value``: a steady limit."""
    if not value > 0:
        return 1.0
    k = np.floor(np.log10(value))
    for m in (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if m * 10 ** k >= value:
            return float(m * 10 ** k)
    return float(10 ** (k + 1))


def filter_segments(fb, freqs):
    """One polyline per non-empty filter: its non-zero bins plus a zero on each side."""
    segments = []
    for row in fb:
        nz = np.flatnonzero(row > 0)
        if nz.size == 0:
            continue
        lo, hi = max(nz[0] - 1, 0), min(nz[-1] + 2, len(row))
        segments.append(np.column_stack([freqs[lo:hi], row[lo:hi]]))
    return segments


def filterbank_axes(ax, sr, ylabel, lw):
    """Set up ``ax`` for a filterbank: one LineCollection for all filters, fmin/fmax markers."""
    lc = LineCollection([], linewidths=lw, colors=["C0", "C1"])
    ax.add_collection(lc)
    fmin_line = ax.axvline(0, color="C3", ls=":", lw=1.5, label="fmin")
    fmax_line = ax.axvline(0, color="C3", ls="--", lw=1.5, label="fmax")
    plotting.decorate(ax, xlabel="Frequency (Hz)", ylabel=ylabel,
                      title="Mel filterbank (red: fmin dotted, fmax dashed)")
    ax.set_xlim(0, sr / 2)
    return lc, fmin_line, fmax_line
