"""The test sounds in helpers.signals do what their docstrings say.

Every property is measured on the generated audio (an FFT peak, a fitted
slope, an RMS) and compared with the formula it should follow, never with
numbers copied from an earlier run.
"""

import librosa
import numpy as np
import pytest
import scipy.signal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import helpers
from helpers import signals

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
SRS = st.sampled_from([8000, 11025, 16000, 22050, 44100])
DURATIONS = st.floats(min_value=0.01, max_value=0.5)


def peak_frequency(y, sr):
    """Frequency in Hz of the largest bin of the Hann-windowed spectrum, refined by a parabola."""
    X = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    k = int(np.argmax(X[1:-1])) + 1
    a, b, c = np.log(X[k - 1:k + 2] + 1e-300)
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * sr / len(y)


# --- shapes --------------------------------------------------------------------------------

@SETTINGS
@given(sr=SRS, duration=DURATIONS)
def test_every_sound_has_round_duration_times_sr_samples(sr, duration):
    n = int(round(duration * sr))
    sounds = [signals.sine(440, sr=sr, duration=duration),
              signals.chirp(100, 1000, sr=sr, duration=duration),
              signals.chirp(100, 1000, sr=sr, duration=duration, method="exponential"),
              signals.white_noise(sr=sr, duration=duration),
              signals.pink_noise(sr=sr, duration=duration)]
    for y in sounds:
        assert y.shape == (n,)
        assert y.dtype == np.float64
        assert np.all(np.isfinite(y))


def test_vowel_and_click_train_shapes():
    assert signals.vowel(sr=16000, duration=0.5).shape == (8000,)
    assert signals.click_train(rate=4, sr=22050, duration=1.0).shape == (22050,)


def test_soundscape_shape_and_peak():
    y, events = signals.soundscape(sr=16000, duration=10.0, seed=0)
    assert y.shape == (160000,)
    assert np.max(np.abs(y)) <= 0.9 + 1e-12
    assert len(events) == len(signals.SOUNDSCAPE_LABELS)


# --- sine: the formula, and aliasing as in real sampling -----------------------------------

def test_sine_is_the_sampled_formula():
    sr, f, phase = 16000, 440.0, 0.3
    n = np.arange(8000)
    expected = 0.5 * np.sin(2 * np.pi * f * n / sr + phase)
    np.testing.assert_allclose(signals.sine(f, sr=sr, duration=0.5, amplitude=0.5, phase=phase),
                               expected, atol=1e-12)


@SETTINGS
@given(sr=SRS, frac=st.floats(min_value=0.02, max_value=0.48))
def test_a_tone_above_nyquist_folds_back(sr, frac):
    # sin(2 pi (sr - f) n / sr) = -sin(2 pi f n / sr): the same samples, sign flipped.
    f = frac * sr
    np.testing.assert_allclose(signals.sine(sr - f, sr=sr, duration=0.05),
                               -signals.sine(f, sr=sr, duration=0.05), atol=1e-8)
    measured = peak_frequency(signals.sine(sr - f, sr=sr, duration=0.5), sr)
    assert abs(measured - f) < 2 * sr / (0.5 * sr)  # within two FFT bins


# --- chirp: instantaneous frequency measured by an STFT peak ---------------------------------

