"""Chapter 01's explorer: a tone sampled at a chosen rate, aliasing and all."""

import numpy as np

from .. import plotting
from ..players import wav_bytes
from ..spectral import fft_frequencies, get_window
from .base import Explorer
from .controls import dropdown, player, slider
from .renderer import new_figure, style
from .shared import nice_top

SAMPLING_RATES = (4000, 8000, 11025, 16000, 22050, 44100)
SAMPLING_XMAX = 22050.0  # the spectrum's frequency axis, fixed: the tone slider ends at 20 kHz


class SamplingExplorer(Explorer):
    """A tone sampled at a chosen rate: the samples, the alias they spell, and its spectrum."""

    css_class = "sampling-explorer"
    title = "Sampling and aliasing: move the tone above sr/2 and watch (and hear) it fold back"

    def __init__(self, freq=1000, sr=8000):
        controls = {
            "freq": slider("int", freq, 20, 20000, 10, "tone (Hz)", name="freq"),
            "sr": dropdown(SAMPLING_RATES, sr, "sr (Hz)", name="sr"),
        }
        fig = new_figure((8.0, 5.0))
        with style():
            ax_t, ax_f = fig.subplots(2, 1)
            (dense,) = ax_t.plot([], [], color="0.6", lw=1, label="the tone (continuous)")
            (alias,) = ax_t.plot([], [], "--", color="C1", lw=1.2,
                                 label="the tone the samples spell")
            (dots,) = ax_t.plot([], [], "o", color="C0", ms=4, label="samples")
            ax_t.legend(loc="upper right", fontsize=8)
            plotting.decorate(ax_t, xlabel="Time (ms)", ylabel="Amplitude",
                              title="The first samples: dots are all the computer keeps")
            ax_t.set_ylim(-1.25, 1.6)
            (spec,) = ax_f.plot([], [], color="C0", lw=1)
            true_line = ax_f.axvline(0, color="0.5", ls=":", lw=1.5, label="tone you asked for")
            alias_line = ax_f.axvline(0, color="C1", ls="--", lw=1.2, label="what the samples hold")
            nyq = ax_f.axvspan(0, 1, color="0.85", zorder=0, label="above sr/2: not representable")
            ax_f.legend(loc="lower right", fontsize=8)
            plotting.decorate(ax_f, xlabel="Frequency (Hz)", ylabel="Level (dB re max)",
                              title="Spectrum of one second of the samples")
            ax_f.set_ylim(-105, 5)
        self.artists = {"tone": dense, "alias": alias, "samples": dots, "spectrum": spec,
                        "true_line": true_line, "alias_line": alias_line, "nyquist": nyq}
        self._axes = (ax_t, ax_f)
        self.audio = player()
        super().__init__(controls, fig, extra=[self.audio])

    def update(self, v):
        f, sr = float(v["freq"]), int(v["sr"])
        nyquist = sr / 2
        k = round(f / sr)
        f_alias = abs(f - k * sr)
        # Time view: about three periods of the alias (1, 2 or 5 × 10^k ms), at least 12 samples.
        span = min(max(nice_top(3.0 / max(f_alias, 1.0)), 12.0 / sr), 0.02)
        t_dense = np.linspace(0.0, span, 4000)
        n = np.arange(int(span * sr) + 1)
        a = self.artists
        a["tone"].set_data(t_dense * 1e3, np.sin(2 * np.pi * f * t_dense))
        sign = 1.0 if f - k * sr >= 0 else -1.0  # folding can flip the phase
        a["alias"].set_data(t_dense * 1e3, sign * np.sin(2 * np.pi * f_alias * t_dense))
        a["samples"].set_data(n / sr * 1e3, np.sin(2 * np.pi * f * n / sr))
        ax_t, ax_f = self._axes
        ax_t.set_xlim(0, span * 1e3)
        # Spectrum of one second of the sampled tone (Hann window).
        y = np.sin(2 * np.pi * f * np.arange(sr) / sr)
        silent = float(np.max(np.abs(y))) < 1e-6
        X = np.abs(np.fft.rfft(y * get_window("hann", sr)))
        freqs = fft_frequencies(sr, sr)
        level = np.full_like(X, -100.0) if silent else 20 * np.log10(np.maximum(X / X.max(), 1e-5))
        a["spectrum"].set_data(freqs, level)
        right = SAMPLING_XMAX
        a["true_line"].set_xdata([f, f])
        a["alias_line"].set_xdata([f_alias, f_alias])
        a["nyquist"].set_x(nyquist)
        a["nyquist"].set_width(right - nyquist)
        ax_f.set_xlim(0, right)
        # rounding leaves ~1e-13 where every sample is on a zero crossing: play true silence
        self.audio.value = wav_bytes(np.zeros_like(y) if silent else y, sr)
        lines = [f"Sampling rate sr = {sr} Hz, so the highest frequency the samples can hold "
                 f"(the Nyquist frequency) is sr/2 = {nyquist:.0f} Hz."]
        if silent:
            lines.append(f"The tone at {f:.0f} Hz puts every sample on a zero crossing: the "
                         f"samples are all (almost) zero, so you hear silence. Its alias "
                         f"|f − k·sr| = {f_alias:.0f} Hz is 0 or exactly sr/2, where a sine "
                         "starting at phase 0 is never caught away from zero.")
        elif f <= nyquist:
            lines.append(f"The tone at {f:.0f} Hz is below sr/2: the samples keep it, you see "
                         f"and hear {f:.0f} Hz.")
        else:
            lines.append(f"The tone at {f:.0f} Hz is above sr/2: its samples are exactly those "
                         f"of a {f_alias:.0f} Hz tone (alias = |f − k·sr| = |{f:.0f} − {k}·{sr}| "
                         f"= {f_alias:.0f} Hz). You see and hear {f_alias:.0f} Hz.")
        return lines


def sampling_explorer(freq=1000, sr=8000):
    """Chapter 01's explorer: a tone of ``freq`` Hz sampled at ``sr`` Hz, aliasing and all.

    Parameters
    ----------
    freq : int
        Start value of the tone frequency in Hz (20 to 20000).
    sr : int
        Start value of the sampling rate in Hz, one of ``SAMPLING_RATES``
        (4000, 8000, 11025, 16000, 22050, 44100).

    Returns
    -------
    Explorer
        Controls ``freq`` and ``sr``; an audio player of the sampled tone.

    Raises
    ------
    ValueError, TypeError
        For a start value the controls cannot show (naming the argument and what is allowed).

    Notebook: 01_sampling.ipynb
    """
    return SamplingExplorer(freq=freq, sr=sr)
