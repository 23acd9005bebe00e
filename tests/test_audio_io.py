"""helpers.load_audio: librosa.load's result for every format and rate, clear errors for bad files.

Every file is generated and written to pytest's tmp_path; nothing is downloaded.
"""

import hashlib
import io
import warnings

import librosa
import numpy as np
import pytest
import soundfile

import helpers
from helpers import audio_io

SR_FILE = 44100

# (format, subtype, extension, the file's rate): what soundfile can write here
FORMATS = [
    ("WAV", "PCM_16", "wav", SR_FILE),
    ("WAV", "PCM_24", "wav", SR_FILE),
    ("WAV", "PCM_32", "wav", SR_FILE),
    ("WAV", "PCM_U8", "wav", SR_FILE),
    ("WAV", "FLOAT", "wav", SR_FILE),
    ("FLAC", "PCM_16", "flac", SR_FILE),
    ("FLAC", "PCM_24", "flac", SR_FILE),
    ("OGG", "VORBIS", "ogg", SR_FILE),
    ("OGG", "OPUS", "ogg", 48000),  # Opus runs at 48 kHz
    ("MP3", "MPEG_LAYER_III", "mp3", SR_FILE),
]
RATES = [None, 16000, 22050, 8000, 48000]


def _stereo(n=SR_FILE // 2, seed=0):
    """Half a second of a tone on the left and noise on the right, peak below 1, float64."""
    t = np.arange(n) / SR_FILE
    noise = np.random.default_rng(seed).standard_normal(n)
    return np.stack([0.5 * np.sin(2 * np.pi * 440 * t), 0.2 * np.clip(noise, -4, 4)], axis=1)


def _write(tmp_path, fmt, subtype, ext, sr, channels=2):
    if fmt not in soundfile.available_formats():
        pytest.skip(f"the installed libsndfile ({soundfile.__libsndfile_version__}) has no {fmt}")
    y = _stereo(n=sr // 2)
    path = tmp_path / f"clip_{subtype}.{ext}"
    soundfile.write(path, y if channels == 2 else y[:, 0], sr, format=fmt, subtype=subtype)
    return path


def _librosa_load(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # audioread's imports on Python 3.11+
        return librosa.load(path, **kwargs)


@pytest.mark.parametrize("mono", [True, False], ids=["mono", "channels"])
@pytest.mark.parametrize("sr", RATES, ids=[f"sr={r}" for r in RATES])
@pytest.mark.parametrize("fmt, subtype, ext, sr_file", FORMATS, ids=[f"{f[0]}-{f[1]}" for f in FORMATS])
def test_equals_librosa_load(tmp_path, fmt, subtype, ext, sr_file, sr, mono):
    path = _write(tmp_path, fmt, subtype, ext, sr_file)
    y, rate = helpers.load_audio(path, sr=sr, mono=mono)
    want, want_rate = _librosa_load(path, sr=sr, mono=mono)
    assert rate == want_rate == (sr or sr_file)
    assert y.dtype == np.float32 and y.shape == want.shape
    assert y.shape[0] == 2 or mono  # librosa's layout: (channels, samples)
    np.testing.assert_allclose(y, want, rtol=0, atol=1e-6 * np.max(np.abs(want)))


@pytest.mark.parametrize("sr", [None, 16000])
def test_a_mono_file_stays_one_dimensional_with_mono_false(tmp_path, sr):
    path = _write(tmp_path, "WAV", "PCM_16", "wav", SR_FILE, channels=1)
    y, _ = helpers.load_audio(path, sr=sr, mono=False)
    want, _ = _librosa_load(path, sr=sr, mono=False)
    assert y.ndim == want.ndim == 1
    np.testing.assert_array_equal(y, want)


# Integer PCM, against the definition: full scale 2**(bits - 1); unsigned 8-bit is offset by 128.
def test_int16_is_divided_by_32768(tmp_path):
    values = np.array([-32768, -1, 0, 1, 12345, 32767], dtype=np.int16)
    soundfile.write(tmp_path / "a.wav", values, 8000, subtype="PCM_16")
    y, _ = helpers.load_audio(tmp_path / "a.wav")
    np.testing.assert_array_equal(y, values.astype(np.float32) / 32768)


def test_int24_is_divided_by_2_to_the_23(tmp_path):
    values = np.array([-2 ** 23, -1, 0, 1, 1234567, 2 ** 23 - 1], dtype=np.int64)
    # soundfile writes int32 data to 24-bit PCM by keeping the top 24 bits
    soundfile.write(tmp_path / "a.wav", (values << 8).astype(np.int32), 8000, subtype="PCM_24")
    y, _ = helpers.load_audio(tmp_path / "a.wav")
    np.testing.assert_array_equal(y, (values / 2 ** 23).astype(np.float32))


def test_unsigned_8_bit_is_offset_by_128(tmp_path):
    raw = np.array([0, 1, 127, 128, 129, 255], dtype=np.int64)
    # an 8-bit WAV stores unsigned bytes: write the bytes of signed values shifted by 128
    soundfile.write(tmp_path / "a.wav", ((raw - 128) << 8).astype(np.int16), 8000, subtype="PCM_U8")
    assert list((tmp_path / "a.wav").read_bytes()[-6:]) == raw.tolist()
    y, _ = helpers.load_audio(tmp_path / "a.wav")
    np.testing.assert_array_equal(y, ((raw - 128) / 128).astype(np.float32))


def test_mono_is_the_mean_of_the_channels(tmp_path):
    path = _write(tmp_path, "WAV", "PCM_16", "wav", SR_FILE)
    both, _ = helpers.load_audio(path, mono=False)
    y, _ = helpers.load_audio(path)
    np.testing.assert_array_equal(y, (both[0] + both[1]) / np.float32(2))


def test_resampling_is_librosa_resample_with_soxr_hq(tmp_path):
    path = _write(tmp_path, "WAV", "FLOAT", "wav", SR_FILE)
    raw, _ = helpers.load_audio(path, mono=False)
    y, _ = helpers.load_audio(path, sr=16000, mono=False)
    want = librosa.resample(raw, orig_sr=SR_FILE, target_sr=16000, res_type="soxr_hq")
    np.testing.assert_array_equal(y, want)
    assert audio_io.RES_TYPE == "soxr_hq"


def test_same_rate_returns_the_samples_unchanged(tmp_path):
    path = _write(tmp_path, "WAV", "PCM_16", "wav", SR_FILE)
    np.testing.assert_array_equal(helpers.load_audio(path, sr=SR_FILE)[0], helpers.load_audio(path)[0])


def test_the_baseline_order_resample_then_mix_agrees(tmp_path):
    # DESED's resample_folder.py resamples each channel, read_audio's to_mono averages later;
    # load_audio (like librosa.load) averages first. Both steps are linear: the same to rounding.
    path = _write(tmp_path, "WAV", "PCM_16", "wav", SR_FILE)
    both, _ = soundfile.read(path, dtype="float32", always_2d=True)
    per_channel = [librosa.resample(both[:, c], orig_sr=SR_FILE, target_sr=16000)
                   for c in range(both.shape[1])]
    desed = np.mean(np.stack(per_channel), axis=0)
    y, _ = helpers.load_audio(path, sr=16000)
    np.testing.assert_allclose(y, desed, rtol=0, atol=1e-6)


@pytest.mark.parametrize("kind", ["bytes", "BytesIO", "open file", "memoryview"])
def test_bytes_and_file_like_objects_read_like_the_path(tmp_path, kind):
    path = _write(tmp_path, "FLAC", "PCM_16", "flac", SR_FILE)
    data = path.read_bytes()
    source = {"bytes": data, "BytesIO": io.BytesIO(data), "memoryview": memoryview(data),
              "open file": open(path, "rb")}[kind]
    try:
        y, sr = helpers.load_audio(source, sr=16000)
    finally:
        if kind == "open file":
            source.close()
    want, _ = helpers.load_audio(path, sr=16000)
    assert sr == 16000
    np.testing.assert_array_equal(y, want)


def test_load_audio_is_the_helpers_function():
    assert helpers.load_audio is audio_io.load_audio
    assert "load_audio" in helpers.__all__ and "audio_io" in dir(helpers)


# ---------------------------------------------------------------- bad files

def _bad_files(folder):
    """Write one file of each bad kind into folder; {kind: path}."""
    (folder / "a folder").mkdir()
    (folder / "empty.wav").write_bytes(b"")
    (folder / "notes.txt").write_text("onset\toffset\tevent_label\n0.5\t1.2\tSpeech\n")
    # an MP4/M4A header (ISO base media 'ftyp' box): AAC audio, which libsndfile does not read
    (folder / "song.m4a").write_bytes(b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00M4A mp42isom"
                                      + bytes(64))
    good = io.BytesIO()
    soundfile.write(good, np.zeros(100), 16000, format="WAV", subtype="PCM_16")
    (folder / "cut.wav").write_bytes(good.getvalue()[:30])  # the header cut off mid-way
    soundfile.write(folder / "no_samples.wav", np.zeros(0), 16000, subtype="PCM_16")
    soundfile.write(folder / "nan.wav", np.array([0.0, np.nan, 0.5]), 16000, subtype="FLOAT")
    return folder


# (kind, what is passed, exception, fragments the message must contain)
BAD_FILES = [
    ("missing file", "missing.wav", FileNotFoundError, ["'missing.wav'", "no such file", "WAV"]),
    ("a folder", "a folder", ValueError, ["'a folder'", "is a folder", "one audio file", "glob"]),
    ("empty file (0 bytes)", "empty.wav", ValueError, ["'empty.wav'", "empty (0 bytes)"]),
    ("text file", "notes.txt", ValueError,
     ["'notes.txt'", "not an audio file", "WAV, FLAC, OGG", "contents, not from its extension"]),
    ("MP4/M4A (AAC)", "song.m4a", ValueError,
     ["'song.m4a'", "MP4/M4A", "cannot read", "Convert", "WAV, FLAC"]),
    ("truncated WAV header", "cut.wav", ValueError,
     ["'cut.wav'", "starts like a WAV", "could not be decoded", "truncated"]),
    ("WAV with no samples", "no_samples.wav", ValueError, ["'no_samples.wav'", "no samples"]),
    ("NaN in a float WAV", "nan.wav", ValueError, ["'nan.wav'", "1 NaN", "finite"]),
    ("empty bytes", b"", ValueError, ["in memory (0 bytes)", "empty"]),
    ("bytes that are not audio", b"not audio at all", ValueError,
     ["in memory (16 bytes)", "not an audio file"]),
    ("text-mode file object", io.StringIO("RIFF"), TypeError, ["text mode", "'rb'"]),
    ("a number as path", 42, TypeError, ["path", "str or pathlib.Path", "int"]),
]


def _digest(folder):
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("case", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_files_give_a_clear_error_and_are_not_touched(tmp_path, monkeypatch, case):
    _, source, exc, fragments = case
    monkeypatch.chdir(_bad_files(tmp_path))
    before = _digest(tmp_path)
    with pytest.raises(exc) as excinfo:
        helpers.load_audio(source)
    assert excinfo.type is exc
    message = str(excinfo.value)
    assert not [f for f in fragments if f not in message], message
    # raised by helpers, with libsndfile's exception hidden (no chained traceback)
    assert excinfo.traceback[-1].path.name == "audio_io.py"
    assert excinfo.value.__cause__ is None
    assert excinfo.value.__context__ is None or excinfo.value.__suppress_context__
    assert _digest(tmp_path) == before


def test_a_good_file_is_not_touched(tmp_path):
    path = _write(tmp_path, "WAV", "PCM_16", "wav", SR_FILE)
    before = _digest(tmp_path)
    helpers.load_audio(path, sr=16000)
    assert _digest(tmp_path) == before


def test_mp3_without_mp3_support_is_named_as_unsupported(tmp_path, monkeypatch):
    # Simulates an older libsndfile (before 1.1.0) that has no MP3: the file's first bytes
    # name it, and the message says it cannot be read here.
    formats = {k: v for k, v in soundfile.available_formats().items() if k != "MP3"}
    monkeypatch.setattr(soundfile, "available_formats", lambda: formats)
    (tmp_path / "x.mp3").write_bytes(b"\xff\xfb\x90\x64" + bytes(16))  # an MPEG frame header

    def refuse(*args, **kwargs):
        raise soundfile.LibsndfileError(1, "Error opening: ")

    monkeypatch.setattr(soundfile, "SoundFile", refuse)
    with pytest.raises(ValueError, match=r"'.*x\.mp3' is an MP3 file .*cannot read.*Expected WAV"):
        helpers.load_audio(tmp_path / "x.mp3")


@pytest.mark.parametrize("kwargs, exc, fragment", [
    (dict(sr=0), ValueError, "sr must be greater than 0"),
    (dict(sr="16k"), TypeError, "sr must be a number"),
    (dict(sr=np.nan), ValueError, "sr must be finite"),
    (dict(mono=1), TypeError, "mono must be True or False"),
    (dict(mono=None), TypeError, "mono must be True or False"),
])
def test_bad_arguments(tmp_path, kwargs, exc, fragment):
    path = _write(tmp_path, "WAV", "PCM_16", "wav", SR_FILE)
    with pytest.raises(exc, match=fragment):
        helpers.load_audio(path, **kwargs)


@pytest.mark.parametrize("channels", [2, 3, 6, 7, 8, 9, 16])
def test_mono_mix_equals_librosa_to_mono(tmp_path, channels):
    y = np.random.default_rng(channels).uniform(-0.9, 0.9, (4000, channels))
    soundfile.write(tmp_path / "multi.wav", y, 16000, subtype="FLOAT")
    raw, _ = soundfile.read(tmp_path / "multi.wav", dtype="float32")
    mono, _ = helpers.load_audio(tmp_path / "multi.wav")
    want = librosa.to_mono(raw.T)
    if channels < 8:  # NumPy adds fewer than 8 values one after the other, as load_audio does
        np.testing.assert_array_equal(mono, want)
    else:  # and in pairs of blocks from 8 on: the same to float32 rounding
        np.testing.assert_allclose(mono, want, rtol=0, atol=4 * np.finfo(np.float32).eps)
