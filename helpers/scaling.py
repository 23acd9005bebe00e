"""Scaling features before a network sees them: per clip or per data set.

:class:`Scaler` has the semantics of the DCASE baseline's ``TorchScaler``
(DESED_task, ``desed_task/utils/scaler.py``): the same ``statistic``,
``normtype``, ``dims`` and ``eps``, the same formulas in ``forward``. Its
data-set ``fit`` is exact where the baseline's is not: it weights every batch
by its number of elements and merges running means and sums of squared
deviations in float64 (Chan et al.), instead of averaging per-batch means and
using E[x²] − E[x]².

The two ``pitfall_*`` functions are there only to measure, in the notebooks,
what goes wrong with the naive way. Do not use them to fit anything.

Notebook: 05_scaling.ipynb; used again in 06_dcase_frontend.ipynb
"""

import numbers

import numpy as np
import torch

from ._validate import check_choice, check_number

STATISTICS = ("instance", "dataset")
NORMTYPES = ("mean", "standard", "minmax")
# Which normtypes each statistic supports (DESED has no data-set min-max either).
_SUPPORTED = {"instance": NORMTYPES, "dataset": ("mean", "standard")}
_BUFFERS = ("mean", "var", "count")


def _check_dims(dims):
    """Return ``dims`` as a sorted tuple of distinct non-negative ints, or raise a clear error."""
    if isinstance(dims, numbers.Integral) and not isinstance(dims, bool):
        dims = (dims,)
    if isinstance(dims, (str, bytes)) or not hasattr(dims, "__iter__"):
        raise TypeError(f"dims must be a tuple of axis numbers such as (1, 2), got {dims!r}.")
    dims = tuple(dims)
    if not dims:
        raise ValueError("dims must name at least one axis to reduce, got ().")
    for d in dims:
        if isinstance(d, bool) or not isinstance(d, numbers.Integral) or d < 0:
            raise ValueError(f"dims must hold non-negative axis numbers such as (1, 2), "
                             f"got {dims!r}.")
    if len(set(dims)) != len(dims):
        raise ValueError(f"dims must not repeat an axis, got {dims!r}.")
    return tuple(sorted(int(d) for d in dims))


