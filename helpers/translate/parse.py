"""Reading a call written as text, with ``ast`` (never ``eval``).

What a pasted call may contain: literals (numbers, strings, True/False/None,
lists, tuples, dicts), constant arithmetic on numbers (``22050 / 2``,
``2 ** 10``, ``int(0.010 * 16000)``), NumPy dtype names (``np.float32``), the
torch window functions, ``np.array([...])``, ``scipy.signal.get_window(...)``,
and after a torchaudio transform the placement and mode methods ``.to(device)``,
``.cuda()``, ``.cpu()``, ``.eval()``, ``.train()``, ``.float()``. Everything is
read from the syntax tree; nothing is executed.

Notebook: 08_porting.ipynb
"""

import ast
import operator

import numpy as np
import scipy.signal

from .._validate import check_int
from .settings import KNOWN_CODE, MAX_N_FFT, TA_ORDER, excerpt

#: longest call read, in characters (a 2048-value window array is about 45 000)
MAX_CHARS = 200_000
#: largest magnitude constant arithmetic may produce, and the largest exponent it takes
_MAX_MAGNITUDE = 2.0 ** 64
_MAX_EXPONENT = 64

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
           ast.Pow: operator.pow}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_NUMBER_FUNCS = {"int": int, "float": float, "round": round, "abs": abs}
_DTYPE_NAMES = ("float16", "float32", "float64", "half", "single", "double", "longdouble",
                "complex64", "complex128")
_DTYPES = {f"{module}.{name}": getattr(np, name)
           for module in ("np", "numpy") for name in _DTYPE_NAMES}
#: methods that only move the transform or switch its mode: the numbers stay the same
_PLACEMENT = ("to", "cuda", "cpu", "eval", "train", "float")
_TORCH_DTYPES = {f"torch.{n}" for n in ("float16", "half", "bfloat16", "float64", "double",
                                        "int8", "int16", "int32", "int64", "uint8")}
#: what stands for S= in the keyword arguments (S itself is an array, never read)
PRECOMPUTED = "<a precomputed spectrogram>"


class _NotArithmetic(Exception):
    """The node is not constant arithmetic on numbers (try the other readers)."""


def _arithmetic(node, what):
    """The value of constant arithmetic on number literals, bounded, or _NotArithmetic."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_arithmetic(node.operand, what))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        a, b = _arithmetic(node.left, what), _arithmetic(node.right, what)
        if isinstance(node.op, ast.Pow) and (abs(b) > _MAX_EXPONENT or abs(a) > _MAX_MAGNITUDE):
            raise ValueError(f"{what}: {ast.unparse(node)[:60]} is too large to be a setting "
                             f"(exponents up to {_MAX_EXPONENT}, bases up to 2 ** 64).")
        try:
            value = _BINARY[type(node.op)](a, b)
        except (ZeroDivisionError, OverflowError) as exc:
            raise ValueError(f"{what}: {ast.unparse(node)[:60]} cannot be computed: {exc}.") \
                from None
        return _checked(value, node, what)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id in _NUMBER_FUNCS and not node.keywords and \
            1 <= len(node.args) <= (2 if node.func.id == "round" else 1):
        args = [_arithmetic(a, what) for a in node.args]
        try:
            value = _NUMBER_FUNCS[node.func.id](*args)
        except (ValueError, OverflowError, TypeError) as exc:
            raise ValueError(f"{what}: {ast.unparse(node)[:60]} cannot be computed: {exc}.") \
                from None
        return _checked(value, node, what)
    raise _NotArithmetic


def _checked(value, node, what):
    if not isinstance(value, (int, float)):  # e.g. (-8) ** 0.5 is complex
        raise ValueError(f"{what}: {ast.unparse(node)[:60]} is not a real number.")
    if abs(value) > _MAX_MAGNITUDE:
        raise ValueError(f"{what}: {ast.unparse(node)[:60]} is too large to be a setting.")
    return value


def _literal(node, what, source):
    """The value of one argument's syntax tree, or a ValueError saying what is understood."""
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError):
        pass
    if isinstance(node, (ast.Tuple, ast.List)):
        values = [_literal(e, what, source) for e in node.elts]
        return tuple(values) if isinstance(node, ast.Tuple) else values
    if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
        return {k.value: _literal(v, what, source) for k, v in zip(node.keys, node.values)}
    try:
        return _arithmetic(node, what)
    except _NotArithmetic:
        pass
    dotted = _dotted(node)
    if dotted in KNOWN_CODE:
        return KNOWN_CODE[dotted]
    if dotted in _DTYPES:
        return _DTYPES[dotted]
    if isinstance(node, ast.Call):
        fname = _dotted(node.func)
        if fname in ("scipy.signal.get_window", "signal.get_window"):
            args = [_literal(a, what, source) for a in node.args]
            kws = {k.arg: _literal(k.value, what, source) for k in node.keywords}
            if set(kws) <= {"fftbins"} and len(args) == 2:
                check_int(args[1], "window length", low=1, high=MAX_N_FFT)
                return scipy.signal.get_window(*args, **kws)
        if fname in ("np.array", "numpy.array") and len(node.args) == 1 and not node.keywords:
            return np.asarray(_literal(node.args[0], what, source), dtype=np.float64)
        if fname == "float" and len(node.args) == 1 and not node.keywords and \
                _literal(node.args[0], what, source) in ("inf", "-inf"):
            return float(_literal(node.args[0], what, source))
    raise ValueError(
        f"{what}: only literal values (numbers, strings, True/False/None, lists, tuples, "
        "dicts), constant arithmetic on numbers (22050 / 2, 2 ** 10, int(0.010 * 16000)), "
        f"NumPy dtypes (np.float32), the torch window functions ({', '.join(KNOWN_CODE)}), "
        "np.array([...]) and scipy.signal.get_window(name, n, fftbins=...) are understood, "
        f"got {excerpt(ast.get_source_segment(source, node))}. Write the value itself "
        "(e.g. sr=22050, not sr=sr).")


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _strip_placement(call, source):
    """The transform's call without trailing ``.to(device)``, ``.cuda()``, ``.eval()``, ...

    These move the transform or switch its mode; the numbers it computes stay the same,
    except for a dtype change, which is refused.
    """
    while isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and \
            isinstance(call.func.value, ast.Call):
        method, shown = call.func.attr, excerpt(ast.get_source_segment(source, call))
        if method not in _PLACEMENT:
            raise ValueError(f".{method}(...) after the transform is not understood: only "
                             f"{', '.join('.' + m + '()' for m in _PLACEMENT)} (where it "
                             "runs, train or eval mode, float32) are read, and ignored.")
        if method in ("cpu", "eval", "float") and (call.args or call.keywords):
            raise ValueError(f".{method}() takes no arguments, got {shown}.")
        if any(_dotted(a) in _TORCH_DTYPES for a in call.args) or \
                any(k.arg == "dtype" for k in call.keywords):
            raise ValueError(f"{shown} changes the transform's dtype; the translation holds "
                             "for float32 (torchaudio's default). Leave the dtype as it is.")
        call = call.func.value
    return call


