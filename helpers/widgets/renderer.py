"""How an explorer's figure becomes the PNG its image widget shows, quickly.

Text is what costs most in a matplotlib draw, and most of an explorer's axes keep
their ticks, labels and title from one setting to the next. So after a first full
draw, only what changed is drawn again, with matplotlib's own blitting
(https://matplotlib.org/stable/users/explain/animations/blitting.html):

- per axes, a background is saved with ``canvas.copy_from_bbox``: the axes box with
  its frame but without its data (lines, images, collections, patches, texts,
  spines and legend are set *animated* while the background is drawn);
- when only an axes' data changed, its background is put back with
  ``canvas.restore_region`` and its data drawn over it with ``ax.draw_artist``;
- when its limits, ticks, labels or title changed, its *cell* is cleared to a copy
  of the empty figure and the whole axes drawn again; whatever it drew outside
  its cell (a title grown longer) is put back as it was, so neighbours are never
  touched. The cells are rectangles fixed at the first draw: each axes' tight
  bounding box, grown up to the midlines between it and its neighbours.

The layout is frozen after the first draw (so the axes never move), and the figure
is left as a normal figure after each render: ``fig.savefig`` and ``canvas.draw``
draw everything as usual.

The figure style is the one last chosen with :func:`helpers.use_style` (reading, or
projector for a classroom), taken from :func:`helpers.plotting.current_style` in
:func:`new_figure` and :func:`style` only; :func:`fit_to_style` scales what an
explorer sets by hand (line widths, marker sizes, legend text) to it.
"""

import contextlib
import io

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .. import plotting

PNG_OPTIONS = {"compress_level": 1}  # fast to encode; the image is small anyway
_PAD = 2  # pixels around each rectangle: antialiased edges and the spines' outer half


def new_figure(figsize):
    """A figure outside pyplot (the inline backend must not show it a second time)."""
    with style():
        fig = Figure(figsize=figsize, dpi=plotting.current_style()["figure.dpi"],
                     layout="constrained")
    FigureCanvasAgg(fig)
    return fig


# Sizes fit_to_style scales afterwards: artists are created with the reading style's values.
SCALED_PARAMS = ("lines.linewidth", "lines.markersize", "patch.linewidth")


@contextlib.contextmanager
def style():
    """The current figure style (:func:`helpers.use_style`), while an explorer creates its artists.

    Line widths and marker sizes are the reading style's here (whether an explorer
    sets them by hand or not); :func:`fit_to_style` then scales them all alike.
    """
    reading, default = plotting.STYLES["reading"], matplotlib.rcParamsDefault
    params = {**plotting.current_style(), **{k: reading.get(k, default[k]) for k in SCALED_PARAMS}}
    with matplotlib.rc_context(params):
        yield


def fit_to_style(fig):
    """Scale the line widths, marker sizes and legend text an explorer set by hand to the style.

    Explorers give some artists explicit sizes (``lw=0.6``, ``fontsize=8``) chosen
    for the reading style; in another style they are scaled by its ratio to the
    reading style (``lines.linewidth``, ``font.size``), and legend text is at least
    the style's ``legend.fontsize``. In the reading style nothing changes.

    Returns
    -------
    bool
        True when the text is larger than the reading style's: the explorer then
        calls :func:`break_long_labels` after each update.
    """
    params, reading = plotting.current_style(), plotting.STYLES["reading"]
    default = matplotlib.rcParamsDefault
    line = params.get("lines.linewidth", default["lines.linewidth"]) / \
        reading.get("lines.linewidth", default["lines.linewidth"])
    text = params["font.size"] / reading["font.size"]
    if line == 1 and text == 1:
        return False
    legend_min = params.get("legend.fontsize")
    for ax in fig.axes:
        for artist in ax.lines:
            artist.set_linewidth(artist.get_linewidth() * line)
            artist.set_markersize(artist.get_markersize() * line)
        for artist in [*ax.collections, *ax.patches]:
            if artist is not ax.patch:
                artist.set_linewidth(np.asarray(artist.get_linewidth()) * line)
        legend = ax.get_legend()
        if legend is not None:
            for t in legend.get_texts():
                size = t.get_fontsize() * text
                t.set_fontsize(max(size, legend_min) if isinstance(legend_min, (int, float))
                               else size)
    return text > 1


