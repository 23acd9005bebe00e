"""Interactive explorers: turn the knobs of each step and see the result at once.

Every explorer is an ipywidgets container (:class:`Explorer`) with

- ``.controls``: a dict of the widgets by parameter name (``n_mels``, ``fmax``, ...);
  set ``.controls["n_mels"].value = 64`` from code and the explorer redraws;
- ``.figure``: the matplotlib figure it draws, updated in place (the same artists,
  new data and limits), shown as a PNG image so it works in JupyterLab,
  Notebook 7, VS Code and Voila alike;
- ``.readout``: an HTML widget that says in plain words what the output is
  (its shape, the frame-count formula with the current numbers) and warns
  (empty filters, an n_fft longer than the clip, ...) instead of raising.
- ``.artists``: the matplotlib artists that change (for tests and the curious).

Without a running kernel (GitHub, nbviewer, a static site) a displayed explorer
shows the PNG of the state it was displayed in: its ``_repr_mimebundle_`` adds
``image/png`` next to the widget view (JupyterLab shows that PNG for a stored,
not yet run notebook and the live widget once the cell runs). A static-site
builder should drop ``application/vnd.jupyter.widget-view+json`` from the
outputs (and ``metadata.widgets``) so the PNG is what shows.

Stable CSS classes for browser tests: ``mel-explorer`` (every explorer) plus one
per explorer (``main-explorer``, ``sampling-explorer``, ``stft-explorer``,
``filterbank-explorer``, ``db-explorer``, ``scaler-explorer``), ``mel-controls``,
``mel-control-<name>`` (underscores become dashes, e.g. ``mel-control-n-mels``),
``mel-figure`` (the image), ``mel-readout`` and ``mel-audio``.

Speed: the figure is drawn once; after that only the axes whose artists changed
are redrawn, and only inside the axes box when their limits, ticks and labels
stayed the same. ``redraw_time`` measures it (``make bench``).

One function per chapter::

    sampling_explorer()    # 01 sampling and aliasing
    stft_explorer()        # 02 window, n_fft and hop
    filterbank_explorer()  # 03 the mel filterbank
    db_explorer()          # 04 decibels
    scaler_explorer()      # 05 scaling
    mel_explorer(y, sr)    # the main explorer (notebooks/explorer.ipynb)

Notebook: explorer.ipynb and the "Explore" section of each chapter.
"""

import base64
import collections
import contextlib
import html
import io
import re
import statistics
import time
import warnings

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from . import plotting
from ._validate import check_audio, check_number
from .db import amplitude_to_db, power_to_db
from .mel import empty_filter_count, hz_to_mel, mel_filterbank, mel_frequencies
from .spectral import _stft_frames, fft_frequencies, frame_count, get_window

__all__ = ["Explorer", "sampling_explorer", "stft_explorer", "filterbank_explorer",
           "db_explorer", "scaler_explorer", "mel_explorer", "redraw_time"]

WINDOW_NAMES = ("hann", "hamming", "blackman", "rectangular")
N_FFTS = (64, 128, 256, 512, 1024, 2048, 4096, 8192)
# Larger STFTs are not computed interactively (hop_length=1 on a long clip would need GBs).
MAX_STFT_CELLS = 6_000_000
_PNG_OPTIONS = {"compress_level": 1}  # fast to encode; the image is small anyway


# ---------------------------------------------------------------------------
# The container every explorer is
# ---------------------------------------------------------------------------

