"""Self-checks for the exercises: say right, or what is off and a hint.

Each check prints a short friendly message and returns True or False, so the
notebook cell shows a sentence, not a bare boolean or a traceback. A right answer
prints "✅ Right!" on a line of its own before the value: JupyterLab previews the
first line of a folded output, so a folded solution shows only that it is right.

Notebook: every chapter's exercises call these.
"""

import numpy as np

from ._validate import as_numpy


def _say(ok, message):
    print("✅ Right!\n   " + message if ok else "❌ Not yet: " + message)
    return ok


def _short(value):
    """A short, rounded text of a value for a message."""
    try:
        return repr(np.round(value, 4))
    except (TypeError, ValueError):
        return repr(value)


def check_value(answer, expected, name="your answer", rtol=1e-6, atol=0.0, hint=""):
    """Compare a number the learner typed with the expected one.

    Parameters
    ----------
    answer : float or None
        The learner's value (``...`` or None means not answered yet).
    expected : float
        The right value, computed by the notebook, never typed in by hand.
    name : str
        What the value is, for the message.
    rtol, atol : float
        Tolerances, as in ``numpy.isclose``.
    hint : str
        Shown when the answer is wrong.
    """
    if answer is None or answer is Ellipsis:
        return _say(False, f"set {name} first. {hint}".strip())
    try:
        if isinstance(answer, (str, bytes, bool)):  # float("512") works, but n_fft = "512" is wrong
            raise TypeError
        value = float(answer)
    except (TypeError, ValueError):
        return _say(False, f"{name} should be a number, got {answer!r}.")
    if not np.isfinite(value):
        return _say(False, f"{name} = {value:g} is not a finite number. {hint}".strip())
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return _say(True, f"{name} = {value:g}.")
    direction = "too large" if value > expected else "too small"
    return _say(False, f"{name} = {value:g} is {direction}. {hint}".strip())


def check_array(answer, expected, name="your array", rtol=1e-5, atol=1e-8, hint=""):
    """Compare an array the learner computed with the expected one: shape first, then values.

    Parameters
    ----------
    answer : array_like, torch.Tensor or None
        The learner's array (``...`` or None means not computed yet).
    expected : array_like
        The right array, computed by the notebook (e.g. with librosa).
    name : str
        What the array is, for the message.
    rtol, atol : float
        Tolerances, as in ``numpy.allclose``.
    hint : str
        Shown when the answer is wrong.
    """
    if answer is None or answer is Ellipsis:
        return _say(False, f"compute {name} first. {hint}".strip())
    e = np.asarray(as_numpy(expected))
    try:
        a = np.asarray(as_numpy(answer))
        numeric = np.issubdtype(a.dtype, np.number) or a.dtype == bool
    except (TypeError, ValueError):  # a ragged list and the like
        numeric = False
    if not numeric:
        return _say(False, f"{name} should be an array of numbers, got "
                           f"{type(answer).__name__}. {hint}".strip())
    if a.shape != e.shape:
        return _say(False, f"{name} has shape {a.shape}, expected {e.shape}. {hint}".strip())
    if np.iscomplexobj(e) and not np.iscomplexobj(a):
        return _say(False, f"{name} is real but should be complex. {hint}".strip())
    if np.allclose(a, e, rtol=rtol, atol=atol):
        return _say(True, f"{name} matches (shape {a.shape}).")
    err = np.max(np.abs(a - e))
    return _say(False, f"{name} has the right shape but differs by up to {err:.3g}. "
                       f"{hint}".strip())


def check_function(func, reference, inputs, name="your function", rtol=1e-5, atol=1e-8,
                   hint=""):
    """Call the learner's function and a reference on each input and compare the results.

    Parameters
    ----------
    func : callable or None
        The learner's function of one argument (``...`` or None: not defined yet).
        An exception it raises is reported in the message, not raised.
    reference : callable
        The right function (helpers', librosa's or a definition).
    inputs : sequence
        The arguments to try, one call each; the first disagreement is reported.
    name, rtol, atol, hint
        As in :func:`check_array`.
    """
    if func is None or func is Ellipsis:
        return _say(False, f"define {name} first. {hint}".strip())
    for x in inputs:
        try:
            got = func(x)
        except Exception as exc:  # the learner's code: report, don't crash
            return _say(False, f"{name}({x!r}) raised {type(exc).__name__}: {exc}")
        want = reference(x)
        try:
            same = np.shape(got) == np.shape(want) and np.allclose(got, want, rtol=rtol,
                                                                    atol=atol)
        except (TypeError, ValueError):  # e.g. the function still returns ... or None
            same = False
        if not same:
            return _say(False, f"{name}({x!r}) gave {_short(got)}, expected "
                               f"{_short(want)}. {hint}".strip())
    return _say(True, f"{name} agrees with the reference on {len(inputs)} inputs.")
