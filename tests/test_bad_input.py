"""What every public function of the DSP core does with bad input.

Each row of ERRORS is one bad input: the call must raise the given exception
type (ValueError or TypeError, never an error from deep inside NumPy), and its
message must contain every listed fragment: the argument's name and what is
allowed or how to fix it. RESULTS are the edge cases that have a documented,
correct answer instead (silence, extreme parameters): they are compared with
librosa or with an independent computation, and must not warn.

The "Errors" table of docs/bad_input.md is printed from these rows, with the
messages helpers really gives: `.venv/bin/python tests/test_bad_input.py`.
"""

import re
import warnings

import numpy as np
import pytest

import helpers

SR = 16000
Y = helpers.sine(440.0, sr=SR, duration=0.25)


def _with(value, index=10):
    y = Y.copy()
    y[index] = value
    return y


# Bad audio `y`: every function that takes audio must reject it the same way.
BAD_AUDIO = [
    # (id, what is passed, exception, fragments the message must contain)
    ("NaN in y", _with(np.nan), ValueError, ["y", "finite", "1 NaN", "np.isfinite"]),
    ("inf in y", _with(np.inf), ValueError, ["y", "finite", "1 inf"]),
    ("-inf in y", _with(-np.inf), ValueError, ["y", "finite", "1 inf"]),
    ("empty y", np.array([]), ValueError, ["y", "empty", "at least 1 sample"]),
    ("stereo y (2, n)", np.stack([Y, Y]), ValueError, ["y", "mono", "(2, 4000)", "y.mean(axis=0)"]),
    ("column y (n, 1)", Y[:, None], ValueError, ["y", "mono", "y.ravel()"]),
    ("scalar y", np.float64(0.5), ValueError, ["y", "1-D", "scalar"]),
    ("int16 PCM", (Y * 3000).astype(np.int16), TypeError,
     ["y", "int16", "integer PCM", "[-1, 1]", "y.astype(np.float32) / 32768"]),
    ("int32 PCM", (Y * 3000).astype(np.int32), TypeError,
     ["y", "int32", "y.astype(np.float32) / 2147483648"]),
    ("uint8 PCM", (Y * 100 + 128).astype(np.uint8), TypeError,
     ["y", "uint8", "(y.astype(np.float32) - 128) / 128"]),
    ("boolean y", Y > 0, TypeError, ["y", "floating-point", "boolean"]),
    ("complex y", Y + 0j, TypeError, ["y", "real-valued", "complex"]),
    ("y is a string", "audio.wav", TypeError, ["y", "array of audio samples", "str"]),
    ("y is None", None, TypeError, ["y", "array of audio samples", "NoneType"]),
    ("y is a list of strings", ["a", "b"], TypeError, ["y", "floating-point"]),
]

AUDIO_FUNCTIONS = {
    "stft": lambda y: helpers.stft(y, n_fft=512),
    "melspectrogram": lambda y: helpers.melspectrogram(y, sr=SR, n_fft=512, n_mels=40),
    "audio": lambda y: helpers.audio(y, SR),
}

S_GOOD = np.abs(helpers.stft(Y, n_fft=512)) ** 2


def _s_with(value):
    S = S_GOOD.copy()
    S[3, 2] = value
    return S


