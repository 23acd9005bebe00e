"""The container every explorer is: controls, a figure shown as a PNG, a plain-words readout."""

import base64
import contextlib
import html
import re
import warnings

import ipywidgets as widgets

from .controls import button, labelled
from .renderer import Renderer, break_long_labels, fit_to_style


class Explorer(widgets.VBox):
    """An explorer: controls, a figure shown as a PNG image, and a plain-words readout.

    Subclasses build their figure and controls and implement ``update(values)``:
    it changes the artists for the current control values and returns a list of
    readout lines (plain text). A ``ValueError``, ``TypeError`` or ``RuntimeError``
    raised there, and any warning, ends up in the readout, never as a traceback.

    Attributes
    ----------
    controls : dict of str -> ipywidgets.ValueWidget
        The controls by parameter name; setting ``.value`` from code redraws.
    defaults : dict of str -> object
        The controls' starting values; :meth:`reset` goes back to them.
    figure : matplotlib.figure.Figure
        The figure, updated in place; ``image`` shows it as a PNG.
    readout : ipywidgets.HTML
        What the output is, in words; :attr:`readout_text` is the same as plain text.
    last_error : str or None
        Why the current settings cannot be computed, or None.

    reset_button : ipywidgets.Button
        "Reset": calls :meth:`reset` (a real button, reached with Tab, pressed with Enter).

    Layout, top to bottom: the title, the controls (a grid), the Reset button,
    ``extra`` widgets (players; the place for buttons such as an upload), the
    figure, the readout.
    """

    css_class = "mel-explorer"
    title = ""

    def __init__(self, controls, figure, extra=()):
        super().__init__()
        self.controls = dict(controls)
        self.defaults = {name: w.value for name, w in self.controls.items()}
        self.figure = figure
        self.artists = getattr(self, "artists", {})
        # line widths and legend text set by hand follow use_style(); long labels break
        self._large_text, self._labels_checked = fit_to_style(figure), {}
        self.renderer = Renderer(figure)
        self.readout = widgets.HTML(value="").add_class("mel-readout")
        self.image = widgets.Image(format="png").add_class("mel-figure")
        self.image.layout.max_width = "100%"
        self.last_error = None
        self._hold = False
        for name, w in self.controls.items():
            w.add_class(f"mel-control-{name.replace('_', '-')}")
            if hasattr(w, "continuous_update"):
                w.continuous_update = False  # no backlog of redraws while dragging
            w.observe(self._on_change, names="value")
        box = widgets.GridBox([labelled(w) for w in self.controls.values()], layout=widgets.Layout(
            grid_template_columns="repeat(auto-fill, 340px)", grid_gap="2px 6px"))
        box.add_class("mel-controls")
        head = [widgets.HTML(f"<b>{html.escape(self.title)}</b>")] if self.title else []
        self.reset_button = button("Reset", "Put every control back to its starting value",
                                   icon="undo").add_class("mel-reset")
        self.reset_button.on_click(lambda _button: self.reset())
        self.children = [*head, box, self.reset_button, *extra, self.image, self.readout]
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

    def reset(self):
        """Set every control back to its starting value (:attr:`defaults`), redrawing once."""
        with self.hold():
            for name, value in self.defaults.items():
                self.controls[name].value = value

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
                if self._large_text:
                    break_long_labels(self.figure, self._labels_checked)
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
        """The figure as PNG bytes (what the image widget shows); see :mod:`.renderer`."""
        return self.renderer.png()

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
