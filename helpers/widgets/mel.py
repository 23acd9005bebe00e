"""The main explorer: the whole pipeline on one screen (waveform, filterbank, log-mel)."""

import collections
import html
import io
import warnings

import ipywidgets
import numpy as np

from .. import plotting
from .._validate import check_audio, check_number
from ..db import amplitude_to_db, power_to_db
from ..mel import mel_filterbank
from ..players import MAX_SR, wav_bytes
from ..spectral import fft_frequencies, frame_count
from .base import Explorer
from .controls import dropdown, player, slider, toggle
from .renderer import new_figure, style
from .shared import (MAX_STFT_CELLS, N_FFTS, WINDOW_NAMES, envelope, filter_segments,
                     filterbank_axes, frame_formula, mel_axis, power_frames)

MAX_PLAYER_SECONDS = 10.0  # the player holds at most the first 10 s of a sound
# An upload travels to the kernel in one websocket message, and Tornado's default limit is
# 10 MiB (jupyter-widgets/ipywidgets#2522): a larger file never arrives. 8 MB stays below it.
MAX_UPLOAD_BYTES = 8_000_000
UPLOAD_TYPES = ".wav,.flac,.ogg,.oga,.opus,.mp3,.aif,.aiff,audio/*"
SR_RANGE = (8000, MAX_SR)  # Hz: the vowel needs 8 kHz, the player plays up to 768 kHz


