"""The DCASE sound event detection baseline's feature front end, runnable without the data.

The DCASE Task 4 baseline (DESED_task, ``sed_trainer_pretrained.py``) turns
10 s of 16 kHz audio into features with three steps::

    mels = mel_spec(audio)                 # (batch, 128, 626), amplitude
    feats = take_log(mels)                 # dB, clamped to [-50, 80]
    strong, weak = model(scaler(feats))    # the CRNN sees (batch, 1, 626, 128)

This module has those steps with exactly the baseline's settings, the same
front end computed with librosa and with :mod:`helpers` (NumPy) for
cross-checks, a batch of synthetic labelled soundscapes, and a tiny
CRNN-shaped model with *random* weights that only shows the data flow.
:class:`ClipFolder` reads a folder of clips through the same front end, for
fitting a data-set scaler over files (:func:`write_synthetic_folder` makes one).

Notebook: 06_dcase_frontend.ipynb; ClipFolder in 05b_scaling_at_scale.ipynb
"""

import numpy as np
import torch

from ._validate import check_audio, check_choice, check_int, check_number
from .scaling import Scaler
from .signals import SOUNDSCAPE_LABELS, soundscape

SR = 16000               # Hz
N_FFT = 2048             # samples (128 ms)
HOP_LENGTH = 256         # samples (16 ms)
N_MELS = 128
F_MIN, F_MAX = 0.0, 8000.0
AMIN = 1e-5              # amplitude floor of take_log (-100 dB)
CLAMP = (-50.0, 80.0)    # dB
BACKENDS = ("torchaudio", "librosa", "helpers")
MIN_SAMPLES = N_FFT // 2 + 1  # the shortest clip that reflect padding by n_fft // 2 accepts

__all__ = ["AMIN", "BACKENDS", "CLAMP", "ClipFolder", "HOP_LENGTH", "MIN_SAMPLES", "N_FFT",
           "N_MELS", "SR", "Scaler", "TinyCRNN", "detect", "front_end", "mel_spec",
           "mel_spec_numpy", "pad_audio", "strong_labels", "synthetic_batch", "take_log",
           "take_log_numpy", "to_mono", "write_synthetic_folder"]


def mel_spec():
    """The baseline's mel spectrogram transform, exactly as DESED builds it.

    Returns
    -------
    torchaudio.transforms.MelSpectrogram
        Maps audio (batch, n_samples) at 16 kHz to amplitude mel spectrograms
        (batch, 128, 1 + n_samples // 256): 626 frames for 10 s. torchaudio's
        defaults left in place: center=True, pad_mode="reflect",
        mel_scale="htk", norm=None.

    See also
    --------
    librosa.feature.melspectrogram, helpers.melspectrogram, mel_spec_numpy

    Notebook: 06_dcase_frontend.ipynb
    """
    from torchaudio.transforms import MelSpectrogram

    return MelSpectrogram(sample_rate=SR, n_fft=N_FFT, win_length=N_FFT, hop_length=HOP_LENGTH,
                          f_min=F_MIN, f_max=F_MAX, n_mels=N_MELS,
                          window_fn=torch.hamming_window, wkwargs={"periodic": False}, power=1)


def take_log(mels):
    """The baseline's log: amplitude to dB with ``amin=1e-5``, then clamp to [-50, 80] dB.

    Parameters
    ----------
    mels : torch.Tensor, shape (..., n_mels, n_frames)
        Amplitude (power=1) mel spectrogram.

    Returns
    -------
    torch.Tensor, same shape, in dB

    Raises
    ------
    ValueError
        If ``mels`` holds NaN or inf: the clamp keeps NaN, so it would reach
        the network silently (DESED's ``take_log`` passes it on).

    See also
    --------
    torchaudio.transforms.AmplitudeToDB, librosa.amplitude_to_db, take_log_numpy

    Notebook: 04_decibels.ipynb, 06_dcase_frontend.ipynb
    """
    from torchaudio.transforms import AmplitudeToDB

    if not torch.is_tensor(mels):
        raise TypeError(f"mels must be a torch.Tensor, got {type(mels).__name__}; "
                        "for NumPy arrays use take_log_numpy.")
    if not torch.isfinite(mels).all():
        n_nan, n_inf = int(torch.isnan(mels).sum()), int(torch.isinf(mels).sum())
        raise ValueError(
            f"mels must contain only finite values, found {n_nan} NaN and {n_inf} inf: the "
            "clamp would pass NaN on to the network (and turn inf into 80 dB). Check the audio "
            "first, e.g. torch.isfinite(audio).all().")
    amp_to_db = AmplitudeToDB(stype="amplitude")
    amp_to_db.amin = AMIN  # amin = 1e-5 as in librosa
    return amp_to_db(mels).clamp(min=CLAMP[0], max=CLAMP[1])


