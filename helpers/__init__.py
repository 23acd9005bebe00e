"""Shared code for the notebooks of *Mel Spectrograms, Step by Step*.

Flat and small: one module per theme, named after the math. The functions a
learner calls are re-exported here, with librosa's names and defaults, so
``helpers.melspectrogram`` can be swapped for ``librosa.feature.melspectrogram``,
and ``helpers.plot_frames`` is the same function as ``helpers.plotting.plot_frames``.

The modules that import torch (``baseline``, ``scaling``, ``translate``) or ipywidgets
(``widgets``) take seconds to load and most cells never need them: they load on first
use (``helpers.widgets.mel_explorer``), and ``dir(helpers)`` and tab completion list
them before that.
"""

import importlib as _importlib
import pkgutil as _pkgutil

from . import checks, db, listen, mel, plotting, signals, spectral

# Names that load their module on first use: every public submodule (see __getattr__), and
# these classes, name -> module.
_LAZY_NAMES = {"Scaler": "scaling"}


def _submodules():
    """The public submodules and subpackages of helpers, imported or not."""
    return {m.name for m in _pkgutil.iter_modules(__path__) if not m.name.startswith("_")}


def __getattr__(name):
    """Load a heavy module (or a class from one) on first use."""
    if name in _LAZY_NAMES:
        return getattr(_importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    if not name.startswith("_") and name in _submodules():
        return _importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__():
    """What tab completion offers: everything defined here, and the modules not loaded yet."""
    return sorted(set(globals()) | _submodules() | set(_LAZY_NAMES))


from .audio_io import load_audio
from .db import amplitude_to_db, power_to_db
from .mel import (empty_filter_count, harmonics_resolved, hz_to_mel, mel_filterbank,
                  mel_frequencies, mel_to_hz, melspectrogram)
from .players import audio
from .plotting import (decorate, plot_events, plot_filterbank, plot_frames, specshow,
                       use_style, waveshow)
from .signals import (chirp, click_train, pink_noise, sine, soundscape, tone_sequence, vowel,
                      white_noise)
from .spectral import fft_frequencies, frame_count, get_window, stft

__all__ = [
    "amplitude_to_db", "audio", "checks", "chirp", "decorate", "listen", "plotting", "specshow",
    "use_style", "waveshow", "click_train", "empty_filter_count", "fft_frequencies",
    "frame_count", "get_window", "harmonics_resolved", "hz_to_mel", "mel_filterbank",
    "mel_frequencies", "mel_to_hz",
    "melspectrogram", "pink_noise", "power_to_db", "sine", "soundscape", "stft", "vowel",
    "white_noise", "load_audio",
    # also reachable as helpers.<module>.<name>, the spelling some notebooks use
    "plot_events", "plot_filterbank", "plot_frames", "tone_sequence",
    "db", "mel", "signals", "spectral",
]
