"""The explorers of helpers.widgets, driven in-process like a learner would: set a control, look.

No kernel and no browser: setting ``explorer.controls[name].value`` runs the same
callback a slider move runs in JupyterLab. The expected numbers come from librosa,
scipy and NumPy, computed here independently, never copied from a run.
(The real-browser test is tests/test_browser.py.)
"""

import html
import io

import librosa
import numpy as np
import pytest
import scipy.signal
from PIL import Image

import helpers
from helpers import widgets

SR = 16000


@pytest.fixture(scope="module")
def clip():
    y, _ = helpers.soundscape(sr=SR, duration=10.0, seed=0)
    return y


@pytest.fixture(scope="module")
def scaler_ex():
    return widgets.scaler_explorer()


@pytest.fixture(scope="module")
def db_ex():
    return widgets.db_explorer()


@pytest.fixture(scope="module")
def stft_ex():
    return widgets.stft_explorer()


@pytest.fixture()
def mel(clip):
    return widgets.mel_explorer(clip, SR)


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def expected_log_mel(y, n_fft=2048, hop_length=512, n_mels=128, fmin=0.0, fmax=None,
                     window="hann", periodic=True, power=2.0, htk=False, norm="slaney"):
    """librosa's log-mel, in dB below the maximum, floor 80 dB (what the explorer shows)."""
    win = scipy.signal.get_window(window if window != "rectangular" else "boxcar", n_fft,
                                  fftbins=periodic)
    S = librosa.feature.melspectrogram(y=y, sr=SR, n_fft=n_fft, hop_length=hop_length,
                                       window=win, center=True, pad_mode="constant",
                                       power=power, n_mels=n_mels, fmin=fmin, fmax=fmax,
                                       htk=htk, norm=norm)
    if power == 2.0:
        return librosa.power_to_db(S, ref=np.max, top_db=80.0)
    return librosa.amplitude_to_db(S, ref=np.max, top_db=80.0)


# ---------------------------------------------------------------------------
# Every explorer: the agreed API
# ---------------------------------------------------------------------------

