"""helpers.plotting.plot_filterbank, helpers.signals.tone_sequence, and the facts chapters 03 and 04 teach.

References are librosa and torchaudio or an independent computation, never
numbers copied from a run.
"""

import warnings

import librosa
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torchaudio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import helpers
from helpers.plotting import plot_filterbank

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


# plot_filterbank -----------------------------------------------------------------------

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
    _, _, lines = plot_filterbank(fb.T, 16000, 512)
    assert len(lines) == 16


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


# Facts chapter 03 teaches ----------------------------------------------------------------

@given(sr=st.sampled_from([8000, 16000, 22050, 44100]),
       n_fft=st.sampled_from([256, 512, 1024]), n_mels=st.integers(10, 200))
@SETTINGS
def test_empty_filter_count_matches_torchaudio_zero_columns(sr, n_fft, n_mels):
    fmax = min(8000.0, sr / 2)
    ours = helpers.empty_filter_count(_fb(sr, n_fft, n_mels, fmax=fmax, htk=True, norm=None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ta = torchaudio.functional.melscale_fbanks(1 + n_fft // 2, 0.0, fmax, n_mels, sr,
                                                   norm=None, mel_scale="htk")
    assert ours == int((ta.max(dim=0).values <= 0).sum())


def test_mel_filterbank_warns_exactly_when_a_filter_is_empty():
    # The chapter's example: 22050 Hz, n_fft 512, fmax 8000, HTK; librosa is the reference.
    for n_mels in (60, 83, 84, 85, 128):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            fb = helpers.mel_filterbank(22050, 512, n_mels=n_mels, fmax=8000, htk=True,
                                        norm=None)
            ref = librosa.filters.mel(sr=22050, n_fft=512, n_mels=n_mels, fmax=8000, htk=True,
                                      norm=None)
        n_empty = helpers.empty_filter_count(fb)
        assert n_empty == int((ref.max(axis=1) <= 0).sum())
        ours = [r for r in rec if "mel filters are empty" in str(r.message)]
        assert (len(ours) == 1) == (n_empty > 0)
        if n_empty:
            assert f"{n_empty} of {n_mels}" in str(ours[0].message)


def test_slaney_norm_is_peak_one_divided_by_half_width():
    sr, n_fft, n_mels = 22050, 2048, 128
    peak1 = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmax=8000, norm=None)
    area = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmax=8000)
    edges = librosa.mel_frequencies(n_mels + 2, fmin=0.0, fmax=8000)
    np.testing.assert_allclose(area, peak1 * (2.0 / (edges[2:] - edges[:-2]))[:, None],
                               rtol=1e-5, atol=1e-9)
    # each area-normalised triangle has area ~1 in Hz (sum * bin width)
    np.testing.assert_allclose(area[10:].sum(axis=1) * sr / n_fft, 1.0, atol=0.05)


# Facts chapter 04 teaches ----------------------------------------------------------------

@given(st.lists(st.floats(1e-8, 1e3), min_size=2, max_size=40))
@SETTINGS
def test_amplitude_to_db_of_a_power_doubles_the_decibels(values):
    S = np.array(values)[None, :]
    wrong = librosa.amplitude_to_db(S, top_db=None, amin=1e-10)
    right = librosa.power_to_db(S, top_db=None, amin=1e-10)
    np.testing.assert_allclose(wrong, 2 * right, rtol=1e-9, atol=1e-9)


def test_torchaudio_amplitude_stype_is_treated_as_magnitude():
    x = torch.tensor([[1e-3, 0.5, 2.0]])
    a = torchaudio.transforms.AmplitudeToDB(stype="amplitude")
    m = torchaudio.transforms.AmplitudeToDB(stype="magnitude")
    torch.testing.assert_close(a(x), m(x))
    torch.testing.assert_close(a(x), 20 * torch.log10(x))