# Everything else: (id, call, exception, fragments).
ERRORS = [
    # the STFT's parameters (stft and melspectrogram check them the same way)
    ("stft n_fft=1 (< 2)", lambda: helpers.stft(Y, n_fft=1), ValueError, ["n_fft", "at least 2", "got 1"]),
    ("stft n_fft=0", lambda: helpers.stft(Y, n_fft=0), ValueError, ["n_fft", "at least 2"]),
    ("stft n_fft=2.5", lambda: helpers.stft(Y, n_fft=2.5), TypeError, ["n_fft", "integer", "2.5"]),
    ("stft n_fft='512'", lambda: helpers.stft(Y, n_fft="512"), TypeError, ["n_fft", "integer"]),
    ("stft n_fft=None", lambda: helpers.stft(Y, n_fft=None), TypeError, ["n_fft", "integer", "None"]),
    ("stft hop_length=0 (< 1)", lambda: helpers.stft(Y, hop_length=0), ValueError,
     ["hop_length", "at least 1", "got 0"]),
    ("stft hop_length=-5", lambda: helpers.stft(Y, hop_length=-5), ValueError, ["hop_length", "at least 1"]),
    ("stft win_length > n_fft", lambda: helpers.stft(Y, n_fft=256, win_length=512), ValueError,
     ["win_length=512", "at most n_fft=256"]),
    ("stft win_length=0", lambda: helpers.stft(Y, n_fft=256, win_length=0), ValueError,
     ["win_length", "at least 1"]),
    ("stft unknown window", lambda: helpers.stft(Y, n_fft=256, window="kaiser"), ValueError,
     ["window='kaiser'", "allowed", "'hann'", "'hamming'"]),
    ("stft window=None", lambda: helpers.stft(Y, n_fft=256, window=None), TypeError,
     ["window", "hann", "array of 256 numbers", "None"]),
    ("stft window list of strings", lambda: helpers.stft(Y, n_fft=256, window=["a", "b"]), TypeError,
     ["window", "array of 256 numbers"]),
    ("stft window array wrong length", lambda: helpers.stft(Y, n_fft=256, window=np.ones(10)),
     ValueError, ["window", "(256,)", "(10,)"]),
    ("stft center='yes'", lambda: helpers.stft(Y, center="yes"), TypeError, ["center", "True or False"]),
    ("stft unknown pad_mode", lambda: helpers.stft(Y, pad_mode="zeros"), ValueError,
     ["pad_mode='zeros'", "allowed", "'constant'", "'reflect'"]),
    ("stft too short, center=False", lambda: helpers.stft(Y[:100], n_fft=256, center=False),
     ValueError, ["100 samples", "n_fft=256", "smaller n_fft"]),
    ("stft 1 sample, pad_mode='reflect'", lambda: helpers.stft(Y[:1], n_fft=256, pad_mode="reflect"),
     ValueError, ["pad_mode='reflect'", "at least 2 samples"]),
    # windows and frame counting
    ("get_window unknown name", lambda: helpers.get_window("kaiser", 16), ValueError,
     ["window='kaiser'", "allowed", "'hann'"]),
    ("get_window None", lambda: helpers.get_window(None, 16), TypeError, ["window", "hann", "16 numbers"]),
    ("get_window n=0", lambda: helpers.get_window("hann", 0), ValueError, ["n (window length)", "at least 1"]),
    ("get_window n='16'", lambda: helpers.get_window("hann", "16"), TypeError, ["n (window length)", "integer"]),
    ("get_window periodic='no'", lambda: helpers.get_window("hann", 16, periodic="no"), TypeError,
     ["periodic", "True or False"]),
    ("get_window array with NaN", lambda: helpers.get_window(np.array([1.0, np.nan]), 2), ValueError,
     ["window array", "finite"]),
    ("frame_count n_samples=-1", lambda: helpers.frame_count(-1, 2048, 512), ValueError,
     ["n_samples", "at least 0"]),
    ("frame_count n_samples=None", lambda: helpers.frame_count(None, 2048, 512), TypeError,
     ["n_samples", "integer"]),
    ("frame_count hop_length=0", lambda: helpers.frame_count(22050, 2048, 0), ValueError,
     ["hop_length", "at least 1"]),
    ("frame_count n_fft=0", lambda: helpers.frame_count(22050, 0, 512), ValueError, ["n_fft", "at least 1"]),
    ("frame_count center='no'", lambda: helpers.frame_count(22050, 2048, 512, center="no"), TypeError,
     ["center", "True or False"]),
    ("frame_count too short, center=False", lambda: helpers.frame_count(100, 2048, 512, center=False),
     ValueError, ["100 samples", "n_fft=2048", "smaller n_fft"]),
    ("fft_frequencies sr=0", lambda: helpers.fft_frequencies(sr=0), ValueError, ["sr", "greater than 0"]),
    ("fft_frequencies sr='16k'", lambda: helpers.fft_frequencies(sr="16k"), TypeError, ["sr", "number"]),
    ("fft_frequencies n_fft=0", lambda: helpers.fft_frequencies(n_fft=0), ValueError, ["n_fft", "at least 1"]),
    # the mel scale
    ("hz_to_mel negative", lambda: helpers.hz_to_mel(-1.0), ValueError, ["frequencies", "non-negative", "-1"]),
    ("hz_to_mel NaN", lambda: helpers.hz_to_mel(np.nan), ValueError, ["frequencies", "finite"]),
    ("hz_to_mel string", lambda: helpers.hz_to_mel("440"), TypeError, ["frequencies", "number"]),
    ("hz_to_mel None", lambda: helpers.hz_to_mel(None), TypeError, ["frequencies", "number", "None"]),
    ("hz_to_mel list of strings", lambda: helpers.hz_to_mel(["a", "b"]), TypeError,
     ["frequencies", "array of numbers"]),
    ("hz_to_mel htk='yes'", lambda: helpers.hz_to_mel(440.0, htk="yes"), TypeError,
     ["htk", "True", "False"]),
    ("mel_to_hz negative", lambda: helpers.mel_to_hz(-1.0), ValueError, ["mels", "non-negative"]),
    ("mel_to_hz None", lambda: helpers.mel_to_hz(None), TypeError, ["mels", "number"]),
    ("mel_frequencies n_mels=0", lambda: helpers.mel_frequencies(0), ValueError, ["n_mels", "at least 1"]),
    ("mel_frequencies fmin > fmax", lambda: helpers.mel_frequencies(10, fmin=500.0, fmax=100.0),
     ValueError, ["fmin=500", "fmax=100"]),
    ("mel_frequencies fmin < 0", lambda: helpers.mel_frequencies(10, fmin=-1.0), ValueError,
     ["fmin", "at least 0"]),
    # the filterbank (melspectrogram checks the same arguments the same way)
    ("mel_filterbank n_mels=0 (< 1)", lambda: helpers.mel_filterbank(SR, 512, n_mels=0), ValueError,
     ["n_mels", "at least 1", "got 0"]),
    ("mel_filterbank n_mels=None", lambda: helpers.mel_filterbank(SR, 512, n_mels=None), TypeError,
     ["n_mels", "integer"]),
    ("mel_filterbank n_fft=1", lambda: helpers.mel_filterbank(SR, 1), ValueError, ["n_fft", "at least 2"]),
    ("mel_filterbank fmin < 0", lambda: helpers.mel_filterbank(SR, 512, fmin=-10.0), ValueError,
     ["fmin", "at least 0", "-10"]),
    ("mel_filterbank fmin = fmax", lambda: helpers.mel_filterbank(SR, 512, fmin=4000.0, fmax=4000.0),
     ValueError, ["fmin=4000", "below fmax=4000"]),
    ("mel_filterbank fmin > fmax", lambda: helpers.mel_filterbank(SR, 512, fmin=5000.0, fmax=4000.0),
     ValueError, ["fmin=5000", "below fmax=4000"]),
    ("mel_filterbank fmax > sr/2", lambda: helpers.mel_filterbank(SR, 512, fmax=8001.0), ValueError,
     ["fmax=8001", "Nyquist", "fmax <= 8000"]),
    ("mel_filterbank fmax NaN", lambda: helpers.mel_filterbank(SR, 512, fmax=np.nan), ValueError,
     ["fmax", "finite"]),
    ("mel_filterbank unknown norm", lambda: helpers.mel_filterbank(SR, 512, norm="l2"), ValueError,
     ["norm='l2'", "allowed", "'slaney'", "None"]),
    ("mel_filterbank norm=1", lambda: helpers.mel_filterbank(SR, 512, norm=1), ValueError,
     ["norm=1", "'slaney'"]),
    ("mel_filterbank sr=0", lambda: helpers.mel_filterbank(0, 512), ValueError, ["sr", "greater than 0"]),
    ("mel_filterbank sr=None", lambda: helpers.mel_filterbank(None, 512), TypeError, ["sr", "number"]),
    ("mel_filterbank sr='16000'", lambda: helpers.mel_filterbank("16000", 512), TypeError, ["sr", "number"]),
    ("mel_filterbank htk='slaney'", lambda: helpers.mel_filterbank(SR, 512, htk="slaney"), TypeError,
     ["htk", "True", "False"]),
    ("empty_filter_count string", lambda: helpers.empty_filter_count("fb"), TypeError,
     ["weights", "2-D", "(n_mels, 1 + n_fft // 2)"]),
    ("empty_filter_count 1-D", lambda: helpers.empty_filter_count(np.ones(3)), ValueError,
     ["weights", "2-D", "(3,)"]),
    ("empty_filter_count None", lambda: helpers.empty_filter_count(None), TypeError,
     ["weights", "2-D", "NoneType"]),
    ("melspectrogram fmax > sr/2", lambda: helpers.melspectrogram(Y, sr=SR, fmax=9000.0), ValueError,
     ["fmax=9000", "Nyquist", "fmax <= 8000"]),
    ("melspectrogram n_mels=0", lambda: helpers.melspectrogram(Y, sr=SR, n_mels=0), ValueError,
     ["n_mels", "at least 1"]),
    ("melspectrogram fmin >= fmax", lambda: helpers.melspectrogram(Y, sr=SR, fmin=8000.0), ValueError,
     ["fmin=8000", "below fmax"]),
    ("melspectrogram unknown window", lambda: helpers.melspectrogram(Y, sr=SR, window="gauss"),
     ValueError, ["window='gauss'", "'hann'"]),
    ("melspectrogram unknown norm", lambda: helpers.melspectrogram(Y, sr=SR, norm="max"), ValueError,
     ["norm='max'", "'slaney'"]),
    ("melspectrogram power=0", lambda: helpers.melspectrogram(Y, sr=SR, power=0), ValueError,
     ["power", "greater than 0"]),
    ("melspectrogram sr=None", lambda: helpers.melspectrogram(Y, sr=None), TypeError, ["sr", "number"]),
    ("melspectrogram hop_length=0", lambda: helpers.melspectrogram(Y, sr=SR, hop_length=0), ValueError,
     ["hop_length", "at least 1"]),
    # decibels
    ("power_to_db NaN in S", lambda: helpers.power_to_db(_s_with(np.nan)), ValueError,
     ["S", "1 NaN", "np.isfinite"]),
    ("power_to_db inf in S", lambda: helpers.power_to_db(_s_with(np.inf)), ValueError, ["S", "1 inf"]),
    ("power_to_db negative S", lambda: helpers.power_to_db(_s_with(-1.0)), ValueError,
     ["S", "negative", ">= 0"]),
    ("power_to_db empty S", lambda: helpers.power_to_db(np.zeros((0, 3))), ValueError, ["S", "empty"]),
    ("power_to_db complex S", lambda: helpers.power_to_db(S_GOOD + 0j), TypeError,
     ["S", "complex", "np.abs(S)**2"]),
    ("power_to_db S string", lambda: helpers.power_to_db("spec"), TypeError, ["S", "array", "str"]),
    ("power_to_db S None", lambda: helpers.power_to_db(None), TypeError, ["S", "array", "NoneType"]),
    ("power_to_db S list of strings", lambda: helpers.power_to_db(["a", "b"]), TypeError,
     ["S", "numeric array"]),
    ("power_to_db amin=0", lambda: helpers.power_to_db(S_GOOD, amin=0), ValueError,
     ["amin", "greater than 0", "got 0"]),
    ("power_to_db amin<0", lambda: helpers.power_to_db(S_GOOD, amin=-1e-10), ValueError,
     ["amin", "greater than 0"]),
    ("power_to_db ref='max'", lambda: helpers.power_to_db(S_GOOD, ref="max"), TypeError,
     ["ref", "number"]),
    ("power_to_db top_db<0", lambda: helpers.power_to_db(S_GOOD, top_db=-80.0), ValueError,
     ["top_db", "at least 0"]),
    ("amplitude_to_db NaN in S", lambda: helpers.amplitude_to_db(_s_with(np.nan)), ValueError,
     ["S", "1 NaN"]),
    ("amplitude_to_db complex S", lambda: helpers.amplitude_to_db(S_GOOD + 0j), TypeError,
     ["S", "complex", "np.abs(S)"]),
    ("amplitude_to_db amin=0", lambda: helpers.amplitude_to_db(S_GOOD, amin=0), ValueError,
     ["amin", "greater than 0"]),
    ("amplitude_to_db amin<0", lambda: helpers.amplitude_to_db(S_GOOD, amin=-1.0), ValueError,
     ["amin", "greater than 0"]),
]