BUILDERS = {
    "sampling": widgets.sampling_explorer,
    "stft": widgets.stft_explorer,
    "filterbank": widgets.filterbank_explorer,
    "db": widgets.db_explorer,
    "scaler": widgets.scaler_explorer,
    "mel": lambda: widgets.mel_explorer(np.sin(np.linspace(0, 2000, SR)), SR),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_explorer_has_the_agreed_api_and_a_static_picture(name):
    import ipywidgets
    from matplotlib.figure import Figure

    ex = BUILDERS[name]()
    assert isinstance(ex, ipywidgets.Box)
    assert isinstance(ex.figure, Figure)
    assert isinstance(ex.readout, ipywidgets.HTML)
    assert ex.controls and all(isinstance(w, ipywidgets.ValueWidget) for w in ex.controls.values())
    assert ex.last_error is None and "cannot be computed" not in ex.readout_text
    bundle = ex._repr_mimebundle_()
    # the live widget for JupyterLab/Voila, a PNG for viewers without a kernel
    assert "application/vnd.jupyter.widget-view+json" in bundle
    png = __import__("base64").b64decode(bundle["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert pixels(png).std() > 10  # a real picture, not an empty box
    for w in ex.controls.values():  # sliders must not queue redraws while dragged
        assert getattr(w, "continuous_update", False) is False


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_control_redraws_without_a_traceback(name):
    ex = BUILDERS[name]()
    for key, w in ex.controls.items():
        options = getattr(w, "options", None)
        if options:
            values = [o[1] if isinstance(o, tuple) else o for o in options]
        elif isinstance(w.value, bool):
            values = [not w.value, w.value]
        elif isinstance(w.value, tuple):
            values = [(w.min, w.max), w.value]
        else:
            values = [w.min, w.max, w.value]
        for value in values:
            w.value = value  # must never raise: problems go to the readout
            assert ex.readout_text


# ---------------------------------------------------------------------------
# The main explorer
# ---------------------------------------------------------------------------

def test_main_explorer_default_matches_librosa(mel, clip):
    im = mel.artists["mel_image"].get_array()
    n_frames = helpers.frame_count(len(clip), 2048, 512)
    assert im.shape == (128, n_frames)
    np.testing.assert_allclose(im, expected_log_mel(clip), atol=2e-3)
    assert f"(n_mels, n_frames) = (128, {n_frames})" in mel.readout_text
    assert f"1 + ({len(clip)} + 2·1024 − 2048) // 512 = {n_frames}" in mel.readout_text


@pytest.mark.parametrize("n_mels", [1, 40, 256])
def test_n_mels_sets_the_rows_of_the_image(mel, clip, n_mels):
    before = mel.image.value
    mel.controls["n_mels"].value = n_mels
    im = mel.artists["mel_image"].get_array()
    assert im.shape == (n_mels, helpers.frame_count(len(clip), 2048, 512))
    np.testing.assert_allclose(im, expected_log_mel(clip, n_mels=n_mels), atol=2e-3)
    assert f"= ({n_mels}, " in mel.readout_text
    assert mel.image.value != before


def test_fmax_moves_its_marker_and_the_filters(mel, clip):
    mel.controls["fmax"].value = 4000
    assert list(mel.artists["fmax"].get_xdata()) == [4000, 4000]
    highest = max(seg[:, 0].max() for seg in mel.artists["filters"].get_segments())
    assert 4000 - SR / 2048 <= highest <= 4000 + SR / 2048  # the top filter ends at fmax
    np.testing.assert_allclose(mel.artists["mel_image"].get_array(),
                               expected_log_mel(clip, fmax=4000.0), atol=2e-3)
    mel.controls["fmax"].value = SR // 2  # Nyquist is allowed
    assert mel.last_error is None
    assert list(mel.artists["fmax"].get_xdata()) == [SR // 2] * 2


@pytest.mark.parametrize("norm", ["slaney", None])
def test_main_filterbank_is_drawn_relative_to_its_tallest_filter(mel, norm):
    with mel.hold():
        mel.controls["n_mels"].value = 40
        mel.controls["norm"].value = norm
    fb = librosa.filters.mel(sr=SR, n_fft=2048, n_mels=40, norm=norm)
    drawn = sorted(seg[:, 1].max() for seg in mel.artists["filters"].get_segments())
    np.testing.assert_allclose(drawn, sorted(fb.max(axis=1) / fb.max()), rtol=1e-5)
    assert f"the tallest weight is {fb.max():.3g}" in mel.readout_text


@pytest.mark.parametrize("window", ["hann", "hamming", "blackman", "rectangular"])
@pytest.mark.parametrize("periodic", [True, False])
def test_window_and_symmetry(mel, clip, window, periodic):
    with mel.hold():
        mel.controls["window"].value = window
        mel.controls["periodic"].value = periodic
    np.testing.assert_allclose(mel.artists["mel_image"].get_array(),
                               expected_log_mel(clip, window=window, periodic=periodic),
                               atol=2e-3)


def test_power_htk_norm_n_fft_hop(mel, clip):
    settings = dict(power=1.0, htk=True, norm=None, n_fft=512, hop_length=160, n_mels=64,
                    fmin=50)
    with mel.hold():
        for key, value in settings.items():
            mel.controls[key].value = value
    im = mel.artists["mel_image"].get_array()
    assert im.shape == (64, 1 + len(clip) // 160)
    np.testing.assert_allclose(im, expected_log_mel(clip, **{**settings, "fmin": 50.0}),
                               atol=2e-3)
    assert "amplitude_to_db" in mel.readout_text


@pytest.mark.filterwarnings("ignore:Empty filters detected")
def test_empty_filters_are_counted_in_the_readout(mel):
    with mel.hold():
        mel.controls["n_fft"].value = 256
        mel.controls["n_mels"].value = 256
    fb = librosa.filters.mel(sr=SR, n_fft=256, n_mels=256)
    n_empty = int(np.sum(fb.max(axis=1) == 0))
    assert n_empty > 0
    assert f"{n_empty} of 256 mel filters are empty" in mel.readout_text
    assert len(mel.artists["filters"].get_segments()) == 256 - n_empty


def test_hop_1_on_a_short_clip_works_and_on_a_long_clip_is_refused_politely(clip):
    short = clip[:1600]
    ex = widgets.mel_explorer(short, SR, n_fft=512)
    ex.controls["hop_length"].value = 1
    assert ex.last_error is None
    assert ex.artists["mel_image"].get_array().shape == (128, len(short) + 1)
    assert f"= (128, {len(short) + 1})" in ex.readout_text

    ex = widgets.mel_explorer(clip, SR)
    shown = ex.image.value
    ex.controls["hop_length"].value = 1  # 160001 frames: too big to draw interactively
    assert ex.last_error is not None
    assert "cannot be computed" in ex.readout_text and "hop_length" in ex.readout_text
    assert ex.image.value == shown  # the last good picture stays
    ex.controls["hop_length"].value = 256
    assert ex.last_error is None and "cannot be computed" not in ex.readout_text


def test_n_fft_longer_than_the_sound_is_a_warning_not_a_traceback():
    y = helpers.sine(440.0, sr=SR, duration=0.05)  # 800 samples
    ex = widgets.mel_explorer(y, SR, n_fft=512, hop_length=128)
    ex.controls["n_fft"].value = 4096
    assert ex.last_error is None
    assert "n_fft=4096 is longer than the sound (800 samples)" in ex.readout_text
    assert ex.artists["mel_image"].get_array().shape[1] == helpers.frame_count(800, 4096, 128)


def test_fmin_above_fmax_shows_a_message(mel):
    mel.controls["fmax"].value = 1000
    mel.controls["fmin"].value = 2000
    assert "cannot be computed" in mel.readout_text and "fmin" in mel.readout_text
    mel.controls["fmin"].value = 0
    assert mel.last_error is None


def test_sound_selector_changes_waveform_and_player(mel):
    assert list(mel.controls["sound"].options) == ["your sound", "sine 440 Hz", "chirp",
                                                   "vowel 'a'", "soundscape"]
    audio, wave = mel.audio.value, mel.artists["waveform"].get_ydata().copy()
    mel.controls["sound"].value = "sine 440 Hz"
    assert mel.audio.value != audio and mel.audio.value[:4] == b"RIFF"
    sine = mel.sounds["sine 440 Hz"]
    assert len(sine) == len(mel.sounds["your sound"])  # same length: the time axes stay put
    shown = mel.artists["waveform"].get_ydata()
    assert not np.array_equal(shown, wave)
    assert shown.max() == pytest.approx(np.abs(sine).max(), rel=1e-3)  # the sine's envelope
    assert "Sound: sine 440 Hz" in mel.readout_text
    im = mel.artists["mel_image"].get_array()
    assert im.shape[1] == helpers.frame_count(len(sine), 2048, 512)
    # the loudest band is the one whose centre is nearest 440 Hz
    centres = librosa.mel_frequencies(n_mels=130, fmax=SR / 2)[1:-1]
    assert abs(centres[np.argmax(im.mean(axis=1))] - 440) < 60


def test_mel_settings_reuse_the_cached_stft(mel, monkeypatch):
    from helpers.widgets import mel as main

    calls = []
    real = main.power_frames
    monkeypatch.setattr(main, "power_frames", lambda *a: calls.append(a[1:]) or real(*a))
    for key, value in [("n_mels", 64), ("fmax", 6000), ("fmin", 100), ("htk", True),
                       ("norm", None)]:
        mel.controls[key].value = value
    assert calls == []  # only the filterbank changed
    mel.controls["n_fft"].value = 1024
    mel.controls["power"].value = 1.0
    assert calls == [(1024, 512, "hann", True, 2), (1024, 512, "hann", True, 1)]
    mel.controls["n_fft"].value = 2048
    mel.controls["power"].value = 2.0
    assert len(calls) == 3  # (2048, power 1) is new; (2048, power 2) was cached


def test_partial_redraw_gives_the_same_pixels_as_a_full_draw(mel):
    for key, value in [("n_mels", 64), ("fmax", 5000), ("sound", "chirp"), ("n_fft", 512),
                       ("hop_length", 128), ("htk", True)]:
        mel.controls[key].value = value
    shown = pixels(mel.image.value)
    fig = mel.figure
    fig.canvas.draw()  # everything, from scratch
    full = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    assert shown.shape == full.shape
    # Equal but for a few antialiased pixels where tick marks meet the spines.
    assert np.mean(np.abs(shown - full) > 0) < 1e-4
    assert np.abs(shown - full).max() < 64


@pytest.fixture()
def projector():
    helpers.use_style("projector")
    yield
    helpers.use_style()


@pytest.mark.parametrize("name", ["sampling", "scaler", "mel"])
def test_an_explorer_built_after_use_style_projector_draws_in_it(name, projector):
    import matplotlib

    ex = BUILDERS[name]()
    rc = matplotlib.rcParams
    assert ex.figure.dpi == rc["figure.dpi"] >= 150
    width, height = ex.figure.get_size_inches()
    assert pixels(ex.image.value).shape[:2] == (round(height * ex.figure.dpi),
                                                round(width * ex.figure.dpi))
    for ax in ex.figure.axes:
        texts = [ax.title, ax.xaxis.label, ax.yaxis.label,
                 *ax.get_xticklabels(), *ax.get_yticklabels()]
        if ax.get_legend():
            texts += ax.get_legend().get_texts()
        sizes = [t.get_fontsize() for t in texts if t.get_text()]
        assert sizes and min(sizes) >= 14, (ax.get_title(), sizes)
    with_lines = [line for ax in ex.figure.axes for line in ax.lines]
    helpers.use_style()  # the same explorer in the reading style, for comparison
    reading = BUILDERS[name]()
    assert reading.figure.dpi == 72
    thin = [line for ax in reading.figure.axes for line in ax.lines]
    assert len(thin) == len(with_lines)
    assert all(a.get_linewidth() > b.get_linewidth() for a, b in zip(with_lines, thin))


def test_projector_partial_redraw_gives_the_same_pixels_as_a_full_draw(clip, projector):
    mel = widgets.mel_explorer(clip, SR)
    for key, value in [("n_mels", 64), ("fmax", 5000), ("sound", "chirp"), ("n_fft", 512)]:
        mel.controls[key].value = value
    shown = pixels(mel.image.value)
    mel.figure.canvas.draw()  # everything, from scratch
    full = np.asarray(mel.figure.canvas.buffer_rgba())[..., :3].astype(int)
    assert shown.shape == full.shape
    assert np.mean(np.abs(shown - full) > 0) < 1e-4


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(TypeError, match="y"):
        widgets.mel_explorer("not audio", SR)
    with pytest.raises(ValueError, match="sr"):
        widgets.mel_explorer(np.zeros(100), -1)


def test_redraw_time_returns_a_median_and_restores_the_control(mel):
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "bench.py"
    spec = importlib.util.spec_from_file_location("bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    seconds = bench.redraw_time(mel, "n_mels", [64, 32], repeats=1)
    assert seconds > 0
    assert mel.controls["n_mels"].value == 128
    with pytest.raises(ValueError, match="never change"):
        bench.redraw_time(mel, "n_mels", [128], repeats=1)


# ---------------------------------------------------------------------------
# Chapter explorers
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("freq, sr", [(1000, 8000), (5000, 8000), (7000, 11025),
                                      (12000, 16000), (20000, 44100), (3000, 4000)])
def test_sampling_explorer_shows_the_alias(freq, sr):
    ex = widgets.sampling_explorer()
    with ex.hold():
        ex.controls["freq"].value = freq
        ex.controls["sr"].value = sr
    # independent: the strongest DFT bin of one second of the samples
    samples = np.sin(2 * np.pi * freq * np.arange(sr) / sr)
    heard = np.argmax(np.abs(np.fft.rfft(samples * np.hanning(sr))))
    spectrum = ex.artists["spectrum"]
    assert spectrum.get_xdata()[np.argmax(spectrum.get_ydata())] == pytest.approx(heard, abs=1)
    assert ex.artists["alias_line"].get_xdata()[0] == pytest.approx(heard, abs=1)
    text = ex.readout_text
    assert f"sr/2 = {sr / 2:.0f} Hz" in text
    assert f"hear {heard:.0f} Hz" in text
    assert ("above sr/2" in text) == (freq > sr / 2)
    assert ex.audio.value[:4] == b"RIFF"


@pytest.mark.parametrize("freq, sr", [(8000, 8000), (4000, 8000), (16000, 16000)])
def test_sampling_explorer_says_when_the_samples_are_silent(freq, sr):
    ex = widgets.sampling_explorer()
    with ex.hold():
        ex.controls["freq"].value = freq
        ex.controls["sr"].value = sr
    samples = np.sin(2 * np.pi * freq * np.arange(sr) / sr)
    assert np.max(np.abs(samples)) < 1e-6  # every sample lands on a zero crossing
    assert ex.last_error is None
    assert "all (almost) zero" in ex.readout_text


@pytest.mark.parametrize("n_fft, hop", [(64, 16), (512, 128), (2048, 2048)])
@pytest.mark.parametrize("signal", widgets.STFT_SIGNALS)
def test_stft_explorer_image_matches_librosa(stft_ex, signal, n_fft, hop):
    ex = stft_ex
    with ex.hold():
        ex.controls["signal"].value = signal
        ex.controls["n_fft"].value = n_fft
        ex.controls["hop_length"].value = hop
        ex.controls["window"].value = "hamming"
        ex.controls["periodic"].value = False
    y, _ = ex._signal(signal, n_fft)
    X = librosa.stft(y, n_fft=n_fft, hop_length=hop, center=True, pad_mode="constant",
                     window=scipy.signal.get_window("hamming", n_fft, fftbins=False))
    P = np.abs(X) ** 2
    expected = np.maximum(librosa.power_to_db(P, ref=np.max, top_db=None), -80)
    im = ex.artists["image"].get_array()
    assert im.shape == (1 + n_fft // 2, helpers.frame_count(len(y), n_fft, hop))
    np.testing.assert_allclose(im, expected, atol=1e-6)
    assert f"= ({1 + n_fft // 2}, {im.shape[1]})" in ex.readout_text
    np.testing.assert_allclose(ex.artists["window"].get_ydata(),
                               scipy.signal.get_window("hamming", n_fft, fftbins=False))


def test_stft_explorer_tone_between_bins_is_between_bins():
    ex = widgets.stft_explorer(n_fft=512)
    df = SR / 512
    assert "halfway between bins" in ex.readout_text
    y, _ = ex._signal("tone between bins", 512)
    f = np.argmax(np.abs(np.fft.rfft(y * np.hanning(len(y))))) * (SR / len(y))
    assert (f / df) % 1 == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("n_mels, n_fft, htk, norm, fmin, fmax",
                         [(40, 512, False, "slaney", 0, 8000), (256, 256, False, "slaney", 0, 8000),
                          (1, 512, True, None, 100, 4000), (128, 2048, True, "slaney", 300, 7000)])
@pytest.mark.filterwarnings("ignore:Empty filters detected")
def test_filterbank_explorer_matches_librosa(n_mels, n_fft, htk, norm, fmin, fmax):
    ex = widgets.filterbank_explorer()
    with ex.hold():
        for key, value in dict(n_mels=n_mels, n_fft=n_fft, htk=htk, norm=norm, fmin=fmin,
                               fmax=fmax).items():
            ex.controls[key].value = value
    fb = librosa.filters.mel(sr=SR, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk,
                             norm=norm)
    n_empty = int(np.sum(fb.max(axis=1) == 0))
    segments = ex.artists["filters"].get_segments()
    assert len(segments) == n_mels - n_empty
    drawn_peaks = sorted(seg[:, 1].max() for seg in segments)
    np.testing.assert_allclose(drawn_peaks, sorted(fb.max(axis=1)[fb.max(axis=1) > 0]),
                               rtol=1e-5)
    assert list(ex.artists["fmax"].get_xdata()) == [fmax, fmax]
    assert f"({n_mels}, {1 + n_fft // 2})" in ex.readout_text
    if n_empty:
        assert f"{n_empty} of {n_mels} mel filters are empty" in ex.readout_text
    else:
        assert "No filter is empty" in ex.readout_text


@pytest.mark.parametrize("inp, func", [("power", "power_to_db"), ("power", "amplitude_to_db"),
                                       ("amplitude", "amplitude_to_db")])
@pytest.mark.parametrize("ref, amin, top_db", [("max", 1e-10, 80.0), ("1.0", 1e-5, None)])
def test_db_explorer_matches_librosa(db_ex, inp, func, ref, amin, top_db):
    ex = db_ex
    with ex.hold():
        for key, value in dict(input=inp, function=func, ref=ref, amin=amin,
                               top_db=top_db, clamp=False).items():
            ex.controls[key].value = value
    S = ex._mel[inp]
    lib = getattr(librosa, func)
    expected = lib(S, ref=np.max if ref == "max" else 1.0, amin=amin, top_db=top_db)
    np.testing.assert_allclose(ex.artists["image"].get_array(), expected, atol=1e-6)
    counts = ex.artists["histogram"].get_data().values
    assert counts.sum() == S.size
    assert ("Mismatch" in ex.readout_text) == (inp == "power" and func == "amplitude_to_db")
    lo, hi = ex.artists["image"].get_clim()
    assert lo == pytest.approx(expected.min()) and hi == pytest.approx(expected.max())


def test_db_explorer_clamp_like_dcase(db_ex):
    ex = db_ex
    with ex.hold():
        ex.controls["input"].value = "amplitude"
        ex.controls["function"].value = "amplitude_to_db"
        ex.controls["ref"].value = "1.0"
        ex.controls["amin"].value = 1e-5
        ex.controls["top_db"].value = None
        ex.controls["clamp"].value = True
    raw = librosa.amplitude_to_db(ex._mel["amplitude"], ref=1.0, amin=1e-5, top_db=None)
    np.testing.assert_allclose(ex.artists["image"].get_array(), np.clip(raw, -50, 80), atol=1e-6)
    assert f"{int(np.sum(raw < -50))} cells raised" in ex.readout_text


@pytest.mark.parametrize("statistic, normtype, dims",
                         [("instance", "minmax", (1, 2)), ("instance", "standard", (2,)),
                          ("instance", "mean", (1,)), ("dataset", "standard", (1, 2)),
                          ("dataset", "mean", (2,))])
def test_scaler_explorer_matches_numpy(scaler_ex, statistic, normtype, dims):
    ex = scaler_ex
    with ex.hold():
        ex.controls["statistic"].value = statistic
        ex.controls["normtype"].value = normtype
        ex.controls["dims"].value = dims
    x = ex._x.numpy().astype(np.float64)
    axes = dims if statistic == "instance" else tuple(sorted({0, *dims}))
    mean = x.mean(axis=axes, keepdims=True)
    if normtype == "mean":
        expected = x - mean
    elif normtype == "standard":
        std = x.std(axis=axes, keepdims=True, ddof=1 if statistic == "instance" else 0)
        expected = (x - mean) / (std + 1e-8)
    else:
        lo, hi = x.min(axis=axes, keepdims=True), x.max(axis=axes, keepdims=True)
        expected = (x - lo) / (hi - lo + 1e-8) * 2 - 1
    edges = None
    for art, clip in zip(ex.artists["after"], expected):
        counts, edges_drawn = art.get_data().values, art.get_data().edges
        edges = edges_drawn if edges is None else edges
        assert counts.sum() == clip.size
        assert edges_drawn[0] <= clip.min() + 1e-3 and clip.max() - 1e-3 <= edges_drawn[-1]
    m, sd = expected[0].mean(), expected[0].std()
    assert f"clip 0: mean {round(m, 2) + 0.0:.2f}, std {round(sd, 2) + 0.0:.2f}" in ex.readout_text


def test_scaler_explorer_refuses_dataset_minmax_in_words(scaler_ex):
    ex = scaler_ex
    with ex.hold():
        ex.controls["statistic"].value = "instance"
        ex.controls["normtype"].value = "minmax"
    assert ex.last_error is None
    ex.controls["statistic"].value = "dataset"  # min-max has no data-set version
    assert ex.last_error is not None
    assert "cannot be computed" in ex.readout_text and "minmax" in ex.readout_text


# ---------------------------------------------------------------------------
# Start values and going back to them
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_reset_restores_the_starting_values_and_the_picture(name):
    ex = BUILDERS[name]()
    start_values, start_text, start_png = ex.values(), ex.readout_text, pixels(ex.image.value)
    assert ex.defaults == start_values
    for key, w in ex.controls.items():  # move every control away from its start
        options = getattr(w, "options", None)
        values = ([o[1] if isinstance(o, tuple) else o for o in options] if options else
                  [not w.value] if isinstance(w.value, bool) else
                  [(w.min, w.max)] if isinstance(w.value, tuple) else [w.min, w.max])
        other = [v for v in values if v != w.value]
        if other:
            w.value = other[-1]
    assert ex.values() != start_values
    redraws = []
    real = ex.redraw
    ex.redraw = lambda: redraws.append(1) or real()
    ex.reset()
    assert len(redraws) == 1  # once, not once per control
    assert ex.values() == start_values
    assert ex.readout_text == start_text
    # the same picture (identical here; a few antialiased pixels of slack for other versions)
    assert np.mean(np.abs(pixels(ex.image.value) - start_png) > 0) < 1e-4


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_reset_button_is_a_real_button_that_resets_with_one_redraw(name):
    import ipywidgets

    ex = BUILDERS[name]()
    button = ex.reset_button
    assert isinstance(button, ipywidgets.Button)  # an HTML <button>: Tab + Enter press it
    assert button.description == "Reset" and "mel-reset" in button._dom_classes
    assert button in ex.children  # shown, right after the controls
    assert "mel-controls" in ex.children[ex.children.index(button) - 1]._dom_classes
    start_values, start_png = ex.values(), pixels(ex.image.value)
    key, w = next((k, w) for k, w in ex.controls.items() if getattr(w, "options", None))
    values = [o[1] if isinstance(o, tuple) else o for o in w.options]
    w.value = next(v for v in values if v != w.value)
    assert ex.values() != start_values
    redraws = []
    real = ex.redraw
    ex.redraw = lambda: redraws.append(1) or real()
    button.click()  # what the browser's click (or Enter on the focused button) sends
    assert len(redraws) == 1
    assert ex.values() == start_values
    assert np.mean(np.abs(pixels(ex.image.value) - start_png) > 0) < 1e-4


def test_window_names_in_any_capitalisation_are_the_same_window():
    assert widgets.stft_explorer(window="Hann").controls["window"].value == "hann"
    assert widgets.mel_explorer(sr=SR, window="HAMMING").controls["window"].value == "hamming"


# ---------------------------------------------------------------------------
# The classroom page (make app): every explorer behind a chapter menu
# ---------------------------------------------------------------------------

def test_classroom_builds_each_explorer_when_first_picked_and_keeps_it(monkeypatch):
    built = []
    real = dict(widgets.CHAPTERS)
    for label, make in real.items():
        monkeypatch.setitem(widgets.CHAPTERS, label,
                            lambda make=make, label=label: built.append(label) or make())
    labels = list(real)
    page = widgets.classroom()
    try:
        assert built == [labels[0]]  # one explorer at the start, not eight
        assert isinstance(page.explorer, widgets.MelExplorer)
        assert page.explorer in page.children[1].children
        assert page.explorer.controls["sound"].value == "soundscape"  # chapter 00's start
        page.chapter.value = labels[1]
        assert built == labels[:2] and isinstance(page.explorer, widgets.SamplingExplorer)
        page.chapter.value = labels[3]  # chapter 03's own start values
        assert page.explorer.values()["n_mels"] == 128 and page.explorer.values()["htk"] is True
        first = page.explorer
        page.chapter.value = labels[0]
        page.chapter.value = labels[3]
        assert page.explorer is first and built == [labels[0], labels[1], labels[3]]
        page.style.value = "projector"  # rebuilt in the projector style
        assert page.explorer is not first and page.explorer.figure.dpi >= 150
        page.style.value = "reading"
        assert page.explorer is first and helpers.plotting.current_style()["figure.dpi"] == 72
        assert page._repr_mimebundle_()["image/png"]  # a picture for viewers without a kernel
    finally:
        helpers.use_style()
    with pytest.raises(ValueError, match="chapter"):
        widgets.classroom(chapter="99 nothing")


# ---------------------------------------------------------------------------
# The main explorer takes an uploaded file (issue 14)
# ---------------------------------------------------------------------------

def _uploaded(data, name):
    """What ipywidgets.FileUpload's value holds after the browser sent one file."""
    import datetime

    return ({"name": name, "type": "audio/wav", "size": len(data), "content": memoryview(data),
             "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)},)


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    from helpers.signals import write_recording

    path, _ = write_recording(tmp_path_factory.mktemp("upload"), seed=2, duration=4.0)
    return path


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # librosa.load imports audioread
def test_an_uploaded_file_is_decoded_resampled_added_and_selected(mel, recording):
    before, menu = mel.image.value, list(mel.controls["sound"].options)
    mel.upload.value = _uploaded(recording.read_bytes(), "kitchen.wav")
    assert mel.upload.value == ()  # cleared: the same file can be chosen again
    assert list(mel.controls["sound"].options) == menu + ["kitchen.wav"]
    assert mel.controls["sound"].value == "kitchen.wav"
    want, _ = librosa.load(recording, sr=SR)  # 44.1 kHz stereo -> 16 kHz mono, as librosa does
    np.testing.assert_allclose(mel.sounds["kitchen.wav"], want, rtol=0, atol=1e-6)
    np.testing.assert_allclose(mel.artists["mel_image"].get_array(), expected_log_mel(want),
                               atol=2e-3)
    assert mel.image.value != before
    assert f"Sound: kitchen.wav, {len(want)} samples" in mel.readout_text
    status = mel.upload_status.value
    assert "kitchen.wav: 4 s" in status and "2 channels mixed to mono" in status
    assert "resampled from 44100 Hz to 16000 Hz" in status
    assert mel.audio.value[:4] == b"RIFF"


def test_an_upload_of_the_same_name_replaces_the_sound(mel, recording):
    mel.add_file(recording.read_bytes(), "take.wav")
    first = mel.sounds["take.wav"].copy()
    tone = io.BytesIO()
    import soundfile

    soundfile.write(tone, 0.5 * np.sin(2 * np.pi * 1000 * np.arange(SR) / SR), SR, format="WAV")
    assert mel.add_file(tone.getvalue(), "take.wav")
    assert list(mel.controls["sound"].options).count("take.wav") == 1
    assert len(mel.sounds["take.wav"]) == SR and len(first) != SR
    assert "Sound: take.wav, 16000 samples" in mel.readout_text
    assert "at its own rate" in mel.upload_status.value
    assert "mixed to mono" not in mel.upload_status.value
    centres = librosa.mel_frequencies(n_mels=130, fmax=SR / 2)[1:-1]  # the new sound is shown
    assert abs(centres[np.argmax(mel.artists["mel_image"].get_array().mean(axis=1))] - 1000) < 80


def test_a_builtin_name_is_not_overwritten(mel):
    tone = io.BytesIO()
    import soundfile

    soundfile.write(tone, np.zeros(SR // 2) + 0.1, SR, format="WAV")
    builtin = mel.sounds["chirp"].copy()
    assert mel.add_file(tone.getvalue(), "chirp")
    assert mel.controls["sound"].value == "chirp (your file)"
    np.testing.assert_array_equal(mel.sounds["chirp"], builtin)


@pytest.mark.parametrize("data, name, words", [
    (b"onset\toffset\tevent_label\n", "labels.tsv", ["'labels.tsv'", "not an audio file"]),
    (b"", "empty.wav", ["empty"]),
    (b"\x00\x00\x00\x20ftypM4A " + bytes(40), "phone.m4a", ["'phone.m4a'", "MP4/M4A", "cannot read"]),
])
def test_an_unreadable_upload_says_why_and_keeps_the_previous_sound(mel, data, name, words):
    menu, value, image = list(mel.controls["sound"].options), mel.controls["sound"].value, \
        mel.image.value
    mel.upload.value = _uploaded(data, name)
    status = html.unescape(mel.upload_status.value)
    assert all(w in status for w in words), status
    assert "unchanged" in status and "Traceback" not in status
    assert list(mel.controls["sound"].options) == menu and mel.controls["sound"].value == value
    assert mel.image.value == image and mel.last_error is None


def test_an_upload_over_the_size_limit_is_refused_in_words(mel, recording, monkeypatch):
    from helpers.widgets import mel as main

    monkeypatch.setattr(main, "MAX_UPLOAD_BYTES", 1000)
    menu = list(mel.controls["sound"].options)
    data = recording.read_bytes()
    assert not mel.add_file(data, "long.wav")
    status = html.unescape(mel.upload_status.value)
    assert f"'long.wav' is {len(data) / 1e6:.1f} MB" in status and "up to 0.001 MB" in status
    assert list(mel.controls["sound"].options) == menu
