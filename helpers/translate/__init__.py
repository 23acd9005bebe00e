"""Translate a mel front end between librosa and torchaudio, and explain it in plain words.

``librosa.feature.melspectrogram`` and ``torchaudio.transforms.MelSpectrogram``
compute the same thing with different defaults (n_fft 2048 vs 400, hop 512 vs
200, zero vs reflect padding, Slaney vs HTK mel scale, area norm vs none).
This package turns one into the other so that both give the same numbers on the
same float32 signal, refuses clearly when there is no equivalent, and explains
every setting in words.

The promise, tested to 1e-4 of the maximum, is stated against the definition of
a centred analysis: pad the whole signal by ``n_fft // 2``, then cut frames,
which is what ``torch.stft`` computes. ``librosa.stft`` pads its tail apart and,
with reflect padding, its last frame departs from that definition at some
geometries (``helpers.spectral.librosa_tail_deviates``); everywhere else the
translated call equals librosa too.

One job per module:

- :mod:`.settings`: the defaults, the window model, the filterbanks, validation;
- :mod:`.convert`: librosa <-> torchaudio both ways, and code generation;
- :mod:`.decibels`: the dB step (power_to_db / amplitude_to_db <-> AmplitudeToDB);
- :mod:`.parse`: reading a call written as text, with ``ast`` (never ``eval``);
- :mod:`.explain`: every setting in words, and what the other default costs;
- :mod:`.__main__`: the command line.

Command line::

    python -m helpers.translate "librosa.feature.melspectrogram(y=y, sr=22050, fmax=8000)"
    python -m helpers.translate --code "torchaudio.transforms.MelSpectrogram(sample_rate=16000)"
    python -m helpers.translate --seconds 10 "..."

Not imported by ``import helpers`` (it imports torch, which takes seconds):
use ``import helpers.translate`` or ``helpers.translate`` (loaded on first use).

Notebook: 08_porting.ipynb
"""

from .convert import (librosa_code, librosa_divisor, librosa_to_torchaudio, torchaudio_code,
                      torchaudio_to_librosa)
from .decibels import librosa_db_to_torchaudio, torchaudio_db_to_librosa
from .explain import explain
from .parse import parse_call
from .settings import LIBROSA_DEFAULTS, TORCHAUDIO_DEFAULTS, NoEquivalentError

__all__ = ["librosa_to_torchaudio", "torchaudio_to_librosa", "torchaudio_code", "librosa_code",
           "librosa_db_to_torchaudio", "torchaudio_db_to_librosa", "librosa_divisor", "explain",
           "parse_call",
           "main", "LIBROSA_DEFAULTS", "TORCHAUDIO_DEFAULTS", "NoEquivalentError"]


def __getattr__(name):
    """``main`` (the command line) lives in ``__main__``; imported on first use, so that
    ``python -m helpers.translate`` does not find it imported already."""
    if name == "main":
        from .__main__ import main
        return main
    raise AttributeError(f"module 'helpers.translate' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
