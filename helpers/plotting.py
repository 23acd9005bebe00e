"""One figure style and one matrix-drawing function, used by every notebook.

``specshow`` draws any spectrogram-like matrix with labelled axes and a colour
bar with units; ``decorate`` labels an axis the same way everywhere.

Notebook: used from 00_start_here.ipynb on.
"""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from ._validate import check_choice

STYLE = {
    "figure.figsize": (8.0, 3.0),
    "figure.dpi": 72,
    "savefig.dpi": 72,
    "figure.autolayout": False,
    "figure.constrained_layout.use": True,
    "axes.grid": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "font.size": 10,
    "image.cmap": "magma",
    "svg.hashsalt": "mel",  # deterministic SVG ids
}


# For a classroom projector: at least 150 dpi, every text at least 14 pt, thicker lines.
PROJECTOR_STYLE = {
    **STYLE,
    "figure.dpi": 150,
    "savefig.dpi": 150,
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 14,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "figure.titlesize": 16,
    "lines.linewidth": 2.5,
    "lines.markersize": 8,
    "axes.linewidth": 1.5,
    "patch.linewidth": 1.5,
    "grid.linewidth": 1.2,
    "xtick.major.width": 1.5,
    "ytick.major.width": 1.5,
    "xtick.major.size": 6,
    "ytick.major.size": 6,
}
STYLES = {"reading": STYLE, "projector": PROJECTOR_STYLE}
_current = "reading"  # the name last given to use_style: the explorers draw in that style


def use_style(name="reading"):
    """Apply one of the collection's figure styles to every figure drawn from now on.

    Parameters
    ----------
    name : {'reading', 'projector'}
        'reading' (the default): small and readable on a laptop screen, the same in
        every notebook. 'projector': for a classroom, 150 dpi, every text at least
        14 pt, thicker lines; explorers built afterwards draw in it too. Call
        ``use_style()`` to go back.

    Notebook: every notebook calls ``use_style()`` once at the top; a teacher runs
    ``helpers.use_style("projector")`` in one cell before showing figures (docs/teaching.md).
    """
    global _current
    check_choice(name, "name", tuple(STYLES))
    params = dict(STYLES[name])
    # what another style changed and this one does not set goes back to matplotlib's default
    for other in STYLES.values():
        for key in other.keys() - params.keys():
            params[key] = matplotlib.rcParamsDefault[key]
    matplotlib.rcParams.update(params)
    _current = name


def current_style():
    """The rcParams of the style last applied with :func:`use_style` ('reading' until then).

    Returns
    -------
    dict
        A copy, e.g. ``current_style()["font.size"]`` is 10 for reading, 14 for projector.
    """
    return dict(STYLES[_current])


def decorate(ax, title=None, xlabel=None, ylabel=None, **kwargs):
    """Set the title and axis labels of ``ax`` (and any other ``ax.set`` option); return ``ax``."""
    options = {"title": title, "xlabel": xlabel, "ylabel": ylabel, **kwargs}
    ax.set(**{k: v for k, v in options.items() if v is not None})
    return ax


def image_extent(shape, dx=1.0, dy=1.0, x0=0.0, y0=0.0):
    """The ``extent`` that centres cell ``[i, j]`` of a matrix on ``(x0 + j * dx, y0 + i * dy)``.

    ``imshow(S, origin="lower", extent=image_extent(S.shape, ...))`` puts column ``j``
    (a frame) at its time and row ``i`` (a bin or band) at its frequency, each cell
    ``dx`` wide and ``dy`` tall, as :func:`specshow` and every explorer draw them.

    Parameters
    ----------
    shape : (int, int)
        ``(n_rows, n_cols)`` of the matrix, e.g. ``S.shape``.
    dx, dy : float
        Step between columns and between rows: ``hop_length / sr`` seconds per
        frame, ``sr / n_fft`` Hz per STFT bin, or 1 to count frames and rows.
    x0, y0 : float
        Where the centre of column 0 and of row 0 lie.

    Returns
    -------
    (left, right, bottom, top)
        For ``imshow(..., extent=...)`` or ``AxesImage.set_extent``.

    See also
    --------
    librosa.display.specshow (places cells the same way, from their centres)

    Notebook: 02_stft.ipynb (the spectrogram's axes), used by every explorer.
    """
    n_rows, n_cols = shape[:2]
    return (x0 - dx / 2, x0 + (n_cols - 0.5) * dx, y0 - dy / 2, y0 + (n_rows - 0.5) * dy)


