"""Reading audio files: :func:`load_audio`, with librosa's conventions and clear errors.

Every sound in the chapters is generated; this is the door for your own
recordings, and for the 44.1 kHz files the DCASE baseline starts from. It
reads with ``soundfile`` (libsndfile), which needs neither FFmpeg nor
TorchCodec, and resamples with ``librosa.resample`` as the baseline's
``local/resample_folder.py`` does, so the result is the one
``librosa.load(path, sr=sr)`` gives.

Notebook: 09_from_file.ipynb
"""

import io
import numbers
import os
import pathlib

import numpy as np

from ._validate import check_bool, check_number

__all__ = ["RES_TYPE", "load_audio"]

RES_TYPE = "soxr_hq"  # librosa.resample's default since 0.10, and what resample_folder.py gets

# First bytes of containers, to say what a file is when libsndfile refuses it.
# (magic bytes, offset, what it is, readable by libsndfile if its format key is available)
_SIGNATURES = [
    (b"RIFF", 0, "a WAV (RIFF) file", "WAV"),
    (b"RF64", 0, "a WAV (RF64) file", "RF64"),
    (b"fLaC", 0, "a FLAC file", "FLAC"),
    (b"OggS", 0, "an OGG file", "OGG"),
    (b"FORM", 0, "an AIFF file", "AIFF"),
    (b"caff", 0, "a CAF file", "CAF"),
    (b"ID3", 0, "an MP3 file", "MP3"),
    (b"ftyp", 4, "an MP4/M4A file (AAC or ALAC audio)", None),
    (b"\x1a\x45\xdf\xa3", 0, "a WebM/Matroska file", None),
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", 0, "a WMA/ASF file", None),
    (b"#!AMR", 0, "an AMR file", None),
    (b"MAC ", 0, "a Monkey's Audio (APE) file", None),
    (b"wvpk", 0, "a WavPack file", None),
]


def _source(path):
    """(what soundfile opens, a name for messages) for a path, a file-like object or bytes."""
    if isinstance(path, (bytes, bytearray, memoryview)):
        data = bytes(path)
        name = f"the audio data in memory ({len(data)} bytes)"
        if not data:
            raise ValueError(f"{name} is empty: there is nothing to decode. Expected the bytes "
                             f"of an audio file (WAV, FLAC, OGG, MP3), e.g. an upload's content.")
        return io.BytesIO(data), name, data[:16]
    if hasattr(path, "read"):
        name = str(getattr(path, "name", "") or "the file-like object")
        data = path.read()
        if isinstance(data, str):
            raise TypeError(f"{name} is open in text mode; open it in binary mode, "
                            f"open(..., 'rb').")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"reading {name} gave {type(data).__name__}, not bytes: expected a "
                            f"binary file-like object such as io.BytesIO or open(..., 'rb').")
        data = bytes(data)
        if not data:
            raise ValueError(f"{name} is empty (0 bytes left to read): there is nothing to "
                             f"decode. Expected the bytes of an audio file (WAV, FLAC, OGG, MP3).")
        return io.BytesIO(data), name, data[:16]
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name (str or pathlib.Path), a binary file-like "
                        f"object or bytes, got {type(path).__name__}.")
    file = pathlib.Path(path)
    name = repr(str(path))
    if not file.exists():
        raise FileNotFoundError(f"no such file: {name}. Expected the path of an audio file (WAV, "
                                f"FLAC, OGG, MP3); a relative path starts in the current folder, "
                                f"pathlib.Path.cwd().")
    if file.is_dir():
        raise ValueError(f"{name} is a folder, not a file. Expected the path of one audio file; "
                         f"to read several, loop over sorted(pathlib.Path({name}).glob('*.wav')).")
    if file.stat().st_size == 0:
        raise ValueError(f"{name} is empty (0 bytes): there is nothing to decode. Expected an "
                         f"audio file (WAV, FLAC, OGG, MP3); was it still being written or copied?")
    with open(file, "rb") as f:
        head = f.read(16)
    return str(file), name, head


def _what_it_is(head):
    """(format name, readable by this libsndfile) from a file's first bytes, or (None, False)."""
    import soundfile

    available = soundfile.available_formats()
    for magic, offset, fmt, key in _SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            return fmt, key is not None and key in available
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:  # an MPEG frame header
        return "an MP3 file (MPEG audio)", "MP3" in available
    return None, False


def _expected():
    """The common formats this libsndfile reads, as a phrase for messages."""
    import soundfile

    available = soundfile.available_formats()
    names = {"WAV": "WAV", "FLAC": "FLAC", "OGG": "OGG (Vorbis or Opus)", "MP3": "MP3",
             "AIFF": "AIFF"}
    common = [text for key, text in names.items() if key in available]
    return (", ".join(common[:-1]) + " or " + common[-1] +
            " (every format: soundfile.available_formats())")