def parse_call(text):
    """Read a call written as text, with ``ast`` (never ``eval``).

    Parameters
    ----------
    text : str
        ``"librosa.feature.melspectrogram(y=y, sr=22050, ...)"`` (also ``melspectrogram(...)``)
        or ``"torchaudio.transforms.MelSpectrogram(...)"`` (also ``T.MelSpectrogram``,
        ``MelSpectrogram``), possibly followed by ``.to(device)``, ``.cuda()``, ``.eval()``.
        Arguments must be literals, constant arithmetic on numbers, NumPy dtype names
        or known window functions; at most MAX_CHARS characters.

    Returns
    -------
    tuple (str, dict)
        ``('librosa', kwargs without y)`` or ``('torchaudio', MelSpectrogram kwargs)``.
        A librosa ``S=`` is kept as the placeholder PRECOMPUTED (never read), so that
        the conversion can say why it cannot be translated.

    Raises
    ------
    ValueError
        For anything else, quoting at most a short excerpt of ``text``.

    Notebook: 08_porting.ipynb
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}.")
    if len(text) > MAX_CHARS:
        raise ValueError(f"the call has {len(text)} characters, more than the {MAX_CHARS} read "
                         f"here: {excerpt(text)}.")
    source = text.strip()
    try:
        return _parse(source)
    except (RecursionError, MemoryError):
        raise ValueError(f"the call is nested too deeply to read: {excerpt(source)}.") from None


def _parse(source):
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError) as exc:  # ValueError: null bytes, huge int literals
        raise ValueError(f"not a Python call: {getattr(exc, 'msg', exc)} in "
                         f"{excerpt(source)}.") from None
    call = _strip_placement(tree.body, source)
    if not isinstance(call, ast.Call):
        raise ValueError(f"expected a call such as librosa.feature.melspectrogram(...) or "
                         f"torchaudio.transforms.MelSpectrogram(...), got {excerpt(source)}.")
    fname = _dotted(call.func) or ""
    last = fname.rsplit(".", 1)[-1]
    if any(isinstance(k.value, ast.Starred) or k.arg is None for k in call.keywords):
        raise ValueError("**kwargs cannot be read: write every argument out.")
    if last == "melspectrogram":
        if call is not tree.body:
            raise ValueError("librosa.feature.melspectrogram returns a NumPy array: "
                             ".to(), .cuda() and the like do not apply to it.")
        if call.args:
            raise ValueError("librosa.feature.melspectrogram takes keyword arguments only "
                             "(y=y, sr=...).")
        kwargs = {}
        for k in call.keywords:
            if k.arg == "y":
                continue  # the signal: any expression is fine, it is not a setting
            kwargs[k.arg] = PRECOMPUTED if k.arg == "S" else _literal(k.value, k.arg, source)
        return "librosa", kwargs
    if last == "MelSpectrogram":
        if len(call.args) > len(TA_ORDER):
            raise ValueError("too many positional arguments for MelSpectrogram.")
        kwargs = {TA_ORDER[i]: _literal(a, TA_ORDER[i], source) for i, a in enumerate(call.args)}
        for k in call.keywords:
            if k.arg in kwargs:
                raise ValueError(f"{k.arg} is given twice.")
            kwargs[k.arg] = _literal(k.value, k.arg, source)
        return "torchaudio", kwargs
    shown = excerpt(fname or ast.get_source_segment(source, call.func))
    raise ValueError(f"unknown function {shown}: expected librosa.feature.melspectrogram or "
                     "torchaudio.transforms.MelSpectrogram.")
