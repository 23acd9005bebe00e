"""Chapter 03's explorer: the mel filterbank itself (n_mels, fmin, fmax, HTK or Slaney, norm, n_fft)."""

import numpy as np

from .. import plotting
from .._validate import check_number
from ..mel import empty_filter_count, hz_to_mel, mel_filterbank, mel_frequencies
from ..spectral import fft_frequencies
from .base import Explorer
from .controls import dropdown, slider, toggle
from .renderer import new_figure, style
from .shared import N_FFTS, filter_segments, filterbank_axes, nice_top

SR_RANGE = (1000, 768000)  # Hz: the sliders go up to sr / 2 in steps of 10 Hz


class FilterbankExplorer(Explorer):
    """The mel filterbank itself: n_mels, fmin, fmax, HTK vs Slaney, norm, n_fft."""

    css_class = "filterbank-explorer"
    title = "The mel filterbank: how many triangles, where, and how tall"

    def __init__(self, sr=16000, n_fft=512, n_mels=40, fmin=0, fmax=None, htk=False,
                 norm="slaney"):
        self.sr = check_number(sr, "sr", low=SR_RANGE[0], high=SR_RANGE[1])
        nyq = int(self.sr // 2)
        controls = {
            "n_mels": slider("int", n_mels, 1, 256, 1, "n_mels", name="n_mels"),
            "fmin": slider("int", fmin, 0, nyq, 10, "fmin (Hz)", name="fmin"),
            "fmax": slider("int", nyq if fmax is None else fmax, 10, nyq, 10, "fmax (Hz)",
                           name="fmax"),
            "n_fft": dropdown(N_FFTS, n_fft, "n_fft", name="n_fft"),
            "htk": toggle([("Slaney", False), ("HTK", True)], htk, "mel scale", name="htk"),
            "norm": toggle([("slaney", "slaney"), ("none", None)], norm, "norm", name="norm"),
        }
        fig = new_figure((8.0, 5.2))
        with style():
            ax_fb, ax_m = fig.subplots(2, 1, height_ratios=(1.3, 1))
            lc, fmin_line, fmax_line = filterbank_axes(ax_fb, self.sr, "Weight", lw=1.0)
            hz = np.linspace(0, self.sr / 2, 400)
            (curve,) = ax_m.plot(hz, hz, color="0.5", lw=1)
            (points,) = ax_m.plot([], [], "o", color="C0", ms=3)
            plotting.decorate(ax_m, xlabel="Frequency (Hz)", ylabel="Mel",
                              title="The mel scale: filter edges are equally spaced in mel")
            ax_m.set_xlim(0, self.sr / 2)
        self.artists = {"filters": lc, "fmin": fmin_line, "fmax": fmax_line,
                        "mel_curve": curve, "mel_points": points}
        self._axes = (ax_fb, ax_m)
        self._hz = hz
        super().__init__(controls, fig)

    def update(self, v):
        sr, n_fft, n_mels = self.sr, int(v["n_fft"]), int(v["n_mels"])
        fmin, fmax, htk, norm = float(v["fmin"]), float(v["fmax"]), bool(v["htk"]), v["norm"]
        fb = mel_filterbank(sr, n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm)
        freqs = fft_frequencies(sr, n_fft)
        a = self.artists
        ax_fb, ax_m = self._axes
        a["filters"].set_segments(filter_segments(fb, freqs))
        a["fmin"].set_xdata([fmin, fmin])
        a["fmax"].set_xdata([fmax, fmax])
        ax_fb.set_ylim(0, nice_top(float(fb.max()) * 1.05))
        a["mel_curve"].set_ydata(hz_to_mel(self._hz, htk=htk))
        edges = mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax, htk=htk)
        a["mel_points"].set_data(edges, hz_to_mel(edges, htk=htk))
        ax_m.set_ylim(0, hz_to_mel(sr / 2, htk=htk) * 1.05)
        n_empty = empty_filter_count(fb)
        df = sr / n_fft
        narrowest = float(np.min(np.diff(edges))) * 2 if n_mels else 0.0
        peaks = fb.max(axis=1)
        lines = [
            f"Filterbank shape (n_mels, 1 + n_fft // 2) = ({n_mels}, {1 + n_fft // 2}) at "
            f"sr = {sr:g} Hz, {'HTK' if htk else 'Slaney'} mel scale, {fmin:g}–{fmax:g} Hz.",
            f"FFT bins are {df:.3g} Hz apart; the narrowest filter is {narrowest:.3g} Hz wide "
            f"(from its left edge to its right edge).",
        ]
        lowest = float(peaks[peaks > 0].min()) if np.any(peaks > 0) else 0.0
        if norm == "slaney":
            lines.append(f"norm='slaney' divides each filter by half its width in Hz, so every "
                         f"filter has the same area: peaks go from {peaks.max():.3g} "
                         f"(narrow, low) down to {lowest:.3g} (wide, high) instead of 1.")
        else:
            lines.append("norm=None: every filter peaks at 1 or a little less (exactly 1 only "
                         "where an FFT bin sits on the tip of the triangle).")
        if not n_empty:  # otherwise mel_filterbank's warning says how many, in the readout
            lines.append("No filter is empty: every one catches at least one FFT bin.")
        return lines


def filterbank_explorer(sr=16000, n_fft=512, n_mels=40, fmin=0, fmax=None, htk=False,
                        norm="slaney"):
    """Chapter 03's explorer: the mel filterbank for n_mels, fmin, fmax, htk, norm and n_fft.

    Parameters
    ----------
    sr : float
        Sampling rate in Hz, 1000 to 768000 (fixed; the sliders go up to sr / 2).
    n_fft : int
        Start value, one of 64, 128, ..., 8192.
    n_mels : int
        Start value, 1 to 256.
    fmin, fmax : int
        Start values in whole Hz, 0 to sr / 2 (fmax at least 10; None means sr / 2).
    htk : bool
        True for the HTK formula, False for Slaney's.
    norm : {'slaney', None}

    Returns
    -------
    Explorer
        Controls ``n_mels``, ``fmin``, ``fmax``, ``n_fft``, ``htk``, ``norm``.

    Raises
    ------
    ValueError, TypeError
        For a start value the controls cannot show (naming the argument and what is allowed).

    See also
    --------
    helpers.mel_filterbank, librosa.filters.mel

    Notebook: 03_mel.ipynb
    """
    return FilterbankExplorer(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
                              htk=htk, norm=norm)
