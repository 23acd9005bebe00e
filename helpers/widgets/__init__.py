"""Interactive explorers: turn the knobs of each step and see the result at once.

One function per chapter::

    sampling_explorer()        # 01 sampling and aliasing          (sampling.py)
    stft_explorer()            # 02 window, n_fft and hop          (stft.py)
    filterbank_explorer()      # 03 the mel filterbank             (filterbank.py)
    db_explorer()              # 04 decibels                       (db.py)
    scaler_explorer()          # 05 scaling                        (scaler.py)
    reconstruction_explorer()  # 07 listening to a mel spectrogram (reconstruction.py)
    mel_explorer(y, sr)        # the main explorer, explorer.ipynb (mel.py)
    classroom()                # all of them behind a chapter menu, classroom.ipynb
                               # (classroom.py; `make app` serves it)

Every explorer is an ipywidgets container (:class:`Explorer`, in base.py) with

- ``.controls``: a dict of the widgets by parameter name (``n_mels``, ``fmax``, ...);
  set ``.controls["n_mels"].value = 64`` from code and the explorer redraws;
  ``.defaults`` holds their starting values and ``.reset()`` goes back to them
  (the Reset button under the controls, ``.reset_button``, calls it);
- ``.figure``: the matplotlib figure it draws, updated in place (the same artists,
  new data and limits), shown as a PNG image so it works in JupyterLab,
  Notebook 7, VS Code and Voila alike (renderer.py draws only what changed,
  with matplotlib's blitting);
- ``.readout``: an HTML widget that says in plain words what the output is
  (its shape, the frame-count formula with the current numbers) and warns
  (empty filters, an n_fft longer than the clip, ...) instead of raising;
- ``.artists``: the matplotlib artists that change (for tests and the curious).

The controls (controls.py) check the start values an explorer is given and name
the argument and what is allowed; what several explorers compute or draw alike is
in shared.py; players hold :func:`helpers.players.wav_bytes`.

Without a running kernel (GitHub, nbviewer, a static site) a displayed explorer
shows the PNG of the state it was displayed in: its ``_repr_mimebundle_`` adds
``image/png`` next to the widget view (JupyterLab shows that PNG for a stored,
not yet run notebook and the live widget once the cell runs). A static-site
builder should drop ``application/vnd.jupyter.widget-view+json`` from the
outputs (and ``metadata.widgets``) so the PNG is what shows.

Stable CSS classes for browser tests: ``mel-explorer`` (every explorer) plus one
per explorer (``main-explorer``, ``sampling-explorer``, ``stft-explorer``,
``filterbank-explorer``, ``db-explorer``, ``scaler-explorer``,
``reconstruction-explorer``), ``mel-controls``, ``mel-control-<name>`` (underscores
become dashes, e.g. ``mel-control-n-mels``), ``mel-figure`` (the image),
``mel-readout``, ``mel-audio`` and ``mel-reset`` (the Reset button).

Speed: ``make bench`` (scripts/bench.py) times every control of every explorer.

Notebook: explorer.ipynb and the "Explore" section of each chapter.
"""

from .base import Explorer
from .classroom import CHAPTERS, Classroom, classroom
from .db import DbExplorer, db_explorer
from .filterbank import FilterbankExplorer, filterbank_explorer
from .mel import MelExplorer, mel_explorer
from .reconstruction import ReconstructionExplorer, reconstruction_explorer
from .sampling import SAMPLING_RATES, SamplingExplorer, sampling_explorer
from .scaler import SCALER_DIMS, ScalerExplorer, scaler_explorer
from .shared import N_FFTS, WINDOW_NAMES
from .stft import STFT_SIGNALS, StftExplorer, stft_explorer

__all__ = ["Explorer", "sampling_explorer", "stft_explorer", "filterbank_explorer",
           "db_explorer", "scaler_explorer", "mel_explorer", "reconstruction_explorer",
           "SamplingExplorer", "StftExplorer", "FilterbankExplorer", "DbExplorer",
           "ScalerExplorer", "MelExplorer", "ReconstructionExplorer",
           "SAMPLING_RATES", "STFT_SIGNALS", "SCALER_DIMS", "N_FFTS", "WINDOW_NAMES",
           "classroom", "Classroom", "CHAPTERS"]
