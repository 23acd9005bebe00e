"""helpers.plotting: specshow, waveshow, plot_frames, plot_filterbank, plot_events.

Where a figure puts things (a frame's time, a bin's frequency, a filter's weights) is
compared with librosa (frames_to_time, fft_frequencies, mel_frequencies, stft) or with the
data drawn, never with numbers copied from a run.
"""

import warnings

import matplotlib

matplotlib.use("Agg")

import librosa  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torchaudio  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import helpers  # noqa: E402
from helpers import signals  # noqa: E402
from helpers.plotting import plot_filterbank  # noqa: E402

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _fb(sr=16000, n_fft=512, n_mels=20, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return helpers.mel_filterbank(sr, n_fft, n_mels=n_mels, **kw)


def _cell_centres(im, shape):
    """Centres of the image's columns and rows, in data coordinates (origin='lower')."""
    left, right, bottom, top = im.get_extent()
    n_rows, n_cols = shape
    cols = left + (np.arange(n_cols) + 0.5) * (right - left) / n_cols
    rows = bottom + (np.arange(n_rows) + 0.5) * (top - bottom) / n_rows
    return cols, rows


# specshow ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sr, n_fft, hop", [(16000, 512, 128), (22050, 2048, 512),
                                            (8000, 255, 100)])
def test_specshow_linear_puts_frames_at_their_times_and_bins_at_their_frequencies(sr, n_fft,
                                                                                   hop):
    y = helpers.chirp(100.0, sr / 3, sr=sr, duration=0.5)
    S = helpers.amplitude_to_db(np.abs(helpers.stft(y, n_fft=n_fft, hop_length=hop)))
    fig, ax, im = helpers.specshow(S, sr=sr, hop_length=hop, y_axis="linear", n_fft=n_fft)
    cols, rows = _cell_centres(im, S.shape)
    np.testing.assert_allclose(cols, librosa.frames_to_time(np.arange(S.shape[1]), sr=sr,
                                                            hop_length=hop), atol=1e-9)
    np.testing.assert_allclose(rows, librosa.fft_frequencies(sr=sr, n_fft=n_fft), atol=1e-6)
    np.testing.assert_array_equal(im.get_array(), S)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Time (s)", "Frequency (Hz)")
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "dB"  # the colour bar


@pytest.mark.parametrize("htk, fmin, fmax", [(False, 0.0, None), (True, 50.0, 4000.0)])
def test_specshow_mel_labels_rows_with_librosas_band_centres(htk, fmin, fmax):
    sr, n_mels = 16000, 40
    M = np.random.default_rng(0).random((n_mels, 20))
    _, ax, _ = helpers.specshow(M, sr=sr, y_axis="mel", fmin=fmin, fmax=fmax, htk=htk)
    centres = librosa.mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax or sr / 2,
                                      htk=htk)[1:-1]
    ticks = ax.get_yticks().round().astype(int)
    assert len(ticks) > 1
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{centres[i]:.0f}" for i in ticks]


def test_specshow_frames_axes_count_frames_and_rows():
    M = np.arange(12.0).reshape(3, 4)
    fig, ax, im = helpers.specshow(M, x_axis="frames", colorbar=None, title="t")
    cols, rows = _cell_centres(im, M.shape)
    np.testing.assert_allclose(cols, np.arange(4))
    np.testing.assert_allclose(rows, np.arange(3))
    assert len(fig.axes) == 1 and ax.get_title() == "t"


def test_specshow_draws_on_given_axes_and_refuses_1d():
    fig, ax = plt.subplots()
    assert helpers.specshow(np.ones((2, 2)), ax=ax, colorbar=None)[:2] == (fig, ax)
    with pytest.raises(ValueError, match="2-D"):
        helpers.specshow(np.ones(5))


# waveshow ---------------------------------------------------------------------------------

def test_waveshow_draws_each_sample_at_its_time():
    sr = 8000
    y = helpers.sine(440.0, sr=sr, duration=0.1)
    fig, ax, line = helpers.waveshow(y, sr=sr, title="sine")
    np.testing.assert_allclose(line.get_xdata(), librosa.samples_to_time(np.arange(len(y)),
                                                                         sr=sr))
    np.testing.assert_array_equal(line.get_ydata(), y)
    assert ax.get_xlim() == (0.0, len(y) / sr)
    assert (ax.get_xlabel(), ax.get_title()) == ("Time (s)", "sine")


# plot_frames ------------------------------------------------------------------------------