def _assert_clear(excinfo, exc, fragments):
    assert excinfo.type is exc, f"expected {exc.__name__}, got {excinfo.type.__name__}: {excinfo.value}"
    message = str(excinfo.value)
    missing = [f for f in fragments if f not in message]
    assert not missing, f"message {message!r} lacks {missing}"
    # raised by helpers itself, not from deep inside NumPy
    raised_in = excinfo.traceback[-1].path
    assert raised_in.parent.name == "helpers", f"raised in {raised_in.name}, not in helpers"


@pytest.mark.parametrize("func", list(AUDIO_FUNCTIONS), ids=list(AUDIO_FUNCTIONS))
@pytest.mark.parametrize("case", BAD_AUDIO, ids=[c[0] for c in BAD_AUDIO])
def test_bad_audio_gives_a_clear_error(func, case):
    _, y, exc, fragments = case
    with pytest.raises((TypeError, ValueError)) as excinfo:
        AUDIO_FUNCTIONS[func](y)
    _assert_clear(excinfo, exc, fragments)


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_bad_argument_gives_a_clear_error(case):
    _, call, exc, fragments = case
    with pytest.raises((TypeError, ValueError)) as excinfo:
        call()
    _assert_clear(excinfo, exc, fragments)


# ---------------------------------------------------------------- warnings

