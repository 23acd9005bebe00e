"""helpers.players: the WAV bytes every player holds, helpers.audio, and players side by side.

The expected samples come from the WAV file itself, read back with the standard
library's ``wave`` module, never from numbers copied from a run.
"""

import base64
import io
import re
import wave

import numpy as np
import pytest

import helpers
from helpers import listen, players

SR = 16000
TONE = helpers.sine(440.0, sr=SR, duration=0.5, amplitude=0.25)


def read_wav(data):
    """(samples in [-1, 1], rate, channels, sample width in bytes) of WAV bytes."""
    with wave.open(io.BytesIO(data)) as f:
        frames = f.readframes(f.getnframes())
        rate, channels, width = f.getframerate(), f.getnchannels(), f.getsampwidth()
    return np.frombuffer(frames, dtype="<i2") / 32767, rate, channels, width


def test_wav_bytes_is_a_normalised_16_bit_mono_wav_of_the_samples():
    data = players.wav_bytes(TONE, SR)
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    samples, rate, channels, width = read_wav(data)
    assert (rate, channels, width) == (SR, 1, 2)
    assert len(samples) == len(TONE)
    # normalised: the loudest sample at full scale, the shape unchanged (16-bit rounding)
    np.testing.assert_allclose(samples, TONE / np.abs(TONE).max(), atol=1 / 32767)


def test_silence_stays_silent_and_max_seconds_cuts():
    samples, *_ = read_wav(players.wav_bytes(np.zeros(SR), SR))
    assert not samples.any()
    samples, *_ = read_wav(players.wav_bytes(TONE, SR, max_seconds=0.1))
    assert len(samples) == int(0.1 * SR)
    samples, *_ = read_wav(players.wav_bytes(TONE, SR, max_seconds=1e-9))
    assert len(samples) == 1  # never an empty file


def test_audio_is_helpers_audio_and_holds_the_same_wav():
    assert helpers.audio is players.audio
    player = helpers.audio(TONE, SR, max_seconds=0.25)
    assert player.data == players.wav_bytes(TONE, SR, max_seconds=0.25)
    assert read_wav(player.data)[1] == SR
    assert len(read_wav(helpers.audio(TONE, SR).data)[0]) == len(TONE)  # 10 s default: all of it
    # a float rate with a whole value and a torch tensor are fine
    torch = pytest.importorskip("torch")
    assert helpers.audio(torch.from_numpy(TONE), float(SR)).data == helpers.audio(TONE, SR).data


def test_players_are_one_row_of_labelled_players_each_normalised_alone():
    assert listen.players is players.players
    html = players.players({"loud": TONE, "quiet <b>": 0.01 * TONE}, SR).data
    assert html.count("<audio") == 2 and "quiet &lt;b&gt;" in html
    wavs = [base64.b64decode(m) for m in re.findall(r'src="data:audio/wav;base64,([^"]+)"', html)]
    assert len(wavs) == 2
    loud, quiet = (read_wav(w)[0] for w in wavs)
    np.testing.assert_allclose(loud, quiet, atol=1 / 32767)  # each normalised on its own
    assert len(loud) == len(TONE)


@pytest.mark.parametrize("call, exc, fragments", [
    (lambda: players.audio(TONE, 0), ValueError, ["sr", "between 1 and 768000", "got 0"]),
    (lambda: players.audio(TONE, 1e12), ValueError, ["sr", "768000", "1e+12"]),
    (lambda: players.audio(TONE, True), TypeError, ["sr", "integer", "True"]),
    (lambda: players.audio(TONE, 22050.5), TypeError, ["sr", "integer", "22050.5"]),
    (lambda: players.audio(TONE, "16000"), TypeError, ["sr", "integer"]),
    (lambda: players.audio(TONE, SR, max_seconds="3"), TypeError, ["max_seconds", "number"]),
    (lambda: players.audio(TONE, SR, max_seconds=0), ValueError, ["max_seconds", "greater than 0"]),
    (lambda: players.audio(TONE, SR, max_seconds=np.inf), ValueError, ["max_seconds", "finite"]),
    (lambda: players.wav_bytes(TONE, 800000), ValueError, ["sr", "768000"]),
    (lambda: players.players([TONE], SR), TypeError, ["sounds", "dict"]),
    (lambda: players.players({}, SR), TypeError, ["sounds", "non-empty"]),
    (lambda: players.players({"a": TONE}, SR, max_seconds="3"), TypeError, ["max_seconds"]),
    (lambda: players.players({"bad": np.array([np.nan, 0.0])}, SR), ValueError,
     ["sounds['bad']", "NaN"]),
])
def test_bad_arguments_name_the_argument_and_what_is_allowed(call, exc, fragments):
    with pytest.raises(exc) as info:
        call()
    assert info.type is exc
    missing = [f for f in fragments if f not in str(info.value)]
    assert not missing, f"{info.value!s} lacks {missing}"
