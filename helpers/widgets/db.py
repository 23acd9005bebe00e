"""Chapter 04's explorer: power_to_db / amplitude_to_db with ref, amin, top_db and a clamp."""

import numpy as np

from .. import plotting
from ..db import amplitude_to_db, power_to_db
from .base import Explorer
from .controls import checkbox, dropdown, log_slider, range_slider, toggle
from .renderer import new_figure, style


class DbExplorer(Explorer):
    """power_to_db / amplitude_to_db with ref, amin, top_db and a clamp, and a histogram."""

    css_class = "db-explorer"
    title = "Decibels: which function, which reference, which floor"

    def __init__(self, sr=16000, n_fft=1024, hop_length=256, n_mels=64):
        from ..mel import melspectrogram
        from ..signals import soundscape

        y, _ = soundscape(sr=sr, duration=10.0, seed=0)
        self.sr, self.hop_length = sr, hop_length
        self._mel = {
            "power": melspectrogram(y, sr=sr, n_fft=n_fft, hop_length=hop_length,
                                    n_mels=n_mels, power=2.0),
            "amplitude": melspectrogram(y, sr=sr, n_fft=n_fft, hop_length=hop_length,
                                        n_mels=n_mels, power=1.0),
        }
        controls = {
            "input": toggle([("power |X|²", "power"), ("amplitude |X|", "amplitude")],
                            "power", "input", name="input"),
            "function": toggle([("power_to_db", "power_to_db"),
                                ("amplitude_to_db", "amplitude_to_db")],
                               "power_to_db", "function", name="function"),
            "ref": toggle([("1.0", "1.0"), ("np.max", "max")], "max", "ref", name="ref"),
            "amin": log_slider(1e-10, -12, -2, "amin", name="amin"),
            "top_db": dropdown([("None", None), ("20", 20.0), ("40", 40.0), ("60", 60.0),
                                ("80", 80.0), ("100", 100.0), ("120", 120.0)], 80.0,
                               "top_db (dB)", name="top_db"),
            "clamp": checkbox(False, "clamp like DCASE", name="clamp"),
            "clamp_range": range_slider((-50, 80), -150, 150, 5, "clamp (dB)",
                                        name="clamp_range"),
        }
        fig = new_figure((8.0, 4.8))
        with style():
            ax_im, ax_h = fig.subplots(2, 1, height_ratios=(1.3, 1))
            im = ax_im.imshow(np.zeros((n_mels, 2)), origin="lower", aspect="auto",
                              interpolation="nearest")
            plotting.decorate(ax_im, xlabel="Time (s)", ylabel="Mel band",
                              title="Mel spectrogram of a soundscape, in dB")
            fig.colorbar(im, ax=ax_im, label="dB", format="%+.0f")
            stairs = ax_h.stairs(np.zeros(60), np.linspace(0, 1, 61), fill=True, color="C0")
            lo_line = ax_h.axvline(0, color="C3", ls="--", lw=1.2, label="lowest value")
            hi_line = ax_h.axvline(0, color="C2", ls="--", lw=1.2, label="highest value")
            ax_h.legend(loc="upper left", fontsize=8)
            plotting.decorate(ax_h, xlabel="dB", ylabel="Cells",
                              title="Histogram of the dB values")
        self.artists = {"image": im, "histogram": stairs, "low": lo_line, "high": hi_line}
        self._axes = (ax_im, ax_h)
        super().__init__(controls, fig)

    def update(self, v):
        S = self._mel[v["input"]]
        ref = np.max if v["ref"] == "max" else 1.0
        func = power_to_db if v["function"] == "power_to_db" else amplitude_to_db
        db = func(S, ref=ref, amin=float(v["amin"]), top_db=v["top_db"])
        lines = []
        n_cells = db.size
        floor_top = db.max() - v["top_db"] if v["top_db"] is not None else None
        if floor_top is not None:
            n_top = int(np.sum(db <= floor_top + 1e-9))
            lines.append(f"top_db={v['top_db']:g}: {n_top} of {n_cells} cells "
                         f"({100 * n_top / n_cells:.3g} %) were raised to max − top_db = "
                         f"{floor_top:.3g} dB.")
        if v["clamp"]:
            lo, hi = v["clamp_range"]
            n_lo, n_hi = int(np.sum(db < lo)), int(np.sum(db > hi))
            db = np.clip(db, lo, hi)
            lines.append(f"Clamped to [{lo}, {hi}] dB like the DCASE baseline's "
                         f".clamp(min=-50, max=80): {n_lo} cells raised, {n_hi} lowered.")
        lo_v, hi_v = float(db.min()), float(db.max())
        a = self.artists
        ax_im, ax_h = self._axes
        a["image"].set_data(db)
        # frame t centred on t * hop_length / sr seconds, band i on row i
        a["image"].set_extent(plotting.image_extent(db.shape, dx=self.hop_length / self.sr))
        a["image"].set_clim(lo_v, hi_v if hi_v > lo_v else lo_v + 1)
        span = max(hi_v - lo_v, 1.0)
        counts, edges = np.histogram(db, bins=60, range=(lo_v - 0.02 * span, hi_v + 0.02 * span))
        a["histogram"].set_data(counts, edges)
        a["low"].set_xdata([lo_v, lo_v])
        a["high"].set_xdata([hi_v, hi_v])
        ax_h.set_xlim(edges[0], edges[-1])
        ax_h.set_ylim(0, counts.max() * 1.08)
        ref_name = "np.max" if v["ref"] == "max" else "1.0"
        lines.insert(0, f"{v['function']}(S, ref={ref_name}, amin={v['amin']:.0e}, "
                        f"top_db={v['top_db']}) on the {v['input']} mel spectrogram S.")
        lines.insert(1, f"Shape (n_mels, n_frames) = {db.shape}; values from {lo_v:.3g} dB "
                        f"to {hi_v:.3g} dB (a range of {hi_v - lo_v:.3g} dB).")
        if v["input"] == "power" and v["function"] == "amplitude_to_db":
            lines.append("Mismatch: amplitude_to_db on a POWER spectrogram squares it again, "
                         "so every dB value (and the dynamic range) is twice what it should be. "
                         "A real bug in published projects.")
        elif v["input"] == "amplitude" and v["function"] == "power_to_db":
            lines.append("Mismatch: power_to_db on an AMPLITUDE spectrogram gives half the "
                         "right dB values (10·log10 instead of 20·log10).")
        else:
            lines.append("The function matches the input: the dB values are right.")
        return lines


def db_explorer():
    """Chapter 04's explorer: decibel mapping of a soundscape's mel spectrogram, with a histogram.

    Controls ``input`` (power or amplitude mel spectrogram), ``function``
    (power_to_db or amplitude_to_db), ``ref`` (1.0 or np.max), ``amin``,
    ``top_db``, ``clamp`` and ``clamp_range`` (the DCASE baseline clamps to [-50, 80] dB).

    Returns
    -------
    Explorer

    See also
    --------
    helpers.power_to_db, librosa.power_to_db

    Notebook: 04_decibels.ipynb
    """
    return DbExplorer()
