"""Deterministic test sounds: tones, chirps, noise, clicks, a vowel and a soundscape.

Everything here is generated, so the collection never downloads audio, and
every random sound takes a ``seed`` so a re-run gives the same samples.

Notebook: 01_sampling.ipynb introduces these sounds.
"""

import numpy as np
from scipy import signal as _signal

from ._validate import check_choice, check_int, check_number


def _n_samples(sr, duration):
    sr = check_number(sr, "sr", low=0, low_open=True)
    duration = check_number(duration, "duration", low=0, low_open=True)
    n = int(round(duration * sr))
    if n < 1:
        raise ValueError(f"duration={duration:g} s at sr={sr:g} Hz is less than one sample.")
    return sr, n


def sine(freq, sr=22050, duration=1.0, amplitude=1.0, phase=0.0):
    """A sine wave ``amplitude * sin(2 pi freq t + phase)`` sampled at ``t = n / sr``.

    Parameters
    ----------
    freq : float
        Frequency in Hz (>= 0). Above ``sr / 2`` it aliases, as in real sampling.
    sr : float
        Sampling rate in Hz.
    duration : float
        Length in seconds; the signal has ``round(duration * sr)`` samples.
    amplitude : float
        Peak value (1.0 is full scale).
    phase : float
        Starting phase in radians.

    Returns
    -------
    numpy.ndarray, shape (round(duration * sr),), float64

    Notebook: 01_sampling.ipynb
    """
    freq = check_number(freq, "freq", low=0)
    amplitude = check_number(amplitude, "amplitude")
    phase = check_number(phase, "phase")
    sr, n = _n_samples(sr, duration)
    t = np.arange(n) / sr
    return amplitude * np.sin(2 * np.pi * freq * t + phase)


def chirp(fmin, fmax, sr=22050, duration=1.0, method="linear", amplitude=1.0):
    """A sweep from ``fmin`` to ``fmax`` Hz.

    Parameters
    ----------
    fmin, fmax : float
        Start and end frequency in Hz (> 0).
    sr : float
        Sampling rate in Hz.
    duration : float
        Length in seconds.
    method : {'linear', 'exponential'}
        Linear: the frequency grows by the same number of Hz each second.
        Exponential: by the same ratio each second (equal musical steps).
    amplitude : float
        Peak value.

    Returns
    -------
    numpy.ndarray, shape (round(duration * sr),), float64

    See also
    --------
    librosa.chirp, scipy.signal.chirp

    Notebook: 02_stft.ipynb
    """
    fmin = check_number(fmin, "fmin", low=0, low_open=True)
    fmax = check_number(fmax, "fmax", low=0, low_open=True)
    check_choice(method, "method", ("linear", "exponential"))
    amplitude = check_number(amplitude, "amplitude")
    sr, n = _n_samples(sr, duration)
    t = np.arange(n) / sr
    T = n / sr
    if method == "linear" or fmin == fmax:
        phase = 2 * np.pi * (fmin * t + (fmax - fmin) * t ** 2 / (2 * T))
    else:
        k = np.log(fmax / fmin)
        phase = 2 * np.pi * fmin * T / k * (np.exp(k * t / T) - 1)
    return amplitude * np.sin(phase)


def white_noise(sr=22050, duration=1.0, amplitude=0.1, seed=0):
    """Gaussian white noise with standard deviation ``amplitude``, seeded.

    Returns
    -------
    numpy.ndarray, shape (round(duration * sr),), float64

    Notebook: 01_sampling.ipynb
    """
    amplitude = check_number(amplitude, "amplitude", low=0)
    sr, n = _n_samples(sr, duration)
    return amplitude * np.random.default_rng(seed).standard_normal(n)


def pink_noise(sr=22050, duration=1.0, amplitude=0.1, seed=0):
    """Pink (1/f) noise: equal energy per octave, with standard deviation ``amplitude``, seeded.

    White noise shaped in the frequency domain by ``1 / sqrt(f)``.

    Returns
    -------
    numpy.ndarray, shape (round(duration * sr),), float64

    Notebook: 01_sampling.ipynb
    """
    amplitude = check_number(amplitude, "amplitude", low=0)
    sr, n = _n_samples(sr, duration)
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    f = np.fft.rfftfreq(n, d=1.0 / sr)
    shape = np.zeros_like(f)
    shape[1:] = 1.0 / np.sqrt(f[1:] / f[1]) if len(f) > 1 else 0.0
    y = np.fft.irfft(spectrum * shape, n=n)
    std = y.std()
    return amplitude * y / std if std > 0 else y