def mel_spec_numpy(y, backend="helpers"):
    """The baseline's mel spectrogram computed in NumPy, with librosa or with helpers.

    Settings: symmetric Hamming window of 2048 samples, hop 256, centred with
    reflect padding, power=1, 128 HTK mel bands from 0 to 8000 Hz without
    normalisation (``htk=True, norm=None``).

    Parameters
    ----------
    y : numpy.ndarray, shape (n_samples,)
        Mono audio at 16 kHz.
    backend : {"helpers", "librosa"}

    Returns
    -------
    numpy.ndarray, shape (128, 1 + n_samples // 256)

    See also
    --------
    mel_spec : the torchaudio transform it reproduces.

    Notebook: 06_dcase_frontend.ipynb
    """
    y = check_audio(y, min_length=MIN_SAMPLES)
    backend = check_choice(backend, "backend", ("helpers", "librosa"))
    kwargs = dict(sr=SR, n_fft=N_FFT, hop_length=HOP_LENGTH, win_length=N_FFT, center=True,
                  pad_mode="reflect", power=1.0, n_mels=N_MELS, fmin=F_MIN, fmax=F_MAX,
                  htk=True, norm=None)
    if backend == "librosa":
        import librosa
        import scipy.signal

        window = scipy.signal.get_window("hamming", N_FFT, fftbins=False)
        return librosa.feature.melspectrogram(y=y, window=window, **kwargs)
    from .mel import melspectrogram
    from .spectral import get_window

    return melspectrogram(y, window=get_window("hamming", N_FFT, periodic=False), **kwargs)


def take_log_numpy(S):
    """The baseline's log in NumPy: ``clip(amplitude_to_db(S, amin=1e-5, top_db=None), -50, 80)``.

    Parameters
    ----------
    S : numpy.ndarray, shape (n_mels, n_frames)
        Amplitude mel spectrogram.

    Returns
    -------
    numpy.ndarray, same shape, in dB

    See also
    --------
    take_log, librosa.amplitude_to_db

    Notebook: 06_dcase_frontend.ipynb
    """
    from .db import amplitude_to_db

    return np.clip(amplitude_to_db(S, ref=1.0, amin=AMIN, top_db=None), *CLAMP)


def front_end(y, backend="torchaudio"):
    """Log-mel features of the baseline, ``take_log(mel_spec(y))``, with a chosen backend.

    Parameters
    ----------
    y : numpy.ndarray or torch.Tensor, shape (n_samples,) or (batch, n_samples)
        Audio at 16 kHz, at least 1025 samples per clip. A 2-D array is read
        as a batch of clips, one per row: stereo of shape (2, n_samples) would
        be two clips; mix it down first, ``y.mean(axis=0)``.
    backend : {"torchaudio", "librosa", "helpers"}

    Returns
    -------
    numpy.ndarray, shape (128, n_frames) or (batch, 128, n_frames), in dB
        torchaudio: float32, the baseline's dtype; float64 audio is cast to
        float32 first, as the baseline's data loader does (``read_audio`` in
        DESED_task ``desed_task/dataio/datasets.py`` ends with
        ``mixture.float()``). librosa and helpers: float32 for float32 input,
        float64 otherwise.

    Notebook: 06_dcase_frontend.ipynb
    """
    backend = check_choice(backend, "backend", BACKENDS)
    y = _clips(y)
    if isinstance(y, np.ndarray) and y.ndim == 2:
        return np.stack([front_end(clip, backend) for clip in y])
    y = check_audio(y, min_length=MIN_SAMPLES)
    if backend == "torchaudio":
        with torch.no_grad():
            x = torch.from_numpy(y.astype(np.float32, copy=False))
            return take_log(mel_spec()(x)).numpy()
    out = take_log_numpy(mel_spec_numpy(y, backend=backend))
    return out.astype(y.dtype, copy=False)


