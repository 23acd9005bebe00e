"""Performance report (``make bench``): one table, printed and written to bench/results.md.

Usage: python scripts/bench.py [--repeats N] [--skip-notebooks] [--out bench/results.md]

Measures, in one run on this machine (medians of several repetitions):
- each notebook's execution time, kernel start included (nbclient, as
  ``make execute`` runs them; on a temporary copy, the notebooks are not
  touched), and the whole suite's (the sum of the medians);
- each explorer's redraw time, from a control's value change to the new
  figure ready in the kernel (:func:`redraw_time`), over every control of the
  explorer;
- ``helpers.melspectrogram`` vs librosa vs torchaudio on a 10 s clip at
  16 kHz, one thread each (``torch.set_num_threads(1)``, threadpoolctl for
  NumPy's BLAS);
- the DCASE baseline front end (``helpers.baseline.mel_spec`` + ``take_log``)
  on a batch of 32 clips;
- reading a 10 s, 44.1 kHz, stereo, 16-bit WAV file, resampling it to 16 kHz
  and computing the baseline's features: ``helpers.load_audio`` against
  ``librosa.load`` (the same front end after both), and the recipe's order
  (resample each channel, then average) for comparison;
- the data-set scaler's fit (``helpers.scaling.Scaler.fit``) over a
  DataLoader of synthetic clips against the bare feature extraction over the
  same loader (the scaler's overhead as a ratio);
- the same fit at scale: a folder of 2000 generated 10 s clips (written to a
  temporary folder, deleted afterwards) through ``helpers.baseline.ClipFolder``:
  bare reading vs fit with 0 and 2 DataLoader workers, peak memory (and how
  it changes with the number of files), and a 2-process ``gloo`` fit.

Targets: whole suite < 60 s, every explorer redraw < 50 ms median, helpers no
slower than librosa. A section that fails is reported in its row; the others go on.
Speed is measured here and only here: no test asserts a time.
"""

import argparse
import contextlib
import datetime
import importlib
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time
import warnings

ROOT = pathlib.Path(__file__).resolve().parent.parent
SR = 16000
SUITE_TARGET, REDRAW_TARGET = 60.0, 0.050  # seconds
REPEATS_MEL = 41

ROWS = []    # (section, item, median, detail, target, verdict)
NOTES = []


def row(section, item, value, detail="", target="", verdict=""):
    ROWS.append((section, item, value, detail, target, verdict))
    print(f"  {item:<44} {value:>10}  {detail:<52} {target:<10} {verdict}", flush=True)


def fmt_s(seconds):
    if seconds is None:
        return "-"
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def median_time(func, repeats, warmup=1):
    """Median wall-clock seconds of ``func()``; its CPU seconds go to CPU_TIMES[-1].

    The CPU time is this thread's (``time.thread_time``): with one thread for torch
    and BLAS that is all the work, it hardly changes with the machine's load, and
    it leaves out BLAS worker threads still spinning from an earlier call.
    """
    for _ in range(warmup):
        func()
    times, cpu = [], []
    for _ in range(repeats):
        c0, t0 = time.thread_time(), time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    CPU_TIMES.append(statistics.median(cpu))
    return statistics.median(times)


CPU_TIMES = []


def cpu_ms():
    return f"CPU {CPU_TIMES[-1] * 1e3:.1f} ms" if CPU_TIMES[-1] < 1 else f"CPU {CPU_TIMES[-1]:.2f} s"


def optional(module):
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if exc.name and module.endswith(exc.name.split(".")[-1]):
            return None
        raise


def section(title):
    print(f"\n{title}", flush=True)
    return title


# ----------------------------------------------------------------- machine

def cpu_model():
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info():
    import numpy
    versions = {"python": platform.python_version()}
    for name in ("numpy", "scipy", "librosa", "torch", "torchaudio", "matplotlib", "ipywidgets",
                 "nbclient", "ipykernel"):
        mod = optional(name)
        versions[name] = getattr(mod, "__version__", "missing") if mod else "missing"
    blas = "unknown"
    with contextlib.suppress(Exception):
        from threadpoolctl import threadpool_info
        infos = [f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')})"
                 for i in threadpool_info() if i.get("user_api") == "blas"]
        blas = ", ".join(sorted(set(infos))) or "none found"
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "date (UTC)": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "CPU": cpu_model(),
        "cores": str(os.cpu_count()),
        "load average at start (1/5/15 min)": load,
        "OS": f"{platform.system()} {platform.release()}",
        "BLAS (NumPy)": blas,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(not set)"),
        "versions": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "numpy": numpy.__version__,
    }


