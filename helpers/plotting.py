"""One figure style and one matrix-drawing function, used by every notebook.

``specshow`` draws any spectrogram-like matrix with labelled axes and a colour
bar with units; ``decorate`` labels an axis the same way everywhere.

Notebook: used from 00_start_here.ipynb on.
"""

import io

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

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


def use_style():
    """Apply the collection's figure style (small, readable, the same in every notebook).

    Notebook: every notebook calls this once at the top.
    """
    matplotlib.rcParams.update(STYLE)


def decorate(ax, title=None, xlabel=None, ylabel=None, **kwargs):
    """Set the title and axis labels of ``ax`` (and any other ``ax.set`` option); return ``ax``."""
    options = {"title": title, "xlabel": xlabel, "ylabel": ylabel, **kwargs}
    ax.set(**{k: v for k, v in options.items() if v is not None})
    return ax


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
    n_rows, n_cols = S.shape
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    if x_axis == "time":
        dt = hop_length / sr
        x0, x1, xlabel = -dt / 2, (n_cols - 0.5) * dt, "Time (s)"
    else:
        x0, x1, xlabel = -0.5, n_cols - 0.5, "Frame"
    kwargs = {"origin": "lower", "aspect": "auto", "interpolation": "nearest",
              "extent": (x0, x1, -0.5, n_rows - 0.5), **imshow_kwargs}
    im = ax.imshow(S, **kwargs)
    if y_axis == "mel":
        centres = mel_frequencies(n_rows + 2, fmin=fmin, fmax=fmax or sr / 2, htk=htk)[1:-1]
        ticks = np.unique(np.linspace(0, n_rows - 1, min(n_rows, 6)).round().astype(int))
        ax.set_yticks(ticks)
        ax.set_yticklabels([f"{centres[i]:.0f}" for i in ticks])
        ylabel = "Mel band centre (Hz)"
    elif y_axis == "linear":
        n_fft = n_fft or 2 * (n_rows - 1)
        im.set_extent((x0, x1, -sr / n_fft / 2, (n_rows - 0.5) * sr / n_fft))
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


def audio(y, sr, max_seconds=10.0):
    """An ``IPython.display.Audio`` player for ``y``, normalised, at most ``max_seconds`` long.

    Short players keep the notebooks small: the sound is stored in the notebook.

    Notebook: 00_start_here.ipynb
    """
    from IPython.display import Audio

    from ._validate import check_audio

    y = check_audio(y)
    n = int(max_seconds * sr)
    return Audio(y[:n], rate=int(sr), normalize=bool(np.any(y[:n])))


def figure_png(fig, dpi=None):
    """The PNG bytes of a figure (for widgets that show an image)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