@pytest.mark.parametrize("center", [True, False])
def test_plot_frames_draws_one_bar_per_stft_frame(center):
    sr, n_fft, hop = 1000, 256, 100
    y = signals.sine(5, sr=sr, duration=1.0)
    fig, ax, n_frames = helpers.plotting.plot_frames(y, sr=sr, n_fft=n_fft, hop_length=hop,
                                                     center=center)
    assert n_frames == librosa.stft(y=y, n_fft=n_fft, hop_length=hop, center=center).shape[1]
    bars = [line for line in ax.lines if line.get_linewidth() == 3]
    assert len(bars) == n_frames
    starts = sorted(line.get_xdata()[0] for line in bars)
    first = -(n_fft // 2) / sr if center else 0.0
    np.testing.assert_allclose(starts, first + np.arange(n_frames) * hop / sr)
    widths = [line.get_xdata()[1] - line.get_xdata()[0] for line in bars]
    np.testing.assert_allclose(widths, n_fft / sr)
    assert len(ax.patches) == (3 if center else 0)  # two shaded pads + the legend's swatch


def test_plot_frames_max_frames_and_bad_input():
    y = signals.sine(5, sr=1000, duration=1.0)
    fig, ax, n_frames = helpers.plotting.plot_frames(y, sr=1000, n_fft=256, hop_length=128,
                                                     max_frames=3)
    assert n_frames == helpers.frame_count(len(y), 256, 128)
    assert len([ln for ln in ax.lines if ln.get_linewidth() == 3]) == 3
    with pytest.raises(ValueError, match="n_fft"):
        helpers.plotting.plot_frames(y[:100], sr=1000, n_fft=256, hop_length=128, center=False)
    with pytest.raises(TypeError, match="integer PCM"):
        helpers.plotting.plot_frames((y * 1000).astype(np.int16), sr=1000)


# plot_filterbank --------------------------------------------------------------------------

def test_plot_filterbank_draws_each_row_against_fft_frequencies():
    sr, n_fft = 16000, 512
    fb = _fb(sr, n_fft, 20)
    fig, ax, lines = plot_filterbank(fb, sr, n_fft)
    assert len(lines) == 20
    freqs = librosa.fft_frequencies(sr=sr, n_fft=n_fft)
    for line, row in zip(lines, fb):
        np.testing.assert_allclose(line.get_xdata(), freqs)
        np.testing.assert_allclose(line.get_ydata(), row)
    assert ax.get_xlabel() == "Frequency (Hz)"
    assert ax.get_xlim() == (0.0, sr / 2)


def test_plot_filterbank_marks_fmax_and_uses_given_axes():
    fig, ax = plt.subplots()
    fb = _fb(16000, 512, 10, fmax=6000)
    fig2, ax2, lines = plot_filterbank(fb, 16000, 512, ax=ax, fmax=6000, title="t")
    assert ax2 is ax and fig2 is fig
    vlines = [ln for ln in ax.get_lines() if ln not in lines]
    assert len(vlines) == 1 and np.allclose(vlines[0].get_xdata(), 6000)
    assert ax.get_title() == "t"


@given(n_mels=st.integers(1, 60), every=st.integers(1, 7))
@SETTINGS
def test_plot_filterbank_every_draws_a_subset(n_mels, every):
    fb = _fb(16000, 512, n_mels)
    _, _, lines = plot_filterbank(fb, 16000, 512, every=every)
    assert len(lines) == len(range(0, n_mels, every))
    plt.close("all")


def test_plot_filterbank_accepts_torchaudio_transposed():
    fb = torchaudio.functional.melscale_fbanks(257, 0.0, 8000.0, 16, 16000)  # (freqs, mels)
    _, _, lines = plot_filterbank(fb.T, 16000, 512)  # a torch tensor
    assert len(lines) == 16
    np.testing.assert_allclose(lines[3].get_ydata(), fb.T[3].numpy())


@pytest.mark.parametrize("bad", [np.zeros((4, 100)), np.zeros(257), np.zeros((257, 16))])
def test_plot_filterbank_rejects_wrong_shape_naming_fb(bad):
    with pytest.raises(ValueError, match="fb must have shape"):
        plot_filterbank(bad, 16000, 512)


@pytest.mark.parametrize("kw, name", [({"sr": 0}, "sr"), ({"n_fft": 1.5}, "n_fft"),
                                      ({"every": 0}, "every"), ({"fmax": -1}, "fmax")])
def test_plot_filterbank_rejects_bad_arguments(kw, name):
    args = {"fb": _fb(16000, 512, 8), "sr": 16000, "n_fft": 512, **kw}
    with pytest.raises((ValueError, TypeError), match=name):
        plot_filterbank(**args)


# plot_events ------------------------------------------------------------------------------

def test_plot_events_marks_each_event_with_lines_a_bar_and_its_label():
    sr = 16000
    y, events = helpers.soundscape(sr=sr, duration=10.0, seed=3)
    S = helpers.amplitude_to_db(helpers.melspectrogram(y, sr=sr, n_fft=1024, hop_length=256,
                                                       n_mels=40, power=1.0), ref=np.max)
    _, ax, _ = helpers.specshow(S, sr=sr, hop_length=256, y_axis="mel")
    assert helpers.plot_events(ax, events) is ax
    xs = [tuple(line.get_xdata()) for line in ax.get_lines()]
    texts = {t.get_text(): t.get_position()[0] for t in ax.texts}
    for onset, offset, label in events:
        assert (onset, onset) in xs and (offset, offset) in xs   # dashed onset and offset
        assert (onset, offset) in xs                              # the bar between them
        assert texts[label.replace("_", " ")] == pytest.approx((onset + offset) / 2)
    assert len(ax.texts) == len(events)


# ---------------------------------------------------------------------------
# use_style: reading (the default) and projector
# ---------------------------------------------------------------------------

@pytest.fixture()
def restore_style():
    yield
    helpers.use_style()


def test_projector_style_is_large_and_use_style_goes_back(restore_style):
    helpers.use_style("projector")
    rc = matplotlib.rcParams
    assert rc["figure.dpi"] >= 150 and rc["savefig.dpi"] >= 150
    sizes = {k: matplotlib.font_manager.FontProperties(size=rc[k]).get_size_in_points()
             for k in ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
                       "ytick.labelsize", "legend.fontsize")}
    assert min(sizes.values()) >= 14, sizes  # every text, relative sizes resolved
    assert rc["lines.linewidth"] > matplotlib.rcParamsDefault["lines.linewidth"]
    assert rc["axes.linewidth"] > matplotlib.rcParamsDefault["axes.linewidth"]
    assert helpers.plotting.current_style()["font.size"] == rc["font.size"]
    # a figure drawn now is large: 14 pt tick labels at 150 dpi are about 29 pixels
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    assert ax.lines[0].get_linewidth() == rc["lines.linewidth"]
    assert ax.xaxis.get_major_ticks()[0].label1.get_fontsize() >= 14
    plt.close(fig)
    helpers.use_style()  # back to reading: everything the projector changed is undone
    for key, value in helpers.plotting.STYLE.items():
        assert rc[key] == (list(value) if isinstance(value, tuple) else value), key
    for key in helpers.plotting.PROJECTOR_STYLE.keys() - helpers.plotting.STYLE.keys():
        assert rc[key] == matplotlib.rcParamsDefault[key], key
    assert helpers.plotting.current_style() == helpers.plotting.STYLE