class Explorer(widgets.VBox):
    """An explorer: controls, a figure shown as a PNG image, and a plain-words readout.

    Subclasses build their figure and controls and implement ``update(values)``:
    it changes the artists for the current control values and returns a list of
    readout lines (plain text). A ``ValueError`` or ``TypeError`` raised there, and
    any warning, ends up in the readout, never as a traceback.
    """

    css_class = "mel-explorer"
    title = ""

    def __init__(self, controls, figure, extra=()):
        super().__init__()
        self.controls = dict(controls)
        self.figure = figure
        self.artists = getattr(self, "artists", {})
        self.readout = widgets.HTML(value="").add_class("mel-readout")
        self.image = widgets.Image(format="png").add_class("mel-figure")
        self.image.layout.max_width = "100%"
        self.last_error = None
        self._hold = False
        self._regions = None  # which axes owns each pixel, once the layout is frozen
        self._mask_cache = {}
        for name, w in self.controls.items():
            w.add_class(f"mel-control-{name.replace('_', '-')}")
            if hasattr(w, "continuous_update"):
                w.continuous_update = False  # no backlog of redraws while dragging
            w.observe(self._on_change, names="value")
        box = widgets.GridBox([_labelled(w) for w in self.controls.values()], layout=widgets.Layout(
            grid_template_columns="repeat(auto-fill, 340px)", grid_gap="2px 6px"))
        box.add_class("mel-controls")
        head = [widgets.HTML(f"<b>{html.escape(self.title)}</b>")] if self.title else []
        self.children = [*head, box, *extra, self.image, self.readout]
        self.add_class("mel-explorer")
        if self.css_class != "mel-explorer":
            self.add_class(self.css_class)
        self.redraw()

    # -- redrawing --------------------------------------------------------------
    def values(self):
        """The current value of every control, by name."""
        return {name: w.value for name, w in self.controls.items()}

    @contextlib.contextmanager
    def hold(self):
        """Change several controls at once and redraw only once at the end."""
        self._hold = True
        try:
            yield self
        finally:
            self._hold = False
            self.redraw()

    def _on_change(self, change):
        if not self._hold:
            self.redraw()

    def update(self, values):  # pragma: no cover - every explorer overrides it
        raise NotImplementedError

    def redraw(self):
        """Recompute, update the figure's artists and the readout; re-render the PNG."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                lines = list(self.update(self.values()) or [])
                self.last_error = None
            except (ValueError, TypeError, RuntimeError) as exc:  # settings that cannot work
                self.last_error = str(exc)
                lines = []
            except Exception as exc:  # noqa: BLE001 - a learner never gets a traceback here
                self.last_error = (f"{type(exc).__name__}: {exc} (this is a bug in "
                                   "helpers.widgets; please report it with these settings).")
                lines = []
        notes = []
        for w in caught:
            text = str(w.message)
            if text not in notes:
                notes.append(text)
        self.readout.value = _readout_html(lines, notes, self.last_error)
        if self.last_error is None:
            self.image.value = self.png()

    def png(self):
        """The figure as PNG bytes (what the image widget shows).

        The first call draws the whole figure (constrained layout), then freezes
        the layout and splits the canvas into one region per axes (each pixel
        belongs to the nearest axes, labels and title included). Later calls
        redraw only the axes whose artists changed, inside their own regions:
        text is what costs most in a matplotlib draw, and most axes keep theirs.
        """
        fig = self.figure
        canvas = fig.canvas
        if self._regions is None:
            canvas.draw()
            fig.set_layout_engine("none")
            renderer = canvas.get_renderer()
            self._regions = _nearest_axes_map(fig, renderer)
            canvas.draw()
            self._frames = [_frame_signature(ax) for ax in fig.axes]
        else:
            dirty = [i for i, ax in enumerate(fig.axes) if ax.stale]
            if dirty:
                renderer = canvas.get_renderer()
                pixels = np.asarray(renderer.buffer_rgba())
                full = tuple(i for i in dirty if _frame_signature(fig.axes[i]) != self._frames[i])
                if full:  # limits, ticks or labels changed: redraw those axes whole
                    before = pixels.copy()
                    mine, others = self._masks(full)
                    face = (np.asarray(fig.get_facecolor()) * 255).round().astype(np.uint8)
                    np.copyto(pixels, face, where=mine)
                    for i in full:
                        fig.axes[i].draw(renderer)
                    np.copyto(pixels, before, where=others)  # what spilled over is undone
                for i in dirty:  # only the data changed: redraw inside the axes box
                    if i not in full:
                        _draw_data_only(fig.axes[i], renderer, pixels)
            self._frames = [_frame_signature(ax) for ax in fig.axes]
        from PIL import Image

        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="png", **_PNG_OPTIONS)
        return buf.getvalue()

    def _masks(self, dirty):
        """Boolean masks (height, width, 1): pixels owned by the axes in ``dirty``, and the rest."""
        if dirty not in self._mask_cache:
            mine = np.isin(self._regions, dirty)[..., None]
            self._mask_cache[dirty] = (mine, ~mine)
        return self._mask_cache[dirty]

    @property
    def readout_text(self):
        """The readout as plain text (what the learner reads), for tests and printing."""
        text = re.sub(r"<br\s*/?>|</li>|</p>|</div>", "\n", self.readout.value)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())

    # -- display ----------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        """The live widget, plus a PNG of the current figure for viewers without a kernel."""
        data = super()._repr_mimebundle_(**kwargs) or {}
        data = dict(data)
        if self.image.value:
            data["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        data["text/plain"] = (f"{type(self).__name__}: an interactive explorer (run the "
                              "notebook with a kernel to move its controls).")
        return data


def _frame_signature(ax):
    """What decides how an axes' frame looks: limits, labels, title and fixed ticks."""
    sig = [ax.get_xlim(), ax.get_ylim(), ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    for axis in (ax.xaxis, ax.yaxis):
        loc, fmt = axis.get_major_locator(), axis.get_major_formatter()
        locs = getattr(loc, "locs", None)
        seq = getattr(fmt, "seq", None)
        sig.append((type(loc).__name__, None if locs is None else tuple(np.asarray(locs).tolist()),
                    type(fmt).__name__, None if seq is None else tuple(seq)))
    return sig


def _draw_data_only(ax, renderer, pixels):
    """Redraw what is inside the axes box (background, data, spines, legend), nothing outside."""
    height, width = pixels.shape[:2]
    bb = ax.bbox
    x0, x1 = max(int(np.floor(bb.x0)), 0), min(int(np.ceil(bb.x1)), width)
    r0, r1 = max(height - int(np.ceil(bb.y1)), 0), min(height - int(np.floor(bb.y0)), height)
    # What is drawn here is clipped to the axes, except the spines' outer half pixel:
    # keep a small frame around the box as it was.
    m = 4
    w0, w1, q0, q1 = max(x0 - m, 0), min(x1 + m, width), max(r0 - m, 0), min(r1 + m, height)
    before = pixels[q0:q1, w0:w1].copy()
    # Start from the figure's background, as a full draw does (the axes' own background
    # is antialiased at its edges and would blend with the old pixels there).
    pixels[r0:r1, x0:x1] = (np.asarray(ax.figure.get_facecolor()) * 255).round().astype(np.uint8)
    skip = {ax.xaxis, ax.yaxis, ax.patch, ax.title, ax._left_title, ax._right_title}
    ax.patch.draw(renderer)
    for artist in sorted((a for a in ax.get_children() if a not in skip and a.get_visible()),
                         key=lambda a: a.get_zorder()):
        artist.draw(renderer)
    inside = pixels[r0:r1, x0:x1].copy()
    pixels[q0:q1, w0:w1] = before
    pixels[r0:r1, x0:x1] = inside
    ax.stale = False


def _nearest_axes_map(fig, renderer):
    """For each pixel of the canvas, the index in ``fig.axes`` of the nearest axes' tight box."""
    width, height = int(renderer.width), int(renderer.height)
    x = np.arange(width)[None, :] + 0.5
    y = height - (np.arange(height)[:, None] + 0.5)  # row 0 is the top of the image
    best = np.full((height, width), np.inf)
    owner = np.zeros((height, width), dtype=np.int16)
    for i, ax in enumerate(fig.axes):
        bb = ax.get_tightbbox(renderer)
        dx = np.maximum(np.maximum(bb.x0 - x, x - bb.x1), 0.0)
        dy = np.maximum(np.maximum(bb.y0 - y, y - bb.y1), 0.0)
        dist = np.hypot(dx, dy)
        closer = dist < best
        owner[closer] = i
        best = np.minimum(best, dist)
    return owner


def _readout_html(lines, notes, error):
    parts = []
    if error is not None:
        parts.append('<div class="mel-readout-error">&#9888; These settings cannot be '
                     f"computed: {html.escape(error)} The figure still shows the last "
                     "settings that worked.</div>")
    parts += [f"<div>{html.escape(line)}</div>" for line in lines]
    parts += [f'<div class="mel-readout-warning">&#9888; Warning: {html.escape(n)}</div>'
              for n in notes]
    return '<div class="mel-readout-text" style="line-height:1.4">' + "".join(parts) + "</div>"



def _filterbank_axes(ax, sr, ylabel, lw):
    """Set up ``ax`` for a filterbank: one LineCollection for all filters, fmin/fmax markers."""
    lc = LineCollection([], linewidths=lw, colors=["C0", "C1"])
    ax.add_collection(lc)
    fmin_line = ax.axvline(0, color="C3", ls=":", lw=1.5, label="fmin")
    fmax_line = ax.axvline(0, color="C3", ls="--", lw=1.5, label="fmax")
    plotting.decorate(ax, xlabel="Frequency (Hz)", ylabel=ylabel,
                      title="Mel filterbank (red: fmin dotted, fmax dashed)")
    ax.set_xlim(0, sr / 2)
    return lc, fmin_line, fmax_line

def _figure(figsize, **gridspec):
    """A figure outside pyplot (the inline backend must not show it a second time)."""
    with matplotlib.rc_context(plotting.STYLE):
        fig = Figure(figsize=figsize, dpi=plotting.STYLE["figure.dpi"], layout="constrained")
    FigureCanvasAgg(fig)
    return fig


@contextlib.contextmanager
def _style():
    with matplotlib.rc_context(plotting.STYLE):
        yield


_CONTROL_WIDTH = "330px"
_LABEL_WIDTH = "95px"


def _slider(kind, value, low, high, step, description, **kwargs):
    cls = {"int": widgets.IntSlider, "float": widgets.FloatSlider}[kind]
    return cls(value=value, min=low, max=high, step=step, description=description,
               continuous_update=False, style={"description_width": _LABEL_WIDTH},
               layout=widgets.Layout(width=_CONTROL_WIDTH), **kwargs)


def _dropdown(options, value, description, width=_CONTROL_WIDTH):
    return widgets.Dropdown(options=options, value=value, description=description,
                            style={"description_width": _LABEL_WIDTH},
                            layout=widgets.Layout(width=width))


def _toggle(options, value, description):
    width = {2: "95px", 3: "62px"}.get(len(options), "60px")
    return widgets.ToggleButtons(options=options, value=value, description=description,
                                 style={"description_width": _LABEL_WIDTH, "button_width": width},
                                 layout=widgets.Layout(width="auto"))


def _labelled(w):
    """ToggleButtons with their label on the left, like the sliders (their own label wraps above)."""
    if not isinstance(w, widgets.ToggleButtons) or not w.description:
        return w
    label = widgets.HTML(f'<div style="text-align:right; padding-right:8px">'
                         f"{html.escape(w.description)}</div>",
                         layout=widgets.Layout(width=_LABEL_WIDTH, min_width=_LABEL_WIDTH))
    w.description = ""
    w.style.description_width = "0px"
    return widgets.HBox([label, w], layout=widgets.Layout(width=_CONTROL_WIDTH))


def _wav_bytes(y, sr):
    from IPython.display import Audio

    return Audio(np.asarray(y, dtype=float), rate=int(sr), normalize=bool(np.any(y))).data


def _player(y, sr):
    w = widgets.Audio(value=_wav_bytes(y, sr), format="wav", autoplay=False, loop=False)
    w.add_class("mel-audio")
    return w


def _envelope(y, sr, n_columns=1000):
    """(t, v) of a min/max envelope of ``y``: looks like the waveform, draws fast."""
    y = np.asarray(y)
    if len(y) <= 2 * n_columns:
        return np.arange(len(y)) / sr, y
    step = int(np.ceil(len(y) / n_columns))
    n = len(y) // step * step
    blocks = y[:n].reshape(-1, step)
    v = np.column_stack([blocks.min(axis=1), blocks.max(axis=1)]).ravel()
    t = np.repeat(np.arange(blocks.shape[0]) * step + step / 2, 2) / sr
    return t, v


def _num(x):
    """A number for the readout: two decimals, no float32 noise, no "-0.00"."""
    return f"{round(float(x), 2) + 0.0:.2f}"


def _frame_formula(n, n_fft, hop, n_frames):
    return (f"Frames (center=True): n_frames = 1 + (n_samples + 2·(n_fft // 2) − n_fft) // "
            f"hop_length = 1 + ({n} + 2·{n_fft // 2} − {n_fft}) // {hop} = {n_frames}.")


def _mel_axis(ax, im, n_mels, fmin, fmax, htk, sr):
    """Place a mel image on a mel-spaced axis from 0 Hz to sr/2, labelled in Hz.

    Band ``i`` is centred on mel point ``i + 1`` of the ``n_mels + 2`` points from
    fmin to fmax. The axis always spans 0 to sr/2, so it (and its Hz ticks) does
    not move when n_mels, fmin or fmax change, and what lies outside fmin–fmax
    shows as empty background.
    """
    lo, hi = hz_to_mel(fmin, htk=htk), hz_to_mel(fmax, htk=htk)
    step = (hi - lo) / (n_mels + 1)
    x0, x1 = im.get_extent()[:2]
    im.set_extent((x0, x1, lo + step / 2, hi - step / 2))
    ax.set_ylim(0, hz_to_mel(sr / 2, htk=htk))
    ticks = [f for f in _HZ_TICKS if f <= sr / 2]
    ax.set_yticks(hz_to_mel(np.asarray(ticks, dtype=float), htk=htk))
    ax.set_yticklabels([f"{f:g}" for f in ticks])


_HZ_TICKS = (0, 250, 500, 1000, 2000, 4000, 8000, 16000)


def _nice_top(value):
    """The smallest 1, 1.5, 2, 3, 4, 5, 6 or 8 × 10**k at or above ``value``: a steady limit."""
    if not value > 0:
        return 1.0
    k = np.floor(np.log10(value))
    for m in (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if m * 10 ** k >= value:
            return float(m * 10 ** k)
    return float(10 ** (k + 1))


def _filter_segments(fb, freqs):
    """One polyline per non-empty filter: its non-zero bins plus a zero on each side."""
    segments = []
    for row in fb:
        nz = np.flatnonzero(row > 0)
        if nz.size == 0:
            continue
        lo, hi = max(nz[0] - 1, 0), min(nz[-1] + 2, len(row))
        segments.append(np.column_stack([freqs[lo:hi], row[lo:hi]]))
    return segments


def _window(name, n, periodic):
    return get_window(name, n, periodic=bool(periodic))


def _power_frames(y, n_fft, hop, window, periodic, power):
    """|STFT|**power with frames first, shape (n_frames, 1 + n_fft // 2), float32.

    Computed in single precision (about twice as fast): plenty for a picture in dB.
    """
    y = np.asarray(y, dtype=np.float32)
    X = _stft_frames(y, n_fft, hop, None, _window(window, n_fft, periodic), True, "constant")
    S = X.real ** 2 + X.imag ** 2 if power == 2 else np.abs(X)
    return np.ascontiguousarray(S, dtype=np.float32)


# ---------------------------------------------------------------------------
# 01 · Sampling and aliasing
# ---------------------------------------------------------------------------

SAMPLING_RATES = (4000, 8000, 11025, 16000, 22050, 44100)
SAMPLING_XMAX = 22050.0  # the spectrum's frequency axis, fixed: the tone slider ends at 20 kHz


class SamplingExplorer(Explorer):
    """A tone sampled at a chosen rate: the samples, the alias they spell, and its spectrum."""

    css_class = "sampling-explorer"
    title = "Sampling and aliasing: move the tone above sr/2 and watch (and hear) it fold back"

    def __init__(self, freq=1000, sr=8000):
        controls = {
            "freq": _slider("int", freq, 20, 20000, 10, "tone (Hz)"),
            "sr": _dropdown(SAMPLING_RATES, sr, "sr (Hz)"),
        }
        fig = _figure((8.0, 5.0))
        with _style():
            ax_t, ax_f = fig.subplots(2, 1)
            (dense,) = ax_t.plot([], [], color="0.6", lw=1, label="the tone (continuous)")
            (alias,) = ax_t.plot([], [], "--", color="C1", lw=1.2,
                                 label="the tone the samples spell")
            (dots,) = ax_t.plot([], [], "o", color="C0", ms=4, label="samples")
            ax_t.legend(loc="upper right", fontsize=8)
            plotting.decorate(ax_t, xlabel="Time (ms)", ylabel="Amplitude",
                              title="The first samples: dots are all the computer keeps")
            ax_t.set_ylim(-1.25, 1.6)
            (spec,) = ax_f.plot([], [], color="C0", lw=1)
            true_line = ax_f.axvline(0, color="0.5", ls=":", lw=1.5, label="tone you asked for")
            alias_line = ax_f.axvline(0, color="C1", ls="--", lw=1.2, label="what the samples hold")
            nyq = ax_f.axvspan(0, 1, color="0.85", zorder=0, label="above sr/2: not representable")
            ax_f.legend(loc="lower right", fontsize=8)
            plotting.decorate(ax_f, xlabel="Frequency (Hz)", ylabel="Level (dB re max)",
                              title="Spectrum of one second of the samples")
            ax_f.set_ylim(-105, 5)
        self.artists = {"tone": dense, "alias": alias, "samples": dots, "spectrum": spec,
                        "true_line": true_line, "alias_line": alias_line, "nyquist": nyq}
        self._axes = (ax_t, ax_f)
        audio = widgets.Audio(format="wav", autoplay=False, loop=False).add_class("mel-audio")
        self.audio = audio
        super().__init__(controls, fig, extra=[audio])

    def update(self, v):
        f, sr = float(v["freq"]), int(v["sr"])
        nyquist = sr / 2
        k = round(f / sr)
        f_alias = abs(f - k * sr)
        # Time view: about three periods of the alias (1, 2 or 5 × 10^k ms), at least 12 samples.
        span = min(max(_nice_top(3.0 / max(f_alias, 1.0)), 12.0 / sr), 0.02)
        t_dense = np.linspace(0.0, span, 4000)
        n = np.arange(int(span * sr) + 1)
        a = self.artists
        a["tone"].set_data(t_dense * 1e3, np.sin(2 * np.pi * f * t_dense))
        sign = 1.0 if f - k * sr >= 0 else -1.0  # folding can flip the phase
        a["alias"].set_data(t_dense * 1e3, sign * np.sin(2 * np.pi * f_alias * t_dense))
        a["samples"].set_data(n / sr * 1e3, np.sin(2 * np.pi * f * n / sr))
        ax_t, ax_f = self._axes
        ax_t.set_xlim(0, span * 1e3)
        # Spectrum of one second of the sampled tone (Hann window).
        y = np.sin(2 * np.pi * f * np.arange(sr) / sr)
        silent = float(np.max(np.abs(y))) < 1e-6
        X = np.abs(np.fft.rfft(y * get_window("hann", sr)))
        freqs = fft_frequencies(sr, sr)
        level = np.full_like(X, -100.0) if silent else 20 * np.log10(np.maximum(X / X.max(), 1e-5))
        a["spectrum"].set_data(freqs, level)
        right = SAMPLING_XMAX
        a["true_line"].set_xdata([f, f])
        a["alias_line"].set_xdata([f_alias, f_alias])
        a["nyquist"].set_x(nyquist)
        a["nyquist"].set_width(right - nyquist)
        ax_f.set_xlim(0, right)
        self.audio.value = _wav_bytes(y, sr)
        lines = [f"Sampling rate sr = {sr} Hz, so the highest frequency the samples can hold "
                 f"(the Nyquist frequency) is sr/2 = {nyquist:.0f} Hz."]
        if silent:
            lines.append(f"The tone at {f:.0f} Hz puts every sample on a zero crossing: the "
                         f"samples are all (almost) zero, so you hear silence. Its alias "
                         f"|f − k·sr| = {f_alias:.0f} Hz is 0 or exactly sr/2, where a sine "
                         "starting at phase 0 is never caught away from zero.")
        elif f <= nyquist:
            lines.append(f"The tone at {f:.0f} Hz is below sr/2: the samples keep it, you see "
                         f"and hear {f:.0f} Hz.")
        else:
            lines.append(f"The tone at {f:.0f} Hz is above sr/2: its samples are exactly those "
                         f"of a {f_alias:.0f} Hz tone (alias = |f − k·sr| = |{f:.0f} − {k}·{sr}| "
                         f"= {f_alias:.0f} Hz). You see and hear {f_alias:.0f} Hz.")
        return lines


def sampling_explorer(freq=1000, sr=8000):
    """Chapter 01's explorer: a tone of ``freq`` Hz sampled at ``sr`` Hz, aliasing and all.

    Parameters
    ----------
    freq : int
        Start value of the tone frequency in Hz (20 to 20000).
    sr : int
        Start value of the sampling rate in Hz, one of ``SAMPLING_RATES``.

    Returns
    -------
    Explorer
        Controls ``freq`` and ``sr``; an audio player of the sampled tone.

    Notebook: 01_sampling.ipynb
    """
    return SamplingExplorer(freq=freq, sr=sr)


# ---------------------------------------------------------------------------
# 02 · Window, n_fft and hop
# ---------------------------------------------------------------------------

STFT_SIGNALS = ("tone between bins", "tone on a bin", "two tones 60 Hz apart", "chirp")


class StftExplorer(Explorer):
    """Window shape, n_fft and hop on a tone (leakage) and a chirp (resolution)."""

    css_class = "stft-explorer"
    title = "The STFT: window, n_fft and hop_length on a tone between bins and on a chirp"
    sr = 16000
    duration = 2.0

    def __init__(self, signal="tone between bins", window="hann", n_fft=512, hop_length=128):
        controls = {
            "signal": _dropdown(STFT_SIGNALS, signal, "signal"),
            "window": _dropdown(WINDOW_NAMES, window, "window"),
            "periodic": _toggle([("periodic", True), ("symmetric", False)], True, "shape"),
            "n_fft": _dropdown(N_FFTS[:-1], n_fft, "n_fft"),
            "hop_length": _slider("int", hop_length, 16, 2048, 16, "hop_length"),
        }
        fig = _figure((8.0, 5.6))
        with _style():
            gs = fig.add_gridspec(2, 2, height_ratios=(1, 1.4))
            ax_w = fig.add_subplot(gs[0, 0])
            ax_s = fig.add_subplot(gs[0, 1])
            ax_im = fig.add_subplot(gs[1, :])
            (wline,) = ax_w.plot([], [], color="C0")
            plotting.decorate(ax_w, title="The window", xlabel="Sample", ylabel="Weight")
            ax_w.set_ylim(-0.05, 1.1)
            (sline,) = ax_s.plot([], [], ".-", color="C0", ms=3, lw=0.8)
            plotting.decorate(ax_s, xlabel="Frequency (Hz)", ylabel="Level (dB re max)")
            ax_s.set_ylim(-100, 5)
            im = ax_im.imshow(np.zeros((2, 2)), origin="lower", aspect="auto",
                              interpolation="nearest", vmin=-80, vmax=0)
            plotting.decorate(ax_im, xlabel="Time (s)", ylabel="Frequency (Hz)",
                              title="Spectrogram (dB below its loudest cell)")
            fig.colorbar(im, ax=ax_im, label="dB (re max)", format="%+.0f")
        self.artists = {"window": wline, "spectrum": sline, "image": im}
        self._axes = (ax_w, ax_s, ax_im)
        super().__init__(controls, fig)

    def _signal(self, name, n_fft):
        sr, t = self.sr, np.arange(int(self.duration * self.sr)) / self.sr
        df = sr / n_fft
        k = round(1000 / df)
        if name == "tone between bins":
            f = (k + 0.5) * df
            return (np.sin(2 * np.pi * f * t),
                    f"a {f:.1f} Hz tone, halfway between bins {k} and {k + 1}")
        if name == "tone on a bin":
            f = k * df
            return np.sin(2 * np.pi * f * t), f"a {f:.1f} Hz tone, exactly on bin {k}"
        if name == "two tones 60 Hz apart":
            y = 0.5 * np.sin(2 * np.pi * 1000 * t) + 0.5 * np.sin(2 * np.pi * 1060 * t)
            return y, "two tones, 1000 Hz and 1060 Hz"
        from .signals import chirp

        return chirp(100, 7000, sr=sr, duration=self.duration), "a chirp from 100 Hz to 7000 Hz"

    def update(self, v):
        sr, n_fft, hop = self.sr, int(v["n_fft"]), int(v["hop_length"])
        y, what = self._signal(v["signal"], n_fft)
        w = _window(v["window"], n_fft, v["periodic"])
        n_frames = frame_count(len(y), n_fft, hop)
        X = _stft_frames(y, n_fft, hop, None, w, True, "constant")
        P = X.real ** 2 + X.imag ** 2
        db = power_to_db(P.T, ref=float(P.max()), top_db=None)
        a = self.artists
        ax_w, ax_s, ax_im = self._axes
        a["window"].set_data(np.arange(n_fft), w)
        ax_w.set_xlim(0, n_fft - 1)
        kind = "periodic" if v["periodic"] else "symmetric"
        ax_w.set_title(f"{v['window']} ({kind}), {n_fft} samples")
        freqs = fft_frequencies(sr, n_fft)
        mid = db[:, n_frames // 2]
        a["spectrum"].set_data(freqs, mid)
        a["spectrum"].set_marker("." if n_fft <= 1024 else "")
        if v["signal"] == "chirp":
            ax_s.set_xlim(0, sr / 2)
        else:
            ax_s.set_xlim(600, 1500)
        ax_s.set_title("The middle frame (dots: bins)")
        a["image"].set_data(np.maximum(db, -80))
        dt, df = hop / sr, sr / n_fft
        a["image"].set_extent((-dt / 2, (n_frames - 0.5) * dt, -df / 2, (n_fft // 2 + 0.5) * df))
        ax_im.set_xlim(0, self.duration)  # fixed limits: only the image is redrawn
        ax_im.set_ylim(0, sr / 2)
        lines = [
            f"Signal: {what}, {self.duration:g} s at {sr} Hz ({len(y)} samples).",
            f"Output shape (1 + n_fft // 2, n_frames) = ({1 + n_fft // 2}, {n_frames}).",
            _frame_formula(len(y), n_fft, hop, n_frames),
            f"Bin spacing sr / n_fft = {df:.3g} Hz; frame length n_fft / sr = "
            f"{n_fft / sr * 1e3:.3g} ms; hop hop_length / sr = {hop / sr * 1e3:.3g} ms. "
            "A longer frame separates closer frequencies but blurs fast changes in time.",
        ]
        if hop > n_fft:
            lines.append(f"hop_length={hop} is longer than n_fft={n_fft}: samples between "
                         "frames are never looked at.")
        return lines


def stft_explorer(signal="tone between bins", window="hann", n_fft=512, hop_length=128):
    """Chapter 02's explorer: window shape, n_fft and hop on tones and a chirp.

    Parameters
    ----------
    signal : str
        One of ``STFT_SIGNALS``: a tone between two bins (leakage), a tone on a
        bin, two close tones (frequency resolution) or a chirp.
    window : {'hann', 'hamming', 'blackman', 'rectangular'}
    n_fft : int
        Frame length in samples (a power of two from 64 to 4096).
    hop_length : int
        Samples between frames (16 to 2048).

    Returns
    -------
    Explorer
        Controls ``signal``, ``window``, ``periodic``, ``n_fft``, ``hop_length``.

    Notebook: 02_stft.ipynb
    """
    return StftExplorer(signal=signal, window=window, n_fft=n_fft, hop_length=hop_length)


# ---------------------------------------------------------------------------
# 03 · The mel filterbank
# ---------------------------------------------------------------------------

class FilterbankExplorer(Explorer):
    """The mel filterbank itself: n_mels, fmin, fmax, HTK vs Slaney, norm, n_fft."""

    css_class = "filterbank-explorer"
    title = "The mel filterbank: how many triangles, where, and how tall"

    def __init__(self, sr=16000, n_fft=512, n_mels=40, fmin=0, fmax=None, htk=False,
                 norm="slaney"):
        self.sr = check_number(sr, "sr", low=0, low_open=True)
        nyq = int(self.sr // 2)
        fmax = nyq if fmax is None else int(fmax)
        controls = {
            "n_mels": _slider("int", n_mels, 1, 256, 1, "n_mels"),
            "fmin": _slider("int", fmin, 0, nyq, 10, "fmin (Hz)"),
            "fmax": _slider("int", fmax, 10, nyq, 10, "fmax (Hz)"),
            "n_fft": _dropdown(N_FFTS, n_fft, "n_fft"),
            "htk": _toggle([("Slaney", False), ("HTK", True)], htk, "mel scale"),
            "norm": _toggle([("slaney", "slaney"), ("none", None)], norm, "norm"),
        }
        fig = _figure((8.0, 5.2))
        with _style():
            ax_fb, ax_m = fig.subplots(2, 1, height_ratios=(1.3, 1))
            lc, fmin_line, fmax_line = _filterbank_axes(ax_fb, self.sr, "Weight", lw=1.0)
            hz = np.linspace(0, self.sr / 2, 400)
            (curve,) = ax_m.plot(hz, hz, color="0.5", lw=1)
            (points,) = ax_m.plot([], [], "o", color="C0", ms=3)
            plotting.decorate(ax_m, xlabel="Frequency (Hz)", ylabel="Mel",
                              title="The mel scale: filter edges are equally spaced in mel")
            ax_m.set_xlim(0, self.sr / 2)
        self.artists = {"filters": lc, "fmin": fmin_line, "fmax": fmax_line,
                        "mel_curve": curve, "mel_points": points}
        self._axes = (ax_fb, ax_m)
        self._hz = hz
        super().__init__(controls, fig)

    def update(self, v):
        sr, n_fft, n_mels = self.sr, int(v["n_fft"]), int(v["n_mels"])
        fmin, fmax, htk, norm = float(v["fmin"]), float(v["fmax"]), bool(v["htk"]), v["norm"]
        fb = mel_filterbank(sr, n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm)
        freqs = fft_frequencies(sr, n_fft)
        a = self.artists
        ax_fb, ax_m = self._axes
        a["filters"].set_segments(_filter_segments(fb, freqs))
        a["fmin"].set_xdata([fmin, fmin])
        a["fmax"].set_xdata([fmax, fmax])
        ax_fb.set_ylim(0, _nice_top(float(fb.max()) * 1.05))
        a["mel_curve"].set_ydata(hz_to_mel(self._hz, htk=htk))
        edges = mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax, htk=htk)
        a["mel_points"].set_data(edges, hz_to_mel(edges, htk=htk))
        ax_m.set_ylim(0, hz_to_mel(sr / 2, htk=htk) * 1.05)
        n_empty = empty_filter_count(fb)
        df = sr / n_fft
        narrowest = float(np.min(np.diff(edges))) * 2 if n_mels else 0.0
        peaks = fb.max(axis=1)
        lines = [
            f"Filterbank shape (n_mels, 1 + n_fft // 2) = ({n_mels}, {1 + n_fft // 2}) at "
            f"sr = {sr:g} Hz, {'HTK' if htk else 'Slaney'} mel scale, {fmin:g}–{fmax:g} Hz.",
            f"FFT bins are {df:.3g} Hz apart; the narrowest filter is {narrowest:.3g} Hz wide "
            f"(from its left edge to its right edge).",
        ]
        lowest = float(peaks[peaks > 0].min()) if np.any(peaks > 0) else 0.0
        if norm == "slaney":
            lines.append(f"norm='slaney' divides each filter by half its width in Hz, so every "
                         f"filter has the same area: peaks go from {peaks.max():.3g} "
                         f"(narrow, low) down to {lowest:.3g} (wide, high) instead of 1.")
        else:
            lines.append("norm=None: every filter peaks at 1 or a little less (exactly 1 only "
                         "where an FFT bin sits on the tip of the triangle).")
        if not n_empty:  # otherwise mel_filterbank's warning says how many, in the readout
            lines.append("No filter is empty: every one catches at least one FFT bin.")
        return lines


def filterbank_explorer(sr=16000, n_fft=512, n_mels=40, fmin=0, fmax=None, htk=False,
                        norm="slaney"):
    """Chapter 03's explorer: the mel filterbank for n_mels, fmin, fmax, htk, norm and n_fft.

    Parameters
    ----------
    sr : float
        Sampling rate in Hz (fixed; the sliders go up to sr / 2).
    n_fft, n_mels, fmin, fmax, htk, norm
        Start values, as in :func:`helpers.mel_filterbank` (fmax None means sr / 2).

    Returns
    -------
    Explorer
        Controls ``n_mels``, ``fmin``, ``fmax``, ``n_fft``, ``htk``, ``norm``.

    Notebook: 03_mel.ipynb
    """
    return FilterbankExplorer(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
                              htk=htk, norm=norm)


# ---------------------------------------------------------------------------
# 04 · Decibels
# ---------------------------------------------------------------------------

class DbExplorer(Explorer):
    """power_to_db / amplitude_to_db with ref, amin, top_db and a clamp, and a histogram."""

    css_class = "db-explorer"
    title = "Decibels: which function, which reference, which floor"

    def __init__(self, sr=16000, n_fft=1024, hop_length=256, n_mels=64):
        from .mel import melspectrogram
        from .signals import soundscape

        y, _ = soundscape(sr=sr, duration=10.0, seed=0)
        self.sr, self.hop_length = sr, hop_length
        self._mel = {
            "power": melspectrogram(y, sr=sr, n_fft=n_fft, hop_length=hop_length,
                                    n_mels=n_mels, power=2.0),
            "amplitude": melspectrogram(y, sr=sr, n_fft=n_fft, hop_length=hop_length,
                                        n_mels=n_mels, power=1.0),
        }
        controls = {
            "input": _toggle([("power |X|²", "power"), ("amplitude |X|", "amplitude")],
                             "power", "input"),
            "function": _toggle([("power_to_db", "power_to_db"),
                                 ("amplitude_to_db", "amplitude_to_db")],
                                "power_to_db", "function"),
            "ref": _toggle([("1.0", "1.0"), ("np.max", "max")], "max", "ref"),
            "amin": widgets.FloatLogSlider(value=1e-10, base=10, min=-12, max=-2, step=1,
                                           description="amin", continuous_update=False,
                                           readout_format=".0e",
                                           style={"description_width": _LABEL_WIDTH},
                                           layout=widgets.Layout(width=_CONTROL_WIDTH)),
            "top_db": _dropdown([("None", None), ("20", 20.0), ("40", 40.0), ("60", 60.0),
                                 ("80", 80.0), ("100", 100.0), ("120", 120.0)], 80.0,
                                "top_db (dB)"),
            "clamp": widgets.Checkbox(value=False, description="clamp like DCASE",
                                      indent=False, layout=widgets.Layout(width="160px")),
            "clamp_range": widgets.IntRangeSlider(value=(-50, 80), min=-150, max=150, step=5,
                                                  description="clamp (dB)",
                                                  continuous_update=False,
                                                  style={"description_width": _LABEL_WIDTH},
                                                  layout=widgets.Layout(width=_CONTROL_WIDTH)),
        }
        fig = _figure((8.0, 4.8))
        with _style():
            ax_im, ax_h = fig.subplots(2, 1, height_ratios=(1.3, 1))
            im = ax_im.imshow(np.zeros((n_mels, 2)), origin="lower", aspect="auto",
                              interpolation="nearest")
            plotting.decorate(ax_im, xlabel="Time (s)", ylabel="Mel band",
                              title="Mel spectrogram of a soundscape, in dB")
            fig.colorbar(im, ax=ax_im, label="dB", format="%+.0f")
            stairs = ax_h.stairs(np.zeros(60), np.linspace(0, 1, 61), fill=True, color="C0")
            lo_line = ax_h.axvline(0, color="C3", ls="--", lw=1.2, label="lowest value")
            hi_line = ax_h.axvline(0, color="C2", ls="--", lw=1.2, label="highest value")
            ax_h.legend(loc="upper left", fontsize=8)
            plotting.decorate(ax_h, xlabel="dB", ylabel="Cells",
                              title="Histogram of the dB values")
        self.artists = {"image": im, "histogram": stairs, "low": lo_line, "high": hi_line}
        self._axes = (ax_im, ax_h)
        super().__init__(controls, fig)

    def update(self, v):
        S = self._mel[v["input"]]
        ref = np.max if v["ref"] == "max" else 1.0
        func = power_to_db if v["function"] == "power_to_db" else amplitude_to_db
        db = func(S, ref=ref, amin=float(v["amin"]), top_db=v["top_db"])
        lines = []
        n_cells = db.size
        floor_top = db.max() - v["top_db"] if v["top_db"] is not None else None
        if floor_top is not None:
            n_top = int(np.sum(db <= floor_top + 1e-9))
            lines.append(f"top_db={v['top_db']:g}: {n_top} of {n_cells} cells "
                         f"({100 * n_top / n_cells:.3g} %) were raised to max − top_db = "
                         f"{floor_top:.3g} dB.")
        if v["clamp"]:
            lo, hi = v["clamp_range"]
            n_lo, n_hi = int(np.sum(db < lo)), int(np.sum(db > hi))
            db = np.clip(db, lo, hi)
            lines.append(f"Clamped to [{lo}, {hi}] dB like the DCASE baseline's "
                         f".clamp(min=-50, max=80): {n_lo} cells raised, {n_hi} lowered.")
        lo_v, hi_v = float(db.min()), float(db.max())
        a = self.artists
        ax_im, ax_h = self._axes
        a["image"].set_data(db)
        dt = self.hop_length / self.sr
        a["image"].set_extent((-dt / 2, (db.shape[1] - 0.5) * dt, -0.5, db.shape[0] - 0.5))
        a["image"].set_clim(lo_v, hi_v if hi_v > lo_v else lo_v + 1)
        span = max(hi_v - lo_v, 1.0)
        counts, edges = np.histogram(db, bins=60, range=(lo_v - 0.02 * span, hi_v + 0.02 * span))
        a["histogram"].set_data(counts, edges)
        a["low"].set_xdata([lo_v, lo_v])
        a["high"].set_xdata([hi_v, hi_v])
        ax_h.set_xlim(edges[0], edges[-1])
        ax_h.set_ylim(0, counts.max() * 1.08)
        ref_name = "np.max" if v["ref"] == "max" else "1.0"
        lines.insert(0, f"{v['function']}(S, ref={ref_name}, amin={v['amin']:.0e}, "
                        f"top_db={v['top_db']}) on the {v['input']} mel spectrogram S.")
        lines.insert(1, f"Shape (n_mels, n_frames) = {db.shape}; values from {lo_v:.3g} dB "
                        f"to {hi_v:.3g} dB (a range of {hi_v - lo_v:.3g} dB).")
        if v["input"] == "power" and v["function"] == "amplitude_to_db":
            lines.append("Mismatch: amplitude_to_db on a POWER spectrogram squares it again, "
                         "so every dB value (and the dynamic range) is twice what it should be. "
                         "A real bug in published projects.")
        elif v["input"] == "amplitude" and v["function"] == "power_to_db":
            lines.append("Mismatch: power_to_db on an AMPLITUDE spectrogram gives half the "
                         "right dB values (10·log10 instead of 20·log10).")
        else:
            lines.append("The function matches the input: the dB values are right.")
        return lines


def db_explorer():
    """Chapter 04's explorer: decibel mapping of a soundscape's mel spectrogram, with a histogram.

    Controls ``input`` (power or amplitude mel spectrogram), ``function``
    (power_to_db or amplitude_to_db), ``ref`` (1.0 or np.max), ``amin``,
    ``top_db``, ``clamp`` and ``clamp_range`` (the DCASE baseline clamps to [-50, 80] dB).

    Returns
    -------
    Explorer

    Notebook: 04_decibels.ipynb
    """
    return DbExplorer()


# ---------------------------------------------------------------------------
# 05 · Scaling
# ---------------------------------------------------------------------------

SCALER_DIMS = (("(1, 2): one statistic per clip", (1, 2)),
               ("(2,): one per clip and mel band", (2,)),
               ("(1,): one per clip and frame", (1,)))


class ScalerExplorer(Explorer):
    """helpers.scaling.Scaler on four log-mel clips: histograms before and after."""

    css_class = "scaler-explorer"
    title = "Scaling: statistic, normtype and dims, before and after"

    def __init__(self, n_clips=4, sr=16000, n_fft=1024, hop_length=256, n_mels=64):
        import torch

        from .mel import melspectrogram
        from .signals import soundscape

        feats = []
        for seed in range(n_clips):  # four clips, each 6 dB quieter than the one before
            y, _ = soundscape(sr=sr, duration=5.0, seed=seed)
            M = melspectrogram(y * 0.5 ** seed, sr=sr, n_fft=n_fft, hop_length=hop_length,
                               n_mels=n_mels, power=1.0)
            feats.append(amplitude_to_db(M, amin=1e-5, top_db=None))
        self._x = torch.from_numpy(np.stack(feats).astype(np.float32))
        self._fitted = {}
        controls = {
            "statistic": _toggle([("instance", "instance"), ("dataset", "dataset")],
                                 "instance", "statistic"),
            "normtype": _toggle([("minmax", "minmax"), ("mean", "mean"),
                                 ("standard", "standard")], "minmax", "normtype"),
            "dims": _dropdown(SCALER_DIMS, (1, 2), "dims", width="420px"),
        }
        fig = _figure((8.0, 4.6))
        with _style():
            ax_b, ax_a = fig.subplots(1, 2)
            before, after = [], []
            for i in range(n_clips):
                before.append(ax_b.stairs(np.zeros(50), np.linspace(0, 1, 51), color=f"C{i}",
                                          label=f"clip {i}"))
                after.append(ax_a.stairs(np.zeros(50), np.linspace(0, 1, 51), color=f"C{i}"))
            ax_b.legend(loc="upper right", fontsize=8)
            plotting.decorate(ax_b, title="Before: log-mel (dB)", xlabel="dB", ylabel="Cells")
            plotting.decorate(ax_a, xlabel="Scaled value", ylabel="Cells")
        self.artists = {"before": before, "after": after}
        self._axes = (ax_b, ax_a)
        super().__init__(controls, fig)
        self._set_hist(ax_b, before, self._x.numpy())
        self.image.value = self.png()

    @staticmethod
    def _set_hist(ax, artists, x):
        lo, hi = float(x.min()), float(x.max())
        span = max(hi - lo, 1e-6)
        edges = np.linspace(lo - 0.02 * span, hi + 0.02 * span, 51)
        top = 1
        for art, clip in zip(artists, x):
            counts, _ = np.histogram(clip, bins=edges)
            art.set_data(counts, edges)
            top = max(top, counts.max())
        ax.set_xlim(edges[0], edges[-1])
        ax.set_ylim(0, top * 1.08)

    def update(self, v):
        import torch

        from .scaling import Scaler

        key = (v["statistic"], v["normtype"], tuple(v["dims"]))
        scaler = self._fitted.get(key)
        if scaler is None:
            scaler = Scaler(statistic=v["statistic"], normtype=v["normtype"], dims=v["dims"])
            if v["statistic"] == "dataset":
                scaler.fit([self._x], transform_func=lambda x: x, progress=False)
            self._fitted[key] = scaler
        with torch.no_grad():
            out = scaler(self._x).numpy()
        ax_b, ax_a = self._axes
        if not self.artists["before"][0].get_data().values.any():
            self._set_hist(ax_b, self.artists["before"], self._x.numpy())
        self._set_hist(ax_a, self.artists["after"], out)
        ax_a.set_title(f"After: {v['statistic']}, {v['normtype']}, dims={key[2]}")
        per_clip = [f"clip {i}: mean {_num(c.mean())}, std {_num(c.std())}, "
                    f"range [{_num(c.min())}, {_num(c.max())}]" for i, c in enumerate(out)]
        lines = [f"Input: {tuple(self._x.shape)} = (batch, n_mels, n_frames): the log-mel "
                 "(amplitude_to_db) of four clips, each 6 dB quieter than the one before."]
        if v["statistic"] == "dataset":
            lines.append(f"Data-set statistics fitted on all {self._x.shape[0]} clips: "
                         f"statistics of shape {tuple(scaler.mean.shape)}, so the clips keep "
                         "their differences in loudness.")
        else:
            lines.append("Instance statistics: each clip is scaled with its own numbers, so "
                         "the clips look alike afterwards.")
        return lines + ["After: " + "; ".join(per_clip) + "."]


def scaler_explorer():
    """Chapter 05's explorer: :class:`helpers.scaling.Scaler` on four clips, before and after.

    Controls ``statistic`` ('instance' or 'dataset'), ``normtype`` ('minmax',
    'mean', 'standard'; dataset min-max is refused with a message) and ``dims``.

    Returns
    -------
    Explorer

    Notebook: 05_scaling.ipynb
    """
    return ScalerExplorer()


# ---------------------------------------------------------------------------
# The main explorer
# ---------------------------------------------------------------------------

class MelExplorer(Explorer):
    """The whole pipeline on one screen: waveform, filterbank, log-mel spectrogram."""

    css_class = "main-explorer"
    title = "Mel spectrogram explorer"

    def __init__(self, y=None, sr=16000, n_mels=128, fmin=0, fmax=None, window="hann",
                 periodic=True, n_fft=2048, hop_length=512, power=2.0, htk=False,
                 norm="slaney", sound=None):
        from .signals import chirp, sine, soundscape, vowel

        self.sr = check_number(sr, "sr", low=0, low_open=True)
        sr_i = int(round(self.sr))
        nyq = int(self.sr // 2)
        self.sounds = {}
        seconds = 10.0
        if y is not None:
            self.sounds["your sound"] = check_audio(y, "y")
            # the other sounds get the same length (1 to 10 s): the time axes stay put
            seconds = float(np.clip(len(self.sounds["your sound"]) / self.sr, 1.0, 10.0))
        self.sounds["sine 440 Hz"] = sine(440.0, sr=sr_i, duration=seconds, amplitude=0.5)
        self.sounds["chirp"] = chirp(50.0, 0.9 * nyq, sr=sr_i, duration=seconds,
                                     method="exponential", amplitude=0.5)
        self.sounds["vowel 'a'"] = vowel("a", sr=sr_i, duration=seconds)
        if self.sr >= 8000:
            self.sounds["soundscape"] = soundscape(sr=sr_i, duration=max(seconds, 4.0),
                                                   seed=0)[0]
        self._stft_cache = collections.OrderedDict()
        self._wavs = {}
        fmax = nyq if fmax is None else int(fmax)
        controls = {
            "sound": _dropdown(list(self.sounds), sound or next(iter(self.sounds)), "sound",
                               width="240px"),
            "n_mels": _slider("int", n_mels, 1, 256, 1, "n_mels"),
            "fmin": _slider("int", fmin, 0, nyq, 10, "fmin (Hz)"),
            "fmax": _slider("int", fmax, 10, nyq, 1, "fmax (Hz)"),
            "window": _dropdown(WINDOW_NAMES, window, "window"),
            "periodic": _toggle([("periodic", True), ("symmetric", False)], periodic,
                                "shape"),
            "n_fft": _dropdown(N_FFTS, n_fft, "n_fft"),
            "hop_length": _slider("int", hop_length, 1, 4096, 1, "hop_length"),
            "power": _toggle([("1: |X|", 1.0), ("2: |X|²", 2.0)], power, "power"),
            "htk": _toggle([("Slaney", False), ("HTK", True)], htk, "mel scale"),
            "norm": _toggle([("slaney", "slaney"), ("none", None)], norm, "norm"),
        }
        fig = _figure((8.0, 7.0))
        with _style():
            ax_y, ax_fb, ax_m = fig.subplots(3, 1, height_ratios=(0.8, 1.1, 1.8))
            (wave,) = ax_y.plot([], [], lw=0.6, color="C0")
            plotting.decorate(ax_y, xlabel="Time (s)", ylabel="Amplitude", title="Waveform")
            lc, fmin_line, fmax_line = _filterbank_axes(ax_fb, self.sr, "Weight / tallest",
                                                        lw=0.9)
            ax_fb.set_ylim(0, 1.08)
            im = ax_m.imshow(np.zeros((2, 2)), origin="lower", aspect="auto",
                             interpolation="nearest", vmin=-80, vmax=0)
            plotting.decorate(ax_m, xlabel="Time (s)", ylabel="Frequency (Hz), mel-spaced",
                              title="Log-mel spectrogram (one row per mel band; grey: "
                                    "outside fmin–fmax)")
            ax_m.set_facecolor("0.85")
            fig.colorbar(im, ax=ax_m, label="dB (re max)", format="%+.0f")
        self.artists = {"waveform": wave, "filters": lc, "fmin": fmin_line,
                        "fmax": fmax_line, "mel_image": im}
        self._axes = (ax_y, ax_fb, ax_m)
        self.audio = widgets.Audio(format="wav", autoplay=False, loop=False)
        self.audio.add_class("mel-audio")
        self._sound_shown = None
        super().__init__(controls, fig, extra=[self.audio])

    def _spectrum(self, sound, n_fft, hop, window, periodic, power):
        """|STFT|**power of a sound, cached by every argument (the last 6 settings)."""
        key = (sound, n_fft, hop, window, periodic, power)
        if key in self._stft_cache:
            self._stft_cache.move_to_end(key)
        else:
            self._stft_cache[key] = _power_frames(self.sounds[sound], n_fft, hop, window,
                                                  periodic, power)
            while len(self._stft_cache) > 6:
                self._stft_cache.popitem(last=False)
        return self._stft_cache[key]

    def update(self, v):
        sr = self.sr
        y = self.sounds[v["sound"]]
        n_fft, hop, n_mels = int(v["n_fft"]), int(v["hop_length"]), int(v["n_mels"])
        fmin, fmax, htk, norm = float(v["fmin"]), float(v["fmax"]), bool(v["htk"]), v["norm"]
        power = 2 if float(v["power"]) == 2.0 else 1
        ax_y, ax_fb, ax_m = self._axes
        a = self.artists
        if self._sound_shown != v["sound"]:  # the waveform and the player change with the sound
            t, env = _envelope(y, sr)
            a["waveform"].set_data(t, env)
            ax_y.set_xlim(0, len(y) / sr)
            peak = float(np.max(np.abs(y)))
            ax_y.set_ylim(*((-1.05, 1.05) if peak <= 1 else (-1.05 * peak, 1.05 * peak)))
            if v["sound"] not in self._wavs:
                self._wavs[v["sound"]] = _wav_bytes(y[:int(10 * sr)], sr)
            self.audio.value = self._wavs[v["sound"]]
            self._sound_shown = v["sound"]
        n = len(y)
        lines = []
        # The filterbank first: it only depends on the mel settings.
        fb = mel_filterbank(sr, n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm)
        freqs = fft_frequencies(sr, n_fft)
        tallest = float(fb.max())
        # Drawn relative to the tallest filter: the axis stays put as n_mels changes.
        a["filters"].set_segments(_filter_segments(fb / (tallest or 1.0), freqs))
        a["fmin"].set_xdata([fmin, fmin])
        a["fmax"].set_xdata([fmax, fmax])
        n_frames = frame_count(n, n_fft, hop)
        n_bins = 1 + n_fft // 2
        if n_frames * n_bins > MAX_STFT_CELLS:
            raise ValueError(
                f"hop_length={hop} on this {n}-sample clip gives {n_frames} frames × "
                f"{n_bins} bins, too many to compute interactively. Raise hop_length "
                f"(e.g. to {max(1, n_fft // 4)}) or pick a shorter sound.")
        if n_fft > n:
            warnings.warn(f"n_fft={n_fft} is longer than the sound ({n} samples): every frame "
                          "is mostly the zero padding added by center=True.", UserWarning)
        S = self._spectrum(v["sound"], n_fft, hop, v["window"], bool(v["periodic"]), power)
        M = (S @ fb.T.astype(np.float32)).T  # (n_mels, n_frames)
        to_db = power_to_db if power == 2 else amplitude_to_db
        db = to_db(M, ref=float(M.max()) if M.max() > 0 else 1.0, top_db=80.0)
        im = a["mel_image"]
        im.set_data(db)
        dt = hop / sr
        im.set_extent((-dt / 2, (n_frames - 0.5) * dt, 0, 1))
        _mel_axis(ax_m, im, n_mels, fmin, fmax, htk, sr)
        ax_m.set_xlim(0, n / sr)
        lines.append(f"Sound: {v['sound']}, {n} samples = {n / sr:.3g} s at sr = {sr:g} Hz.")
        lines.append(f"Output shape (n_mels, n_frames) = ({n_mels}, {n_frames}).")
        lines.append(_frame_formula(n, n_fft, hop, n_frames))
        lines.append(f"Each frame covers n_fft / sr = {n_fft / sr * 1e3:.3g} ms; frames are "
                     f"hop_length / sr = {hop / sr * 1e3:.3g} ms apart; FFT bins are "
                     f"sr / n_fft = {sr / n_fft:.3g} Hz apart.")
        lines.append(f"Filterbank: {n_mels} filters from {fmin:.0f} to {fmax:.0f} Hz, "
                     f"{'HTK' if htk else 'Slaney'} mel scale, norm={norm!r}; the tallest "
                     f"weight is {tallest:.3g} (the figure divides by it).")
        lines.append(("power=2: |X|² mel power, shown with power_to_db" if power == 2 else
                      "power=1: |X| mel amplitude, shown with amplitude_to_db")
                     + " (0 dB = the loudest cell, floor 80 dB below it).")
        return lines


def mel_explorer(y=None, sr=16000, **start):
    """The main explorer: every setting of the mel spectrogram on one screen.

    Parameters
    ----------
    y : numpy.ndarray, shape (n_samples,), or None
        Your sound (mono, float); listed as "your sound" in the sound selector,
        next to a sine, a chirp, a vowel and the synthetic soundscape.
    sr : float
        Sampling rate of ``y`` in Hz (the other sounds are made at this rate).
    **start
        Start values of the controls: ``n_mels`` (1–256), ``fmin``, ``fmax``
        (up to sr / 2; None means sr / 2), ``window`` ('hann', 'hamming',
        'blackman', 'rectangular'), ``periodic`` (False: symmetric),
        ``n_fft``, ``hop_length``, ``power`` (1 or 2), ``htk``, ``norm``,
        ``sound``.

    Returns
    -------
    Explorer
        ``.controls`` has all the names above; ``.figure`` shows the waveform,
        the filterbank (fmin and fmax marked) and the log-mel spectrogram.

    See also
    --------
    librosa.feature.melspectrogram, torchaudio.transforms.MelSpectrogram

    Notebook: explorer.ipynb
    """
    return MelExplorer(y=y, sr=sr, **start)


# ---------------------------------------------------------------------------
# Benchmark helper
# ---------------------------------------------------------------------------

def redraw_time(explorer, name, values, repeats=3, clock=time.perf_counter):
    """Median seconds from setting ``explorer.controls[name].value`` to the new PNG being ready.

    Sets the control to each of ``values`` in turn, ``repeats`` times over, and
    times each change (recompute, update the artists, render the PNG: all that
    happens in the kernel before the browser gets the new image). Consecutive
    equal values are skipped (setting the same value does not redraw). The
    control is set back to its start value afterwards.

    Parameters
    ----------
    explorer : Explorer
        From any of the ``*_explorer`` functions.
    name : str
        A key of ``explorer.controls``, e.g. ``'n_mels'``.
    values : sequence
        Values to cycle through, e.g. ``[64, 128]``.
    repeats : int
        How many times to cycle.
    clock : callable
        The clock: ``time.perf_counter`` (wall time, the default: what the
        learner waits) or ``time.process_time`` (CPU time of this process: what
        the redraw costs, less disturbed by other programs on a busy machine).

    Returns
    -------
    float
        The median time per redraw in seconds.

    Example (what ``make bench`` does)::

        y, _ = helpers.soundscape(sr=16000, duration=10.0)
        ex = helpers.widgets.mel_explorer(y, 16000)
        helpers.widgets.redraw_time(ex, "n_mels", [64, 128, 40], repeats=5)
    """
    w = explorer.controls[name]
    start = w.value
    times = []
    for _ in range(repeats):
        for value in values:
            if value == w.value:
                continue
            t0 = clock()
            w.value = value
            times.append(clock() - t0)
    w.value = start
    if not times:
        raise ValueError(f"values={values!r} never change {name}: nothing was timed.")
    return statistics.median(times)
