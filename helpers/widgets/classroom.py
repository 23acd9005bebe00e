"""Every chapter's explorer on one page, one at a time: what ``make app`` serves to a classroom.

A menu picks the chapter; its explorer is built the first time it is picked (so the
page starts with one explorer, not eight) and kept, so going back to a chapter shows
it as it was left (its Reset button restores the chapter's start values). A second
control switches the figures between the reading and the projector style
(:func:`helpers.use_style`); explorers are rebuilt in the new style when next shown.
"""

import base64
import html

import ipywidgets as widgets

from .. import plotting
from .controls import LABEL_WIDTH, labelled, toggle


def _main():
    from .mel import mel_explorer
    return mel_explorer(sr=16000, sound="soundscape")


def _sampling():
    from .sampling import sampling_explorer
    return sampling_explorer()


def _stft():
    from .stft import stft_explorer
    return stft_explorer()


def _filterbank():
    from .filterbank import filterbank_explorer
    return filterbank_explorer(sr=22050, n_fft=512, n_mels=128, fmax=8000, htk=True, norm=None)


def _db():
    from .db import db_explorer
    return db_explorer()


def _scaler():
    from .scaler import scaler_explorer
    return scaler_explorer()


def _baseline():
    from ..signals import soundscape
    from .mel import mel_explorer
    y, _ = soundscape(sr=16000, duration=10.0, seed=0)  # clip 0 of chapter 06's batch
    return mel_explorer(y, 16000, n_fft=2048, hop_length=256, window="hamming", periodic=False,
                        power=1, htk=True, norm=None, fmax=8000)


def _reconstruction():
    from .reconstruction import reconstruction_explorer
    return reconstruction_explorer(sr=16000)


# menu label -> the function that builds that chapter's explorer, with the chapter's own
# start values (the same call as in the chapter's "Explore" cell)
CHAPTERS = {
    "00 Start here: the whole front end": _main,
    "01 Sampling: aliasing": _sampling,
    "02 STFT: window, n_fft, hop_length": _stft,
    "03 Mel: the filterbank": _filterbank,
    "04 Decibels: ref, amin, top_db, clamp": _db,
    "05 Scaling: statistic, normtype, dims": _scaler,
    "06 DCASE front end: the baseline's settings": _baseline,
    "07 Listening: n_mels and fmax by ear": _reconstruction,
}


class Classroom(widgets.VBox):
    """A chapter menu, a style switch, and the chosen chapter's explorer under them.

    Attributes
    ----------
    chapter : ipywidgets.Dropdown
        The menu (its options are the keys of :data:`CHAPTERS`).
    style : ipywidgets.ToggleButtons
        'reading' or 'projector' (:func:`helpers.use_style`).
    explorer : helpers.widgets.Explorer
        The explorer shown now.
    """

    def __init__(self, chapter=None, style="reading"):
        first = next(iter(CHAPTERS)) if chapter is None else chapter
        self.chapter = widgets.Dropdown(options=list(CHAPTERS), value=first,
                                        description="chapter",
                                        style={"description_width": LABEL_WIDTH},
                                        layout=widgets.Layout(width="460px"))
        self.chapter.add_class("classroom-chapter")
        self.style = toggle([("reading", "reading"), ("projector", "projector")], style,
                            "figures", name="style")
        self.style.add_class("classroom-style")
        self._built = {}  # (chapter, style) -> explorer
        self._holder = widgets.Box(layout=widgets.Layout(width="100%"))
        super().__init__([widgets.HBox([self.chapter, labelled(self.style)]), self._holder])
        self.add_class("classroom")
        self.explorer = None
        self.chapter.observe(self._show, names="value")
        self.style.observe(self._show, names="value")
        self._show()

    def _show(self, change=None):
        key = (self.chapter.value, self.style.value)
        plotting.use_style(key[1])  # the explorers (and any figure drawn after) use it
        if key not in self._built:
            self._holder.children = [widgets.HTML(
                f"<i>Building the explorer of {html.escape(key[0])} …</i>")]
            self._built[key] = CHAPTERS[key[0]]()
        self.explorer = self._built[key]
        self._holder.children = [self.explorer]

    def _repr_mimebundle_(self, **kwargs):
        """The live page, plus a PNG of the explorer shown, for viewers without a kernel."""
        data = dict(super()._repr_mimebundle_(**kwargs) or {})
        if self.explorer is not None and self.explorer.image.value:
            data["image/png"] = base64.b64encode(self.explorer.image.value).decode("ascii")
        data["text/plain"] = ("Classroom: every chapter's explorer, one at a time (run the "
                              "notebook with a kernel to pick a chapter).")
        return data


def classroom(chapter=None, style="reading"):
    """Every chapter's explorer on one page: a chapter menu, a style switch, the explorer.

    Each explorer is built when its chapter is first picked, with the chapter's own
    start values, and kept while the page is open.

    Parameters
    ----------
    chapter : str or None
        The chapter shown first, a key of :data:`CHAPTERS` (None: the first, 00).
    style : {'reading', 'projector'}
        The figure style at the start (:func:`helpers.use_style`); the page's
        "figures" switch changes it.

    Returns
    -------
    Classroom
        ``.chapter`` (the menu), ``.style`` (the switch), ``.explorer`` (shown now).

    Raises
    ------
    ValueError
        For a chapter or style that is not offered (naming what is allowed).

    Notebook: classroom.ipynb (``make app`` serves it with Voila)
    """
    from .._validate import check_choice
    if chapter is not None:
        check_choice(chapter, "chapter", tuple(CHAPTERS))
    return Classroom(chapter=chapter, style=style)