def test_use_style_names_what_is_allowed():
    with pytest.raises(ValueError, match="'reading', 'projector'"):
        helpers.use_style("poster")


@pytest.mark.parametrize("n_rows, n_cols, sr, hop_length, n_fft", [(9, 7, 16000, 256, 16),
                                                                    (513, 40, 22050, 512, 1024)])
def test_image_extent_puts_cells_where_librosas_specshow_does(n_rows, n_cols, sr, hop_length,
                                                               n_fft):
    import librosa.display

    S = np.random.default_rng(0).random((n_rows, n_cols))
    fig, ax = plt.subplots()
    mesh = librosa.display.specshow(S, sr=sr, hop_length=hop_length, n_fft=n_fft, x_axis="time",
                                    y_axis="linear", ax=ax)
    edges = mesh.get_coordinates()  # cell edges, shape (n_rows + 1, n_cols + 1, 2)
    left, right, bottom, top = helpers.plotting.image_extent(S.shape, dx=hop_length / sr,
                                                             dy=sr / n_fft)
    np.testing.assert_allclose(np.linspace(left, right, n_cols + 1), edges[0, :, 0], atol=1e-9)
    np.testing.assert_allclose(np.linspace(bottom, top, n_rows + 1), edges[:, 0, 1], atol=1e-6)
    # and the defaults count columns and rows from 0, each cell centred on its index
    assert helpers.plotting.image_extent((3, 5)) == (-0.5, 4.5, -0.5, 2.5)
    assert helpers.plotting.image_extent((3, 5), dx=2, y0=10) == (-1.0, 9.0, 9.5, 12.5)