@pytest.mark.parametrize("method", ["linear", "exponential"])
def test_chirp_frequency_at_start_and_end(method):
    sr, T, fmin, fmax, n_fft = 22050, 2.0, 300.0, 6000.0, 1024
    y = signals.chirp(fmin, fmax, sr=sr, duration=T, method=method)
    S = np.abs(librosa.stft(y=y, n_fft=n_fft, hop_length=n_fft // 2, center=False))
    freqs = librosa.fft_frequencies(sr=sr, n_fft=n_fft)
    for frame in [0, S.shape[1] - 1]:
        t = (frame * n_fft // 2 + n_fft / 2) / sr  # centre of the frame, in seconds
        if method == "linear":
            expected = fmin + (fmax - fmin) * t / T
        else:
            expected = fmin * (fmax / fmin) ** (t / T)
        measured = freqs[np.argmax(S[:, frame])]
        assert abs(measured - expected) <= 2 * sr / n_fft, (frame, measured, expected)
    # and it starts and ends where asked (the frames above are only n_fft / 2 from the ends)
    assert freqs[np.argmax(S[:, 0])] < freqs[np.argmax(S[:, -1])]


def test_exponential_chirp_spends_equal_time_per_octave():
    # 100 Hz -> 6400 Hz is six octaves in 3 s: 400 Hz (two octaves up) is reached at t = 1 s.
    sr = 16000
    y = signals.chirp(100, 6400, sr=sr, duration=3.0, method="exponential")
    seg = y[int(0.95 * sr):int(1.05 * sr)]
    assert abs(peak_frequency(seg, sr) - 400) < 15


def test_chirp_with_equal_ends_is_a_sine():
    np.testing.assert_allclose(signals.chirp(500, 500, sr=8000, duration=0.1, method="exponential"),
                               signals.sine(500, sr=8000, duration=0.1), atol=1e-9)


# --- noise: determinism and spectra ---------------------------------------------------------

@pytest.mark.parametrize("noise", [signals.white_noise, signals.pink_noise])
def test_noise_is_deterministic_by_seed(noise):
    a = noise(sr=8000, duration=2.0, seed=3)
    b = noise(sr=8000, duration=2.0, seed=3)
    c = noise(sr=8000, duration=2.0, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    # Different seeds: unrelated noise. Pink noise keeps most of its power in the lowest
    # few bins, so chance correlations are larger than for white noise.
    assert abs(np.corrcoef(a, c)[0, 1]) < (0.1 if noise is signals.white_noise else 0.5)


@pytest.mark.parametrize("noise", [signals.white_noise, signals.pink_noise])
def test_noise_standard_deviation_is_amplitude(noise):
    y = noise(sr=16000, duration=2.0, amplitude=0.25, seed=0)
    assert abs(y.std() - 0.25) < 0.01
    assert abs(y.mean()) < 0.02


def spectrum_slope_db_per_octave(y, sr, fmin=50.0, fmax=6000.0):
    f, p = scipy.signal.welch(y, fs=sr, nperseg=4096)
    keep = (f >= fmin) & (f <= fmax)
    slope, _ = np.polyfit(np.log2(f[keep]), 10 * np.log10(p[keep]), 1)
    return slope


def test_pink_noise_falls_3_db_per_octave():
    # Power proportional to 1/f: 10 log10(1/2) = -3.01 dB for each doubling of frequency.
    for seed in [0, 1]:
        slope = spectrum_slope_db_per_octave(signals.pink_noise(sr=16000, duration=10.0,
                                                                seed=seed), 16000)
        assert abs(slope - 10 * np.log10(0.5)) < 0.3, slope


def test_white_noise_is_flat():
    slope = spectrum_slope_db_per_octave(signals.white_noise(sr=16000, duration=10.0), 16000)
    assert abs(slope) < 0.3, slope


# --- clicks ---------------------------------------------------------------------------------

def test_click_train_clicks_every_sr_over_rate_samples():
    sr, rate = 22050, 8.0
    y = signals.click_train(rate=rate, sr=sr, duration=1.0, amplitude=0.5)
    expected = np.round(np.arange(8) * sr / rate).astype(int)
    np.testing.assert_array_equal(np.flatnonzero(y), expected)
    np.testing.assert_array_equal(y[expected], 0.5)


# Regression: when the last click or glottal pulse fell within half a sample of the end, its
# rounded index equalled len(y) and NumPy raised IndexError. Found by a sweep over rates and pitches.
def test_click_train_last_click_near_the_end():
    y = signals.click_train(rate=37.84210526315789, sr=8000, duration=0.37)
    assert len(y) == 2960


def test_vowel_last_pulse_near_the_end():
    y = signals.vowel("a", f0=202.0066889632107, sr=16000, duration=0.5)
    assert len(y) == 8000


@pytest.mark.parametrize("seed", [7, 41, 46, 77])
def test_soundscape_seeds_that_used_to_crash(seed):
    y, _ = signals.soundscape(seed=seed)
    assert len(y) == 160000


# --- vowel: harmonics at multiples of f0, envelope peaks at the formants --------------------

def harmonic_levels_db(y, sr, f0, n_harmonics):
    X = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    bin_of = lambda f: int(round(f * len(y) / sr))  # noqa: E731
    on = np.array([X[bin_of(k * f0)] for k in range(1, n_harmonics + 1)])
    off = np.array([X[bin_of((k + 0.5) * f0)] for k in range(1, n_harmonics + 1)])
    return 20 * np.log10(on), 20 * np.log10(off)


@pytest.mark.parametrize("f0", [100.0, 120.0, 150.0])
def test_vowel_energy_sits_at_multiples_of_f0(f0):
    sr = 16000
    y = signals.vowel("a", f0=f0, sr=sr, duration=1.0)
    on, off = harmonic_levels_db(y, sr, f0, n_harmonics=20)
    assert np.all(on - off > 20), on - off  # each harmonic at least 20 dB above the gap after it


@pytest.mark.parametrize("name", sorted(signals.VOWELS))
def test_vowel_envelope_peaks_at_the_formants(name):
    # A low f0 samples the envelope densely: at 100 Hz the close formants of 'o' (570 and
    # 840 Hz) merge into one peak, at 60 Hz every formant is its own local maximum.
    sr, f0 = 16000, 60.0
    y = signals.vowel(name, f0=f0, sr=sr, duration=1.0)
    on, _ = harmonic_levels_db(y, sr, f0, n_harmonics=int(3500 // f0))
    peaks, _ = scipy.signal.find_peaks(on)
    peak_freqs = (peaks + 1) * f0
    assert len(peak_freqs) == len(signals.VOWELS[name]), peak_freqs  # one peak per formant
    for formant, _bandwidth in signals.VOWELS[name]:
        nearest = peak_freqs[np.argmin(np.abs(peak_freqs - formant))]
        assert abs(nearest - formant) <= f0, (name, formant, peak_freqs)


def test_vowel_is_normalised_and_deterministic():
    a = signals.vowel("e", f0=130, sr=16000, duration=0.3, amplitude=0.5)
    np.testing.assert_array_equal(a, signals.vowel("e", f0=130, sr=16000, duration=0.3,
                                                   amplitude=0.5))
    assert abs(np.max(np.abs(a)) - 0.5) < 1e-12
    assert abs(a[0]) < 1e-3 and abs(a[-1]) < 1e-3  # faded in and out: no click


# --- soundscape: events inside the clip and where the sound is loud -------------------------

SEEDS = [0, 1, 2, 3]


@pytest.mark.parametrize("seed", SEEDS)
def test_soundscape_is_deterministic_and_seeds_differ(seed):
    y1, ev1 = signals.soundscape(seed=seed)
    y2, ev2 = signals.soundscape(seed=seed)
    np.testing.assert_array_equal(y1, y2)
    assert ev1 == ev2
    y3, ev3 = signals.soundscape(seed=seed + 10)
    assert ev3 != ev1 and not np.allclose(y1, y3)


@pytest.mark.parametrize("seed", SEEDS)
def test_soundscape_events_are_labelled_and_inside_the_clip(seed):
    duration = 10.0
    _, events = signals.soundscape(duration=duration, seed=seed)
    assert events == sorted(events)
    assert sorted(label for _, _, label in events) == sorted(signals.SOUNDSCAPE_LABELS)
    for onset, offset, label in events:
        assert 0 <= onset < offset <= duration, (onset, offset, label)
        assert isinstance(label, str)
    for (_, off1, _), (on2, _, _) in zip(events, events[1:]):
        assert off1 <= on2  # one event at a time


def frame_rms(y, frame):
    n = len(y) // frame
    return np.sqrt(np.mean(y[:n * frame].reshape(n, frame) ** 2, axis=1))


@pytest.mark.parametrize("seed", SEEDS)
def test_soundscape_events_are_where_the_audio_is_loud(seed):
    sr = 16000
    y, events = signals.soundscape(sr=sr, seed=seed)
    inside = np.zeros(len(y), bool)
    for onset, offset, _ in events:
        inside[int(round(onset * sr)):int(round(offset * sr))] = True
    room = np.sqrt(np.mean(y[~inside] ** 2))
    assert room < 0.01  # the room tone is quiet (about -50 dBFS)
    for onset, offset, label in events:
        seg = y[int(round(onset * sr)):int(round(offset * sr))]
        assert np.sqrt(np.mean(seg ** 2)) > 5 * room, label  # at least 14 dB above the room
    # and every loud 20 ms frame lies within an event
    frame = int(0.02 * sr)
    loud = frame_rms(y, frame) > 5 * room
    covered = frame_rms(inside.astype(float), frame) > 0
    assert loud.any() and np.all(covered[loud])


# --- bad arguments raise clearly ------------------------------------------------------------

@pytest.mark.parametrize("call, error, words", [
    (lambda: signals.sine(-5), ValueError, "freq"),
    (lambda: signals.sine(440, sr=0), ValueError, "sr"),
    (lambda: signals.sine(440, sr="22050"), TypeError, "sr"),
    (lambda: signals.sine(440, duration=0), ValueError, "duration"),
    (lambda: signals.sine(440, sr=100, duration=0.001), ValueError, "less than one sample"),
    (lambda: signals.sine(float("nan")), ValueError, "freq"),
    (lambda: signals.chirp(0, 100), ValueError, "fmin"),
    (lambda: signals.chirp(100, 1000, method="log"), ValueError, "method"),
    (lambda: signals.white_noise(amplitude=-1), ValueError, "amplitude"),
    (lambda: signals.pink_noise(duration=-1), ValueError, "duration"),
    (lambda: signals.click_train(rate=0), ValueError, "rate"),
    (lambda: signals.vowel("y"), ValueError, "name"),
    (lambda: signals.vowel("a", f0=1000), ValueError, "f0"),
    (lambda: signals.vowel("a", sr=4000), ValueError, "sr"),
    (lambda: signals.soundscape(duration=2), ValueError, "duration"),
    (lambda: signals.soundscape(seed=-1), ValueError, "seed"),
    (lambda: signals.soundscape(seed=1.5), TypeError, "seed"),
])
def test_bad_arguments_raise_with_the_argument_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_integer_pcm_is_refused_with_the_scaling_to_use():
    pcm = (signals.sine(440, sr=8000, duration=0.1) * 32767).astype(np.int16)
    with pytest.raises(TypeError, match=r"astype\(np.float32\) / 32768"):
        helpers.stft(pcm, n_fft=256)


# --- tone_sequence (03_mel.ipynb, 04_decibels.ipynb) ---------------------------------------

@given(freqs=st.lists(st.floats(20, 3900), min_size=1, max_size=6),
       amp=st.floats(0.01, 1.0), dur=st.floats(0.01, 0.3))
@SETTINGS
def test_tone_sequence_is_hann_faded_sines_in_order(freqs, amp, dur):
    sr = 8000
    y = signals.tone_sequence(freqs, amplitudes=amp, sr=sr, tone_duration=dur)
    n = int(round(dur * sr))
    assert y.shape == (len(freqs) * n,)
    t = np.arange(n) / sr
    for i, f in enumerate(freqs):  # independent computation: numpy's sine and Hann window
        np.testing.assert_allclose(y[i * n:(i + 1) * n],
                                   amp * np.sin(2 * np.pi * f * t) * np.hanning(n), atol=1e-12)


def test_tone_sequence_broadcasts_a_single_frequency_over_amplitudes():
    y = signals.tone_sequence(440, amplitudes=[0.1, 0.5, 0.9], sr=8000, tone_duration=0.1)
    peaks = np.abs(y).reshape(3, -1).max(axis=1)
    np.testing.assert_allclose(peaks, [0.1, 0.5, 0.9], rtol=0.02)


@pytest.mark.parametrize("kw, err, match", [
    ({"freqs": [100, 200], "amplitudes": [0.1, 0.2, 0.3]}, ValueError, "amplitudes"),
    ({"freqs": [[100, 200]]}, ValueError, "1-D"),
    ({"freqs": "a"}, TypeError, "freqs"),
    ({"freqs": [-5.0]}, ValueError, "freq"),
    ({"freqs": [100], "tone_duration": 0}, ValueError, "duration"),
])
def test_tone_sequence_rejects_bad_input(kw, err, match):
    with pytest.raises(err, match=match):
        signals.tone_sequence(**kw)


# ------------------------------------------------------------ write_recording

def _band_rms(y, sr, low, high):
    """RMS of y between low and high Hz (an ideal FFT band-pass)."""
    Y = np.fft.rfft(y)
    f = np.fft.rfftfreq(len(y), 1 / sr)
    return np.sqrt(np.mean(np.fft.irfft(np.where((f >= low) & (f < high), Y, 0), n=len(y)) ** 2))


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    import soundfile

    folder = tmp_path_factory.mktemp("rec")
    path, events = signals.write_recording(folder, seed=3)
    pcm, sr = soundfile.read(path, dtype="int16")
    return path, events, pcm, sr


def test_write_recording_writes_44k_stereo_int16(recording):
    import soundfile

    path, events, pcm, sr = recording
    info = soundfile.info(path)
    assert (info.format, info.subtype, info.samplerate, info.channels) == ("WAV", "PCM_16", 44100, 2)
    assert pcm.shape == (441000, 2) and sr == 44100
    y, rate = helpers.load_audio(path, mono=False)  # int16 / 32768, as librosa scales it
    np.testing.assert_array_equal(y, pcm.T.astype(np.float32) / 32768)
    assert 0.1 < np.max(np.abs(y)) <= 0.9 + 1 / 32768


def test_write_recording_events_are_sorted_labelled_and_inside(recording):
    _, events, _, _ = recording
    assert events == sorted(events)
    assert sorted(label for *_, label in events) == sorted(signals.RECORDING_LABELS)
    assert all(0 <= on < off <= 10 for on, off, _ in events)


def test_write_recording_channel_gains_and_frying_above_8k(recording):
    _, events, pcm, sr = recording
    y = pcm.astype(np.float64) / 32768
    span = {label: slice(int(on * sr), int(off * sr)) for on, off, label in events}
    alarm = y[span["Alarm_bell_ringing"]]  # the alarm's 2.8 kHz line: left / right = 0.9 / 0.5
    ratio = _band_rms(alarm[:, 0], sr, 2700, 2900) / _band_rms(alarm[:, 1], sr, 2700, 2900)
    assert ratio == pytest.approx(0.9 / 0.5, rel=0.02)
    fry = y[span["Frying"]]  # above 8 kHz only frying plays: right / left = 1.0 / 0.25
    ratio = _band_rms(fry[:, 1], sr, 8000, 22050) / _band_rms(fry[:, 0], sr, 8000, 22050)
    assert ratio == pytest.approx(1.0 / 0.25, rel=0.05)
    # most of frying's energy is above 8 kHz; outside it almost nothing is
    right = fry[:, 1]
    assert _band_rms(right, sr, 8000, 22050) > 2 * _band_rms(right, sr, 6000, 8000)
    rest = np.concatenate([y[:span["Frying"].start, 1], y[span["Frying"].stop:, 1]])
    high_db = 20 * np.log10(_band_rms(right, sr, 8000, 22050) / _band_rms(rest, sr, 8000, 22050))
    assert high_db > 20
    # each channel has its own room tone: the channels are not a scaled copy of each other
    quiet = y[: int(0.05 * sr)]
    assert abs(np.corrcoef(quiet[:, 0], quiet[:, 1])[0, 1]) < 0.99


def test_write_recording_is_deterministic(tmp_path):
    a, ev_a = signals.write_recording(tmp_path, seed=1, duration=4.0, name="a.wav")
    b, ev_b = signals.write_recording(tmp_path, seed=1, duration=4.0, name="b.wav")
    c, ev_c = signals.write_recording(tmp_path, seed=2, duration=4.0, name="c.wav")
    assert a.read_bytes() == b.read_bytes() and ev_a == ev_b
    assert a.read_bytes() != c.read_bytes() and ev_a != ev_c


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(folder="no such folder"), ValueError, "not an existing folder"),
    (dict(folder=3), TypeError, "folder must be a path"),
    (dict(name="sub/x.wav"), ValueError, "plain file name"),
    (dict(sr=8000), ValueError, "sr"),
    (dict(duration=2.0), ValueError, "duration"),
])
def test_write_recording_rejects_bad_input(tmp_path, kwargs, error, words):
    kwargs.setdefault("folder", tmp_path)
    with pytest.raises(error, match=words):
        signals.write_recording(**kwargs)
