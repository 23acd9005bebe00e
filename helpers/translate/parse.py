"""Reading a call written as text, with ``ast`` (never ``eval``).

Notebook: 08_porting.ipynb
"""

import ast

import numpy as np
import scipy.signal

from .._validate import check_int
from .settings import KNOWN_CODE, TA_ORDER

def _literal(node, what):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        pass
    dotted = _dotted(node)
    if dotted in KNOWN_CODE:
        return KNOWN_CODE[dotted]
    if isinstance(node, ast.Call):
        fname = _dotted(node.func)
        args = [_literal(a, what) for a in node.args]
        kws = {k.arg: _literal(k.value, what) for k in node.keywords}
        if fname in ("scipy.signal.get_window", "signal.get_window") and \
                set(kws) <= {"fftbins"} and len(args) == 2:
            check_int(args[1], "window length", low=1)
            if args[1] > 2 ** 20:
                raise ValueError(f"{what}: a window of {args[1]} samples is too long.")
            return scipy.signal.get_window(*args, **kws)
        if fname in ("np.array", "numpy.array") and len(args) == 1 and not kws:
            return np.asarray(args[0], dtype=np.float64)
        if fname in ("float",) and args == ["inf"]:
            return float("inf")
    raise ValueError(f"{what}: only literal values (numbers, strings, True/False/None, "
                     "lists, tuples, dicts), the torch window functions "
                     f"({', '.join(KNOWN_CODE)}), np.array([...]) and "
                     f"scipy.signal.get_window(name, n, fftbins=...) are understood, got "
                     f"{ast.unparse(node)!r}. Write the value itself (e.g. sr=22050, not sr=sr).")


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def parse_call(text):
    """Read a call written as text, with ``ast`` (never ``eval``).

    Parameters
    ----------
    text : str
        ``"librosa.feature.melspectrogram(y=y, sr=22050, ...)"`` (also ``melspectrogram(...)``)
        or ``"torchaudio.transforms.MelSpectrogram(...)"`` (also ``T.MelSpectrogram``,
        ``MelSpectrogram``). Arguments must be literals or known window functions.

    Returns
    -------
    tuple (str, dict)
        ``('librosa', kwargs without y)`` or ``('torchaudio', MelSpectrogram kwargs)``.

    Notebook: 08_porting.ipynb
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}.")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"not a Python call: {exc.msg} in {text!r}.") from None
    call = tree.body
    if not isinstance(call, ast.Call):
        raise ValueError(f"expected a call such as librosa.feature.melspectrogram(...) or "
                         f"torchaudio.transforms.MelSpectrogram(...), got {text!r}.")
    fname = _dotted(call.func) or ""
    last = fname.rsplit(".", 1)[-1]
    if any(isinstance(k.value, ast.Starred) or k.arg is None for k in call.keywords):
        raise ValueError("**kwargs cannot be read: write every argument out.")
    if last == "melspectrogram":
        if call.args:
            raise ValueError("librosa.feature.melspectrogram takes keyword arguments only "
                             "(y=y, sr=...).")
        kwargs = {}
        for k in call.keywords:
            if k.arg == "y":
                continue  # the signal: any expression is fine, it is not a setting
            kwargs[k.arg] = _literal(k.value, k.arg)
        return "librosa", kwargs
    if last == "MelSpectrogram":
        if len(call.args) > len(TA_ORDER):
            raise ValueError("too many positional arguments for MelSpectrogram.")
        kwargs = {TA_ORDER[i]: _literal(a, TA_ORDER[i]) for i, a in enumerate(call.args)}
        for k in call.keywords:
            if k.arg in kwargs:
                raise ValueError(f"{k.arg} is given twice.")
            kwargs[k.arg] = _literal(k.value, k.arg)
        return "torchaudio", kwargs
    raise ValueError(f"unknown function {fname!r}: expected librosa.feature.melspectrogram "
                     "or torchaudio.transforms.MelSpectrogram.")
