"""helpers.checks: a right answer passes, a wrong one gets what is off and the hint, an
unanswered one (None or ...) asks for it, and nothing raises into the learner's cell.

Expected values come from librosa, NumPy or helpers, as in the notebooks; wrong answers
are made from them (scaled, reshaped, a different function).
"""

import librosa
import numpy as np
import pytest
import torch

import helpers
from helpers import checks

HINT = "Hint: look at the formula again."


def _run(capsys, call):
    result = call()
    out = capsys.readouterr().out
    assert isinstance(result, bool)
    assert out.count("\n") <= 2, f"more than a short message: {out!r}"
    return result, out


# check_value -----------------------------------------------------------------------------

def test_check_value_right_answer(capsys):
    expected = librosa.hz_to_mel(1000.0, htk=True)
    ok, out = _run(capsys, lambda: checks.check_value(helpers.hz_to_mel(1000.0, htk=True),
                                                     expected, name="mel", hint=HINT))
    assert ok and "Right" in out and "mel =" in out and HINT not in out


@pytest.mark.parametrize("factor, direction", [(1.1, "too large"), (0.9, "too small")])
def test_check_value_wrong_answer_says_which_way_and_hints(capsys, factor, direction):
    expected = float(librosa.fft_frequencies(sr=16000, n_fft=512)[1])
    ok, out = _run(capsys, lambda: checks.check_value(expected * factor, expected,
                                                     name="bin width", hint=HINT))
    assert not ok and "Not yet" in out and direction in out and HINT in out


@pytest.mark.parametrize("answer", [None, ...])
def test_check_value_unanswered_asks_for_it(capsys, answer):
    ok, out = _run(capsys, lambda: checks.check_value(answer, 1.0, name="n_frames", hint=HINT))
    assert not ok and "set n_frames first" in out and HINT in out


@pytest.mark.parametrize("answer", ["512", True, [1, 2], np.ones(3), float("nan"), float("inf")])
def test_check_value_odd_answers_do_not_raise(capsys, answer):
    ok, out = _run(capsys, lambda: checks.check_value(answer, 512.0, name="n_fft"))
    assert not ok and "n_fft" in out and "too" not in out


def test_check_value_tolerances_and_tensors(capsys):
    expected = float(np.log10(2.0))
    assert checks.check_value(torch.tensor(expected), expected)
    assert checks.check_value(round(expected, 3), expected, rtol=1e-3)
    assert not checks.check_value(round(expected, 3), expected)  # default rtol 1e-6
    capsys.readouterr()


# check_array -----------------------------------------------------------------------------

Y = helpers.chirp(100.0, 3000.0, sr=8000, duration=0.2)
X = librosa.stft(Y, n_fft=256, hop_length=64)


def test_check_array_right_answer_numpy_or_torch(capsys):
    ok, out = _run(capsys, lambda: checks.check_array(helpers.stft(Y, n_fft=256, hop_length=64),
                                                     X, name="X"))
    assert ok and "Right" in out and str(X.shape) in out
    S = np.abs(X)
    assert checks.check_array(torch.from_numpy(S).requires_grad_(True), S)
    capsys.readouterr()


def test_check_array_wrong_shape_names_both_shapes(capsys):
    ok, out = _run(capsys, lambda: checks.check_array(X.T, X, name="X", hint=HINT))
    assert not ok and str(X.T.shape) in out and str(X.shape) in out and HINT in out


def test_check_array_real_for_complex(capsys):
    ok, out = _run(capsys, lambda: checks.check_array(np.abs(X), X, name="X"))
    assert not ok and "complex" in out


def test_check_array_wrong_values_give_the_largest_difference(capsys):
    wrong = helpers.stft(Y, n_fft=256, hop_length=64, window="hamming")
    err = np.max(np.abs(wrong - X))
    ok, out = _run(capsys, lambda: checks.check_array(wrong, X, name="X", hint=HINT))
    assert not ok and f"{err:.3g}" in out and HINT in out


@pytest.mark.parametrize("answer", [None, ..., [[1, 2], [3]], ["a", "b"], "X"])
def test_check_array_unanswered_or_not_an_array(capsys, answer):
    ok, out = _run(capsys, lambda: checks.check_array(answer, np.ones(2), name="X"))
    assert not ok and "X" in out


# check_function --------------------------------------------------------------------------

INPUTS = [100.0, 1000.0, 4000.0]


def test_check_function_right_function(capsys):
    ok, out = _run(capsys, lambda: checks.check_function(
        lambda f: 2595.0 * np.log10(1.0 + f / 700.0),
        lambda f: librosa.hz_to_mel(f, htk=True), INPUTS, name="hz_to_mel"))
    assert ok and "Right" in out and f"{len(INPUTS)} inputs" in out


def test_check_function_wrong_function_shows_the_input_and_hint(capsys):
    ok, out = _run(capsys, lambda: checks.check_function(
        lambda f: 2595.0 * np.log(1.0 + f / 700.0),  # ln instead of log10
        lambda f: librosa.hz_to_mel(f, htk=True), INPUTS, name="hz_to_mel", hint=HINT))
    assert not ok and f"hz_to_mel({INPUTS[0]!r})" in out and HINT in out


def test_check_function_reports_an_exception_instead_of_raising(capsys):
    def broken(f):
        return f / 0

    ok, out = _run(capsys, lambda: checks.check_function(broken, np.sqrt, INPUTS, name="f"))
    assert not ok and "ZeroDivisionError" in out


@pytest.mark.parametrize("returns", [None, ..., "text", [1, 2]])
def test_check_function_unfinished_body_does_not_raise(capsys, returns):
    ok, out = _run(capsys, lambda: checks.check_function(lambda f: returns, np.sqrt, INPUTS,
                                                        name="f"))
    assert not ok and "expected" in out


@pytest.mark.parametrize("func", [None, ...])
def test_check_function_undefined_asks_for_it(capsys, func):
    ok, out = _run(capsys, lambda: checks.check_function(func, np.sqrt, INPUTS, name="f",
                                                        hint=HINT))
    assert not ok and "define f first" in out and HINT in out