def test_torchaudio_top_db_is_batch_wide_on_3d_input():
    loud = torch.full((1, 4, 5), 1.0)
    quiet = torch.full((1, 4, 5), 1e-9, dtype=torch.float64)   # -90 dB
    quiet[0, 0, 0] = 1e-3                                       # its maximum, -30 dB
    loud = loud.double()
    batch = torch.cat([loud, quiet])  # (B, F, T)
    db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=80.0)
    alone = db(quiet)[0]
    together = db(batch)[1]
    assert float(together.min()) == pytest.approx(-80.0)     # floor from the loud clip
    assert float(alone.min()) == pytest.approx(-90.0)        # own floor -110: no effect
    per_item = db(batch.unsqueeze(1))[:, 0]                  # (B, 1, F, T): per clip
    torch.testing.assert_close(per_item[1], alone)


@given(seed=st.integers(0, 2 ** 16), kind=st.sampled_from(["noise", "square", "sine"]))
@settings(max_examples=8, deadline=None)
def test_baseline_log_mel_of_float_audio_stays_below_80_db(seed, kind):
    rng = np.random.default_rng(seed)
    n = 16000
    if kind == "noise":
        y = rng.uniform(-1, 1, n)
    elif kind == "square":
        y = np.sign(np.sin(2 * np.pi * rng.uniform(50, 4000) * np.arange(n) / 16000))
    else:
        y = np.sin(2 * np.pi * rng.uniform(50, 7900) * np.arange(n) / 16000)
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=16000, n_fft=2048, win_length=2048, hop_length=256, f_min=0, f_max=8000,
        n_mels=128, window_fn=torch.hamming_window, wkwargs={"periodic": False}, power=1)
    db = 20 * torch.log10(torch.clamp(mel(torch.tensor(y, dtype=torch.float32)), min=1e-5))
    assert float(db.max()) < 80.0
    db16 = 20 * torch.log10(torch.clamp(mel(torch.tensor(y * 32768, dtype=torch.float32)),
                                        min=1e-5))
    assert float(db16.max()) == pytest.approx(float(db.max()) + 20 * np.log10(32768), abs=0.01)


# helpers.signals.tone_sequence -----------------------------------------------------------

@given(freqs=st.lists(st.floats(20, 3900), min_size=1, max_size=6),
       amp=st.floats(0.01, 1.0), dur=st.floats(0.01, 0.3))
@SETTINGS
def test_tone_sequence_is_hann_faded_sines_in_order(freqs, amp, dur):
    from helpers.signals import tone_sequence

    sr = 8000
    y = tone_sequence(freqs, amplitudes=amp, sr=sr, tone_duration=dur)
    n = int(round(dur * sr))
    assert y.shape == (len(freqs) * n,)
    t = np.arange(n) / sr
    for i, f in enumerate(freqs):  # independent computation: numpy's sine and Hann window
        np.testing.assert_allclose(y[i * n:(i + 1) * n],
                                   amp * np.sin(2 * np.pi * f * t) * np.hanning(n), atol=1e-12)


def test_tone_sequence_broadcasts_a_single_frequency_over_amplitudes():
    from helpers.signals import tone_sequence

    y = tone_sequence(440, amplitudes=[0.1, 0.5, 0.9], sr=8000, tone_duration=0.1)
    peaks = np.abs(y).reshape(3, -1).max(axis=1)
    np.testing.assert_allclose(peaks, [0.1, 0.5, 0.9], rtol=0.02)


@pytest.mark.parametrize("kw, err, match", [
    ({"freqs": [100, 200], "amplitudes": [0.1, 0.2, 0.3]}, ValueError, "amplitudes"),
    ({"freqs": [[100, 200]]}, ValueError, "1-D"),
    ({"freqs": "a"}, TypeError, "freqs"),
    ({"freqs": [-5.0]}, ValueError, "freq"),
    ({"freqs": [100], "tone_duration": 0}, ValueError, "duration"),
])
def test_tone_sequence_rejects_bad_input(kw, err, match):
    from helpers.signals import tone_sequence

    with pytest.raises(err, match=match):
        tone_sequence(**kw)