# --------------------------------------------------------------- notebooks

def bench_notebooks(repeats, pattern="*.ipynb"):
    title = section("Notebooks (execution, kernel start included)")
    import nbformat
    from nbclient import NotebookClient

    paths = sorted((ROOT / "notebooks").glob(pattern))
    if not paths:
        raise SystemExit(f"no notebook in notebooks/ matches --notebooks {pattern!r}")
    # what every notebook pays before its first cell: a kernel and the usual imports
    start = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import numpy, matplotlib.pyplot, librosa, torch, torchaudio, helpers")])
    t_start, c_start = [], []
    for _ in range(repeats):
        c0, t0 = _cpu_with_children(), time.perf_counter()
        NotebookClient(nbformat.from_dict(start), timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute(
            stderr=subprocess.DEVNULL)
        t_start.append(time.perf_counter() - t0)
        c_start.append(_cpu_with_children() - c0)
    row(title, "(a kernel that only imports numpy ... torch)", fmt_s(statistics.median(t_start)),
        f"CPU {statistics.median(c_start):.1f} s, median of {repeats}: fixed cost per notebook")
    total = total_cpu = 0.0
    for path in paths:
        nb0 = nbformat.read(path, as_version=4)
        times, cpus = [], []
        n = repeats
        while len(times) < n:
            nb = nbformat.from_dict(nb0)
            client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}})
            t0 = time.perf_counter()
            c0 = _cpu_with_children()
            try:
                client.execute(stderr=subprocess.DEVNULL)  # the kernel's TCP notice
            except Exception as exc:  # a broken notebook is reported, not fatal
                row(title, path.name, "failed", f"{type(exc).__name__}", "", "FAIL")
                times = None
                break
            times.append(time.perf_counter() - t0)
            cpus.append(_cpu_with_children() - c0)
            if len(times) == 1 and times[0] > 20:
                n = 1  # slow notebook: one run is enough to know
        if times:
            med = statistics.median(times)
            total += med
            total_cpu += statistics.median(cpus)
            row(title, path.name, fmt_s(med),
                f"CPU {statistics.median(cpus):.1f} s, median of {len(times)} run(s)")
    verdict = "met" if total < SUITE_TARGET else f"MISSED by {total - SUITE_TARGET:.0f} s"
    if total >= SUITE_TARGET:
        verdict += (" (load: CPU time meets it)" if total_cpu < 0.9 * SUITE_TARGET else
                    " (CPU time at the limit)" if total_cpu < SUITE_TARGET else
                    " (CPU time too)")
    row(title, f"whole suite ({len(paths)} notebooks, sequential)", fmt_s(total),
        f"CPU {total_cpu:.1f} s (kernel + client), sum of the medians", f"< {SUITE_TARGET:.0f} s",
        verdict)


def _cpu_with_children():
    """CPU seconds of this process plus its finished children (the kernels, once shut down)."""
    import resource
    own = time.process_time()
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + ch.ru_utime + ch.ru_stime


# ---------------------------------------------------------------- explorers

def _values_for(w):
    """A few values to set a control to, near its start value (cheap, realistic moves)."""
    v = w.value
    if hasattr(w, "options") and w.options:
        opts = [o[1] if isinstance(o, tuple) else o for o in w.options]
        i = opts.index(v) if v in opts else 0
        cycle = [opts[(i + k) % len(opts)] for k in range(1, min(3, len(opts)))]
        return cycle + [v]
    name = type(w).__name__
    if name == "Checkbox" or isinstance(v, bool):
        return [not v, v]
    if name == "FloatLogSlider":
        steps = [w.base ** (w.min + k * w.step) for k in range(int(round((w.max - w.min) / w.step)) + 1)]
        i = min(range(len(steps)), key=lambda k: abs(steps[k] - v))
        return [steps[max(i - 1, 0)] if i else steps[1], v]
    if isinstance(v, tuple) and len(v) == 2:  # a range slider
        step = w.step
        return [(v[0] + step, v[1]), (v[0], v[1] - step), v]
    if hasattr(w, "step") and hasattr(w, "min"):
        out = [x for x in (v + 2 * w.step, v - 2 * w.step, v + w.step) if w.min <= x <= w.max]
        return out[:2] + [v]
    return []