def _clips(y):
    """``y`` as a NumPy array if it is one clip or a batch of clips; a clear error for other
    shapes. Anything that is not array-like is left for ``check_audio`` to refuse."""
    if torch.is_tensor(y):
        y = y.detach().cpu().numpy()
    if not isinstance(y, (np.ndarray, list, tuple)):
        return y
    try:
        arr = np.asarray(y)
    except ValueError:  # ragged lists: check_audio says so
        return y
    if arr.ndim > 2:
        raise ValueError(f"y must have shape (n_samples,) for one clip or (batch, n_samples) for "
                         f"a batch, got shape {arr.shape}.")
    if arr.ndim == 2:
        n_clips, n = arr.shape
        if n_clips == 0:
            raise ValueError(f"y has shape {arr.shape}: a batch of 0 clips. front_end takes one "
                             "clip (n_samples,) or a batch (batch, n_samples) with at least one "
                             "clip.")
        if n < MIN_SAMPLES:
            hint = ""
            if n <= 8 and n_clips >= MIN_SAMPLES:
                hint = (f" It looks like one recording with {n} channels, laid out (n_samples, "
                        f"channels): mix it down with y.mean(axis=1).")
            raise ValueError(f"y has shape {arr.shape}, read as a batch of {n_clips} clip(s) of "
                             f"{n} sample(s) each, but each clip needs at least {MIN_SAMPLES} "
                             f"samples (n_fft // 2 + 1 for the reflect padding).{hint}")
    return arr


def synthetic_batch(n_clips=4, seed=0, duration=10.0):
    """A batch of synthetic 10 s, 16 kHz soundscapes with their event labels.

    Clip ``i`` is :func:`helpers.soundscape` with seed ``seed + i``.

    Parameters
    ----------
    n_clips : int
        Batch size, at least 1.
    seed : int
        Seed of the first clip.
    duration : float
        Seconds per clip (10 like DESED).

    Returns
    -------
    audio : torch.Tensor, shape (n_clips, round(duration * 16000)), float32
    events : list of lists of (onset, offset, label)
        One event list per clip, times in seconds.

    Notebook: 06_dcase_frontend.ipynb
    """
    n_clips = check_int(n_clips, "n_clips", low=1)
    seed = check_int(seed, "seed", low=0)
    clips, events = [], []
    for i in range(n_clips):
        y, ev = soundscape(sr=SR, duration=duration, seed=seed + i)
        clips.append(y.astype(np.float32))
        events.append(ev)
    return torch.from_numpy(np.stack(clips)), events


def write_synthetic_folder(folder, n_clips, seed=0, duration=10.0):
    """Write ``n_clips`` synthetic soundscapes as 16-bit WAV files at 16 kHz into ``folder``.

    Clip ``i`` is :func:`helpers.soundscape` with seed ``seed + i``, at a gain
    between −30 and 0 dB (seeded), so that the clips differ in level like
    real recordings. Files are named ``clip_00000.wav``, ``clip_00001.wav``,
    ...; existing files of those names are overwritten.

    Parameters
    ----------
    folder : str or os.PathLike
        Created if missing.
    n_clips : int
        Number of files, at least 1.
    seed : int
        Seed of the first clip and of the gains.
    duration : float
        Seconds per clip, at least 4.

    Returns
    -------
    list of pathlib.Path
        The files written, in order.

    Notebook: 05b_scaling_at_scale.ipynb
    """
    import pathlib

    import soundfile

    n_clips = check_int(n_clips, "n_clips", low=1)
    seed = check_int(seed, "seed", low=0)
    duration = check_number(duration, "duration", low=4)
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    gains_db = np.random.default_rng(seed).uniform(-30.0, 0.0, n_clips)
    paths = []
    for i in range(n_clips):
        y, _ = soundscape(sr=SR, duration=duration, seed=seed + i)
        path = folder / f"clip_{i:05d}.wav"
        soundfile.write(path, y * 10 ** (gains_db[i] / 20), SR, subtype="PCM_16")
        paths.append(path)
    return paths


