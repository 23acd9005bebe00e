"""Chapter 07's explorer: listen to a mel spectrogram, for any ``n_mels`` and ``fmax``.

The round trip itself (mel, its non-negative least-squares inverse, Griffin-Lim)
and the distance are :func:`helpers.listen.mel_roundtrip` and
:func:`helpers.listen.log_spectral_distance`; this module only shows them.
"""

import numpy as np

from .. import plotting
from .._validate import check_audio, check_number
from ..db import amplitude_to_db
from ..listen import log_spectral_distance, mel_roundtrip
from ..players import wav_bytes
from ..spectral import stft
from .base import Explorer
from .controls import dropdown, player, slider
from .renderer import new_figure, style

MAX_SECONDS = 2.0  # your sound is cut to its first 2 s: each change runs Griffin-Lim on it
N_FFT, HOP_LENGTH, N_ITER = 1024, 256, 32


class ReconstructionExplorer(Explorer):
    """Sliders for n_mels and fmax; the original and reconstructed spectrograms; two players."""

    css_class = "reconstruction-explorer"
    title = "Listen to a mel spectrogram: what n_mels and fmax keep"

    def __init__(self, y=None, sr=16000, n_mels=40, fmax=None, sound="vowel 'a'"):
        import ipywidgets as widgets

        from ..signals import chirp, soundscape, vowel

        self.sr = check_number(sr, "sr", low=8000, high=48000)
        sr_i = int(round(self.sr))
        nyq = int(self.sr // 2)
        n = int(MAX_SECONDS * self.sr)
        self.sounds = {}
        if y is not None:
            self.sounds["your sound"] = check_audio(y, "y", min_length=N_FFT)[:n]
        self.sounds["vowel 'a'"] = vowel("a", sr=sr_i, duration=1.0)
        self.sounds["chirp"] = chirp(100.0, 0.45 * self.sr, sr=sr_i, duration=1.5,
                                     amplitude=0.5)
        scape = soundscape(sr=sr_i, duration=10.0, seed=0)[0]
        self.sounds["soundscape (5.8-7.3 s)"] = scape[int(5.8 * sr_i):int(7.3 * sr_i)]
        controls = {
            "sound": dropdown(list(self.sounds), sound, "sound", name="sound", width="260px"),
            "n_mels": slider("int", n_mels, 4, 256, 4, "n_mels", name="n_mels"),
            "fmax": slider("int", nyq if fmax is None else fmax, 500, nyq, 250, "fmax (Hz)",
                           name="fmax"),
        }
        fig = new_figure((8.0, 4.6))
        with style():
            axes = fig.subplots(2, 1, sharex=True)
            images = []
            for ax, name in zip(axes, ("Original", "Reconstruction")):
                im = ax.imshow(np.zeros((2, 2)), origin="lower", aspect="auto",
                               interpolation="nearest", vmin=-80, vmax=0)
                ax.set_title(name)
                images.append(im)
                plotting.decorate(ax, ylabel="Frequency (Hz)")
            axes[1].set_xlabel("Time (s)")
            fmax_line = axes[1].axhline(0, color="w", ls="--", lw=1.2)
            fig.colorbar(images[1], ax=list(axes), label="dB (re max of the original)",
                         format="%+.0f")
        self.artists = {"original": images[0], "reconstruction": images[1],
                        "fmax": fmax_line}
        self._axes = axes
        self.y_hat = None
        self.audio = player()
        self.original_audio = player()
        players = widgets.HBox([widgets.Label("original"), self.original_audio,
                                widgets.Label("reconstruction"), self.audio])
        self._shown = None
        super().__init__(controls, fig, extra=[players])

    def update(self, v):
        sr = self.sr
        y = self.sounds[v["sound"]]
        n_mels, fmax = int(v["n_mels"]), float(v["fmax"])
        y_hat = mel_roundtrip(y, sr=sr, n_mels=n_mels, fmax=fmax, n_fft=N_FFT,
                              hop_length=HOP_LENGTH, n_iter=N_ITER, seed=0)
        self.y_hat = y_hat
        A = np.abs(stft(y, n_fft=N_FFT, hop_length=HOP_LENGTH))
        B = np.abs(stft(y_hat, n_fft=N_FFT, hop_length=HOP_LENGTH))
        ref = float(A.max()) or 1.0
        df = sr / N_FFT
        extent = plotting.image_extent(A.shape, dx=HOP_LENGTH / sr, dy=df)
        for key, S in (("original", A), ("reconstruction", B)):
            im = self.artists[key]
            im.set_data(amplitude_to_db(S, ref=ref, top_db=80.0))
            im.set_extent(extent)
        self.artists["fmax"].set_ydata([fmax, fmax])
        self._axes[1].set_title(f"Reconstruction from {n_mels} mel bands up to "
                                f"{fmax:.0f} Hz (Griffin-Lim, {N_ITER} iterations)")
        if self._shown != v["sound"]:
            self.original_audio.value = wav_bytes(y, int(round(sr)))  # the nearest whole rate
            self._axes[0].set_title(f"Original: {v['sound']}")
            self._shown = v["sound"]
        self.audio.value = wav_bytes(y_hat, int(round(sr)))
        lsd = log_spectral_distance(A, B)
        n_used = int(np.sum(np.arange(A.shape[0]) * df <= fmax))
        return [f"Log-spectral distance to the original: {lsd:.1f} dB "
                "(about 1 dB is hard to hear; 10 dB or more is a clearly different sound).",
                f"{n_mels} mel bands summarise the {n_used} STFT bins from 0 to fmax = "
                f"{fmax:.0f} Hz ({n_used / n_mels:.3g} bins per band on average); the "
                f"{A.shape[0] - n_used} bins above fmax are lost."]


def reconstruction_explorer(y=None, sr=16000, n_mels=40, fmax=None, sound="vowel 'a'"):
    """Sliders for ``n_mels`` and ``fmax``, the original and reconstructed spectrograms, a player.

    Each change runs :func:`helpers.listen.mel_roundtrip` (32 Griffin-Lim iterations) on
    a clip of at most 2 s and shows the log-spectral distance in the readout.

    Parameters
    ----------
    y : numpy.ndarray, shape (n_samples,), or None
        Your sound (at least 1024 samples; only its first 2 s are used), listed as
        "your sound" next to a vowel, a chirp and a soundscape excerpt.
    sr : int
        Sampling rate in Hz (8000 to 48000; the built-in sounds are made at this rate).
    n_mels : int
        Start value of the ``n_mels`` slider (4 to 256).
    fmax : int or None
        Start value of the ``fmax`` slider in whole Hz, 500 to sr / 2 (None: sr / 2).
    sound : str
        The sound selected at the start.

    Returns
    -------
    Explorer
        ``.controls`` (``sound``, ``n_mels``, ``fmax``), ``.figure``, ``.readout``,
        ``.audio`` (the reconstruction's player), ``.original_audio`` and ``.y_hat``
        (the reconstruction's samples).

    Raises
    ------
    ValueError, TypeError
        For a start value the controls cannot show (naming the argument and what is allowed).

    See also
    --------
    helpers.listen.mel_roundtrip, helpers.widgets.mel_explorer

    Notebook: 07_listen.ipynb
    """
    return ReconstructionExplorer(y=y, sr=sr, n_mels=n_mels, fmax=fmax, sound=sound)