def redraw_time(explorer, name, values, repeats=3, clock=time.perf_counter):
    """Median seconds from setting ``explorer.controls[name].value`` to the new PNG being ready.

    Sets the control to each of ``values`` in turn, ``repeats`` times over, and
    times each change (recompute, update the artists, render the PNG: all that
    happens in the kernel before the browser gets the new image). Consecutive
    equal values are skipped (setting the same value does not redraw). The
    control is set back to its start value afterwards.

    Parameters
    ----------
    explorer : helpers.widgets.Explorer
        From any of the ``*_explorer`` functions.
    name : str
        A key of ``explorer.controls``, e.g. ``'n_mels'``.
    values : sequence
        Values to cycle through, e.g. ``[64, 128]``.
    repeats : int
        How many times to cycle.
    clock : callable
        The clock: ``time.perf_counter`` (wall time, the default: what the
        learner waits) or ``time.process_time`` (CPU time of this process: what
        the redraw costs, less disturbed by other programs on a busy machine).

    Returns
    -------
    float
        The median time per redraw in seconds.
    """
    w = explorer.controls[name]
    start = w.value
    times = []
    for _ in range(repeats):
        for value in values:
            if value == w.value:
                continue
            t0 = clock()
            w.value = value
            times.append(clock() - t0)
    w.value = start
    if not times:
        raise ValueError(f"values={values!r} never change {name}: nothing was timed.")
    return statistics.median(times)


def bench_explorers():
    title = section("Explorers (redraw: value change -> new figure, in the kernel)")
    import helpers
    from helpers import widgets
    y, _ = helpers.soundscape(sr=SR, duration=10.0)
    makers = {
        "sampling_explorer": lambda: widgets.sampling_explorer(),
        "stft_explorer": lambda: widgets.stft_explorer(),
        "filterbank_explorer": lambda: widgets.filterbank_explorer(),
        "db_explorer": lambda: widgets.db_explorer(),
        "scaler_explorer": lambda: widgets.scaler_explorer(),
        "mel_explorer (10 s at 16 kHz)": lambda: widgets.mel_explorer(y, SR),
        # each setting's Griffin-Lim runs once, then listen.mel_roundtrip remembers it: the
        # median is a revisit (recompute the STFTs, redraw), the first visit takes longer
        "reconstruction_explorer (revisits)": lambda: widgets.reconstruction_explorer(sr=SR),
    }
    for name, make in makers.items():
        explorer = make()
        per_control, cpu_per = {}, {}
        for control, w in explorer.controls.items():
            values = _values_for(w)
            if len([x for x in values if x != w.value]) == 0:
                continue
            n_changes = 3 * sum(1 for a, b in zip([w.value] + values, values) if a != b)
            try:
                c0 = time.thread_time()
                per_control[control] = redraw_time(explorer, control, values, repeats=3)
                cpu_per[control] = (time.thread_time() - c0) / max(n_changes, 1)
            except Exception as exc:  # report and go on
                NOTES.append(f"{name}.{control}: {type(exc).__name__}: {exc}")
        if not per_control:
            row(title, name, "no control timed")
            continue
        med = statistics.median(per_control.values())
        worst = max(per_control, key=per_control.get)
        ok = med < REDRAW_TARGET
        cpu = statistics.median(cpu_per.values())
        row(title, name, fmt_s(med), f"main thread CPU {cpu * 1e3:.0f} ms; slowest: {worst} "
            f"{fmt_s(per_control[worst])}", f"< {REDRAW_TARGET * 1e3:.0f} ms",
            "met" if ok else "MISSED")
        NOTES.append(f"{name} redraw per control: " +
                     ", ".join(f"{k} {v * 1e3:.0f} ms" for k, v in per_control.items()))
        with contextlib.suppress(Exception):
            import matplotlib.pyplot as plt
            plt.close(explorer.figure)


# ------------------------------------------------------- mel spectrograms

@contextlib.contextmanager
def one_thread():
    import torch
    from threadpoolctl import threadpool_limits
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(limits=1):
            yield
    finally:
        torch.set_num_threads(before)