def break_long_labels(fig, checked):
    """Put a title or axis label that is longer than its axes (larger text) on two lines.

    Before the first draw the figure is laid out once to know the axes' sizes (the
    :class:`Renderer` then lays it out again with the broken labels and freezes it).
    ``checked`` (a dict the caller keeps, label -> its text when last checked) skips
    the labels that did not change: measuring text is slow.
    """
    labels = [(ax, t) for ax in fig.axes for t in (ax.title, ax.xaxis.label, ax.yaxis.label)
              if checked.get(t) != t.get_text()]
    if not labels:
        return
    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        fig.canvas.draw()  # not laid out for good yet: the axes' sizes with this text
    renderer = fig.canvas.get_renderer()
    for ax, t in labels:
        box = ax.get_window_extent(renderer)
        room = box.height if t is ax.yaxis.label else box.width
        text = t.get_text()
        extent = t.get_window_extent(renderer)
        length = extent.height if t is ax.yaxis.label else extent.width
        if "\n" not in text and " " in text and length > room:
            middle = len(text) / 2  # break at the space nearest the middle
            cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: abs(i - middle))
            t.set_text(text[:cut] + "\n" + text[cut + 1:])
        checked[t] = t.get_text()


def data_artists(ax):
    """What an axes draws inside its box, in drawing order (z-order, then insertion order).

    Everything but the axes' background patch, its x and y axis (ticks and labels),
    its titles and any inset axes.
    """
    own_texts = set(ax.texts)
    arts = [a for a in ax.get_children()
            if a is not ax.patch and not isinstance(a, (Axis, Axes))
            and not (isinstance(a, Text) and a not in own_texts)]
    return sorted(arts, key=lambda a: a.get_zorder())


def frame_signature(ax):
    """What decides how an axes' frame looks: limits, labels, title and fixed ticks."""
    sig = [ax.get_xlim(), ax.get_ylim(), ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    for axis in (ax.xaxis, ax.yaxis):
        loc, fmt = axis.get_major_locator(), axis.get_major_formatter()
        locs = getattr(loc, "locs", None)
        seq = getattr(fmt, "seq", None)
        sig.append((type(loc).__name__, None if locs is None else tuple(np.asarray(locs).tolist()),
                    type(fmt).__name__, None if seq is None else tuple(seq)))
    return sig


class Renderer:
    """Renders ``figure`` to PNG bytes, redrawing only the axes that changed since last time."""

    def __init__(self, figure):
        self.figure = figure
        self._blank = None        # the empty figure (background colour only)
        self._backgrounds = {}    # axes -> its box without its data
        self._frames = {}         # axes -> frame_signature at the last draw
        self._cells = {}          # axes -> the rectangle it may draw in

    # -- the PNG ------------------------------------------------------------------
    def png(self):
        """The figure as PNG bytes, after drawing what changed."""
        from PIL import Image

        self.draw()
        canvas = self.figure.canvas
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA",
                                 0, 1)
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="png", **PNG_OPTIONS)
        return buf.getvalue()

    def draw(self):
        """Bring the canvas up to date: everything the first time, then only what changed."""
        fig = self.figure
        if self._blank is None:
            self._first_draw()
            return
        for ax in fig.axes:
            if not ax.stale:
                continue
            if frame_signature(ax) != self._frames[ax]:
                self._redraw_whole(ax)
            else:
                fig.canvas.restore_region(self._backgrounds[ax])
                self._draw_data(ax)

    # -- the three kinds of drawing ----------------------------------------------
    def _first_draw(self):
        fig, canvas = self.figure, self.figure.canvas
        canvas.draw()  # lays the figure out (constrained layout) ...
        fig.set_layout_engine("none")  # ... once: from now on the axes never move
        visible = [ax.get_visible() for ax in fig.axes]
        for ax in fig.axes:
            ax.set_visible(False)
        canvas.draw()
        self._blank = canvas.copy_from_bbox(fig.bbox)
        for ax, v in zip(fig.axes, visible):
            ax.set_visible(v)
        with _animated(fig.axes):
            canvas.draw()  # every frame, no data
        renderer = canvas.get_renderer()
        boxes = {ax: _padded(ax.get_tightbbox(renderer), canvas) for ax in fig.axes}
        for ax in fig.axes:
            self._cells[ax] = _cell(ax, boxes, canvas)
            self._save_background(ax)
            self._draw_data(ax)

    def _redraw_whole(self, ax):
        """Clear the cell of ``ax``, draw the whole axes, and undo what it drew outside."""
        fig, canvas = self.figure, self.figure.canvas
        cell = self._cells[ax]
        before = canvas.copy_from_bbox(fig.bbox)
        _restore(canvas, self._blank, cell)
        with _animated([ax]):
            fig.draw_artist(ax)  # its frame: patch, axis, labels, title
        width, height = canvas.get_width_height()
        for band in ((0, 0, width, cell.y0), (0, cell.y1, width, height),  # below, above
                     (0, cell.y0, cell.x0, cell.y1), (cell.x1, cell.y0, width, cell.y1)):
            if band[2] > band[0] and band[3] > band[1]:
                _restore(canvas, before, Bbox.from_extents(*band))
        self._save_background(ax)
        self._draw_data(ax)

    def _save_background(self, ax):
        canvas = self.figure.canvas
        self._backgrounds[ax] = canvas.copy_from_bbox(_padded(ax.bbox, canvas))
        self._frames[ax] = frame_signature(ax)

    def _draw_data(self, ax):
        for artist in data_artists(ax):
            if artist.get_visible():
                ax.draw_artist(artist)
        ax.stale = False