def click_train(rate=4.0, sr=22050, duration=1.0, amplitude=1.0):
    """Single-sample clicks, ``rate`` per second, the first at t = 0.

    A click is the shortest possible sound: it has all frequencies at once,
    which makes it the natural test of time resolution.

    Returns
    -------
    numpy.ndarray, shape (round(duration * sr),), float64

    Notebook: 02_stft.ipynb
    """
    rate = check_number(rate, "rate", low=0, low_open=True)
    amplitude = check_number(amplitude, "amplitude")
    sr, n = _n_samples(sr, duration)
    y = np.zeros(n)
    idx = np.round(np.arange(0, n / sr, 1.0 / rate) * sr).astype(int)
    y[idx[idx < n]] = amplitude  # the last click can round to n: keep it inside the signal
    return y


# Formant frequencies and bandwidths in Hz (after Peterson & Barney, 1952, adult male).
VOWELS = {
    "a": ((730, 90), (1090, 110), (2440, 170)),
    "i": ((270, 60), (2290, 100), (3010, 170)),
    "u": ((300, 60), (870, 90), (2240, 170)),
    "e": ((530, 70), (1840, 100), (2480, 170)),
    "o": ((570, 70), (840, 90), (2410, 170)),
}


def vowel(name="a", f0=120.0, sr=16000, duration=1.0, amplitude=0.5):
    """A synthetic vowel from a source-filter model.

    The source is a glottal pulse train at ``f0`` (impulses smoothed by a
    two-pole low-pass, about -12 dB per octave); the filter is a cascade of
    three formant resonators. Its spectrum shows harmonics every ``f0`` Hz
    and their envelope peaks at the formants.

    Parameters
    ----------
    name : {'a', 'e', 'i', 'o', 'u'}
        Which vowel (formants from Peterson & Barney, 1952).
    f0 : float
        Fundamental frequency (pitch) in Hz, between 50 and 500.
    sr : float
        Sampling rate in Hz; at least 8000 so all formants fit below Nyquist.
    duration : float
        Length in seconds.
    amplitude : float
        Peak value of the result.

    Returns
    -------
    numpy.ndarray, shape (round(duration * sr),), float64

    Notebook: 01_sampling.ipynb; its harmonics and formants in 03_mel.ipynb
    """
    check_choice(name, "name", tuple(VOWELS))
    f0 = check_number(f0, "f0", low=50, high=500)
    amplitude = check_number(amplitude, "amplitude")
    sr = check_number(sr, "sr", low=8000)
    sr, n = _n_samples(sr, duration)
    source = np.zeros(n)
    idx = np.round(np.arange(0, n / sr, 1.0 / f0) * sr).astype(int)
    source[idx[idx < n]] = 1.0
    pole = np.exp(-2 * np.pi * 100.0 / sr)  # glottal roll-off
    y = _signal.lfilter([1.0], [1.0, -2 * pole, pole ** 2], source)
    for freq, bw in VOWELS[name]:
        r = np.exp(-np.pi * bw / sr)
        theta = 2 * np.pi * freq / sr
        a = [1.0, -2 * r * np.cos(theta), r ** 2]
        y = _signal.lfilter([sum(a)], a, y)  # unit gain at 0 Hz
    y -= y.mean()
    ramp = min(n // 2, int(0.01 * sr))  # 10 ms fade in and out: no click at the edges
    if ramp:
        fade = np.sin(np.linspace(0, np.pi / 2, ramp)) ** 2
        y[:ramp] *= fade
        y[n - ramp:] *= fade[::-1]
    peak = np.max(np.abs(y))
    return amplitude * y / peak if peak > 0 else y


# The event classes of the soundscape, named like DESED's.
SOUNDSCAPE_LABELS = ("Alarm_bell_ringing", "Speech", "Running_water", "Dishes")


def _place(y, event, start):
    end = min(len(y), start + len(event))
    y[start:end] += event[:end - start]


def soundscape(sr=16000, duration=10.0, seed=0):
    """A synthetic domestic scene with labelled events, like a DESED clip.

    A quiet room tone (pink noise at about -50 dBFS) with four kinds of
    events: an alarm beeping at 2.8 kHz, speech-like vowels with a moving
    pitch, running-water-like band-passed noise, and a dish clatter
    (decaying inharmonic partials).

    Parameters
    ----------
    sr : float
        Sampling rate in Hz, at least 8000 (16000 like the DCASE baseline).
    duration : float
        Length in seconds, at least 4 (10 like DESED).
    seed : int
        Seed of the random placement and the noises: the same seed gives the same clip.

    Returns
    -------
    y : numpy.ndarray, shape (round(duration * sr),), float64
        Peak at most 0.9.
    events : list of (onset, offset, label)
        Onset and offset in seconds, label from ``SOUNDSCAPE_LABELS``, sorted by onset.

    Notebook: 01_sampling.ipynb; used again in 06_dcase_frontend.ipynb
    """
    sr = check_number(sr, "sr", low=8000)
    duration = check_number(duration, "duration", low=4)
    sr, n = _n_samples(sr, duration)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    y = pink_noise(sr, duration, amplitude=0.003, seed=seed + 1)
    events = []
    # Four slots across the clip, one event kind each, in a seeded order.
    slot = duration / 4
    for i, label in enumerate(rng.permutation(SOUNDSCAPE_LABELS)):
        length = float(rng.uniform(0.5, 0.8) * slot)
        onset = float(i * slot + rng.uniform(0.05, 0.95 * slot - length))
        m = int(round(length * sr))
        t = np.arange(m) / sr
        if label == "Alarm_bell_ringing":
            gate = (np.mod(t, 0.25) < 0.15).astype(float)
            ev = 0.3 * gate * np.sin(2 * np.pi * 2800 * t)
        elif label == "Speech":
            parts = []
            k = 0
            while sum(len(p) for p in parts) < m:
                f0 = float(rng.uniform(100, 180))
                parts.append(vowel("aeiou"[k % 5], f0=f0, sr=sr, duration=0.22, amplitude=0.4))
                parts.append(np.zeros(int(0.05 * sr)))
                k += 1
            ev = np.concatenate(parts)[:m]
        elif label == "Running_water":
            noise = rng.standard_normal(m)
            b, a = _signal.butter(2, [800 / (sr / 2), 3500 / (sr / 2)], btype="band")
            wobble = 1 + 0.5 * np.sin(2 * np.pi * 7 * t + rng.uniform(0, 2 * np.pi))
            ev = 0.08 * _signal.lfilter(b, a, noise) * wobble
        else:  # Dishes: a few hits, each a bundle of decaying inharmonic partials
            ev = np.zeros(m)
            for hit in np.sort(rng.uniform(0, max(length - 0.3, 0.01), 4)):
                start = int(hit * sr)
                tt = np.arange(int(0.3 * sr)) / sr
                partials = rng.uniform(1500, 6000, 5)
                tone = sum(np.sin(2 * np.pi * f * tt) for f in partials) / 5
                _place(ev, 0.5 * tone * np.exp(-tt / 0.04), start)
        fade = min(len(ev) // 2, int(0.005 * sr))
        if fade:
            ramp = np.linspace(0, 1, fade)
            ev[:fade] *= ramp
            ev[len(ev) - fade:] *= ramp[::-1]
        _place(y, ev, int(round(onset * sr)))
        events.append((round(onset, 3), round(onset + length, 3), str(label)))
    peak = np.max(np.abs(y))
    if peak > 0.9:
        y *= 0.9 / peak
    return y, sorted(events)


def tone_sequence(freqs, amplitudes=0.5, sr=8000, tone_duration=0.3):
    """A melody of sine tones, one after another, each faded in and out by a Hann window.

    Used to *hear* a scale: tones in equal steps of Hz vs equal steps of mel
    (pitch), or in equal steps of amplitude vs equal steps of dB (loudness).
    The Hann envelope avoids clicks where one tone ends and the next begins.

    Parameters
    ----------
    freqs : float or array_like, shape (n_tones,)
        Frequency of each tone in Hz (>= 0); a single number repeats it.
    amplitudes : float or array_like, shape (n_tones,)
        Peak amplitude of each tone; a single number is used for every tone.
    sr : float
        Sampling rate in Hz.
    tone_duration : float
        Length of each tone in seconds.

    Returns
    -------
    numpy.ndarray, shape (n_tones * round(tone_duration * sr),), float64

    See also
    --------
    librosa.tone

    Notebook: 03_mel.ipynb (pitch steps), 04_decibels.ipynb (loudness steps)
    """
    try:
        f = np.atleast_1d(np.asarray(freqs, dtype=float))
        a = np.atleast_1d(np.asarray(amplitudes, dtype=float))
    except (TypeError, ValueError):
        raise TypeError(f"freqs and amplitudes must be numbers or 1-D arrays of numbers, got "
                        f"{freqs!r} and {amplitudes!r}.") from None
    if f.ndim != 1 or a.ndim != 1:
        raise ValueError(f"freqs and amplitudes must be 1-D, got shapes {f.shape} and {a.shape}.")
    if len(f) == 1 and len(a) > 1:
        f = np.repeat(f, len(a))
    if len(a) == 1:
        a = np.repeat(a, len(f))
    if len(a) != len(f):
        raise ValueError(f"freqs has {len(f)} tones but amplitudes has {len(a)}; give one "
                         f"amplitude per tone or a single number.")
    sr, n = _n_samples(sr, tone_duration)
    envelope = np.hanning(n)
    return np.concatenate([amp * sine(freq, sr=sr, duration=n / sr) * envelope
                           for freq, amp in zip(f, a)])


# The events of write_recording: the soundscape's, plus frying, which has most of its energy
# above 8 kHz (what resampling to 16 kHz removes). Named like DESED's classes.
RECORDING_LABELS = SOUNDSCAPE_LABELS + ("Frying",)
RECORDING_GAINS = {"scene": (0.9, 0.5), "Frying": (0.25, 1.0)}  # (left, right)


def write_recording(folder, seed=0, duration=10.0, sr=44100, name="recording.wav"):
    """Write a recording-like file: 44.1 kHz, stereo, 16-bit PCM WAV, with labelled events.

    Like a DESED file before the baseline touches it. The left and right
    channels hold the same scene at different gains (the scene of
    :func:`soundscape` at ``sr``, louder on the left), each with its own
    room tone (independent pink noise, about −56 dBFS), and a frying event
    (high-passed crackling noise, most of its energy above 8 kHz) that is
    louder on the right. The samples are ``round(32768 * x)`` clipped to
    int16, so reading the file back gives ``x`` to within 1 / 65536.

    Parameters
    ----------
    folder : str or os.PathLike
        An existing folder (e.g. a ``tempfile.TemporaryDirectory``); a file
        of the same name there is overwritten.
    seed : int
        The same seed gives the same file, bit for bit.
    duration : float
        Seconds, at least 4.
    sr : int
        Sampling rate of the file in Hz, at least 16000 (44100 like DESED's
        original audio).
    name : str
        File name inside ``folder``.

    Returns
    -------
    path : pathlib.Path
        The file written.
    events : list of (onset, offset, label)
        Seconds, sorted by onset; labels from ``RECORDING_LABELS``.

    See also
    --------
    soundscape : the scene, mono and float. helpers.load_audio reads the file.

    Notebook: 09_from_file.ipynb
    """
    import os
    import pathlib

    import soundfile

    if not isinstance(folder, (str, os.PathLike)):
        raise TypeError(f"folder must be a path, got {type(folder).__name__}.")
    folder = pathlib.Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder {str(folder)!r} is not an existing folder; create it first, "
                         f"e.g. with tempfile.TemporaryDirectory().")
    if not isinstance(name, str) or not name or pathlib.Path(name).name != name:
        raise ValueError(f"name must be a plain file name such as 'recording.wav', got {name!r}.")
    sr = check_int(sr, "sr", low=16000)
    duration = check_number(duration, "duration", low=4)
    seed = check_int(seed, "seed", low=0)
    scene, events = soundscape(sr=sr, duration=duration, seed=seed)
    n = len(scene)
    rng = np.random.default_rng([seed, 44100])
    # frying: a seeded 2-3 s stretch of crackles, high-passed at 6 kHz
    length = float(rng.uniform(2.0, 3.0))
    onset = float(rng.uniform(0.5, duration - length - 0.5))
    m = int(round(length * sr))
    crackles = rng.standard_normal(m) * (rng.random(m) < 0.004) * 10 + rng.standard_normal(m)
    sos = _signal.butter(4, 6000 / (sr / 2), btype="highpass", output="sos")
    fry = _signal.sosfilt(sos, crackles)
    fry *= 0.06 / np.sqrt(np.mean(fry ** 2))  # RMS 0.06 (about -24 dBFS) before the gains
    fry *= np.minimum(1, np.minimum(np.arange(m), m - np.arange(m)) / (0.05 * sr))  # 50 ms fades
    frying = np.zeros(n)
    _place(frying, fry, int(round(onset * sr)))
    events = sorted(events + [(round(onset, 3), round(onset + length, 3), "Frying")])
    channels = []
    for c in range(2):
        tone = pink_noise(sr, n / sr, amplitude=0.0015, seed=seed * 2 + c + 100)
        channels.append(RECORDING_GAINS["scene"][c] * scene + RECORDING_GAINS["Frying"][c] * frying
                        + tone)
    x = np.stack(channels, axis=1)
    x *= min(1.0, 0.9 / np.max(np.abs(x)))
    pcm = np.clip(np.round(x * 32768), -32768, 32767).astype(np.int16)
    path = folder / name
    soundfile.write(path, pcm, sr, subtype="PCM_16")
    return path, events