def _read_clip(path):
    """Read one audio file as mono float32 at 16 kHz, like the baseline's ``read_audio``.

    :func:`helpers.load_audio` reads it, with a clear error for a file that is
    not audio; several channels are averaged, as DESED's ``to_mono`` does.
    """
    from .audio_io import load_audio

    y, sr = load_audio(path)
    if sr != SR:
        raise ValueError(f"{path} is sampled at {sr} Hz but the baseline's front end needs "
                         f"{SR} Hz: resample it first (e.g. librosa.resample(y, orig_sr={sr}, "
                         f"target_sr={SR})), or read it with helpers.load_audio(path, sr={SR}).")
    return y


class ClipFolder(torch.utils.data.Dataset):
    """The baseline's log-mel features of the audio files in a folder, one clip per item.

    Only the file names are kept in memory; each item is read from disk and
    turned into features (``take_log(mel_spec(audio))``) when it is asked
    for, so a ``DataLoader`` over it uses constant memory however many files
    there are, and its workers (``num_workers``) read and compute in
    parallel.

    Parameters
    ----------
    folder : str or os.PathLike
        A folder of audio files at 16 kHz (mono, or several channels that are
        averaged).
    pattern : str
        Glob pattern of the files, sorted by name (default ``"*.wav"``).

    Notes
    -----
    Items are float32 tensors of shape (128, 1 + n_samples // 256). The
    default ``DataLoader`` batching stacks them, so the clips of a batch
    must have the same length (DESED pads or cuts every clip to 10 s).

    See also
    --------
    DESED_task ``desed_task/dataio/datasets.py`` (``read_audio``, the
    baseline's data sets, which return audio and compute features on the GPU).

    Notebook: 05b_scaling_at_scale.ipynb
    """

    def __init__(self, folder, pattern="*.wav"):
        import os
        import pathlib

        if not isinstance(folder, (str, os.PathLike)):
            raise TypeError(f"folder must be a path, got {type(folder).__name__}.")
        folder = pathlib.Path(folder)
        if not folder.is_dir():
            raise ValueError(f"folder {str(folder)!r} is not a folder.")
        self.paths = [str(p) for p in sorted(folder.glob(pattern)) if p.is_file()]
        if not self.paths:
            raise ValueError(f"no files match {pattern!r} in the folder {folder.name!r}.")
        self._mel = mel_spec()

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        y = torch.from_numpy(_read_clip(self.paths[index]))
        with torch.no_grad():
            return take_log(self._mel(y))


def strong_labels(events, n_frames, frame_seconds, labels=SOUNDSCAPE_LABELS):
    """Frame-level (strong) targets: 1 where an event is active, like DESED's ManyHotEncoder.

    Parameters
    ----------
    events : list of (onset, offset, label)
        Times in seconds.
    n_frames : int
        Length of the output grid (626 for features, 156 for the CRNN output).
    frame_seconds : float
        Duration of one frame in seconds (256 / 16000 = 0.016 for features,
        0.064 for the CRNN output).
    labels : sequence of str
        The classes, one row each.

    Returns
    -------
    numpy.ndarray, shape (len(labels), n_frames), float32

    Notebook: 06_dcase_frontend.ipynb
    """
    n_frames = check_int(n_frames, "n_frames", low=1)
    frame_seconds = check_number(frame_seconds, "frame_seconds", low=0, low_open=True)
    labels = list(labels)
    y = np.zeros((len(labels), n_frames), dtype=np.float32)
    for onset, offset, label in events:
        if label not in labels:
            raise ValueError(f"event label {label!r} is not one of labels={labels}.")
        start = int(np.floor(onset / frame_seconds))
        stop = int(np.ceil(offset / frame_seconds))
        y[labels.index(label), max(start, 0):min(stop, n_frames)] = 1.0
    return y