def _librosa_empty_filters(sr, n_fft, n_mels):
    import librosa
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fb = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels)
    return int(np.sum(~np.any(fb > 0, axis=1)))


@pytest.mark.parametrize("sr, n_fft, n_mels", [(16000, 512, 512), (22050, 256, 128), (8000, 64, 40)])
def test_too_many_mels_warns_with_the_number_of_empty_filters(sr, n_fft, n_mels):
    expected = _librosa_empty_filters(sr, n_fft, n_mels)
    assert expected > 0  # the case really has empty filters
    with pytest.warns(UserWarning, match=rf"^{expected} of {n_mels} mel filters are empty") as record:
        fb = helpers.mel_filterbank(sr, n_fft, n_mels=n_mels)
    assert "n_mels" in str(record[0].message) and "n_fft" in str(record[0].message)
    assert helpers.empty_filter_count(fb) == expected
    y = helpers.white_noise(sr=sr, duration=0.1, seed=1)
    with pytest.warns(UserWarning, match=rf"^{expected} of {n_mels} mel filters are empty"):
        helpers.melspectrogram(y, sr=sr, n_fft=n_fft, hop_length=n_fft // 4, n_mels=n_mels)


def test_no_warning_when_every_filter_has_a_bin():
    assert _librosa_empty_filters(16000, 2048, 128) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        helpers.mel_filterbank(16000, 2048, n_mels=128)


# ------------------------------------------- documented, correct results

def _librosa_mel(y, **kw):
    import librosa
    return librosa.feature.melspectrogram(y=y, **kw)


def _no_warnings(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # includes RuntimeWarning: divide by zero in log10
        return call()


def _close(a, b, rtol=1e-6):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    scale = max(np.max(np.abs(b)), 1e-30)
    assert np.max(np.abs(a - b)) <= rtol * scale


def test_silence_gives_zeros_and_the_db_floor_without_warnings():
    silence = np.zeros(SR)
    X = _no_warnings(lambda: helpers.stft(silence, n_fft=512))
    assert X.shape == (257, helpers.frame_count(SR, 512, 128)) and not np.any(X)
    S = _no_warnings(lambda: helpers.melspectrogram(silence, sr=SR, n_fft=512, n_mels=40))
    assert S.shape == (40, helpers.frame_count(SR, 512, 512)) and not np.any(S)
    # 10 log10(amin / ref) with amin = 1e-10, ref = 1: exactly the -100 dB floor
    db = _no_warnings(lambda: helpers.power_to_db(S))
    np.testing.assert_array_equal(db, np.full(S.shape, 10 * np.log10(1e-10)))
    # ref=np.max of silence is 0, clipped to amin: 0 dB everywhere, as in librosa
    import librosa
    np.testing.assert_array_equal(_no_warnings(lambda: helpers.power_to_db(S, ref=np.max)),
                                  librosa.power_to_db(S, ref=np.max))
    np.testing.assert_array_equal(_no_warnings(lambda: helpers.amplitude_to_db(np.sqrt(S))),
                                  np.full(S.shape, 20 * np.log10(1e-5)))


@pytest.mark.parametrize("kw", [
    dict(n_mels=1), dict(n_mels=512, n_fft=4096, hop_length=1024), dict(fmax=SR / 2),
    dict(n_fft=256, hop_length=1, n_mels=32),
], ids=["n_mels=1", "n_mels=512", "fmax at Nyquist", "hop_length=1"])
def test_extreme_parameters_match_librosa(kw):
    y = helpers.chirp(100.0, 7000.0, sr=SR, duration=0.3)
    kw = {"sr": SR, **kw}
    ours = _no_warnings(lambda: helpers.melspectrogram(y, **kw))
    _close(ours, _librosa_mel(y, **kw))
    assert ours.shape[1] == helpers.frame_count(len(y), kw.get("n_fft", 2048), kw.get("hop_length", 512))


def test_fmax_at_nyquist_is_the_same_as_no_fmax():
    np.testing.assert_array_equal(helpers.mel_filterbank(SR, 512, n_mels=40, fmax=SR / 2),
                                  helpers.mel_filterbank(SR, 512, n_mels=40))


@pytest.mark.parametrize("n", [1, 3, 100])
def test_signal_shorter_than_n_fft_is_zero_padded_like_librosa(n):
    # center=True pads n_fft // 2 zeros on each side: one frame, as in librosa
    # (librosa also warns "n_fft is too large"; helpers returns the same numbers).
    y = helpers.sine(440.0, sr=SR, duration=n / SR) + 0.1
    ours = helpers.melspectrogram(y, sr=SR, n_mels=40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = _librosa_mel(y, sr=SR, n_mels=40)
    _close(ours, ref)
    assert ours.shape == (40, 1)


def test_lists_float32_and_torch_tensors_are_accepted():
    import torch
    ref = helpers.melspectrogram(Y, sr=SR, n_mels=40)
    _close(helpers.melspectrogram(list(Y), sr=SR, n_mels=40), ref)
    S32 = helpers.melspectrogram(Y.astype(np.float32), sr=SR, n_mels=40)
    assert S32.dtype == np.float32
    _close(S32, ref, rtol=1e-4)
    _close(helpers.melspectrogram(torch.from_numpy(Y), sr=SR, n_mels=40), ref)


def test_empty_frequency_list_gives_an_empty_result():
    assert helpers.hz_to_mel([]).shape == (0,)
    assert helpers.mel_to_hz([], htk=True).shape == (0,)


# ------------------------------- inputs people actually pass (issue 13, the DSP core)

def _roundtrip(**kw):
    from helpers import listen
    return listen.mel_roundtrip(Y, sr=SR, n_iter=1, **kw)


DSP_CORE_ERRORS = [
    ("stft n_fft=2, no hop_length", lambda: helpers.stft(Y, n_fft=2), ValueError,
     ["hop_length", "default win_length // 4", "2 // 4 = 0", "Pass hop_length"]),
    ("stft win_length=3, no hop_length", lambda: helpers.stft(Y, n_fft=256, win_length=3),
     ValueError, ["hop_length", "3 // 4 = 0"]),
    ("melspectrogram n_mels=True", lambda: helpers.melspectrogram(Y, sr=SR, n_mels=True),
     TypeError, ["n_mels", "integer", "True", "boolean"]),
    ("mel_filterbank n_fft=True", lambda: helpers.mel_filterbank(SR, True), TypeError,
     ["n_fft", "integer", "True"]),
    ("stft hop_length=False", lambda: helpers.stft(Y, hop_length=False), TypeError,
     ["hop_length", "integer", "False"]),
    ("get_window window=np.hanning", lambda: helpers.get_window(np.hanning, 16), TypeError,
     ["window", "function np.hanning", "window=np.hanning(16)"]),
    ("stft window=np.hanning", lambda: helpers.stft(Y, n_fft=256, window=np.hanning), TypeError,
     ["window", "array of 256 numbers", "np.hanning(256)"]),
    ("listen.mel_roundtrip pad_mode='wrap'", lambda: _roundtrip(pad_mode="wrap"), ValueError,
     ["pad_mode='wrap'", "librosa.griffinlim", "allowed", "'reflect'"]),
    ("listen.mel_roundtrip window=np.hanning", lambda: _roundtrip(window=np.hanning), TypeError,
     ["window", "np.hanning(1024)"]),
    ("listen.mel_roundtrip clamp_db=80", lambda: _roundtrip(clamp_db=80), TypeError,
     ["clamp_db", "pair (low, high)"]),
    ("listen.mel_roundtrip amin=0 with clamp_db", lambda: _roundtrip(clamp_db=(-50, 80), amin=0),
     ValueError, ["amin", "greater than 0"]),
]


@pytest.mark.parametrize("case", DSP_CORE_ERRORS, ids=[c[0] for c in DSP_CORE_ERRORS])
def test_inputs_people_pass_give_a_clear_error(case):
    _, call, exc, fragments = case
    with pytest.raises((TypeError, ValueError)) as excinfo:
        call()
    _assert_clear(excinfo, exc, fragments)


# ------------------------------------- audio files (helpers.load_audio, issue 14)

_FILES = {}


def _bad_folder():
    """A temporary folder with one file of each bad kind (written once, removed at exit)."""
    if "dir" not in _FILES:
        import io
        import pathlib
        import tempfile

        import soundfile

        _FILES["dir"] = tempfile.TemporaryDirectory()
        folder = pathlib.Path(_FILES["dir"].name)
        (folder / "a folder").mkdir()
        (folder / "empty.wav").write_bytes(b"")
        (folder / "notes.txt").write_text("onset\toffset\tevent_label\n0.5\t1.2\tSpeech\n")
        # the first bytes of an MP4/M4A (AAC) file: an ISO media 'ftyp' box
        (folder / "song.m4a").write_bytes(b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00M4A mp42isom"
                                          + bytes(64))
        wav = io.BytesIO()
        soundfile.write(wav, Y, SR, format="WAV", subtype="PCM_16")
        (folder / "ok.wav").write_bytes(wav.getvalue())
        (folder / "cut.wav").write_bytes(wav.getvalue()[:30])  # header cut off mid-way
        soundfile.write(folder / "no_samples.wav", np.zeros(0), SR, subtype="PCM_16")
    return _FILES["dir"].name


def _load(source, **kwargs):
    """load_audio on a file of the bad folder, named relative to it (as the messages show)."""
    import contextlib

    with contextlib.chdir(_bad_folder()):
        return helpers.load_audio(source, **kwargs)


AUDIO_FILE_ERRORS = [
    ("load_audio missing file", lambda: _load("missing.wav"), FileNotFoundError,
     ["'missing.wav'", "no such file", "WAV"]),
    ("load_audio a folder", lambda: _load("a folder"), ValueError, ["'a folder'", "is a folder"]),
    ("load_audio empty file (0 bytes)", lambda: _load("empty.wav"), ValueError,
     ["'empty.wav'", "empty (0 bytes)"]),
    ("load_audio text file", lambda: _load("notes.txt"), ValueError,
     ["'notes.txt'", "not an audio file", "WAV, FLAC, OGG"]),
    ("load_audio MP4/M4A (AAC) file", lambda: _load("song.m4a"), ValueError,
     ["'song.m4a'", "MP4/M4A", "cannot read", "Convert"]),
    ("load_audio truncated WAV header", lambda: _load("cut.wav"), ValueError,
     ["'cut.wav'", "starts like a WAV", "truncated"]),
    ("load_audio WAV with no samples", lambda: _load("no_samples.wav"), ValueError,
     ["'no_samples.wav'", "no samples"]),
    ("load_audio bytes that are not audio", lambda: _load(b"not audio at all"), ValueError,
     ["in memory (16 bytes)", "not an audio file"]),
    ("load_audio path=42", lambda: _load(42), TypeError, ["path", "str or pathlib.Path", "int"]),
    ("load_audio sr=0", lambda: _load("ok.wav", sr=0), ValueError, ["sr", "greater than 0"]),
    ("load_audio mono=1", lambda: _load("ok.wav", mono=1), TypeError, ["mono", "True or False"]),
]


@pytest.mark.parametrize("case", AUDIO_FILE_ERRORS, ids=[c[0] for c in AUDIO_FILE_ERRORS])
def test_bad_audio_files_give_a_clear_error(case):
    _, call, exc, fragments = case
    with pytest.raises((TypeError, ValueError, FileNotFoundError)) as excinfo:
        call()
    _assert_clear(excinfo, exc, fragments)


# ------------------------- sound players and explorer start values (issue 13)

def _widgets():
    import helpers.widgets
    return helpers.widgets


EXPLORER_AND_PLAYER_ERRORS = [
    ("audio sr=0", lambda: helpers.audio(Y, 0), ValueError,
     ["sr", "between 1 and 768000", "got 0"]),
    ("audio sr=1e12", lambda: helpers.audio(Y, 1e12), ValueError,
     ["sr", "between 1 and 768000", "1e+12"]),
    ("audio sr=True", lambda: helpers.audio(Y, True), TypeError, ["sr", "integer", "True"]),
    ("audio sr=22050.5", lambda: helpers.audio(Y, 22050.5), TypeError,
     ["sr", "integer", "22050.5"]),
    ("audio max_seconds='3'", lambda: helpers.audio(Y, SR, max_seconds="3"), TypeError,
     ["max_seconds", "number", "'3'"]),
    ("audio max_seconds=0", lambda: helpers.audio(Y, SR, max_seconds=0), ValueError,
     ["max_seconds", "greater than 0"]),
    ("listen.players sounds=[y]", lambda: helpers.listen.players([Y], SR), TypeError,
     ["sounds", "dict"]),
    ("widgets.sampling_explorer freq=30000", lambda: _widgets().sampling_explorer(freq=30000),
     ValueError, ["freq", "between 20 and 20000", "30000"]),
    ("widgets.sampling_explorer sr=48000", lambda: _widgets().sampling_explorer(sr=48000),
     ValueError, ["sr=48000", "allowed", "4000", "44100"]),
    ("widgets.stft_explorer window='kaiser'", lambda: _widgets().stft_explorer(window="kaiser"),
     ValueError, ["window='kaiser'", "allowed", "'hann'", "'rectangular'"]),
    ("widgets.stft_explorer n_fft=1000", lambda: _widgets().stft_explorer(n_fft=1000),
     ValueError, ["n_fft=1000", "allowed", "512", "4096"]),
    ("widgets.filterbank_explorer sr=1", lambda: _widgets().filterbank_explorer(sr=1),
     ValueError, ["sr", "between 1000 and 768000", "got 1"]),
    ("widgets.filterbank_explorer fmax=30000", lambda: _widgets().filterbank_explorer(fmax=30000),
     ValueError, ["fmax", "between 10 and 8000", "30000"]),
    ("widgets.filterbank_explorer norm='max'", lambda: _widgets().filterbank_explorer(norm="max"),
     ValueError, ["norm='max'", "allowed", "'slaney'", "None"]),
    ("widgets.mel_explorer sr=4000", lambda: _widgets().mel_explorer(sr=4000), ValueError,
     ["sr", "between 8000 and 768000", "4000"]),
    ("widgets.mel_explorer n_mels=300", lambda: _widgets().mel_explorer(n_mels=300), ValueError,
     ["n_mels", "between 1 and 256", "300"]),
    ("widgets.mel_explorer hop_length='512'", lambda: _widgets().mel_explorer(hop_length="512"),
     TypeError, ["hop_length", "integer", "'512'"]),
    ("widgets.mel_explorer sound='piano'", lambda: _widgets().mel_explorer(sound="piano"),
     ValueError, ["sound='piano'", "allowed", "'chirp'"]),
    ("listen.reconstruction_explorer n_mels=True",
     lambda: helpers.listen.reconstruction_explorer(n_mels=True), TypeError,
     ["n_mels", "integer", "True"]),
]


@pytest.mark.parametrize("case", EXPLORER_AND_PLAYER_ERRORS,
                         ids=[c[0] for c in EXPLORER_AND_PLAYER_ERRORS])
def test_players_and_explorers_name_the_argument_and_what_is_allowed(case):
    _, call, exc, fragments = case
    with pytest.raises((TypeError, ValueError)) as excinfo:
        call()
    _assert_clear(excinfo, exc, fragments)


# ------------------------- the baseline front end and the Scaler (issue 13)

def _scaler_state(**change):
    import torch
    from helpers.scaling import Scaler
    state = Scaler("dataset", "standard", dims=(2,)).fit([torch.randn(4, 6, 9)]).state_dict()
    for name, value in change.items():
        if value is None:
            del state[name]
        elif name == "eps":
            state["_extra_state"] = {**state["_extra_state"], "eps": value}
        else:
            state[name] = state[name].clone().fill_(value)
    return lambda: Scaler("dataset", "standard", dims=(2,)).load_state_dict(state)


def _fit_tuples():
    import torch
    from helpers.scaling import Scaler
    return Scaler("dataset", "mean").fit([(torch.zeros(2, 6, 9), torch.zeros(2))])


def _take_log_nan():
    import torch
    mels = torch.ones(1, 128, 4)
    mels[0, 3, 2] = float("nan")
    return helpers.baseline.take_log(mels)


def _merge_other_dims():
    import torch
    from helpers.scaling import Scaler
    x = torch.randn(4, 6, 9)
    return Scaler("dataset", "mean", dims=(2,)).fit([x]).merge(Scaler("dataset", "mean").fit([x]))


def _from_desed_negative():
    import torch
    from helpers.scaling import Scaler
    return Scaler.from_desed({"mean": torch.full((1, 1, 1), -20.0),
                              "mean_squared": torch.full((1, 1, 1), 300.0)})


def _shard_rank_2_of_2():
    from helpers.parallel import shard
    return shard(range(4), rank=2, num_replicas=2)


SCALER_AND_BASELINE_ERRORS = [
    ("baseline.front_end stereo y (n, 2)",
     lambda: helpers.baseline.front_end(np.zeros((4000, 2), np.float32)), ValueError,
     ["y", "(4000, 2)", "2 sample(s)", "channels", "y.mean(axis=1)"]),
    ("baseline.front_end y of shape (0, n)",
     lambda: helpers.baseline.front_end(np.zeros((0, 4000), np.float32)), ValueError,
     ["y", "(0, 4000)", "batch of 0 clips"]),
    ("baseline.front_end 3-D y",
     lambda: helpers.baseline.front_end(np.zeros((2, 2, 4000), np.float32)), ValueError,
     ["y", "(2, 2, 4000)", "(n_samples,)", "(batch, n_samples)"]),
    ("baseline.take_log NaN in mels", _take_log_nan, ValueError,
     ["mels", "finite", "1 NaN", "torch.isfinite"]),
    ("Scaler.load_state_dict negative var", _scaler_state(var=-1.0), ValueError,
     ["var", "negative", ">= 0", "NaN"]),
    ("Scaler.load_state_dict NaN var", _scaler_state(var=float("nan")), ValueError,
     ["var", "NaN or inf"]),
    ("Scaler.load_state_dict NaN mean", _scaler_state(mean=float("nan")), ValueError,
     ["mean", "NaN or inf", "finite"]),
    ("Scaler.load_state_dict another eps", _scaler_state(eps=1.0), ValueError,
     ["eps: saved 1.0", "1e-08", "Scaler(**settings)"]),
    ("Scaler.load_state_dict mean without var", _scaler_state(var=None), ValueError,
     ["incomplete", "not var", "together or not at all"]),
    ("Scaler.fit (features, labels) batches", _fit_tuples, TypeError,
     ["tuple of 2 items", "transform_func=lambda batch: batch[0]", "DESED"]),
    ("Scaler.merge other dims", _merge_other_dims, ValueError,
     ["merge()", "same settings", "dims"]),
    ("Scaler.from_desed negative mean_squared - mean²", _from_desed_negative, ValueError,
     ["mean_squared - mean**2", "negative", "NaN"]),
    ("parallel.shard rank=2 of 2", _shard_rank_2_of_2, ValueError,
     ["rank", "between 0 and 1", "got 2"]),
]


@pytest.mark.parametrize("case", SCALER_AND_BASELINE_ERRORS,
                         ids=[c[0] for c in SCALER_AND_BASELINE_ERRORS])
def test_baseline_and_scaler_name_the_problem(case):
    _, call, exc, fragments = case
    with pytest.raises((TypeError, ValueError)) as excinfo:
        call()
    _assert_clear(excinfo, exc, fragments)


# ------------------------------------------------ the table in the docs

def _describe(call):
    try:
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            call()
    except (TypeError, ValueError, FileNotFoundError) as exc:
        return f"`{type(exc).__name__}`: " + _escape(str(exc))
    return "result" + (f" + warning: {_escape(str(record[0].message))}" if record else "")


def _escape(text):
    """Markdown-safe: ** in np.abs(S)**2 or the _ in n_fft must not turn into emphasis."""
    return re.sub(r"([|*_\\[\]<>])", r"\\\1", text)


def markdown_table():
    """The table of docs/bad_input.md, with the messages helpers really gives."""
    lines = ["| function | input | what happens |", "|---|---|---|"]
    names = ", ".join(f"`{name}`" for name in AUDIO_FUNCTIONS)
    for case, y, _, _ in BAD_AUDIO:  # every audio function gives the same message
        lines.append(f"| {names} | {case} | {_describe(lambda: AUDIO_FUNCTIONS['stft'](y))} |")
    for case, call, _, _ in (ERRORS + DSP_CORE_ERRORS + AUDIO_FILE_ERRORS
                             + EXPLORER_AND_PLAYER_ERRORS
                             + SCALER_AND_BASELINE_ERRORS):
        func, _, what = case.partition(" ")
        lines.append(f"| `{func}` | {what} | {_describe(call)} |")
    return "\n".join(re.sub(r"\s+", " ", line) for line in lines)


def test_docs_table_lists_every_row():
    import pathlib
    docs = (pathlib.Path(__file__).resolve().parent.parent / "docs" / "bad_input.md").read_text(
        encoding="utf-8")
    rows = set(re.findall(r"^\| (.+?) \| (.+?) \|", docs, re.M))
    missing = [case for case, *_ in BAD_AUDIO if not any(r[1] == case for r in rows)]
    missing += [case for case, *_ in (ERRORS + DSP_CORE_ERRORS + AUDIO_FILE_ERRORS
                                      + EXPLORER_AND_PLAYER_ERRORS
                                      + SCALER_AND_BASELINE_ERRORS)
                if (f"`{case.partition(' ')[0]}`", case.partition(" ")[2]) not in rows]
    assert not missing, f"docs/bad_input.md lacks {missing}: regenerate its table with " \
                        f"`python tests/test_bad_input.py`"


if __name__ == "__main__":
    print(markdown_table())