def _decode_error(name, head, exc):
    """A ValueError that says what the file looks like and what was expected."""
    import soundfile

    said = str(getattr(exc, "error_string", "") or exc).strip().rstrip(".")
    # libsndfile's words, unless they mislead (it says "does not exist" of some damaged MP3s)
    said = f" (libsndfile: {said})" if said and "not exist" not in said else ""
    fmt, readable = _what_it_is(head)
    version = soundfile.__libsndfile_version__
    if fmt is not None and not readable:
        return ValueError(
            f"{name} is {fmt} by its first bytes, a format the installed libsndfile "
            f"({version}) cannot read. Convert it first (e.g. ffmpeg -i input output.wav, or "
            f"export from Audacity). Expected {_expected()}.")
    if fmt is not None:
        return ValueError(
            f"{name} starts like {fmt} but could not be decoded{said}: it is probably "
            f"truncated or damaged, or uses a codec libsndfile {version} does not read. "
            f"Re-export it, e.g. as 16-bit PCM WAV.")
    return ValueError(
        f"{name} is not an audio file libsndfile can read{said}. Expected {_expected()}; the "
        f"format is read from the file's contents, not from its extension.")


def load_audio(path, sr=None, mono=True):
    """Read an audio file as float32 samples, like ``librosa.load`` (which it equals).

    The file is read with ``soundfile`` (libsndfile): WAV, FLAC, OGG
    (Vorbis, Opus), AIFF and, with libsndfile 1.1 or newer, MP3 (see
    ``soundfile.available_formats()``). Integer PCM is scaled as librosa and
    soundfile scale it: int16 is divided by 32768, int24 by 2**23, int32
    by 2**31, unsigned 8-bit has 128 subtracted and is divided by 128, so
    full scale is [-1, 1). The file is opened read-only.

    Parameters
    ----------
    path : str, os.PathLike, bytes or binary file-like object
        A file name, or the contents of an audio file in memory (e.g. an
        upload's bytes, or ``io.BytesIO``); the format is read from the
        contents, not from the extension.
    sr : float or None
        None keeps the file's own rate. A number in Hz resamples with
        ``librosa.resample(..., res_type="soxr_hq")``, librosa's default and
        what the DCASE baseline's ``local/resample_folder.py`` calls.
    mono : bool
        True averages the channels (``np.mean`` over channels, before
        resampling, as ``librosa.load`` does).

    Returns
    -------
    y : numpy.ndarray, float32, shape (n_samples,) or (n_channels, n_samples)
        One row per channel if ``mono=False`` and the file has several
        channels (librosa's layout); 1-D otherwise.
    sr : int or float
        The rate of ``y`` in Hz: the file's rate, or ``sr`` if given.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If ``path`` is a folder, the file is empty (0 bytes) or holds no
        samples, is not audio, is in a format the installed libsndfile does
        not read (MP4/M4A, WMA, ...), or holds NaN or inf.
    TypeError
        If ``path``, ``sr`` or ``mono`` has the wrong type.

    See also
    --------
    librosa.load, soundfile.read, torchaudio.load (needs TorchCodec from
    torchaudio 2.9 on)

    Notebook: 09_from_file.ipynb
    """
    import soundfile

    if sr is not None:
        sr_out = sr
        sr = check_number(sr, "sr", low=0, low_open=True)
        if not isinstance(sr_out, numbers.Integral):
            sr_out = sr
    mono = check_bool(mono, "mono")
    source, name, head = _source(path)
    try:
        with soundfile.SoundFile(source, mode="r") as f:
            sr_native = f.samplerate
            y = f.read(frames=-1, dtype="float32", always_2d=False).T
    except (soundfile.SoundFileError, RuntimeError, TypeError) as exc:
        raise _decode_error(name, head, exc) from None
    if y.size == 0:
        raise ValueError(f"{name} is a valid audio file at {sr_native} Hz but holds no samples "
                         f"(0 frames).")
    if not np.all(np.isfinite(y)):
        n_nan, n_inf = int(np.isnan(y).sum()), int(np.isinf(y).sum())
        raise ValueError(f"{name} holds {n_nan} NaN and {n_inf} inf samples (a float file "
                         f"written from a broken computation); audio must be finite.")
    if mono and y.ndim > 1:
        # librosa.to_mono's np.mean(y, axis=0), added channel by channel: 20 times faster on
        # soundfile's interleaved frames, and the same numbers (bit for bit up to 7 channels,
        # where NumPy adds in this order too; to float rounding beyond)
        total = y[0].copy()
        for channel in y[1:]:
            total += channel
        y = total / np.float32(len(y))
    if sr is None:
        return np.ascontiguousarray(y), sr_native
    if sr != sr_native:
        import librosa

        y = librosa.resample(y, orig_sr=sr_native, target_sr=sr, res_type=RES_TYPE)
    return np.ascontiguousarray(y, dtype=np.float32), sr_out