class TinyCRNN(torch.nn.Module):
    """A tiny model shaped like the baseline's CRNN, with RANDOM weights (it detects nothing).

    It only shows how the features flow: like DESED's CRNN it takes
    (batch, n_mels, n_frames), turns it into an image (batch, 1, n_frames,
    n_mels), pools time by 4 (626 → 313 → 156 frames of 64 ms) and frequency
    down to 1, runs a bidirectional GRU over time and gives per-frame
    (strong) and per-clip (weak) class probabilities.

    Parameters
    ----------
    n_mels : int
        Mel bands of the input (128 in the baseline), a multiple of 16.
    n_classes : int
        Output classes (10 in DESED).
    seed : int
        Seed of the random initial weights.

    Attributes
    ----------
    shapes : dict
        The tensor shape after each stage of the last forward call.

    Notebook: 06_dcase_frontend.ipynb
    """

    def __init__(self, n_mels=N_MELS, n_classes=10, seed=0):
        super().__init__()
        n_mels = check_int(n_mels, "n_mels", low=16)
        if n_mels % 16:
            raise ValueError(f"n_mels must be a multiple of 16 (pooling by 16), got {n_mels}.")
        n_classes = check_int(n_classes, "n_classes", low=1)
        gen_state = torch.random.get_rng_state()
        torch.manual_seed(check_int(seed, "seed", low=0))
        try:
            self.cnn = torch.nn.Sequential(
                torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.BatchNorm2d(16), torch.nn.GLU(dim=1),
                torch.nn.AvgPool2d((2, 4)),                       # time /2, freq /4
                torch.nn.Conv2d(8, 32, 3, padding=1), torch.nn.BatchNorm2d(32), torch.nn.GLU(dim=1),
                torch.nn.AvgPool2d((2, 4)),                       # time /2, freq /4
                torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(),
                torch.nn.AvgPool2d((1, n_mels // 16)),            # freq -> 1
            )
            self.rnn = torch.nn.GRU(32, 32, batch_first=True, bidirectional=True)
            self.dense = torch.nn.Linear(64, n_classes)
        finally:
            torch.random.set_rng_state(gen_state)
        self.shapes = {}
        self.eval()

    def forward(self, x):
        """Map features (batch, n_mels, n_frames) to strong and weak class probabilities.

        Returns
        -------
        strong : torch.Tensor, shape (batch, n_classes, n_frames // 4)
        weak : torch.Tensor, shape (batch, n_classes)
        """
        shapes = {"input (batch, n_mels, n_frames)": tuple(x.shape)}
        x = x.transpose(1, 2).unsqueeze(1)
        shapes["CNN input (batch, 1, n_frames, n_mels)"] = tuple(x.shape)
        x = self.cnn(x)
        shapes["CNN output (batch, channels, frames, 1)"] = tuple(x.shape)
        x = x.squeeze(-1).permute(0, 2, 1)
        x, _ = self.rnn(x)
        shapes["GRU output (batch, frames, 2 x hidden)"] = tuple(x.shape)
        strong = torch.sigmoid(self.dense(x)).transpose(1, 2)
        weak = strong.mean(dim=2)
        shapes["strong (batch, classes, frames)"] = tuple(strong.shape)
        shapes["weak (batch, classes)"] = tuple(weak.shape)
        self.shapes = shapes
        return strong, weak


def detect(mel_feats, model, scaler):
    """The baseline's ``detect``: ``model(scaler(take_log(mel_feats)))``.

    Parameters
    ----------
    mel_feats : torch.Tensor, shape (batch, n_mels, n_frames)
        Amplitude mel spectrograms from :func:`mel_spec`.
    model : torch.nn.Module
        E.g. :class:`TinyCRNN`.
    scaler : Scaler

    Returns
    -------
    Whatever ``model`` returns (for TinyCRNN: strong, weak).

    Notebook: 06_dcase_frontend.ipynb
    """
    return model(scaler(take_log(mel_feats)))


# ------------------------------------------------------- the data path (read_audio's steps)

def to_mono(mixture, random_ch=False, seed=None):
    """DESED's ``to_mono``: the mean of the channels, or one "random" channel.

    A port of ``to_mono`` in DESED_task ``desed_task/dataio/datasets.py``
    (commit c6bcb45). With ``random_ch=True`` it draws the channel with
    ``np.random.randint(0, n_channels - 1)``, whose upper end is *excluded*:
    the last channel is never chosen, so a stereo file always gives its
    first (left) channel.

    Parameters
    ----------
    mixture : torch.Tensor, shape (n_samples,) or (n_channels, n_samples)
        1-D input is returned unchanged.
    random_ch : bool
        False: ``torch.mean(mixture, 0)``. True: one channel, drawn as above.
    seed : int or None
        None draws from NumPy's global generator, as DESED does; an int draws
        the same channel as ``np.random.seed(seed)`` before DESED's call.

    Returns
    -------
    torch.Tensor, shape (n_samples,)

    Notebook: 09_from_file.ipynb
    """
    if not torch.is_tensor(mixture):
        raise TypeError(f"mixture must be a torch.Tensor (channels, samples), got "
                        f"{type(mixture).__name__}; use torch.from_numpy(y).")
    if mixture.ndim <= 1:
        return mixture
    if not random_ch:
        return torch.mean(mixture, 0)
    if mixture.shape[0] < 2:
        raise ValueError(f"random_ch=True needs at least 2 channels, got shape "
                         f"{tuple(mixture.shape)}: DESED's np.random.randint(0, n_channels - 1) "
                         f"has nothing to draw from for one channel.")
    draw = np.random if seed is None else np.random.RandomState(check_int(seed, "seed", low=0))
    return mixture[draw.randint(0, mixture.shape[0] - 1)]


def pad_audio(audio, target_len, fs, test=False, seed=None):
    """DESED's ``pad_audio``: zero-pad a short clip at its end, cut a long one at random.

    A port of ``pad_audio`` in DESED_task ``desed_task/dataio/datasets.py``
    (commit c6bcb45), returning what it returns. A clip longer than
    ``target_len`` is cut at a random start ``random.randint(0, n -
    target_len)`` (0 if ``test``); ``onset_s`` is that start in seconds
    (rounded to ms) and ``offset_s = onset_s + target_len / fs``, so the
    labels can be shifted the same way (DESED's ``process_labels``).

    ``padded_indx`` is computed *after* padding or cutting, as
    ``target_len / len(audio)``: for a 1-D clip that is always ``[1.0]``,
    whatever the clip's length. For a (channels, samples) tensor ``len``
    counts channels: a shorter clip gets ``target_len / n_channels``, and a
    longer one is returned uncut.

    Parameters
    ----------
    audio : torch.Tensor, shape (n_samples,) or (n_channels, n_samples)
    target_len : int
        Samples (the baseline: ``pad_to * fs`` = 10 * 16000 = 160000).
    fs : float
        Sampling rate in Hz (only used for ``onset_s`` and ``offset_s``).
    test : bool
        True cuts a long clip from its start instead of at random.
    seed : int or None
        None draws the start from Python's global ``random``, as DESED does;
        an int draws the start that ``random.seed(seed)`` would give.

    Returns
    -------
    audio : torch.Tensor, shape (target_len,) (or (n_channels, ...))
    onset_s, offset_s : float
        Seconds.
    padded_indx : list of one float

    Notebook: 09_from_file.ipynb
    """
    import random

    if not torch.is_tensor(audio):
        raise TypeError(f"audio must be a torch.Tensor, got {type(audio).__name__}; use "
                        f"torch.from_numpy(y).")
    target_len = check_int(target_len, "target_len", low=1)
    fs = check_number(fs, "fs", low=0, low_open=True)
    if audio.shape[-1] < target_len:
        audio = torch.nn.functional.pad(audio, (0, target_len - audio.shape[-1]), mode="constant")
        padded_indx = [target_len / len(audio)]
        onset_s = 0.000
    elif len(audio) > target_len:
        if test:
            clip_onset = 0
        else:
            draw = random if seed is None else random.Random(check_int(seed, "seed", low=0))
            clip_onset = draw.randint(0, len(audio) - target_len)
        audio = audio[clip_onset:clip_onset + target_len]
        onset_s = round(clip_onset / fs, 3)
        padded_indx = [target_len / len(audio)]
    else:
        onset_s = 0.000
        padded_indx = [1.0]
    offset_s = round(onset_s + (target_len / fs), 3)
    return audio, onset_s, offset_s, padded_indx