@contextlib.contextmanager
def _animated(axes):
    """Mark the data of ``axes`` animated (a canvas or axes draw skips it), then unmark it."""
    arts = [a for ax in axes for a in data_artists(ax) if not a.get_animated()]
    for a in arts:
        a.set_animated(True)
    try:
        yield
    finally:
        for a in arts:
            a.set_animated(False)


def _padded(bbox, canvas):
    """``bbox`` grown by a few pixels, on whole pixels, inside the canvas.

    The few pixels: ``_PAD``, plus the outer half of the thickest spine beyond one
    pixel (the projector style's spines are about 3 pixels wide).
    """
    width, height = canvas.get_width_height()
    fig = canvas.figure
    spine = max((s.get_linewidth() for ax in fig.axes for s in ax.spines.values()), default=0)
    pad = _PAD + max(int(np.ceil(spine * fig.dpi / 72 / 2)) - 1, 0)
    return Bbox.from_extents(max(np.floor(bbox.x0) - pad, 0), max(np.floor(bbox.y0) - pad, 0),
                             min(np.ceil(bbox.x1) + pad, width),
                             min(np.ceil(bbox.y1) + pad, height))


def _cell(ax, boxes, canvas):
    """The rectangle ``ax`` may draw in: the canvas, cut at the midline to every other axes.

    Two tight boxes of a laid-out figure do not overlap, so they are apart along x or
    along y (the larger gap is taken); each cell stays on its side of the midline of
    that gap, so no two cells overlap.
    """
    width, height = canvas.get_width_height()
    x0, y0, x1, y1 = 0.0, 0.0, float(width), float(height)
    a = boxes[ax]
    for other, b in boxes.items():
        if other is ax:
            continue
        gaps = {"right": b.x0 - a.x1, "left": a.x0 - b.x1, "above": b.y0 - a.y1,
                "below": a.y0 - b.y1}
        side = max(gaps, key=gaps.get)
        if side == "right":
            x1 = min(x1, np.floor((a.x1 + b.x0) / 2))
        elif side == "left":
            x0 = max(x0, np.floor((b.x1 + a.x0) / 2))
        elif side == "above":
            y1 = min(y1, np.floor((a.y1 + b.y0) / 2))
        else:
            y0 = max(y0, np.floor((b.y1 + a.y0) / 2))
    return Bbox.from_extents(x0, y0, x1, y1)


def _restore(canvas, region, rect):
    """Put back the part of ``region`` (saved from the whole figure) inside ``rect``.

    ``restore_region`` takes the part to restore in the region's own pixel rows
    (counted from the top) and the region's corner as ``xy``.
    """
    height = canvas.get_width_height()[1]
    x0, y0 = region.get_extents()[:2]
    canvas.restore_region(region, bbox=(rect.x0, height - rect.y1, rect.x1, height - rect.y0),
                          xy=(x0, y0))