class MelExplorer(Explorer):
    """The whole pipeline on one screen: waveform, filterbank, log-mel spectrogram."""

    css_class = "main-explorer"
    title = "Mel spectrogram explorer"

    def __init__(self, y=None, sr=16000, n_mels=128, fmin=0, fmax=None, window="hann",
                 periodic=True, n_fft=2048, hop_length=512, power=2.0, htk=False,
                 norm="slaney", sound=None):
        from ..signals import chirp, sine, soundscape, vowel

        self.sr = check_number(sr, "sr", low=SR_RANGE[0], high=SR_RANGE[1])
        sr_i = int(round(self.sr))
        nyq = int(self.sr // 2)
        self.sounds = {}
        seconds = 10.0
        if y is not None:
            self.sounds["your sound"] = check_audio(y, "y")
            # the other sounds get the same length (1 to 10 s): the time axes stay put
            seconds = float(np.clip(len(self.sounds["your sound"]) / self.sr, 1.0, 10.0))
        self.sounds["sine 440 Hz"] = sine(440.0, sr=sr_i, duration=seconds, amplitude=0.5)
        self.sounds["chirp"] = chirp(50.0, 0.9 * nyq, sr=sr_i, duration=seconds,
                                     method="exponential", amplitude=0.5)
        self.sounds["vowel 'a'"] = vowel("a", sr=sr_i, duration=seconds)
        self.sounds["soundscape"] = soundscape(sr=sr_i, duration=max(seconds, 4.0), seed=0)[0]
        self._builtin = set(self.sounds)
        self._stft_cache = collections.OrderedDict()
        self._wavs = {}
        window = window.lower() if isinstance(window, str) else window  # 'Hann' is 'hann'
        controls = {
            "sound": dropdown(list(self.sounds), next(iter(self.sounds)) if sound is None
                              else sound, "sound", name="sound", width="240px"),
            "n_mels": slider("int", n_mels, 1, 256, 1, "n_mels", name="n_mels"),
            "fmin": slider("int", fmin, 0, nyq, 10, "fmin (Hz)", name="fmin"),
            "fmax": slider("int", nyq if fmax is None else fmax, 10, nyq, 1, "fmax (Hz)",
                           name="fmax"),
            "window": dropdown(WINDOW_NAMES, window, "window", name="window"),
            "periodic": toggle([("periodic", True), ("symmetric", False)], periodic, "shape",
                               name="periodic"),
            "n_fft": dropdown(N_FFTS, n_fft, "n_fft", name="n_fft"),
            "hop_length": slider("int", hop_length, 1, 4096, 1, "hop_length", name="hop_length"),
            "power": toggle([("1: |X|", 1.0), ("2: |X|²", 2.0)], power, "power", name="power"),
            "htk": toggle([("Slaney", False), ("HTK", True)], htk, "mel scale", name="htk"),
            "norm": toggle([("slaney", "slaney"), ("none", None)], norm, "norm", name="norm"),
        }
        fig = new_figure((8.0, 7.0))
        with style():
            ax_y, ax_fb, ax_m = fig.subplots(3, 1, height_ratios=(0.8, 1.1, 1.8))
            (wave,) = ax_y.plot([], [], lw=0.6, color="C0")
            plotting.decorate(ax_y, xlabel="Time (s)", ylabel="Amplitude", title="Waveform")
            lc, fmin_line, fmax_line = filterbank_axes(ax_fb, self.sr, "Weight / tallest",
                                                       lw=0.9)
            ax_fb.set_ylim(0, 1.08)
            im = ax_m.imshow(np.zeros((2, 2)), origin="lower", aspect="auto",
                             interpolation="nearest", vmin=-80, vmax=0)
            plotting.decorate(ax_m, xlabel="Time (s)", ylabel="Frequency (Hz), mel-spaced",
                              title="Log-mel spectrogram (one row per mel band; grey: "
                                    "outside fmin–fmax)")
            ax_m.set_facecolor("0.85")
            fig.colorbar(im, ax=ax_m, label="dB (re max)", format="%+.0f")
        self.artists = {"waveform": wave, "filters": lc, "fmin": fmin_line,
                        "fmax": fmax_line, "mel_image": im}
        self._axes = (ax_y, ax_fb, ax_m)
        self.audio = player()
        self._sound_shown = None
        self.upload = ipywidgets.FileUpload(
            accept=UPLOAD_TYPES, multiple=False, icon="upload",
            description=f"Your file (≤ {MAX_UPLOAD_BYTES / 1e6:g} MB)",
            tooltip="WAV, FLAC, OGG or MP3: decoded here, resampled to the explorer's rate "
                    "and added to the sound menu").add_class("mel-upload")
        self.upload.layout.width = "auto"
        self.upload_status = ipywidgets.HTML("").add_class("mel-upload-status")
        self.upload.observe(self._on_upload, names="value")
        super().__init__(controls, fig, extra=[
            ipywidgets.HBox([self.upload, self.upload_status]), self.audio])

    def add_file(self, data, name):
        """Decode an audio file's bytes, resample it to the explorer's rate, select it.

        The sound is added to the sound menu under the file's name (an upload of
        the same name replaces it). A file that is too large or cannot be read
        leaves everything as it was and says why in :attr:`upload_status`.

        Parameters
        ----------
        data : bytes or memoryview
            The file's contents (what ``FileUpload`` received).
        name : str
            The file's name, shown in the menu and the messages.

        Returns
        -------
        bool
            True if the sound was added.
        """
        import soundfile

        from ..audio_io import load_audio

        data = bytes(data)
        name = str(name) or "uploaded file"
        try:
            if len(data) > MAX_UPLOAD_BYTES:
                raise ValueError(
                    f"{name!r} is {len(data) / 1e6:.1f} MB; the explorer takes files up to "
                    f"{MAX_UPLOAD_BYTES / 1e6:g} MB (about {MAX_UPLOAD_BYTES / 176400:.0f} s of "
                    f"44.1 kHz stereo 16-bit WAV). "
                    f"Cut it first, or read it in a cell with helpers.load_audio.")
            source = io.BytesIO(data)
            source.name = repr(name)  # load_audio's messages name the file
            y, _ = load_audio(source, sr=self.sr)
            info = soundfile.info(io.BytesIO(data))
        except (ValueError, TypeError) as exc:
            self.upload_status.value = (f'<span class="mel-upload-error">&#9888; {html.escape(str(exc))} '
                                        "The sound shown is unchanged.</span>")
            return False
        label = name if name not in self._builtin else f"{name} (your file)"
        self.sounds[label] = y
        self._wavs.pop(label, None)
        for key in [k for k in self._stft_cache if k[0] == label]:
            del self._stft_cache[key]
        self._sound_shown = None  # redraw its waveform and player even if the name was shown
        menu = self.controls["sound"]
        with self.hold():  # one redraw, with the new sound selected
            menu.options = list(self.sounds)
            menu.value = label
        done = [f"{label}: {len(y) / self.sr:.3g} s"]
        if info.channels > 1:
            done.append(f"{info.channels} channels mixed to mono")
        done.append("at its own rate" if info.samplerate == self.sr else
                    f"resampled from {info.samplerate} Hz to {self.sr:g} Hz")
        self.upload_status.value = html.escape(", ".join(done) + ".")
        return True

    def _on_upload(self, change):
        files = change["new"]
        if not files:  # cleared below, so that the same file can be chosen again
            return
        try:
            self.add_file(files[0]["content"], files[0]["name"])
        finally:
            self.upload.value = ()

    def _spectrum(self, sound, n_fft, hop, window, periodic, power):
        """|STFT|**power of a sound, cached by every argument (the last 6 settings)."""
        key = (sound, n_fft, hop, window, periodic, power)
        if key in self._stft_cache:
            self._stft_cache.move_to_end(key)
        else:
            self._stft_cache[key] = power_frames(self.sounds[sound], n_fft, hop, window,
                                                 periodic, power)
            while len(self._stft_cache) > 6:
                self._stft_cache.popitem(last=False)
        return self._stft_cache[key]

    def update(self, v):
        sr = self.sr
        y = self.sounds[v["sound"]]
        n_fft, hop, n_mels = int(v["n_fft"]), int(v["hop_length"]), int(v["n_mels"])
        fmin, fmax, htk, norm = float(v["fmin"]), float(v["fmax"]), bool(v["htk"]), v["norm"]
        power = 2 if float(v["power"]) == 2.0 else 1
        ax_y, ax_fb, ax_m = self._axes
        a = self.artists
        if self._sound_shown != v["sound"]:  # the waveform and the player change with the sound
            t, env = envelope(y, sr)
            a["waveform"].set_data(t, env)
            ax_y.set_xlim(0, len(y) / sr)
            peak = float(np.max(np.abs(y)))
            ax_y.set_ylim(*((-1.05, 1.05) if peak <= 1 else (-1.05 * peak, 1.05 * peak)))
            if v["sound"] not in self._wavs:  # played at the nearest whole rate
                self._wavs[v["sound"]] = wav_bytes(y, int(round(sr)),
                                                   max_seconds=MAX_PLAYER_SECONDS)
            self.audio.value = self._wavs[v["sound"]]
            self._sound_shown = v["sound"]
        n = len(y)
        lines = []
        # The filterbank first: it only depends on the mel settings.
        fb = mel_filterbank(sr, n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm)
        freqs = fft_frequencies(sr, n_fft)
        tallest = float(fb.max())
        # Drawn relative to the tallest filter: the axis stays put as n_mels changes.
        a["filters"].set_segments(filter_segments(fb / (tallest or 1.0), freqs))
        a["fmin"].set_xdata([fmin, fmin])
        a["fmax"].set_xdata([fmax, fmax])
        n_frames = frame_count(n, n_fft, hop)
        n_bins = 1 + n_fft // 2
        if n_frames * n_bins > MAX_STFT_CELLS:
            raise ValueError(
                f"hop_length={hop} on this {n}-sample clip gives {n_frames} frames × "
                f"{n_bins} bins, too many to compute interactively. Raise hop_length "
                f"(e.g. to {max(1, n_fft // 4)}) or pick a shorter sound.")
        if n_fft > n:
            warnings.warn(f"n_fft={n_fft} is longer than the sound ({n} samples): every frame "
                          "is mostly the zero padding added by center=True.", UserWarning)
        S = self._spectrum(v["sound"], n_fft, hop, v["window"], bool(v["periodic"]), power)
        M = (S @ fb.T.astype(np.float32)).T  # (n_mels, n_frames)
        to_db = power_to_db if power == 2 else amplitude_to_db
        db = to_db(M, ref=float(M.max()) if M.max() > 0 else 1.0, top_db=80.0)
        im = a["mel_image"]
        im.set_data(db)
        mel_axis(ax_m, im, sr, hop, n_mels, fmin, fmax, htk)
        ax_m.set_xlim(0, n / sr)
        lines.append(f"Sound: {v['sound']}, {n} samples = {n / sr:.3g} s at sr = {sr:g} Hz.")
        lines.append(f"Output shape (n_mels, n_frames) = ({n_mels}, {n_frames}).")
        lines.append(frame_formula(n, n_fft, hop, n_frames))
        lines.append(f"Each frame covers n_fft / sr = {n_fft / sr * 1e3:.3g} ms; frames are "
                     f"hop_length / sr = {hop / sr * 1e3:.3g} ms apart; FFT bins are "
                     f"sr / n_fft = {sr / n_fft:.3g} Hz apart.")
        lines.append(f"Filterbank: {n_mels} filters from {fmin:.0f} to {fmax:.0f} Hz, "
                     f"{'HTK' if htk else 'Slaney'} mel scale, norm={norm!r}; the tallest "
                     f"weight is {tallest:.3g} (the figure divides by it).")
        lines.append(("power=2: |X|² mel power, shown with power_to_db" if power == 2 else
                      "power=1: |X| mel amplitude, shown with amplitude_to_db")
                     + " (0 dB = the loudest cell, floor 80 dB below it).")
        return lines


def mel_explorer(y=None, sr=16000, **start):
    """The main explorer: every setting of the mel spectrogram on one screen.

    Parameters
    ----------
    y : numpy.ndarray, shape (n_samples,), or None
        Your sound (mono, float); listed as "your sound" in the sound selector,
        next to a sine, a chirp, a vowel and the synthetic soundscape.
        The player holds its first 10 s. The "Your file" button adds an audio
        file from your computer (WAV, FLAC, OGG, MP3; up to 8 MB): decoded in
        memory with :func:`helpers.load_audio`, resampled to ``sr``, added to the
        menu under its name and selected (``.add_file(data, name)`` does the same
        from code).
    sr : float
        Sampling rate of ``y`` in Hz, 8000 to 768000 (the vowel needs 8000 Hz; a
        browser's player decodes up to 768000). The other sounds are made at this rate.
    **start
        Start values of the controls: ``n_mels`` (1–256), ``fmin``, ``fmax``
        (whole Hz up to sr / 2; None means sr / 2), ``window`` ('hann', 'hamming',
        'blackman', 'rectangular', any capitalisation), ``periodic`` (False: symmetric),
        ``n_fft`` (64, 128, ..., 8192), ``hop_length`` (1–4096), ``power`` (1 or 2),
        ``htk``, ``norm`` ('slaney' or None), ``sound``.

    Returns
    -------
    Explorer
        ``.controls`` has all the names above; ``.figure`` shows the waveform,
        the filterbank (fmin and fmax marked) and the log-mel spectrogram.

    Raises
    ------
    ValueError, TypeError
        For a start value the controls cannot show (naming the argument and what is allowed).

    See also
    --------
    librosa.feature.melspectrogram, torchaudio.transforms.MelSpectrogram

    Notebook: explorer.ipynb
    """
    return MelExplorer(y=y, sr=sr, **start)