def specshow(S, sr=22050, hop_length=512, y_axis="frames", x_axis="time", ax=None,
             title=None, colorbar="dB", fmin=0.0, fmax=None, htk=False, n_fft=None,
             **imshow_kwargs):
    """Draw a matrix such as a (mel) spectrogram; return ``(fig, ax, im)``.

    Parameters
    ----------
    S : numpy.ndarray, shape (n_rows, n_frames)
        The matrix; row 0 is drawn at the bottom.
    sr : float
        Sampling rate in Hz (for the time axis).
    hop_length : int
        Samples between frames (for the time axis).
    y_axis : {'mel', 'linear', 'frames'}
        'mel': rows are mel bands, the axis is labelled with their centre
        frequency in Hz (needs fmin, fmax, htk). 'linear': rows are STFT bins
        (needs n_fft, or assumes ``2 * (n_rows - 1)``). 'frames': row numbers.
    x_axis : {'time', 'frames'}
        Seconds (frame t is centred at ``t * hop_length / sr``) or frame numbers.
    ax : matplotlib.axes.Axes or None
        Where to draw; None makes a new figure.
    title : str or None
        Axes title.
    colorbar : str or None
        Label (unit) of the colour bar, or None for no colour bar.
    **imshow_kwargs
        Passed to ``ax.imshow`` (e.g. ``vmin``, ``vmax``, ``cmap``).

    Returns
    -------
    (fig, ax, im)

    See also
    --------
    librosa.display.specshow, libfmp.b.plot_matrix

    Notebook: 00_start_here.ipynb
    """
    from .mel import mel_frequencies  # here, not at import: plotting must stay light

    S = np.asarray(S)
    if S.ndim != 2:
        raise ValueError(f"specshow draws a 2-D matrix, got shape {S.shape}.")
    n_rows = S.shape[0]
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    dx, xlabel = (hop_length / sr, "Time (s)") if x_axis == "time" else (1.0, "Frame")
    kwargs = {"origin": "lower", "aspect": "auto", "interpolation": "nearest",
              "extent": image_extent(S.shape, dx=dx), **imshow_kwargs}
    im = ax.imshow(S, **kwargs)
    if y_axis == "mel":
        centres = mel_frequencies(n_rows + 2, fmin=fmin, fmax=fmax or sr / 2, htk=htk)[1:-1]
        ticks = np.unique(np.linspace(0, n_rows - 1, min(n_rows, 6)).round().astype(int))
        ax.set_yticks(ticks)
        ax.set_yticklabels([f"{centres[i]:.0f}" for i in ticks])
        ylabel = "Mel band centre (Hz)"
    elif y_axis == "linear":
        n_fft = n_fft or 2 * (n_rows - 1)
        im.set_extent(image_extent(S.shape, dx=dx, dy=sr / n_fft))
        ylabel = "Frequency (Hz)"
    else:
        ylabel = "Row"
    decorate(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    if colorbar:
        fig.colorbar(im, ax=ax, label=colorbar, format="%+.0f" if colorbar == "dB" else None)
    return fig, ax, im


def waveshow(y, sr=22050, ax=None, title=None, **plot_kwargs):
    """Draw a waveform against time in seconds; return ``(fig, ax, line)``.

    See also
    --------
    librosa.display.waveshow

    Notebook: 01_sampling.ipynb
    """
    y = np.asarray(y)
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    (line,) = ax.plot(np.arange(len(y)) / sr, y, lw=0.8, **plot_kwargs)
    decorate(ax, title=title, xlabel="Time (s)", ylabel="Amplitude")
    ax.set_xlim(0, len(y) / sr)
    return fig, ax, line


def plot_filterbank(fb, sr, n_fft, ax=None, fmax=None, title=None, every=1, **plot_kwargs):
    """Draw each filter of a filterbank as a line over frequency in Hz; return ``(fig, ax, lines)``.

    Parameters
    ----------
    fb : numpy.ndarray, shape (n_filters, 1 + n_fft // 2)
        The filterbank, one filter per row (as returned by ``helpers.mel_filterbank``
        or ``librosa.filters.mel``). A torchaudio filterbank is the transpose:
        pass ``fb.T``.
    sr : float
        Sampling rate in Hz.
    n_fft : int
        FFT size; row ``k`` of the x axis is bin ``k`` at ``k * sr / n_fft`` Hz.
    ax : matplotlib.axes.Axes or None
        Where to draw; None makes a new figure.
    fmax : float or None
        If given, a dashed vertical line marks it (the top of the filterbank, in Hz).
    title : str or None
        Axes title.
    every : int
        Draw every ``every``-th filter only (1 draws them all), for dense filterbanks.
    **plot_kwargs
        Passed to ``ax.plot`` (e.g. ``lw``, ``color``).

    Returns
    -------
    (fig, ax, lines)
        ``lines`` is the list of drawn ``Line2D`` objects, one per drawn filter.

    See also
    --------
    librosa.display.specshow (draws the filterbank as an image instead)

    Notebook: 03_mel.ipynb
    """
    from ._validate import as_numpy, check_int, check_number

    sr = check_number(sr, "sr", low=0, low_open=True)
    n_fft = check_int(n_fft, "n_fft", low=2)
    every = check_int(every, "every", low=1)
    fb = np.asarray(as_numpy(fb))
    if fb.ndim != 2 or fb.shape[1] != 1 + n_fft // 2:
        raise ValueError(f"fb must have shape (n_filters, 1 + n_fft // 2) = (n_filters, "
                         f"{1 + n_fft // 2}) for n_fft={n_fft}, got {fb.shape}. A torchaudio "
                         f"filterbank is (n_freqs, n_mels): pass fb.T.")
    if fmax is not None:
        fmax = check_number(fmax, "fmax", low=0)
    freqs = np.arange(fb.shape[1]) * sr / n_fft
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    lines = []
    for row in fb[::every]:
        lines.extend(ax.plot(freqs, row, **{"lw": 0.9, **plot_kwargs}))
    if fmax is not None:
        ax.axvline(fmax, color="0.3", ls="--", lw=1, label=f"fmax = {fmax:g} Hz")
        ax.legend(loc="upper right")
    decorate(ax, title=title, xlabel="Frequency (Hz)", ylabel="Weight")
    ax.set_xlim(0, sr / 2)
    return fig, ax, lines


def plot_frames(y, sr=22050, n_fft=2048, hop_length=512, center=True, ax=None, title=None,
                max_frames=None):
    """Draw a waveform with the STFT's frames over it, and the centre padding if any.

    Each frame is a horizontal bar of ``n_fft`` samples under the waveform,
    staggered on four rows so overlapping frames stay visible, with a dot at
    its centre. With ``center=True`` the ``n_fft // 2`` padded samples on each
    side are shaded: the first and last frames reach into them.

    Parameters
    ----------
    y : numpy.ndarray, shape (n_samples,)
        The signal, drawn against time in seconds.
    sr : float
        Sampling rate in Hz.
    n_fft : int
        Frame length in samples.
    hop_length : int
        Samples between the starts of consecutive frames.
    center : bool
        Whether frames are centred on ``t * hop_length`` (signal padded first).
    ax : matplotlib.axes.Axes or None
        Where to draw; None makes a new figure.
    title : str or None
        Axes title.
    max_frames : int or None
        Draw at most this many frames (the first ones); None draws all.

    Returns
    -------
    (fig, ax, n_frames)
        ``n_frames`` is the number of frames of the STFT (all of them, even if
        fewer are drawn), equal to :func:`helpers.frame_count`.

    See also
    --------
    librosa.util.frame

    Notebook: 02_stft.ipynb
    """
    from ._validate import check_audio, check_int
    from .spectral import frame_count

    y = check_audio(y)
    n_fft = check_int(n_fft, "n_fft", low=1)
    hop_length = check_int(hop_length, "hop_length", low=1)
    n_frames = frame_count(len(y), n_fft, hop_length, center=center)
    shown = n_frames if max_frames is None else min(n_frames, check_int(max_frames,
                                                                        "max_frames", low=1))
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    pad = n_fft // 2 if center else 0
    ax.plot(np.arange(len(y)) / sr, y, lw=0.8, color="C0", label="signal")
    if center:
        for a, b in [(-pad, 0), (len(y), len(y) + pad)]:
            ax.axvspan(a / sr, b / sr, color="0.85", zorder=0)
        ax.axvspan(0, 0, color="0.85", label=f"padding ({pad} samples each side)")
    peak = max(float(np.max(np.abs(y))), 1e-12)
    for t in range(shown):
        start = t * hop_length - pad
        level = -peak * (1.25 + 0.2 * (t % 4))
        ax.plot([start / sr, (start + n_fft) / sr], [level, level], lw=3, color=f"C{1 + t % 4}",
                solid_capstyle="butt", label=f"frames of {n_fft} samples (dot: centre)"
                if t == 0 else None)
        ax.plot([(start + n_fft / 2) / sr], [level], "k.", ms=4)
    decorate(ax, title=title, xlabel="Time (s)", ylabel="Amplitude")
    ax.set_xlim(-pad / sr, (len(y) + pad) / sr)
    ax.set_ylim(-peak * 2.05, peak * 1.1)
    ax.legend(loc="upper right", fontsize=8)
    return fig, ax, n_frames


def plot_events(ax, events, y=0.93, color="white"):
    """Draw labelled events over a time axis in seconds (e.g. over a spectrogram); return ``ax``.

    Each event gets dashed lines at its onset and offset, a bar between them
    near the top of the axes and its label, so the picture can be read
    against the ground truth.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes whose x axis is time in seconds (as drawn by :func:`specshow`).
    events : list of (onset, offset, label)
        Onset and offset in seconds, as returned by :func:`helpers.soundscape`.
    y : float
        Height of the bars, as a fraction of the axes (0 bottom, 1 top).
    color : str
        Colour of lines, bars and labels.

    Returns
    -------
    matplotlib.axes.Axes

    Notebook: 06_dcase_frontend.ipynb
    """
    trans = ax.get_xaxis_transform()  # x in data (seconds), y in axes fraction
    for onset, offset, label in events:
        for t in (onset, offset):
            ax.axvline(t, color=color, lw=0.8, ls="--", alpha=0.8)
        ax.plot([onset, offset], [y, y], color=color, lw=3, transform=trans, solid_capstyle="butt")
        ax.text((onset + offset) / 2, y - 0.03, str(label).replace("_", " "), color=color,
                ha="center", va="top", fontsize=7, transform=trans,
                bbox={"facecolor": "black", "alpha": 0.4, "pad": 1, "lw": 0})
    return ax
