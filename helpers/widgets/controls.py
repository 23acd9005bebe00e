"""The controls of the explorers: sliders, menus and toggles that all look alike.

Each factory checks the start value it is given against the values the control
can take, and raises a ``ValueError``/``TypeError`` that names the explorer's
argument (``name``) and what is allowed: a widget would otherwise clamp a slider
silently (``freq=30000`` becoming 20000) or fail with its own "Invalid selection".

Buttons (:func:`button`, the explorers' Reset) and file pickers (a future upload)
belong here too, as factories next to these.
"""

import html

import ipywidgets as widgets

from .._validate import check_choice, check_int, check_number

CONTROL_WIDTH = "330px"
LABEL_WIDTH = "95px"


def option_values(options):
    """The values of a menu's options: ``[("label", value), ...]`` or plain values."""
    return tuple(o[1] if isinstance(o, tuple) and len(o) == 2 and isinstance(o[0], str) else o
                 for o in options)


def slider(kind, value, low, high, step, description, name):
    """An integer (``kind='int'``) or float slider from ``low`` to ``high``, starting at ``value``."""
    check = {"int": check_int, "float": check_number}[kind]
    value = check(value, name, low=low, high=high)
    cls = {"int": widgets.IntSlider, "float": widgets.FloatSlider}[kind]
    return cls(value=value, min=low, max=high, step=step, description=description,
               continuous_update=False, style={"description_width": LABEL_WIDTH},
               layout=widgets.Layout(width=CONTROL_WIDTH))


def log_slider(value, low_exponent, high_exponent, description, name, readout_format=".0e"):
    """A slider over powers of ten, from ``10**low_exponent`` to ``10**high_exponent``."""
    value = check_number(value, name, low=10.0 ** low_exponent, high=10.0 ** high_exponent)
    return widgets.FloatLogSlider(value=value, base=10, min=low_exponent, max=high_exponent,
                                  step=1, description=description, continuous_update=False,
                                  readout_format=readout_format,
                                  style={"description_width": LABEL_WIDTH},
                                  layout=widgets.Layout(width=CONTROL_WIDTH))


def range_slider(value, low, high, step, description, name):
    """A slider with two handles (an integer range ``(start, stop)``)."""
    try:
        start, stop = value
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a pair (low, high), got {value!r}.") from None
    start = check_int(start, f"{name}[0]", low=low, high=high)
    stop = check_int(stop, f"{name}[1]", low=low, high=high)
    if start > stop:
        raise ValueError(f"{name}=({start}, {stop}): the first value must not exceed the second.")
    return widgets.IntRangeSlider(value=(start, stop), min=low, max=high, step=step,
                                  description=description, continuous_update=False,
                                  style={"description_width": LABEL_WIDTH},
                                  layout=widgets.Layout(width=CONTROL_WIDTH))


def dropdown(options, value, description, name, width=CONTROL_WIDTH):
    """A menu of ``options`` (values, or ``(label, value)`` pairs), starting at ``value``."""
    check_choice(value, name, option_values(options))
    return widgets.Dropdown(options=options, value=value, description=description,
                            style={"description_width": LABEL_WIDTH},
                            layout=widgets.Layout(width=width))


def toggle(options, value, description, name):
    """A row of buttons, one per ``(label, value)`` option, one of them pressed."""
    check_choice(value, name, option_values(options))
    width = {2: "95px", 3: "62px"}.get(len(options), "60px")
    return widgets.ToggleButtons(options=options, value=value, description=description,
                                 style={"description_width": LABEL_WIDTH, "button_width": width},
                                 layout=widgets.Layout(width="auto"))


def checkbox(value, description, name):
    """A tick box for True/False."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}.")
    return widgets.Checkbox(value=value, description=description, indent=False,
                            layout=widgets.Layout(width="160px"))


def button(description, tooltip, icon=""):
    """A push button: a real HTML ``<button>``, so Tab reaches it and Enter or Space presses it."""
    return widgets.Button(description=description, tooltip=tooltip, icon=icon,
                          layout=widgets.Layout(width="auto", align_self="flex-start"))


def player():
    """An empty audio player (its ``value`` gets WAV bytes from :func:`helpers.players.wav_bytes`)."""
    return widgets.Audio(format="wav", autoplay=False, loop=False).add_class("mel-audio")


def labelled(w):
    """ToggleButtons with their label on the left, like the sliders (their own label wraps above)."""
    if not isinstance(w, widgets.ToggleButtons) or not w.description:
        return w
    label = widgets.HTML(f'<div style="text-align:right; padding-right:8px">'
                         f"{html.escape(w.description)}</div>",
                         layout=widgets.Layout(width=LABEL_WIDTH, min_width=LABEL_WIDTH))
    w.description = ""
    w.style.description_width = "0px"
    return widgets.HBox([label, w], layout=widgets.Layout(width=CONTROL_WIDTH))
