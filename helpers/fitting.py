"""Fitting statistics over many batches: the exact merge, and the two naive pitfalls.

:func:`combine` is Chan, Golub & LeVeque's merge of two (count, mean, M2)
summaries; :class:`helpers.scaling.Scaler` uses it for every batch, for
:meth:`~helpers.scaling.Scaler.merge` and across ``torch.distributed`` ranks
(:mod:`helpers.parallel`). The two ``pitfall_*`` functions are there only to
measure, in the notebooks, what goes wrong with the naive way: do not use them
to fit anything.

Notebook: 05_scaling.ipynb, 05b_scaling_at_scale.ipynb
"""

import numpy as np


def combine(a, b):
    """Merge two (count, mean, M2) summaries, float64 (Chan, Golub & LeVeque, 1979).

    The result is the summary of the two data sets concatenated: every element
    weighs the same, and no two large numbers are subtracted from each other.
    A summary with count 0 is empty and leaves the other unchanged.
    """
    (n_a, mean_a, m2_a), (n_b, mean_b, m2_b) = a, b
    if n_a == 0:
        return b
    if n_b == 0:
        return a
    n = n_a + n_b
    delta = mean_b - mean_a
    return n, mean_a + delta * (n_b / n), m2_a + m2_b + delta ** 2 * (n_a * n_b / n)


# ---------------------------------------------------------------------------
# The pitfalls, for teaching only: what a naive data-set fit does.
# ---------------------------------------------------------------------------

def pitfall_mean_of_batch_means(batches, axis=None):
    """THE PITFALL, for teaching: the unweighted mean of per-batch means.

    This is what DESED's ``TorchScaler.fit`` does: every batch counts the
    same, however many clips it holds, so a smaller last batch gets too much
    weight. Use :meth:`Scaler.fit` for the real thing.

    Parameters
    ----------
    batches : sequence of numpy.ndarray, each of shape (batch_i, ...)
    axis : tuple of int or None
        Axes reduced inside each batch (axis 0 is always reduced). None: all.

    Returns
    -------
    numpy.ndarray
        The biased mean, in the batches' dtype.

    Notebook: 05_scaling.ipynb
    """
    means = [_naive_mean(np.asarray(b), axis) for b in batches]
    return np.mean(np.stack(means), axis=0).astype(np.asarray(batches[0]).dtype)


def pitfall_one_pass_variance(x, axis=None, dtype=np.float32):
    """THE PITFALL, for teaching: variance as E[x²] − E[x]² in low precision.

    Subtracting two large, nearly equal numbers cancels most of their
    significant digits: with data far from zero (mean ≫ std) in float32 the
    result can be wildly off or even negative. Use :meth:`Scaler.fit` (or
    ``np.var`` in float64) for the real thing.

    Parameters
    ----------
    x : numpy.ndarray
    axis : tuple of int or None
        Axes to reduce; None: all.
    dtype : numpy dtype
        Precision of the whole computation (float32 like a GPU batch).

    Returns
    -------
    numpy.ndarray
        E[x²] − E[x]², computed in ``dtype``.

    Notebook: 05_scaling.ipynb
    """
    x = np.asarray(x, dtype=dtype)
    ex = np.mean(x, axis=axis, dtype=dtype)
    ex2 = np.mean(x * x, axis=axis, dtype=dtype)
    return (ex2 - ex * ex).astype(dtype)


def _naive_mean(b, axis):
    if axis is None:
        return np.mean(b, dtype=b.dtype)
    axes = tuple(sorted(set(axis) | {0}))
    return np.mean(b, axis=axes, keepdims=True, dtype=b.dtype)
