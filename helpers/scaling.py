"""Scaling features before a network sees them: per clip or per data set.

:class:`Scaler` has the semantics of the DCASE baseline's ``TorchScaler``
(DESED_task, ``desed_task/utils/scaler.py``): the same ``statistic``,
``normtype``, ``dims`` and ``eps``, the same formulas in ``forward``. Its
data-set ``fit`` is exact where the baseline's is not: it weights every batch
by its number of elements and merges running means and sums of squared
deviations in float64 (Chan et al.), instead of averaging per-batch means and
using E[x²] − E[x]². The same merge combines two fitted scalers
(:meth:`Scaler.merge`) and the shards of several processes: inside an
initialised ``torch.distributed`` process group, ``fit`` merges across ranks.
:meth:`Scaler.from_desed` loads the statistics a DESED ``TorchScaler`` saved.

The merge itself lives in :mod:`helpers.fitting` (with the two ``pitfall_*``
functions the notebooks use to measure the naive way; they are importable from
here too), the exchange between ranks in :mod:`helpers.parallel`.

Notebook: 05_scaling.ipynb, 05b_scaling_at_scale.ipynb; used again in 06_dcase_frontend.ipynb
"""

import numbers
import os
import warnings

import numpy as np
import torch

from ._validate import check_choice, check_number
from .fitting import combine, pitfall_mean_of_batch_means, pitfall_one_pass_variance  # noqa: F401
from .parallel import merge_across_ranks, use_distributed, warn_if_sampler_repeats_or_drops

STATISTICS = ("instance", "dataset")
NORMTYPES = ("mean", "standard", "minmax")
# Which normtypes each statistic supports (DESED has no data-set min-max either).
_SUPPORTED = {"instance": NORMTYPES, "dataset": ("mean", "standard")}
_BUFFERS = ("mean", "var", "count")
DESED_EPS = 1e-8  # TorchScaler's default eps (desed_task/utils/scaler.py)


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


# ------------------------------------------------ (count, mean, M2) summaries

def _describe(item):
    shape = getattr(item, "shape", None)
    return f"shape {tuple(shape)}" if shape is not None else type(item).__name__


def _default_features(batch, i):
    """The features in a batch when no ``transform_func`` is given: the batch itself, or the
    only element of a one-element list/tuple (``DataLoader(TensorDataset(x))``)."""
    if isinstance(batch, (list, tuple)):
        if len(batch) == 1:
            return batch[0]
        parts = ", ".join(_describe(b) for b in batch[:4]) + (", ..." if len(batch) > 4 else "")
        raise TypeError(
            f"batch {i} is a {type(batch).__name__} of {len(batch)} items ({parts}), e.g. "
            "(features, labels): which one should be fitted? Say it with transform_func: "
            "transform_func=lambda batch: batch[0] fits the first item (DESED's TorchScaler.fit "
            "does that by default); in the baseline, the features are computed from the audio: "
            "transform_func=lambda batch: take_log(mel_spec(batch[0])).")
    if isinstance(batch, dict):
        key = next(iter(batch), "features")
        raise TypeError(f"batch {i} is a dict with keys {list(batch)[:6]}: say which entry holds "
                        f"the features, e.g. transform_func=lambda batch: batch[{key!r}].")
    return batch


