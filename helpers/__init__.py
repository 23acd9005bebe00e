"""Shared code for the notebooks of *Mel Spectrograms, Step by Step*.

Flat and small: one module per theme, named after the math. The functions a
learner calls are re-exported here, with librosa's names and defaults, so
``helpers.melspectrogram`` can be swapped for ``librosa.feature.melspectrogram``.
"""

from . import checks, listen, plotting


def __getattr__(name):
    """Load the heavy modules on first use: torch (baseline, scaling, Scaler, translate) and
    ipywidgets (widgets) take seconds to import, and most cells never need them."""
    if name in ("baseline", "scaling", "Scaler", "translate", "widgets"):
        import importlib

        module = importlib.import_module(f".{'scaling' if name == 'Scaler' else name}", __name__)
        return module.Scaler if name == "Scaler" else module
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


from .db import amplitude_to_db, power_to_db
from .mel import (empty_filter_count, hz_to_mel, mel_filterbank, mel_frequencies, mel_to_hz,
                  melspectrogram)
from .plotting import audio, decorate, specshow, use_style, waveshow
from .signals import (chirp, click_train, pink_noise, sine, soundscape, vowel, white_noise)
from .spectral import fft_frequencies, frame_count, get_window, stft

__all__ = [
    "amplitude_to_db", "audio", "checks", "chirp", "decorate", "listen", "plotting", "specshow",
    "use_style", "waveshow", "click_train", "empty_filter_count", "fft_frequencies",
    "frame_count", "get_window", "hz_to_mel", "mel_filterbank", "mel_frequencies", "mel_to_hz",
    "melspectrogram", "pink_noise", "power_to_db", "sine", "soundscape", "stft", "vowel",
    "white_noise",
]
