"""Chapter 05's explorer: :class:`helpers.scaling.Scaler` on four clips, before and after."""

import numpy as np

from .. import plotting
from ..db import amplitude_to_db
from .base import Explorer
from .controls import dropdown, toggle
from .renderer import new_figure, style
from .shared import readout_number

SCALER_DIMS = (("(1, 2): one statistic per clip", (1, 2)),
               ("(2,): one per clip and mel band", (2,)),
               ("(1,): one per clip and frame", (1,)))


class ScalerExplorer(Explorer):
    """helpers.scaling.Scaler on four log-mel clips: histograms before and after."""

    css_class = "scaler-explorer"
    title = "Scaling: statistic, normtype and dims, before and after"

    def __init__(self, n_clips=4, sr=16000, n_fft=1024, hop_length=256, n_mels=64):
        import torch

        from ..mel import melspectrogram
        from ..signals import soundscape

        feats = []
        for seed in range(n_clips):  # four clips, each 6 dB quieter than the one before
            y, _ = soundscape(sr=sr, duration=5.0, seed=seed)
            M = melspectrogram(y * 0.5 ** seed, sr=sr, n_fft=n_fft, hop_length=hop_length,
                               n_mels=n_mels, power=1.0)
            feats.append(amplitude_to_db(M, amin=1e-5, top_db=None))
        self._x = torch.from_numpy(np.stack(feats).astype(np.float32))
        self._fitted = {}
        controls = {
            "statistic": toggle([("instance", "instance"), ("dataset", "dataset")],
                                "instance", "statistic", name="statistic"),
            "normtype": toggle([("minmax", "minmax"), ("mean", "mean"),
                                ("standard", "standard")], "minmax", "normtype", name="normtype"),
            "dims": dropdown(SCALER_DIMS, (1, 2), "dims", name="dims", width="420px"),
        }
        fig = new_figure((8.0, 4.6))
        with style():
            ax_b, ax_a = fig.subplots(1, 2)
            before, after = [], []
            for i in range(n_clips):
                before.append(ax_b.stairs(np.zeros(50), np.linspace(0, 1, 51), color=f"C{i}",
                                          label=f"clip {i}"))
                after.append(ax_a.stairs(np.zeros(50), np.linspace(0, 1, 51), color=f"C{i}"))
            ax_b.legend(loc="upper right", fontsize=8)
            plotting.decorate(ax_b, title="Before: log-mel (dB)", xlabel="dB", ylabel="Cells")
            plotting.decorate(ax_a, xlabel="Scaled value", ylabel="Cells")
        self.artists = {"before": before, "after": after}
        self._axes = (ax_b, ax_a)
        self._set_hist(ax_b, before, self._x.numpy())  # the input never changes
        super().__init__(controls, fig)

    @staticmethod
    def _set_hist(ax, artists, x):
        lo, hi = float(x.min()), float(x.max())
        span = max(hi - lo, 1e-6)
        edges = np.linspace(lo - 0.02 * span, hi + 0.02 * span, 51)
        top = 1
        for art, clip in zip(artists, x):
            counts, _ = np.histogram(clip, bins=edges)
            art.set_data(counts, edges)
            top = max(top, counts.max())
        ax.set_xlim(edges[0], edges[-1])
        ax.set_ylim(0, top * 1.08)

    def update(self, v):
        import torch

        from ..scaling import Scaler

        key = (v["statistic"], v["normtype"], tuple(v["dims"]))
        scaler = self._fitted.get(key)
        if scaler is None:
            scaler = Scaler(statistic=v["statistic"], normtype=v["normtype"], dims=v["dims"])
            if v["statistic"] == "dataset":
                scaler.fit([self._x], transform_func=lambda x: x, progress=False)
            self._fitted[key] = scaler
        with torch.no_grad():
            out = scaler(self._x).numpy()
        ax_b, ax_a = self._axes
        self._set_hist(ax_a, self.artists["after"], out)
        ax_a.set_title(f"After: {v['statistic']}, {v['normtype']}, dims={key[2]}")
        per_clip = [f"clip {i}: mean {readout_number(c.mean())}, std {readout_number(c.std())}, "
                    f"range [{readout_number(c.min())}, {readout_number(c.max())}]"
                    for i, c in enumerate(out)]
        lines = [f"Input: {tuple(self._x.shape)} = (batch, n_mels, n_frames): the log-mel "
                 "(amplitude_to_db) of four clips, each 6 dB quieter than the one before."]
        if v["statistic"] == "dataset":
            lines.append(f"Data-set statistics fitted on all {self._x.shape[0]} clips: "
                         f"statistics of shape {tuple(scaler.mean.shape)}, so the clips keep "
                         "their differences in loudness.")
        else:
            lines.append("Instance statistics: each clip is scaled with its own numbers, so "
                         "the clips look alike afterwards.")
        return lines + ["After: " + "; ".join(per_clip) + "."]


def scaler_explorer():
    """Chapter 05's explorer: :class:`helpers.scaling.Scaler` on four clips, before and after.

    Controls ``statistic`` ('instance' or 'dataset'), ``normtype`` ('minmax',
    'mean', 'standard'; dataset min-max is refused with a message) and ``dims``.

    Returns
    -------
    Explorer

    See also
    --------
    helpers.scaling.Scaler (the DCASE baseline's TorchScaler)

    Notebook: 05_scaling.ipynb
    """
    return ScalerExplorer()