def _check_stats(mean, var, count, where="The saved Scaler state"):
    """Refuse statistics that would make forward() return NaN or nonsense."""
    for name, value in (("mean", mean), ("var", var)):
        if not torch.is_tensor(value) or not value.is_floating_point():
            raise ValueError(f"{where}: {name} must be a floating-point tensor, got "
                             f"{getattr(value, 'dtype', type(value).__name__)}.")
    if mean.shape != var.shape:
        raise ValueError(f"{where} is inconsistent: mean has shape {tuple(mean.shape)} but var "
                         f"has {tuple(var.shape)}.")
    n_bad = int((~torch.isfinite(mean)).sum())
    if n_bad:
        raise ValueError(f"{where}: mean holds {n_bad} NaN or inf value(s); every mean must be "
                         "finite.")
    n_bad, n_neg = int((~torch.isfinite(var)).sum()), int((var < 0).sum())
    if n_bad or n_neg:
        raise ValueError(f"{where}: var must hold variances, finite and >= 0; found {n_neg} "
                         f"negative and {n_bad} NaN or inf value(s) (the standard deviation "
                         "sqrt(var) would be NaN).")
    if not torch.is_tensor(count) or count.numel() != 1 or count.is_complex():
        raise ValueError(f"{where}: count must be a one-element tensor (the number of elements "
                         f"behind each statistic), got {_describe(count)}.")
    c = float(count.reshape(()))
    if not (np.isfinite(c) and c >= 0 and c == int(c)):
        raise ValueError(f"{where}: count must be a whole number >= 0, got {c:g}.")
    if mean.numel() == 0 and c > 0:
        raise ValueError(f"{where} is inconsistent: count is {int(c)} but there are no "
                         "statistics (mean and var are empty).")
    return int(c)


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
        Added to the denominator (DESED's default 1e-8). Saved with the state:
        a state saved with another ``eps`` is refused.

    Notes
    -----
    Formulas, with the statistics taken over ``dims``:

    - mean: ``x - mean``
    - standard: ``(x - mean) / (std + eps)``; instance uses the n-1 (unbiased)
      std like ``torch.std``, dataset the n (population) std, as in DESED.
    - minmax: ``(x - min) / (max - min + eps) * 2 - 1``

    Constant input (where DESED's formulas give NaN or rounding noise): an
    instance "standard" scaler maps values that are all equal over ``dims``
    (std 0: digital silence at the −50 dB floor, a single element) to 0 and
    **warns** (``RuntimeWarning``): ``x - mean`` is 0 in exact arithmetic, but
    float32 rounding of the mean divided by ``eps`` gave values up to ±763 for
    a batch of two (128, 626) clips at −37.3 dB (torch 2.14), and ``eps=0`` or
    one element gave NaN. An instance
    "minmax" scaler maps a constant clip to −1, as DESED does with ``eps > 0``
    (also with ``eps=0``, where the formula gives NaN), without a warning.

    The fitted statistics are registered buffers (``mean``, ``var``, float64,
    and ``count``, the number of elements behind each statistic), so
    ``state_dict()``, ``load_state_dict()`` and ``torch.save``/``torch.load``
    round-trip them exactly; ``statistic``, ``normtype``, ``dims`` and ``eps``
    travel in the same state and a state that does not match is refused.
    Loading is all or nothing: a refused state leaves the Scaler unchanged.

    See also
    --------
    DESED_task ``desed_task.utils.scaler.TorchScaler`` : the baseline's scaler.
    sklearn.preprocessing.StandardScaler : per-feature data-set standardisation.

    Notebook: 05_scaling.ipynb, 05b_scaling_at_scale.ipynb; used again in
    06_dcase_frontend.ipynb
    """

    def __init__(self, statistic="instance", normtype="minmax", dims=(1, 2), eps=DESED_EPS):
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

    def _require_dataset(self, what):
        if self.statistic != "dataset":
            raise RuntimeError(f"{what} is for statistic='dataset'; an instance scaler "
                               "computes its statistics from each input in forward().")

    def _reduced(self, ndim, for_fit):
        axes = set(self.dims) | ({0} if for_fit else set())
        if max(axes) >= ndim:
            raise ValueError(
                f"dims={self.dims} needs input with more than {max(axes)} axes, got a "
                f"{ndim}-D tensor; the baseline's features are (batch, n_mels, n_frames)."
            )
        return tuple(sorted(axes))

    def _set_stats(self, mean, var, count):
        self.mean = mean.detach().to(torch.float64).clone()
        self.var = var.detach().to(torch.float64).clone()
        self.count = torch.tensor(int(count), dtype=torch.int64)

    # ------------------------------------------------------------------ fitting
    @torch.no_grad()
    def fit(self, loader, transform_func=None, progress=None, distributed=None):
        """Fit data-set statistics in one pass over ``loader``, exactly.

        Each batch's mean and sum of squared deviations (M2) over the reduced
        axes are computed in float64 and merged into the running ones with
        Chan et al.'s formula, weighted by the number of elements, so the
        result equals the mean and population variance of all the data
        concatenated, whatever the batch sizes.

        A second ``fit`` replaces the statistics (use :meth:`merge` to add
        data instead). The statistics are set only at the end: if ``fit``
        fails (a bad batch, no data), the Scaler keeps what it had before.

        Parameters
        ----------
        loader : iterable
            A ``torch.utils.data.DataLoader`` (or any iterable of batches).
        transform_func : callable or None
            Maps a batch to a feature tensor of shape (batch, ...), e.g.
            ``lambda x: take_log(mel_spec(x))``. None (default): the batch
            itself, or its only item if it is a one-item list or tuple
            (``DataLoader(TensorDataset(x))``). A batch of several items, such
            as ``(features, labels)``, is refused with a ``TypeError`` that
            shows the ``transform_func`` to pass (DESED's default is
            ``lambda x: x[0]``; here you say it, so labels are never fitted).
        progress : bool or None
            Show a tqdm progress bar. None (default): only when writing to a
            terminal, so notebooks and logs stay clean.
        distributed : bool or None
            None (default): inside an initialised ``torch.distributed`` process
            group, merge the statistics of every rank (an ``all_gather`` of each
            rank's count, mean and M2, merged in rank order), so every rank ends
            with the statistics of all the ranks' data, as one fit over their
            union would give. This is a collective call: every rank must call
            ``fit``. Give each rank its share without repeats
            (``helpers.parallel.shard``); a padded ``DistributedSampler``
            counts some clips twice and gives a ``RuntimeWarning``. False: fit
            this process's data only. True: like None, but raise if no process
            group is initialised.

        Returns
        -------
        self : Scaler

        Notebook: 05_scaling.ipynb, 05b_scaling_at_scale.ipynb
        """
        self._require_dataset("fit()")
        if transform_func is not None and not callable(transform_func):
            raise TypeError(f"transform_func must be callable or None, "
                            f"got {type(transform_func).__name__}.")
        use_dist = use_distributed(distributed)
        warn_if_sampler_repeats_or_drops(loader)
        try:
            summary = self._fit_local(loader, transform_func, progress)
            error = None
        except Exception as exc:  # every rank must still join the collective
            if not use_dist:
                raise
            summary, error = None, exc
        if use_dist:
            summary = merge_across_ranks(summary, error)
        if summary is None:
            raise ValueError("loader gave no data: nothing to fit." if not use_dist else
                             "no rank's loader gave any data: nothing to fit.")
        count, mean, m2 = summary
        self._set_stats(mean, m2 / count, count)
        return self

    def _fit_local(self, loader, transform_func, progress):
        """(count, mean, M2) of this process's batches, or None if there were none."""
        from tqdm import tqdm

        summary, shape = (0, None, None), None
        bar = tqdm(loader, desc="Scaler.fit", leave=False,
                   disable=None if progress is None else not progress)
        for i, batch in enumerate(bar):
            feats = (_default_features(batch, i) if transform_func is None
                     else transform_func(batch))
            if isinstance(feats, np.ndarray):
                feats = torch.from_numpy(feats)
            if not torch.is_tensor(feats):
                raise TypeError(f"the features of batch {i} must be one tensor (batch, ...), got "
                                f"{type(feats).__name__}" + (
                                    f" of {len(feats)} items: transform_func must return the "
                                    "features only, e.g. lambda batch: batch[0]"
                                    if isinstance(feats, (list, tuple)) else "") + ".")
            if not feats.is_floating_point():
                raise TypeError(f"the features must be floating point, got dtype {feats.dtype} "
                                f"for batch {i}.")
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
            summary = combine(summary, (n_b, mean_b, m2_b))
        return summary if summary[0] else None

    @torch.no_grad()
    def merge(self, other):
        """Add another fitted Scaler's data to this one, exactly: one fit over both data sets.

        The two (count, mean, M2) summaries are merged with Chan et al.'s
        formula in float64, so ``a.fit(A).merge(b.fit(B))`` equals one fit
        over A and B concatenated, to float64 rounding. Use it to fit shards
        in parallel (processes, machines, days) and combine them.

        Parameters
        ----------
        other : Scaler
            Fitted, with the same statistic, normtype, dims and eps and
            statistics of the same shape. Left unchanged.

        Returns
        -------
        self : Scaler
            Changed in place (like :meth:`fit`), and only if ``other`` is
            accepted.

        Notebook: 05b_scaling_at_scale.ipynb
        """
        if not isinstance(other, Scaler):
            raise TypeError(f"merge() takes another Scaler, got {type(other).__name__}.")
        self._require_dataset("merge()")
        for scaler, name in ((self, "this Scaler"), (other, "the other Scaler")):
            if not scaler.is_fitted:
                raise RuntimeError(f"{name} has no statistics yet: fit it before merging.")
        mine, theirs = self.get_extra_state(), other.get_extra_state()
        diffs = [f"{k}: the other has {theirs[k]!r}, this one {mine[k]!r}" for k in mine
                 if theirs[k] != mine[k]]
        if diffs:
            raise ValueError("merge() needs two Scalers with the same settings; the other "
                             "differs (" + "; ".join(diffs) + ").")
        if other.mean.shape != self.mean.shape:
            raise ValueError(f"merge() needs statistics of the same shape, got "
                             f"{tuple(other.mean.shape)} vs {tuple(self.mean.shape)}.")
        for scaler, name in ((self, "this Scaler"), (other, "the other Scaler")):
            if int(scaler.count) == 0:
                raise ValueError(f"{name} does not know how many elements its statistics come "
                                 "from (count 0, e.g. loaded with from_desed): it cannot be "
                                 "weighed against the other, so it cannot be merged.")
        n_a, n_b = int(self.count), int(other.count)
        n, mean, m2 = combine((n_a, self.mean, self.var * n_a),
                               (n_b, other.mean.to(torch.float64), other.var * n_b))
        self._set_stats(mean, m2 / n, n)
        return self

    # ---------------------------------------------------------------- DESED
    @classmethod
    def from_desed(cls, state_or_path, normtype="standard", dims=None, eps=DESED_EPS):
        """A data-set Scaler with the statistics a DESED ``TorchScaler`` saved.

        DESED's ``TorchScaler.fit`` stores two buffers, ``mean`` and
        ``mean_squared`` (the average of the batches' E[x] and E[x²]), and its
        ``forward`` computes ``std = sqrt(mean_squared - mean**2)`` in their
        dtype and returns ``(x - mean) / (std + eps)`` ("standard") or
        ``x - mean`` ("mean"). The Scaler returned here stores
        ``var = mean_squared - mean**2``, computed the same way, and takes its
        square root in the input's dtype, so its output is bit for bit DESED's
        (for input of the buffers' dtype, float32 in the baseline).

        Parameters
        ----------
        state_or_path : dict, torch.nn.Module, str or os.PathLike
            A ``TorchScaler.state_dict()``; a checkpoint whose ``"state_dict"``
            (a Lightning checkpoint of the baseline) holds ``<prefix>.mean`` and
            ``<prefix>.mean_squared`` for one prefix, e.g. ``scaler.``; a
            ``TorchScaler`` object; or the path of a file that ``torch.save``
            wrote with one of these dicts. A file holding a pickled
            ``TorchScaler`` object (the baseline recipe's ``scaler.ckpt``) is
            refused by ``torch.load``'s safe loading: load it where
            ``desed_task`` is installed, ``torch.load(path,
            weights_only=False)``, only if you trust the file, and pass the
            object.
        normtype : {"standard", "mean"}
            The ``normtype`` the TorchScaler was created with (DESED's default
            "standard"); it is not saved in the state.
        dims : tuple of int or None
            The TorchScaler's ``dims``. None: the axes after 0 where the saved
            mean has size 1, e.g. (1, 2) for a mean of shape (1, 1, 1).
        eps : float
            The TorchScaler's ``eps`` (DESED's default 1e-8).

        Returns
        -------
        Scaler
            ``statistic="dataset"``. ``count`` is 0: DESED does not save how
            many elements it saw, so this Scaler cannot be merged.

        See also
        --------
        DESED_task ``desed_task/utils/scaler.py`` (``TorchScaler.fit``, ``forward``).

        Notebook: 05b_scaling_at_scale.ipynb
        """
        state = _desed_state(state_or_path)
        mean, mean_squared = state["mean"], state["mean_squared"]
        for name, value in (("mean", mean), ("mean_squared", mean_squared)):
            if not torch.is_tensor(value) or not value.is_floating_point():
                raise ValueError(f"DESED's {name} must be a floating-point tensor, got "
                                 f"{getattr(value, 'dtype', type(value).__name__)}.")
        if mean.shape != mean_squared.shape or mean.ndim < 2 or mean.shape[0] != 1:
            raise ValueError(f"DESED's mean and mean_squared must have the same shape, with a "
                             f"batch axis of size 1 first, e.g. (1, 1, 1); got "
                             f"{tuple(mean.shape)} and {tuple(mean_squared.shape)}.")
        if dims is None:
            dims = tuple(a for a in range(1, mean.ndim) if mean.shape[a] == 1)
            if not dims:
                raise ValueError(f"cannot tell dims from a mean of shape {tuple(mean.shape)} "
                                 "(no axis after 0 has size 1): pass dims=... as the "
                                 "TorchScaler was created.")
        scaler = cls("dataset", normtype, dims=dims, eps=eps)
        with torch.no_grad():  # exactly DESED's forward: in the buffers' own dtype
            var = mean_squared - mean ** 2
        n_neg = int((var < 0).sum())
        if n_neg:
            raise ValueError(f"DESED's mean_squared - mean**2 is negative for {n_neg} of "
                             f"{var.numel()} statistic(s): DESED's forward would take the square "
                             "root of a negative number (NaN). These are not a TorchScaler's "
                             "statistics, or they were saved in too low a precision.")
        scaler.load_state_dict({"mean": mean.to(torch.float64), "var": var.to(torch.float64),
                                "count": torch.tensor(0), "_extra_state": scaler.get_extra_state()})
        return scaler

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
            return self._instance(tensor)
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
        # sqrt in the input's dtype, as DESED's forward does (torch's float32 sqrt can differ
        # from a rounded float64 one by 1 ulp): from_desed's outputs are then DESED's exactly
        return (tensor - mean) / (self.var.to(tensor.dtype).sqrt() + self.eps)

    def _instance(self, tensor):
        dims = self._reduced(tensor.ndim, for_fit=False)
        if self.normtype == "mean":
            return tensor - tensor.mean(dim=dims, keepdim=True)
        lo = torch.amin(tensor, dim=dims, keepdim=True)
        hi = torch.amax(tensor, dim=dims, keepdim=True)
        if self.normtype == "minmax":
            span = hi - lo
            if self.eps == 0:  # a constant clip: 0 / 0; give DESED's eps > 0 value, -1
                span = torch.where(span > 0, span, torch.ones_like(span))
            return (tensor - lo) / (span + self.eps) * 2 - 1
        mean = tensor.mean(dim=dims, keepdim=True)
        n = tensor.numel() // max(mean.numel(), 1)
        std = tensor.std(dim=dims, keepdim=True) if n > 1 else torch.zeros_like(mean)
        out = (tensor - mean) / (std + self.eps)
        flat = hi == lo
        if flat.any():
            warnings.warn(
                f"{int(flat.sum())} of the {flat.numel()} groups of values that "
                f"Scaler('instance', 'standard', dims={self.dims}) standardises (one per clip "
                "for dims=(1, 2)) are constant (standard deviation 0: digital silence at the "
                "-50 dB floor, or a single value): there is nothing to divide by, so they are "
                "scaled to 0. Drop silent clips, or use normtype='minmax' (-1) or 'mean' (0).",
                RuntimeWarning, stacklevel=3)
            out = torch.where(flat, torch.zeros((), dtype=out.dtype), out)
        return out

    # ------------------------------------------------------------ saving state
    def get_extra_state(self):
        return {"statistic": self.statistic, "normtype": self.normtype, "dims": list(self.dims),
                "eps": self.eps}

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
            if key == "eps" and isinstance(theirs, numbers.Real):
                theirs = float(theirs)
            if theirs != mine:
                diffs.append(f"{key}: saved {theirs!r}, this Scaler has {mine!r}"
                             if key in state else f"{key}: not saved (an older state), this "
                             f"Scaler has {mine!r}")
        if diffs:
            raise ValueError("The saved Scaler state does not match this Scaler ("
                             + "; ".join(diffs) + "). Create the Scaler with the saved "
                             "settings, e.g. Scaler(**settings).")

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict,
                              missing_keys, unexpected_keys, error_msgs):
        # Everything is checked before anything is set: a refused state changes nothing.
        extra_key = prefix + "_extra_state"
        if extra_key in state_dict:
            self._check_extra_state(state_dict[extra_key])
        elif strict:
            missing_keys.append(extra_key)
        present = [n for n in _BUFFERS if prefix + n in state_dict]
        if strict:
            known = {prefix + n for n in _BUFFERS} | {extra_key}
            for key in state_dict:
                if key.startswith(prefix) and key not in known and "." not in key[len(prefix):]:
                    unexpected_keys.append(key)
        if not present:  # nothing of this Scaler in the state (strict reports it as missing)
            missing_keys.extend(prefix + n for n in _BUFFERS if strict)
            return
        absent = [prefix + n for n in _BUFFERS if n not in present]
        if absent:
            raise ValueError(f"The saved Scaler state is incomplete: it has "
                             f"{', '.join(prefix + n for n in present)} but not "
                             f"{', '.join(absent)}; mean, var and count are loaded together "
                             "or not at all.")
        mean, var, count = (state_dict[prefix + n] for n in _BUFFERS)
        count = _check_stats(mean, var, count)
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
        if strict and extra_key not in state_dict:
            return  # torch raises for the missing settings: change nothing
        self._set_stats(mean, var, count)


# ------------------------------------------------------------------ DESED

def _desed_state(state_or_path):
    """The {"mean", "mean_squared"} tensors of a DESED TorchScaler state, file or module."""
    state = state_or_path
    if isinstance(state, (str, os.PathLike)):
        import pickle

        try:
            state = torch.load(state, map_location="cpu", weights_only=True)
        except pickle.UnpicklingError as exc:
            raise ValueError(
                f"{os.fspath(state_or_path)!r} holds a pickled Python object, not a dict of "
                "tensors (DESED's recipe saves the whole TorchScaler: torch.save(scaler, path)). "
                "torch.load will not run its code by default. Where desed_task is installed, and "
                "only if you trust the file: Scaler.from_desed(torch.load(path, "
                f"weights_only=False)). torch said: {str(exc).splitlines()[0]}") from None
    if isinstance(state, torch.nn.Module):
        state = state.state_dict()
    if not isinstance(state, dict):
        raise TypeError(f"from_desed() takes a state dict, a TorchScaler or a path, "
                        f"got {type(state_or_path).__name__}.")
    if "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]  # a Lightning checkpoint
    if "mean" in state and "mean_squared" in state:
        return {"mean": state["mean"], "mean_squared": state["mean_squared"]}
    prefixes = sorted(k[: -len("mean_squared")] for k in state
                      if isinstance(k, str) and k.endswith(".mean_squared")
                      and k[: -len("mean_squared")] + "mean" in state)
    if len(prefixes) == 1:
        p = prefixes[0]
        return {"mean": state[p + "mean"], "mean_squared": state[p + "mean_squared"]}
    if prefixes:
        raise ValueError(f"the state holds several DESED scalers ({', '.join(prefixes)}): pass "
                         f"the one you want, e.g. {{k[len({prefixes[0]!r}):]: v for k, v in "
                         f"state.items() if k.startswith({prefixes[0]!r})}}.")
    keys = [k for k in state if isinstance(k, str)][:8]
    raise ValueError(
        f"no DESED scaler statistics here: expected the buffers 'mean' and 'mean_squared' (or "
        f"'<prefix>.mean' and '<prefix>.mean_squared'), found keys {keys}. A TorchScaler with "
        "statistic='instance' (the baseline's default) has no statistics to load: use "
        "Scaler('instance', ...).")
