"""Chapter 02's explorer: window shape, n_fft and hop on tones (leakage) and a chirp (resolution)."""

import numpy as np

from .. import plotting
from ..db import power_to_db
from ..spectral import fft_frequencies, frame_count, get_window, stft
from .base import Explorer
from .controls import dropdown, slider, toggle
from .renderer import new_figure, style
from .shared import N_FFTS, WINDOW_NAMES, frame_formula

STFT_SIGNALS = ("tone between bins", "tone on a bin", "two tones 60 Hz apart", "chirp")


class StftExplorer(Explorer):
    """Window shape, n_fft and hop on a tone (leakage) and a chirp (resolution)."""

    css_class = "stft-explorer"
    title = "The STFT: window, n_fft and hop_length on a tone between bins and on a chirp"
    sr = 16000
    duration = 2.0

    def __init__(self, signal="tone between bins", window="hann", n_fft=512, hop_length=128):
        window = window.lower() if isinstance(window, str) else window  # 'Hann' is 'hann'
        controls = {
            "signal": dropdown(STFT_SIGNALS, signal, "signal", name="signal"),
            "window": dropdown(WINDOW_NAMES, window, "window", name="window"),
            "periodic": toggle([("periodic", True), ("symmetric", False)], True, "shape",
                               name="periodic"),
            "n_fft": dropdown(N_FFTS[:-1], n_fft, "n_fft", name="n_fft"),
            "hop_length": slider("int", hop_length, 16, 2048, 16, "hop_length",
                                 name="hop_length"),
        }
        fig = new_figure((8.0, 5.6))
        with style():
            gs = fig.add_gridspec(2, 2, height_ratios=(1, 1.4))
            ax_w = fig.add_subplot(gs[0, 0])
            ax_s = fig.add_subplot(gs[0, 1])
            ax_im = fig.add_subplot(gs[1, :])
            (wline,) = ax_w.plot([], [], color="C0")
            plotting.decorate(ax_w, title="The window", xlabel="Sample", ylabel="Weight")
            ax_w.set_ylim(-0.05, 1.1)
            (sline,) = ax_s.plot([], [], ".-", color="C0", ms=3, lw=0.8)
            plotting.decorate(ax_s, xlabel="Frequency (Hz)", ylabel="Level (dB re max)")
            ax_s.set_ylim(-100, 5)
            im = ax_im.imshow(np.zeros((2, 2)), origin="lower", aspect="auto",
                              interpolation="nearest", vmin=-80, vmax=0)
            plotting.decorate(ax_im, xlabel="Time (s)", ylabel="Frequency (Hz)",
                              title="Spectrogram (dB below its loudest cell)")
            fig.colorbar(im, ax=ax_im, label="dB (re max)", format="%+.0f")
        self.artists = {"window": wline, "spectrum": sline, "image": im}
        self._axes = (ax_w, ax_s, ax_im)
        super().__init__(controls, fig)

    def _signal(self, name, n_fft):
        sr, t = self.sr, np.arange(int(self.duration * self.sr)) / self.sr
        df = sr / n_fft
        k = round(1000 / df)
        if name == "tone between bins":
            f = (k + 0.5) * df
            return (np.sin(2 * np.pi * f * t),
                    f"a {f:.1f} Hz tone, halfway between bins {k} and {k + 1}")
        if name == "tone on a bin":
            f = k * df
            return np.sin(2 * np.pi * f * t), f"a {f:.1f} Hz tone, exactly on bin {k}"
        if name == "two tones 60 Hz apart":
            y = 0.5 * np.sin(2 * np.pi * 1000 * t) + 0.5 * np.sin(2 * np.pi * 1060 * t)
            return y, "two tones, 1000 Hz and 1060 Hz"
        from ..signals import chirp

        return chirp(100, 7000, sr=sr, duration=self.duration), "a chirp from 100 Hz to 7000 Hz"

    def update(self, v):
        sr, n_fft, hop = self.sr, int(v["n_fft"]), int(v["hop_length"])
        y, what = self._signal(v["signal"], n_fft)
        w = get_window(v["window"], n_fft, periodic=bool(v["periodic"]))
        n_frames = frame_count(len(y), n_fft, hop)
        X = stft(y, n_fft=n_fft, hop_length=hop, window=w, center=True, pad_mode="constant")
        P = X.real ** 2 + X.imag ** 2
        db = power_to_db(P, ref=float(P.max()), top_db=None)
        a = self.artists
        ax_w, ax_s, ax_im = self._axes
        a["window"].set_data(np.arange(n_fft), w)
        ax_w.set_xlim(0, n_fft - 1)
        kind = "periodic" if v["periodic"] else "symmetric"
        ax_w.set_title(f"{v['window']} ({kind}), {n_fft} samples")
        freqs = fft_frequencies(sr, n_fft)
        mid = db[:, n_frames // 2]
        a["spectrum"].set_data(freqs, mid)
        a["spectrum"].set_marker("." if n_fft <= 1024 else "")
        if v["signal"] == "chirp":
            ax_s.set_xlim(0, sr / 2)
        else:
            ax_s.set_xlim(600, 1500)
        ax_s.set_title("The middle frame (dots: bins)")
        a["image"].set_data(np.maximum(db, -80))
        dt, df = hop / sr, sr / n_fft
        a["image"].set_extent(plotting.image_extent(db.shape, dx=dt, dy=df))
        ax_im.set_xlim(0, self.duration)  # fixed limits: only the image is redrawn
        ax_im.set_ylim(0, sr / 2)
        lines = [
            f"Signal: {what}, {self.duration:g} s at {sr} Hz ({len(y)} samples).",
            f"Output shape (1 + n_fft // 2, n_frames) = ({1 + n_fft // 2}, {n_frames}).",
            frame_formula(len(y), n_fft, hop, n_frames),
            f"Bin spacing sr / n_fft = {df:.3g} Hz; frame length n_fft / sr = "
            f"{n_fft / sr * 1e3:.3g} ms; hop hop_length / sr = {hop / sr * 1e3:.3g} ms. "
            "A longer frame separates closer frequencies but blurs fast changes in time.",
        ]
        if hop > n_fft:
            lines.append(f"hop_length={hop} is longer than n_fft={n_fft}: samples between "
                         "frames are never looked at.")
        return lines


def stft_explorer(signal="tone between bins", window="hann", n_fft=512, hop_length=128):
    """Chapter 02's explorer: window shape, n_fft and hop on tones and a chirp.

    Parameters
    ----------
    signal : str
        One of ``STFT_SIGNALS``: a tone between two bins (leakage), a tone on a
        bin, two close tones (frequency resolution) or a chirp.
    window : {'hann', 'hamming', 'blackman', 'rectangular'}
        Any capitalisation ('Hann' is 'hann').
    n_fft : int
        Frame length in samples (a power of two from 64 to 4096).
    hop_length : int
        Samples between frames (16 to 2048).

    Returns
    -------
    Explorer
        Controls ``signal``, ``window``, ``periodic``, ``n_fft``, ``hop_length``.

    Raises
    ------
    ValueError, TypeError
        For a start value the controls cannot show (naming the argument and what is allowed).

    Notebook: 02_stft.ipynb
    """
    return StftExplorer(signal=signal, window=window, n_fft=n_fft, hop_length=hop_length)