def bench_melspectrogram():
    title = section("Mel spectrogram of a 10 s clip at 16 kHz, float32, 1 thread")
    import numpy as np
    import librosa
    import torch
    import torchaudio
    import helpers

    y = helpers.chirp(50.0, 7900.0, sr=SR, duration=10.0).astype(np.float32)
    kw = dict(sr=SR, n_fft=2048, hop_length=256, n_mels=128, fmax=8000.0)
    ta = torchaudio.transforms.MelSpectrogram(sample_rate=SR, n_fft=2048, hop_length=256,
                                              n_mels=128, f_max=8000.0, norm="slaney",
                                              mel_scale="slaney", pad_mode="constant")
    yt = torch.from_numpy(y)
    results, cpu = {}, {}
    calls = {"helpers.melspectrogram": lambda: helpers.melspectrogram(y, **kw),
             "librosa.feature.melspectrogram": lambda: librosa.feature.melspectrogram(y=y, **kw),
             "torchaudio.transforms.MelSpectrogram": lambda: ta(yt)}
    # interleaved (helpers, librosa, torchaudio, helpers, ...): a change of load while
    # measuring hits all three alike, so the ratios stay fair on a shared machine
    walls, cpus = {name: [] for name in calls}, {name: [] for name in calls}
    with one_thread(), torch.inference_mode():
        for call in calls.values():  # warm-up: imports, caches, first-call costs
            call()
        for _ in range(REPEATS_MEL):
            for name, call in calls.items():
                c0, t0 = time.thread_time(), time.perf_counter()
                call()
                walls[name].append(time.perf_counter() - t0)
                cpus[name].append(time.thread_time() - c0)
    for name in calls:
        results[name] = statistics.median(walls[name])
        cpu[name] = f"CPU {statistics.median(cpus[name]) * 1e3:.1f} ms"
    lib = results["librosa.feature.melspectrogram"]
    for name, t in results.items():
        ratio = t / lib
        verdict = ""
        if name.startswith("helpers"):
            verdict = "met" if t <= lib else f"MISSED ({ratio:.2f}x librosa)"
        row(title, name, fmt_s(t), f"{ratio:.2f}x librosa, {cpu[name]}, median of {REPEATS_MEL}",
            "<= librosa" if name.startswith("helpers") else "", verdict)
    # where the time goes: windowing + FFT of all frames at once vs in cache-sized blocks
    import scipy.fft
    padded = np.pad(y, 1024)
    window = helpers.get_window("hann", 2048).astype(np.float32)
    with one_thread():
        t_all = median_time(lambda: scipy.fft.rfft(
            np.lib.stride_tricks.sliding_window_view(padded, 2048)[::256] * window, axis=1),
            REPEATS_MEL)
        t_stft = median_time(lambda: helpers.stft(y, n_fft=2048, hop_length=256), REPEATS_MEL)
    row(title, "  of which: helpers.stft (blocks of frames)", fmt_s(t_stft),
        f"all frames at once instead: {fmt_s(t_all)} ({t_all / t_stft:.2f}x)")
    # What librosa's accuracy costs: float32 frames windowed and transformed in float64 (what
    # helpers.stft and librosa do) against a single-precision transform (what helpers did before).
    frames = np.lib.stride_tricks.sliding_window_view(padded, 2048)[::256]
    single = lambda: scipy.fft.rfft(frames * window, axis=1)  # noqa: E731 - float32 throughout
    exact = librosa.stft(y.astype(np.float64), n_fft=2048, hop_length=256).T
    err = {name: float(np.abs(x - exact).max()) for name, x in
           (("double", helpers.stft(y, n_fft=2048, hop_length=256).T), ("single", single()))}
    with one_thread():
        t_single = median_time(single, REPEATS_MEL)
    row(title, "  float32 STFT computed in float64 (as librosa)", fmt_s(t_stft),
        f"single precision: {fmt_s(t_single)} ({t_stft / t_single:.2f}x); max error "
        f"{err['double']:.1e} vs {err['single']:.1e}")
    NOTES.append(
        "helpers vs librosa: most of the time is windowing and FFT of the frames. helpers.stft "
        "(scipy.fft.rfft, like librosa) transforms a few frames at a time, as librosa does, so "
        "its temporaries stay small. What that gains depends on the memory allocator's state: "
        "1.5-3x faster in a plain Python process (measured separately), "
        "none in this long-running benchmark process (the line above).")
    NOTES.append("Mel spectrogram settings: n_fft 2048, hop 256, 128 Slaney mels to 8 kHz "
                 "(norm 'slaney', constant padding) in all three; librosa recomputes its "
                 "filterbank on every call, helpers caches it, torchaudio builds it once in the "
                 "transform's constructor.")


