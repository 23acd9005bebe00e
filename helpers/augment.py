"""The DCASE baseline's feature augmentations: frame_shift, mixup, add_noise.

Ports of DESED_task ``desed_task/data_augm.py`` (commit c6bcb45), which give
the same numbers from the same random draws. Each takes a ``seed``: None
draws from the global generators exactly as DESED does (``random``,
``np.random``, ``torch``), an int draws from private generators seeded with
it, so a notebook cell gives the same result every run without touching the
global state.

Which ones the baseline uses: the 2024 recipe
(``recipes/dcase2024_task4_baseline/local/sed_trainer_pretrained.py``)
imports only ``mixup``, applied with probability ``mixup_prob: 0.5`` and
``mixup: soft`` (``confs/pretrained.yaml``) to the amplitude mel
spectrograms, before ``take_log`` and the scaler, within each sub-set of the
batch. No recipe at that commit calls ``frame_shift`` or ``add_noise``.

Notebook: 09_from_file.ipynb
"""

import random

import numpy as np
import torch

from ._validate import check_choice, check_int, check_number

__all__ = ["add_noise", "frame_shift", "label_shift", "mixup"]


def _check_seed(seed):
    return None if seed is None else check_int(seed, "seed", low=0)


def _check_3d(x, name, shape):
    if not torch.is_tensor(x):
        raise TypeError(f"{name} must be a torch.Tensor of shape {shape}, got "
                        f"{type(x).__name__}.")
    if x.ndim != 3:
        raise ValueError(f"{name} must have shape {shape}, got {tuple(x.shape)}.")


def label_shift(shift, net_pooling=4):
    """How far ``frame_shift`` rolls the labels for a feature shift of ``shift`` frames.

    DESED's expression, ``-abs(shift) // net_pooling if shift < 0 else
    shift // net_pooling``: floor division, so a positive shift is rounded
    down and a negative one away from zero (−5 → −2 pooled frames, i.e.
    −8 feature frames).

    Notebook: 09_from_file.ipynb
    """
    shift = check_int(shift, "shift")
    net_pooling = check_int(net_pooling, "net_pooling", low=1)
    return -abs(shift) // net_pooling if shift < 0 else shift // net_pooling


def frame_shift(mels, labels, net_pooling=4, seed=None):
    """Roll each clip's features and its labels in time by a random number of frames.

    For each clip of the batch, ``shift = int(random.gauss(0, 90))`` feature
    frames (standard deviation 90 frames = 1.44 s at the baseline's 16 ms
    hop); the features are rolled by ``shift`` and the labels, which live on
    the network's pooled grid, by :func:`label_shift` (``shift`` divided by
    ``net_pooling`` with floor division). Both rolls wrap around: what leaves
    the clip at one end comes back at the other.

    Parameters
    ----------
    mels : torch.Tensor, shape (batch, n_mels, n_frames)
    labels : torch.Tensor, shape (batch, n_classes, n_pooled_frames)
    net_pooling : int
        Feature frames per label frame (4 in the baseline: 626 → 156).
    seed : int or None
        None: Python's global ``random``, as DESED. An int: the draws
        ``random.seed(seed)`` would give.

    Returns
    -------
    mels, labels : torch.Tensor, same shapes

    Notebook: 09_from_file.ipynb
    """
    _check_3d(mels, "mels", "(batch, n_mels, n_frames)")
    _check_3d(labels, "labels", "(batch, n_classes, n_pooled_frames)")
    if len(labels) != len(mels):
        raise ValueError(f"mels and labels must hold the same clips, got batches of {len(mels)} "
                         f"and {len(labels)}.")
    net_pooling = check_int(net_pooling, "net_pooling", low=1)
    seed = _check_seed(seed)
    draw = random if seed is None else random.Random(seed)
    shifted, new_labels = [], []
    for bindx in range(mels.shape[0]):
        shift = int(draw.gauss(0, 90))
        shifted.append(torch.roll(mels[bindx], shift, dims=-1))
        new_labels.append(torch.roll(labels[bindx], label_shift(shift, net_pooling), dims=-1))
    return torch.stack(shifted), torch.stack(new_labels)