class Scaler(torch.nn.Module):
    """Normalise features per clip ("instance") or with data-set statistics ("dataset").

    Parameters
    ----------
    statistic : {"instance", "dataset"}
        "instance": every clip is scaled with its own statistics, computed in
        ``forward``; nothing to fit. "dataset": one set of statistics for all
        clips, fitted once with :meth:`fit` and saved with the model.
    normtype : {"minmax", "mean", "standard"}
        "mean": subtract the mean. "standard": subtract the mean and divide by
        the standard deviation (+ ``eps``). "minmax" (instance only): map the
        range of each clip to [-1, 1], as DESED does since 2024.
    dims : tuple of int
        Axes to reduce, for input of shape (batch, n_mels, n_frames): (1, 2)
        gives one number per clip (instance) or one for the whole data set;
        (2,) keeps one statistic per mel band. Axis 0 (batch) is always reduced
        by a data-set fit and never by an instance scaler unless listed.
    eps : float
        Added to the denominator, so that a silent (constant) clip gives 0, not NaN.

    Notes
    -----
    Formulas, with the statistics taken over ``dims``:

    - mean: ``x - mean``
    - standard: ``(x - mean) / (std + eps)``; instance uses the n-1 (unbiased)
      std like ``torch.std``, dataset the n (population) std, as in DESED.
    - minmax: ``(x - min) / (max - min + eps) * 2 - 1``

    The fitted statistics are registered buffers (``mean``, ``var``, float64,
    and ``count``, the number of elements seen), so ``state_dict()``,
    ``load_state_dict()`` and ``torch.save``/``torch.load`` round-trip them
    exactly; ``statistic``, ``normtype`` and ``dims`` travel in the same state
    and a state that does not match is refused.

    See also
    --------
    DESED_task ``desed_task.utils.scaler.TorchScaler`` : the baseline's scaler.
    sklearn.preprocessing.StandardScaler : per-feature data-set standardisation.

    Notebook: 05_scaling.ipynb; used again in 06_dcase_frontend.ipynb
    """

    def __init__(self, statistic="instance", normtype="minmax", dims=(1, 2), eps=1e-8):
        super().__init__()
        self.statistic = check_choice(statistic, "statistic", STATISTICS)
        self.normtype = check_choice(normtype, "normtype", NORMTYPES)
        if normtype not in _SUPPORTED[statistic]:
            raise ValueError(
                f"normtype={normtype!r} is not supported with statistic={statistic!r}; "
                f"allowed: {', '.join(repr(n) for n in _SUPPORTED[statistic])} "
                "(min-max needs each clip's own range: use statistic='instance')."
            )
        self.dims = _check_dims(dims)
        self.eps = check_number(eps, "eps", low=0)
        # Empty until fitted: load_state_dict and fit give them their shape.
        self.register_buffer("mean", torch.zeros(0, dtype=torch.float64))
        self.register_buffer("var", torch.zeros(0, dtype=torch.float64))
        self.register_buffer("count", torch.zeros((), dtype=torch.int64))

    def extra_repr(self):
        return (f"statistic={self.statistic!r}, normtype={self.normtype!r}, dims={self.dims}, "
                f"eps={self.eps:g}")

    @property
    def is_fitted(self):
        """True once data-set statistics are present (always True for an instance scaler)."""
        return self.statistic == "instance" or self.mean.numel() > 0

    @property
    def std(self):
        """The fitted population standard deviation (float64), shape like ``mean``."""
        self._require_fitted()
        return self.var.sqrt()

    def _require_fitted(self):
        if self.statistic == "dataset" and self.mean.numel() == 0:
            raise RuntimeError(
                "This Scaler(statistic='dataset') has no statistics yet: call "
                "scaler.fit(loader, transform_func) first, or load fitted ones with "
                "scaler.load_state_dict(torch.load(path))."
            )

    def _reduced(self, ndim, for_fit):
        axes = set(self.dims) | ({0} if for_fit else set())
        if max(axes) >= ndim:
            raise ValueError(
                f"dims={self.dims} needs input with more than {max(axes)} axes, got a "
                f"{ndim}-D tensor; the baseline's features are (batch, n_mels, n_frames)."
            )
        return tuple(sorted(axes))

    # ------------------------------------------------------------------ fitting
    @torch.no_grad()
    def fit(self, loader, transform_func=lambda x: x, progress=None):
        """Fit data-set statistics in one pass over ``loader``, exactly.

        Each batch's mean and sum of squared deviations (M2) over the reduced
        axes are computed in float64 and merged into the running ones with
        Chan et al.'s formula, weighted by the number of elements, so the
        result equals the mean and population variance of all the data
        concatenated, whatever the batch sizes.

        Parameters
        ----------
        loader : iterable
            A ``torch.utils.data.DataLoader`` (or any iterable of batches).
        transform_func : callable
            Maps a batch to a feature tensor of shape (batch, ...), e.g.
            ``lambda x: take_log(mel_spec(x))``. DESED's default is
            ``lambda x: x[0]`` (audio, labels, ...): pass that if your
            batches are tuples.
        progress : bool or None
            Show a tqdm progress bar. None (default): only when writing to a
            terminal, so notebooks and logs stay clean.

        Returns
        -------
        self : Scaler

        Notebook: 05_scaling.ipynb
        """
        if self.statistic != "dataset":
            raise RuntimeError("fit() is for statistic='dataset'; an instance scaler "
                               "computes its statistics from each input in forward().")
        if not callable(transform_func):
            raise TypeError(f"transform_func must be callable, "
                            f"got {type(transform_func).__name__}.")
        from tqdm import tqdm

        count, mean, m2, shape = 0, None, None, None
        bar = tqdm(loader, desc="Scaler.fit", leave=False,
                   disable=None if progress is None else not progress)
        for i, batch in enumerate(bar):
            feats = transform_func(batch)
            if not torch.is_tensor(feats):
                feats = torch.as_tensor(np.asarray(feats))
            if not feats.is_floating_point():
                raise TypeError(f"transform_func must return floating-point features, "
                                f"got dtype {feats.dtype} for batch {i}.")
            x = feats.detach().to(torch.float64)
            if not torch.isfinite(x).all():
                raise ValueError(f"batch {i} holds NaN or inf features; fix the front end "
                                 "(e.g. take_log's amin) before fitting.")
            axes = self._reduced(x.ndim, for_fit=True)
            kept = tuple(1 if a in axes else s for a, s in enumerate(x.shape))
            if shape is None:
                shape = kept
            elif kept != shape:
                raise ValueError(f"batch {i} has shape {tuple(x.shape)}, which does not match "
                                 f"the earlier batches on the kept axes: statistics of shape "
                                 f"{shape} expected.")
            n_b = x.numel() // int(np.prod(kept))
            if n_b == 0:
                continue
            mean_b = x.mean(dim=axes, keepdim=True)
            m2_b = ((x - mean_b) ** 2).sum(dim=axes, keepdim=True)
            if mean is None:
                count, mean, m2 = n_b, mean_b, m2_b
            else:  # Chan, Golub & LeVeque: merge two (count, mean, M2) summaries
                n = count + n_b
                delta = mean_b - mean
                mean = mean + delta * (n_b / n)
                m2 = m2 + m2_b + delta ** 2 * (count * n_b / n)
                count = n
        if mean is None:
            raise ValueError("loader gave no data: nothing to fit.")
        self.mean = mean
        self.var = m2 / count
        self.count = torch.tensor(count, dtype=torch.int64)
        return self

    # ------------------------------------------------------------------ forward
    def forward(self, tensor):
        """Scale ``tensor`` (batch, ...) with this scaler's statistic and normtype.

        Returns
        -------
        torch.Tensor, same shape and dtype as ``tensor``
        """
        if not torch.is_tensor(tensor):
            raise TypeError(f"Scaler expects a torch.Tensor, got {type(tensor).__name__}; "
                            "wrap NumPy arrays with torch.from_numpy(x).")
        if self.statistic == "instance":
            dims = self._reduced(tensor.ndim, for_fit=False)
            if self.normtype == "mean":
                return tensor - tensor.mean(dim=dims, keepdim=True)
            if self.normtype == "standard":
                mean = tensor.mean(dim=dims, keepdim=True)
                return (tensor - mean) / (tensor.std(dim=dims, keepdim=True) + self.eps)
            lo = torch.amin(tensor, dim=dims, keepdim=True)
            hi = torch.amax(tensor, dim=dims, keepdim=True)
            return (tensor - lo) / (hi - lo + self.eps) * 2 - 1
        self._require_fitted()
        if tensor.ndim != self.mean.ndim:
            raise ValueError(f"the fitted statistics have shape {tuple(self.mean.shape)} "
                             f"({self.mean.ndim}-D) but the input has shape "
                             f"{tuple(tensor.shape)}.")
        for a, (s, t) in enumerate(zip(self.mean.shape, tensor.shape)):
            if s != 1 and s != t:
                raise ValueError(f"the fitted statistics have shape {tuple(self.mean.shape)}, "
                                 f"which does not fit input of shape {tuple(tensor.shape)} on "
                                 f"axis {a} ({s} vs {t}).")
        mean = self.mean.to(tensor.dtype)
        if self.normtype == "mean":
            return tensor - mean
        return (tensor - mean) / (self.var.sqrt().to(tensor.dtype) + self.eps)

    # ------------------------------------------------------------ saving state
    def get_extra_state(self):
        return {"statistic": self.statistic, "normtype": self.normtype, "dims": list(self.dims)}

    def set_extra_state(self, state):
        self._check_extra_state(state)

    def _check_extra_state(self, state):
        if not isinstance(state, dict):
            raise ValueError(f"this is not a Scaler state: expected a dict of settings, "
                             f"got {type(state).__name__}.")
        diffs = []
        for key, mine in self.get_extra_state().items():
            theirs = state.get(key)
            if key == "dims":
                theirs = tuple(theirs) if isinstance(theirs, (list, tuple)) else theirs
                mine = tuple(mine)
            if theirs != mine:
                diffs.append(f"{key}: saved {theirs!r}, this Scaler has {mine!r}")
        if diffs:
            raise ValueError("The saved Scaler state does not match this Scaler ("
                             + "; ".join(diffs) + "). Create the Scaler with the saved "
                             "settings, e.g. Scaler(**settings).")

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict,
                              missing_keys, unexpected_keys, error_msgs):
        extra_key = prefix + "_extra_state"
        if extra_key in state_dict:
            self._check_extra_state(state_dict[extra_key])
        elif strict:
            missing_keys.append(extra_key)
        loaded = {}
        for name in _BUFFERS:
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            value = state_dict[key]
            if not torch.is_tensor(value):
                raise ValueError(f"{key} must be a tensor, got {type(value).__name__}.")
            loaded[name] = value
        if "mean" in loaded and "var" in loaded:
            mean, var = loaded["mean"], loaded["var"]
            if mean.shape != var.shape:
                raise ValueError(f"The saved Scaler state is inconsistent: mean has shape "
                                 f"{tuple(mean.shape)} but var has {tuple(var.shape)}.")
            if mean.numel() > 0:
                if self.statistic != "dataset":
                    raise ValueError("The saved state holds data-set statistics but this "
                                     "Scaler has statistic='instance'.")
                reduced = set(self.dims) | {0}
                bad = [a for a in reduced if a >= mean.ndim or mean.shape[a] != 1]
                if bad:
                    raise ValueError(
                        f"The saved statistics have shape {tuple(mean.shape)}, which does not "
                        f"match dims={self.dims}: axes {sorted(reduced)} should have size 1.")
                if self.mean.numel() > 0 and self.mean.shape != mean.shape:
                    raise ValueError(
                        f"The saved statistics have shape {tuple(mean.shape)} but this fitted "
                        f"Scaler's have shape {tuple(self.mean.shape)}.")
        for name, value in loaded.items():
            setattr(self, name, value.detach().clone().to(getattr(self, name).dtype))
        if strict:
            known = {prefix + n for n in _BUFFERS} | {extra_key}
            for key in state_dict:
                if key.startswith(prefix) and key not in known and "." not in key[len(prefix):]:
                    unexpected_keys.append(key)


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