def bench_baseline():
    title = section("DCASE baseline front end, batch of 32 clips of 10 s, 1 thread")
    import numpy as np
    import torch

    from helpers import baseline
    g = torch.Generator().manual_seed(0)
    batch = 0.1 * torch.randn(32, 10 * SR, generator=g)
    mel = baseline.mel_spec()
    with one_thread(), torch.inference_mode():
        t = median_time(lambda: baseline.take_log(mel(batch)), 3)
        row(title, "mel_spec + take_log (torchaudio), 32 clips", fmt_s(t),
            f"{t / 32 * 1e3:.1f} ms/clip, {320 / t:.0f}x real time, {cpu_ms()}, median of 3")
        clips = batch.numpy().astype(np.float64)
        t2 = median_time(lambda: [baseline.take_log_numpy(baseline.mel_spec_numpy(c))
                                  for c in clips], 3)
        row(title, "mel_spec_numpy + take_log_numpy (helpers)", fmt_s(t2),
            f"{t2 / t:.2f}x torchaudio, {cpu_ms()}, median of 3")


def bench_file_to_features(repeats=21):
    """Read + resample + front end of a 10 s, 44.1 kHz, stereo, 16-bit WAV file (chapter 09)."""
    title = section("From a 10 s 44.1 kHz stereo WAV file to the baseline's features, 1 thread")
    import shutil
    import tempfile

    import librosa
    import numpy as np
    import torch

    import helpers
    from helpers import baseline
    from helpers.signals import write_recording

    folder = tempfile.mkdtemp()
    try:
        path, _ = write_recording(folder, seed=0)
        mel = baseline.mel_spec()
        front = lambda y: baseline.take_log(mel(torch.from_numpy(y)))  # noqa: E731

        def recipe_order():  # resample_folder.py's order: each channel, then to_mono
            both, sr = helpers.load_audio(path, mono=False)
            y = np.stack([librosa.resample(c, orig_sr=sr, target_sr=SR) for c in both])
            return front(np.ascontiguousarray(y.mean(axis=0)))

        calls = {"helpers.load_audio(path, sr=16000) + front end":
                 lambda: front(helpers.load_audio(path, sr=SR)[0]),
                 "librosa.load(path, sr=16000) + front end":
                 lambda: front(librosa.load(path, sr=SR)[0]),
                 "read, resample each channel, then mean + front end": recipe_order}
        walls, cpus = {name: [] for name in calls}, {name: [] for name in calls}
        with one_thread(), torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # librosa.load's audioread imports
            for call in calls.values():  # warm-up
                call()
            for _ in range(repeats):  # interleaved, so a change of load hits all alike
                for name, call in calls.items():
                    c0, t0 = time.thread_time(), time.perf_counter()
                    call()
                    walls[name].append(time.perf_counter() - t0)
                    cpus[name].append(time.thread_time() - c0)
            t_read = median_time(lambda: helpers.load_audio(path), repeats)
            t_resample = median_time(lambda: helpers.load_audio(path, sr=SR), repeats) - t_read
        lib = statistics.median(walls["librosa.load(path, sr=16000) + front end"])
        for name in calls:
            t = statistics.median(walls[name])
            ours = name.startswith("helpers")
            row(title, name, fmt_s(t), f"{t / lib:.2f}x librosa, CPU "
                f"{statistics.median(cpus[name]) * 1e3:.1f} ms, median of {repeats}",
                "<= librosa" if ours else "", ("met" if t <= lib else
                                               f"MISSED ({t / lib:.2f}x librosa)") if ours else "")
        row(title, "  of which: read and mix to mono (load_audio)", fmt_s(t_read),
            f"resample to 16 kHz (soxr_hq, 1 channel): {fmt_s(t_resample)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_scaler():
    title = section("Data-set scaler fit over a DataLoader (64 clips of 10 s, batches of 16, 1 thread)")
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    from helpers import baseline, scaling
    g = torch.Generator().manual_seed(1)
    clips = 0.1 * torch.randn(64, 10 * SR, generator=g)
    loader = DataLoader(TensorDataset(clips), batch_size=16, shuffle=False)
    mel = baseline.mel_spec()

    def features(batch):
        return baseline.take_log(mel(batch[0]))

    def bare():
        for batch in loader:
            features(batch)

    def fit():
        scaling.Scaler("dataset", "standard", dims=(2,)).fit(loader, transform_func=features,
                                                             progress=False)
    with one_thread(), torch.inference_mode():
        t_bare = median_time(bare, 3)
        c_bare = CPU_TIMES[-1]
        t_fit = median_time(fit, 3)
        c_fit = CPU_TIMES[-1]
    row(title, "bare feature extraction over the loader", fmt_s(t_bare),
        f"{64 / t_bare:.0f} clips/s, CPU {c_bare:.2f} s, median of 3")
    row(title, "Scaler('dataset', 'standard').fit", fmt_s(t_fit),
        f"{64 / t_fit:.0f} clips/s, overhead {t_fit / t_bare:.2f}x (CPU {c_fit / c_bare:.2f}x)")


# ------------------------------------------------- the scaler at scale (files, workers, ranks)

SCALE_CLIPS = 2000  # generated 10 s clips, written to a temporary folder at bench time

# One measurement, run in a fresh Python so that its peak memory (ru_maxrss) is its own.
_SCALE_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
import soundfile, torch
from torch.utils.data import DataLoader
from helpers.baseline import ClipFolder
from helpers.parallel import fit_in_processes
from helpers.scaling import Scaler
mode, folder, n, workers = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(1)
data = ClipFolder(folder)
data.paths = data.paths[:n]
extra = {}
c0, t0 = time.process_time(), time.perf_counter()
if mode == "imports":
    pass
elif mode == "read":
    for path in data.paths:
        soundfile.read(path, dtype="float32")
elif mode == "fit":
    loader = DataLoader(data, batch_size=16, num_workers=workers)
    Scaler("dataset", "standard", dims=(2,)).fit(loader, progress=False)
else:
    ranks = fit_in_processes(data, world_size=2, batch_size=16, timeout=1800,
                             normtype="standard", dims=(2,))
    extra["fit_seconds"] = max(r["fit_seconds"] for r in ranks)
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps(dict(seconds=seconds, cpu=cpu, **extra,
    rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    children_rss_mb=children.ru_maxrss / 1024, children_cpu=children.ru_utime + children.ru_stime)))