def mixup(data, target=None, alpha=0.2, beta=0.2, mixup_label_type="soft", seed=None):
    """Mix each clip with a clip drawn from the batch: ``c * x + (1 - c) * x[perm]``.

    One weight ``c ~ Beta(alpha, beta)`` for the whole batch
    (``np.random.beta``) and one random permutation (``torch.randperm``).
    With Beta(0.2, 0.2) most draws are near 0 or 1: a clip mostly stays
    itself, with a little of another (or of itself, where ``perm`` leaves it
    in place). Labels: ``"soft"`` mixes them with the
    same weights and clamps to [0, 1]; ``"hard"`` takes the union
    (``clamp(t + t[perm], 0, 1)``).

    Parameters
    ----------
    data : torch.Tensor, shape (batch, ...)
    target : torch.Tensor, shape (batch, ...), or None
    alpha, beta : float
        Parameters of the Beta distribution (0.2 and 0.2 in DESED).
    mixup_label_type : {"soft", "hard"}
    seed : int or None
        None: NumPy's and torch's global generators, as DESED. An int: the
        draws after ``np.random.seed(seed); torch.manual_seed(seed)``.

    Returns
    -------
    torch.Tensor, or (mixed data, mixed target) if ``target`` is given

    Notebook: 09_from_file.ipynb
    """
    if not torch.is_tensor(data) or data.ndim < 1:
        raise TypeError(f"data must be a batch, a torch.Tensor (batch, ...), got "
                        f"{type(data).__name__}.")
    alpha = check_number(alpha, "alpha", low=0, low_open=True)
    beta = check_number(beta, "beta", low=0, low_open=True)
    mixup_label_type = check_choice(mixup_label_type, "mixup_label_type", ("soft", "hard"))
    seed = _check_seed(seed)
    with torch.no_grad():
        batch_size = data.size(0)
        if seed is None:
            c = np.random.beta(alpha, beta)
            perm = torch.randperm(batch_size)
        else:
            c = np.random.RandomState(seed).beta(alpha, beta)
            perm = torch.randperm(batch_size, generator=torch.Generator().manual_seed(seed))
        mixed_data = c * data + (1 - c) * data[perm, :]
        if target is None:
            return mixed_data
        if mixup_label_type == "soft":
            mixed_target = torch.clamp(c * target + (1 - c) * target[perm, :], min=0, max=1)
        else:
            mixed_target = torch.clamp(target + target[perm, :], min=0, max=1)
        return mixed_data, mixed_target


def add_noise(mels, snrs=(6, 30), dims=(1, 2), seed=None):
    """Add white noise to each clip at a random signal-to-noise ratio measured on the features.

    Per clip, ``snr`` is drawn uniformly between ``snrs[1]`` and ``snrs[0]``
    dB (``(snrs[0] - snrs[1]) * torch.rand(batch) + snrs[1]``), and Gaussian
    noise of standard deviation ``std(mels over dims) / 10 ** (snr / 20)``
    is added: the "SNR" is the clip's feature standard deviation over the
    noise's, in dB, not a ratio of sound powers. ``torch.std`` is the
    unbiased (n − 1) one.

    Parameters
    ----------
    mels : torch.Tensor, shape (batch, n_mels, n_frames)
    snrs : (low, high) in dB, or a number
        A number uses that SNR for every clip.
    dims : tuple of int
        Axes of the standard deviation ((1, 2): per clip).
    seed : int or None
        None: torch's global generator on ``mels.device``, as DESED. An int:
        a private CPU generator, the draws after ``torch.manual_seed(seed)``
        on the CPU, moved to ``mels.device`` (the same noise on every device).

    Returns
    -------
    torch.Tensor, same shape

    Notebook: 09_from_file.ipynb
    """
    _check_3d(mels, "mels", "(batch, n_mels, n_frames)")
    seed = _check_seed(seed)
    gen = None if seed is None else torch.Generator().manual_seed(seed)
    device = mels.device if seed is None else "cpu"
    if isinstance(snrs, (list, tuple)):
        if len(snrs) != 2:
            raise ValueError(f"snrs must be (low, high) in dB or one number, got {snrs!r}.")
        u = torch.rand((mels.shape[0],), device=device, generator=gen).to(mels.device)
        snr = (snrs[0] - snrs[1]) * u.reshape(-1, 1, 1) + snrs[1]
    else:
        snr = check_number(snrs, "snrs")
    snr = 10 ** (snr / 20)  # linear domain
    sigma = torch.std(mels, dim=dims, keepdim=True) / snr
    noise = torch.randn(mels.shape, device=device, generator=gen).to(mels.device)
    return mels + noise * sigma
