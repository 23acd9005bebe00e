"""Sound players: the one way ``helpers`` turns samples into something you can hear.

- :func:`audio` (also ``helpers.audio``): one player, an ``IPython.display.Audio``;
- :func:`players`: labelled players side by side, one HTML row (chapter 07);
- :func:`wav_bytes`: the bytes of the WAV file a player holds; the explorers of
  :mod:`helpers.widgets` put them in their ``ipywidgets.Audio`` players.

Every player is normalised on its own (its loudest sample at full scale, as
``IPython.display.Audio`` does by default; silence stays silence) and cut to
``max_seconds``: a player is stored inside the notebook, so keep it short.

The sampling rate is checked before anything is written: a WAV file stores it as
a whole number of Hz, and Chromium decodes audio only up to 768000 Hz
(``AudioDecoderConfig::IsValidConfig`` requires ``0 < samples_per_second <=
media::limits::kMaxSampleRate``, 768000 in ``media/base/limits.h``), so a WAV at a
higher rate would not play there.

Notebook: 00_start_here.ipynb (``helpers.audio``), 07_listen.ipynb (:func:`players`).
"""

import html

import numpy as np

from ._validate import check_audio, check_int, check_number

__all__ = ["audio", "players", "wav_bytes", "MIN_SR", "MAX_SR"]

MIN_SR, MAX_SR = 1, 768000  # Hz: a whole number, at most Chromium's kMaxSampleRate


def _player(y, sr, max_seconds, name="y"):
    """Check everything, cut to ``max_seconds``, and build the ``IPython.display.Audio``."""
    from IPython.display import Audio

    y = check_audio(y, name)
    sr = check_int(sr, "sr", low=MIN_SR, high=MAX_SR)
    if max_seconds is not None:
        max_seconds = check_number(max_seconds, "max_seconds", low=0, low_open=True)
        y = y[:max(1, int(max_seconds * sr))]  # at least one sample
    return Audio(y, rate=sr, normalize=bool(np.any(y)))


def audio(y, sr, max_seconds=10.0):
    """A player for ``y``: an ``IPython.display.Audio``, normalised, at most ``max_seconds`` long.

    Parameters
    ----------
    y : numpy.ndarray, shape (n_samples,)
        Mono floating-point audio (a torch tensor or a list works too).
    sr : int
        Sampling rate in Hz, a whole number from 1 to 768000 (what a browser decodes).
    max_seconds : float or None
        Only the first ``max_seconds`` are stored (> 0); None keeps the whole clip.
        Short players keep the notebooks small: the sound is stored in the notebook.

    Returns
    -------
    IPython.display.Audio
        Shown as a player when it is the last value of a cell.

    See also
    --------
    IPython.display.Audio, players

    Notebook: 00_start_here.ipynb
    """
    return _player(y, sr, max_seconds)


def wav_bytes(y, sr, max_seconds=None):
    """The bytes of a 16-bit WAV file of ``y``, normalised like :func:`audio`.

    Parameters
    ----------
    y : numpy.ndarray, shape (n_samples,)
        Mono floating-point audio.
    sr : int
        Sampling rate in Hz, a whole number from 1 to 768000.
    max_seconds : float or None
        Keep only the first ``max_seconds`` (> 0); None (the default) keeps everything.

    Returns
    -------
    bytes
        A complete WAV file (``b'RIFF'...``), e.g. the value of an ``ipywidgets.Audio``.

    Notebook: the explorers of every chapter (their players).
    """
    return _player(y, sr, max_seconds).data


def players(sounds, sr, max_seconds=3.0):
    """Audio players side by side, each with a label: one HTML table row.

    Parameters
    ----------
    sounds : dict of str -> numpy.ndarray
        Label -> mono audio (each normalised on its own, like :func:`audio`).
    sr : int
        Sampling rate in Hz, shared by all sounds (a whole number, 1 to 768000).
    max_seconds : float or None
        Longest clip stored (players are stored in the notebook: keep them short).

    Returns
    -------
    IPython.display.HTML

    Notebook: 07_listen.ipynb
    """
    from IPython.display import HTML

    if not isinstance(sounds, dict) or not sounds:
        raise TypeError("sounds must be a non-empty dict of label -> audio array.")
    cells = []
    for label, y in sounds.items():
        player = _player(y, sr, max_seconds, name=f"sounds[{label!r}]")
        cells.append(f'<td style="text-align:center"><b>{html.escape(str(label))}</b><br>'
                     f"{player._repr_html_().strip()}</td>")
    return HTML("<table><tr>" + "".join(cells) + "</tr></table>")