"""


def _scale_run(mode, folder, n, workers=0):
    import json
    out = subprocess.run([sys.executable, "-c", _SCALE_CHILD, str(ROOT), mode, str(folder),
                          str(n), str(workers)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_scale(n_clips=SCALE_CLIPS):
    title = section(f"Data-set scaler over a folder of {n_clips} generated 10 s clips "
                    "(16-bit WAV, batches of 16, 1 thread per process)")
    import shutil
    import tempfile

    from helpers import baseline
    folder = pathlib.Path(tempfile.mkdtemp(prefix="bench_clips_"))
    try:
        t0 = time.perf_counter()
        baseline.write_synthetic_folder(folder, n_clips, seed=0, duration=10.0)
        made = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        read = _scale_run("read", folder, n_clips)
        row(title, "bare reading (soundfile, no features)", fmt_s(read["seconds"]),
            f"{n_clips / read['seconds']:.0f} clips/s, CPU {read['cpu']:.2f} s")
        runs = {}
        for workers in (0, 2):
            runs[workers] = r = _scale_run("fit", folder, n_clips, workers)
            cpu = (f"CPU {r['cpu']:.1f} s" if workers == 0 else
                   f"CPU {r['cpu']:.1f} s main + {r['children_cpu']:.1f} s workers")
            where = "" if workers == 0 else f", workers' {r['children_rss_mb']:.0f} MB at most"
            row(title, f"Scaler.fit over ClipFolder, num_workers={workers}", fmt_s(r["seconds"]),
                f"{n_clips / r['seconds']:.1f} clips/s, {cpu}, peak RSS {r['rss_mb']:.0f} MB "
                f"(main process){where}")
        small = _scale_run("fit", folder, n_clips // 10)
        bare = _scale_run("imports", folder, 0)
        row(title, "  peak memory vs number of files (num_workers=0)",
            f"{runs[0]['rss_mb'] - small['rss_mb']:+.0f} MB",
            f"peak RSS {small['rss_mb']:.0f} MB for {n_clips // 10} files, "
            f"{runs[0]['rss_mb']:.0f} MB for {n_clips}; the imports alone: "
            f"{bare['rss_mb']:.0f} MB")
        two = _scale_run("ranks", folder, n_clips)
        row(title, "fit_in_processes: 2 gloo processes, 1 shard each", fmt_s(two["seconds"]),
            f"{n_clips / two['seconds']:.1f} clips/s with start-up; the slower rank's fit "
            f"{fmt_s(two['fit_seconds'])} ({n_clips / two['fit_seconds']:.1f} clips/s)")
        NOTES.append(
            f"Scaler at scale: {n_clips} clips of 10 s (soundscapes at -30..0 dB, "
            f"helpers.baseline.write_synthetic_folder) written in {made:.0f} s, {size:.0f} MB, "
            "to a temporary folder, deleted afterwards. Each row runs in a fresh Python process "
            "(peak RSS = its ru_maxrss); the files are in the page cache after the first row, "
            "so reading is from memory, not disk. The 2-process time includes starting the "
            "processes (spawn, imports) and the gloo group.")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------ report

def write_report(path, info, repeats):
    lines = ["# Performance report", "",
             "Written by `make bench` (scripts/bench.py); measured in one run on this machine. "
             "Times are medians of several repetitions (the number is given per row). "
             "Re-run `make bench` to refresh it.", "",
             "## Machine", ""]
    lines += [f"- **{k}**: {v}" for k, v in info.items() if k != "numpy"]
    lines += ["", "## Results", "",
              "| section | what | median | detail | target | verdict |",
              "|---|---|---|---|---|---|"]
    for sec, item, value, detail, target, verdict in ROWS:
        lines.append(f"| {sec.split(' (')[0].split(',')[0]} | {item} | {value} | {detail} | "
                     f"{target} | {verdict} |")
    lines += ["", "## Notes", ""]
    lines += [f"- {n}" for n in NOTES]
    lines += [
        f"- Notebooks: each executed {repeats} time(s) in a fresh kernel (one time only when a "
        "run takes over 20 s); the suite's time is the sum of the medians, i.e. `make test`'s "
        "nbval pass minus pytest's own overhead.",
        "- The machine is shared (see the load average above): wall-clock numbers from a busy "
        "machine are upper bounds. The CPU time is given beside them (the benchmark's own "
        "thread, with torch and BLAS on 1 thread; for notebooks, the kernel's and the "
        "client's): it hardly changes with load, so when wall time misses a target "
        "and CPU time meets it, the cause is the load, not the code.",
        "- `OPENBLAS_CORETYPE` is set in this environment "
        f"({os.environ.get('OPENBLAS_CORETYPE', 'not set')}): NumPy's OpenBLAS uses that "
        "CPU's kernels instead of detecting them; on another machine (or without the variable) "
        "matrix products, and so the filterbank step, can be faster or slower. The FFTs "
        "(pocketfft) do not depend on it." if os.environ.get("OPENBLAS_CORETYPE") else
        "- `OPENBLAS_CORETYPE` is not set: OpenBLAS detects the CPU itself.",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Performance report of the collection.")
    parser.add_argument("--repeats", type=int, default=3, help="runs per notebook (default 3)")
    parser.add_argument("--skip-notebooks", action="store_true", help="skip notebook execution")
    parser.add_argument("--notebooks", default="*.ipynb", help="glob in notebooks/ (default all)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    warnings.filterwarnings("ignore", category=UserWarning)
    sys.path.insert(0, str(ROOT))
    info = machine_info()
    print("Machine: " + "; ".join(f"{k}: {v}" for k, v in info.items() if k != "numpy"))
    print(f"\n  {'what':<44} {'median':>10}  {'detail':<52} {'target':<10} verdict")
    if args.skip_notebooks:
        row("Notebooks", "notebooks", "skipped (--skip-notebooks)")
    else:
        bench_notebooks(max(1, args.repeats), args.notebooks)
    for bench in (bench_explorers, bench_melspectrogram, bench_baseline, bench_file_to_features,
                  bench_scaler, bench_scale):
        try:
            bench()
        except Exception as exc:  # one broken section must not hide the others
            row(bench.__name__, bench.__name__[6:], "error", f"{type(exc).__name__}: {exc}"[:60])
    out = pathlib.Path(args.out)
    write_report(out, info, args.repeats)
    shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"\nReport written to {shown}")


if __name__ == "__main__":
    main()
