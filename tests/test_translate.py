"""helpers.translate.convert: librosa <-> torchaudio mel front ends give the same numbers.

Every translated transform is run against the libraries themselves on the same float32
signal (see translate_helpers for the references and the bound).
"""

import pickle

import librosa
import numpy as np
import pytest
import scipy.signal
import torch
import torchaudio
from hypothesis import given
from hypothesis import strategies as st
from translate_helpers import (BOUND, SETTINGS, definition_mel, librosa_follows_definition,
                               librosa_mel, rel_err, signal, ta)
from translate_helpers import quiet_mel_warnings  # noqa: F401 (autouse fixture)

import helpers
from helpers import translate as tr

SRS = st.sampled_from([8000, 16000, 22050, 32000, 44100, 48000])
N_FFTS = st.sampled_from([64, 128, 256, 400, 512, 1000, 1024, 2048])
# librosa accepts any rate and n_fft: odd and fractional ones too (torchaudio's own
# filterbank differs there, so the translated transform carries librosa's)
ODD_SRS = [11025, 22050.5, 7999]
ODD_N_FFTS = [255, 401, 1001]
LIBROSA_SRS = st.sampled_from([8000, 16000, 22050, 32000, 44100, 48000, *ODD_SRS])
LIBROSA_N_FFTS = st.sampled_from([64, 128, 256, 400, 512, 1000, 1024, 2048, *ODD_N_FFTS])


@st.composite
def librosa_kwargs(draw):
    sr, n_fft = draw(LIBROSA_SRS), draw(LIBROSA_N_FFTS)
    kw = {"sr": sr, "n_fft": n_fft}
    win_length = draw(st.one_of(st.none(), st.integers(n_fft // 4, n_fft)))
    if win_length is not None:
        kw["win_length"] = win_length
    wl = win_length or n_fft
    kw["hop_length"] = draw(st.one_of(st.none(), st.integers(max(1, n_fft // 8), n_fft)))
    kw["window"] = draw(st.sampled_from([
        "hann", "hamming", "blackman", "bartlett", "boxcar", ("kaiser", 6.0),
        ("gaussian", wl / 6), "tukey", "nuttall",
        scipy.signal.get_window("hamming", wl, fftbins=False),  # the DCASE window
        np.random.default_rng(wl).random(wl),                   # any array at all
    ]))
    kw["center"] = draw(st.booleans())
    kw["pad_mode"] = draw(st.sampled_from(["constant", "reflect", "edge"]))
    kw["power"] = draw(st.one_of(st.sampled_from([1.0, 2.0]),
                                 st.floats(0.5, 3.0, allow_nan=False)))
    kw["n_mels"] = draw(st.integers(4, 128))
    kw["fmin"] = draw(st.floats(0, sr / 8))
    kw["fmax"] = draw(st.one_of(st.none(), st.floats(sr / 4, sr / 2)))
    kw["htk"] = draw(st.booleans())
    kw["norm"] = draw(st.sampled_from([None, "slaney"]))
    # leave some arguments out, so librosa's defaults are exercised too
    for name in draw(st.lists(st.sampled_from(sorted(kw)), max_size=4)):
        if name not in ("sr", "window", "win_length", "n_fft"):
            kw.pop(name, None)
    return kw


@st.composite
def torchaudio_kwargs(draw):
    sr, n_fft = draw(SRS), draw(N_FFTS)
    kw = {"sample_rate": sr, "n_fft": n_fft}
    if draw(st.booleans()):
        kw["win_length"] = draw(st.integers(n_fft // 4, n_fft))
    if draw(st.booleans()):
        kw["hop_length"] = draw(st.integers(max(1, n_fft // 8), n_fft))
    fn, extra = draw(st.sampled_from([
        (torch.hann_window, {}), (torch.hamming_window, {}), (torch.blackman_window, {}),
        (torch.bartlett_window, {}), (torch.kaiser_window, {"beta": 8.0})]))
    kw["window_fn"] = fn
    kw["wkwargs"] = {"periodic": draw(st.booleans()), **extra}
    kw["center"] = draw(st.booleans())
    kw["pad_mode"] = draw(st.sampled_from(["constant", "reflect", "replicate"]))
    kw["power"] = draw(st.sampled_from([1.0, 2.0, 1.5]))
    kw["n_mels"] = draw(st.integers(4, 128))
    kw["f_min"] = draw(st.floats(0, sr / 8))
    if draw(st.booleans()):
        kw["f_max"] = draw(st.floats(sr / 4, sr / 2))
    kw["mel_scale"] = draw(st.sampled_from(["htk", "slaney"]))
    kw["norm"] = draw(st.sampled_from([None, "slaney"]))
    return kw


# --------------------------------------------------------------------- the two directions
@SETTINGS
@given(librosa_kwargs())
def test_librosa_to_torchaudio_matches_librosa(kw):
    y = signal(kw["sr"], kw["n_fft"])
    got = ta(tr.librosa_to_torchaudio(**kw), y)
    assert rel_err(got, definition_mel(y, kw)) <= BOUND
    if librosa_follows_definition(y, kw):  # everywhere except librosa's deviating tail
        assert rel_err(got, librosa_mel(y, kw)) <= BOUND


@SETTINGS
@given(librosa_kwargs())
def test_round_trip_librosa_torchaudio_librosa_same_numbers(kw):
    y = signal(kw["sr"], kw["n_fft"], seed=1)
    back = tr.torchaudio_to_librosa(tr.librosa_to_torchaudio(**kw))
    assert rel_err(librosa_mel(y, back), librosa_mel(y, kw)) <= BOUND


@SETTINGS
@given(torchaudio_kwargs())
def test_torchaudio_to_librosa_matches_torchaudio(kw):
    t = torchaudio.transforms.MelSpectrogram(**kw)
    y = signal(kw["sample_rate"], kw["n_fft"], seed=2)
    back = tr.torchaudio_to_librosa(t)
    assert rel_err(definition_mel(y, back), ta(t, y)) <= BOUND
    if librosa_follows_definition(y, back):
        assert rel_err(librosa_mel(y, back), ta(t, y)) <= BOUND
    # and back again: a fresh torchaudio transform with the same numbers
    again = tr.librosa_to_torchaudio(**tr.torchaudio_to_librosa(t))
    assert rel_err(ta(again, y), ta(t, y)) <= BOUND


# The example hypothesis found (issue 12): librosa's default hop 512 = n_fft, 1536 samples.
TAIL_CASE = {"sr": 8000, "n_fft": 512, "window": "hamming", "pad_mode": "reflect", "power": 1.0,
             "n_mels": 4, "norm": None}


def test_librosa_tail_deviates_at_the_geometry_hypothesis_found():
    """librosa's last frame is not pad-then-frame here; the translation follows the definition.

    This asserts that librosa DEVIATES: when librosa changes its padding, it fails, and the
    exception in the property tests above can go.
    """
    y = signal(TAIL_CASE["sr"], TAIL_CASE["n_fft"])
    assert len(y) == 1536 and helpers.spectral.librosa_tail_deviates(len(y), 512, 512, True,
                                                                     "reflect")
    got = ta(tr.librosa_to_torchaudio(**TAIL_CASE), y)
    want, lib = definition_mel(y, TAIL_CASE), librosa_mel(y, TAIL_CASE)
    assert rel_err(got, want) <= BOUND
    assert rel_err(lib[:, :-1], want[:, :-1]) <= 1e-6   # every frame but the last agrees
    assert rel_err(lib, want) > BOUND  # librosa's last frame departs: beyond the bound
    # the same in float64 at the STFT itself: librosa.stft's last frame, nothing else
    y64 = y.astype(np.float64)
    lib_stft = librosa.stft(y64, n_fft=512, hop_length=512, window="hamming", pad_mode="reflect")
    def_stft = librosa.stft(np.pad(y64, 256, mode="reflect"), n_fft=512, hop_length=512,
                            window="hamming", center=False)
    assert rel_err(lib_stft[:, :-1], def_stft[:, :-1]) <= 1e-12
    assert rel_err(lib_stft, def_stft) > 1e-5  # not rounding: float64 rounding is ~1e-16


def test_torch_stft_pads_then_frames_at_that_geometry():
    """torch.stft (hence torchaudio) and helpers.stft are the definition: pad all, then frame."""
    y = signal(8000, 512).astype(np.float64)
    window = scipy.signal.get_window("hamming", 512)
    frames = np.lib.stride_tricks.sliding_window_view(np.pad(y, 256, mode="reflect"), 512)[::512]
    by_hand = np.fft.rfft(frames * window, axis=1).T
    torch_stft = torch.stft(torch.from_numpy(y), 512, 512, window=torch.from_numpy(window),
                            center=True, pad_mode="reflect", return_complex=True).numpy()
    assert rel_err(torch_stft, by_hand) <= 1e-12
    ours = helpers.stft(y, n_fft=512, hop_length=512, window=window, pad_mode="reflect")
    assert rel_err(ours, by_hand) <= 1e-12


def test_defaults_are_the_libraries_defaults():
    """Nothing passed: librosa's defaults on one side, torchaudio's on the other."""
    y = signal(22050, 2048)
    assert rel_err(ta(tr.librosa_to_torchaudio(), y), librosa.feature.melspectrogram(y=y)) \
        <= BOUND
    y16 = signal(16000, 2048)
    t = torchaudio.transforms.MelSpectrogram()
    assert rel_err(librosa_mel(y16, tr.torchaudio_to_librosa(t)), ta(t, y16)) <= BOUND
    # the two defaults really differ (otherwise the translator would prove nothing)
    assert tr.LIBROSA_DEFAULTS["n_fft"] != t.n_fft
    assert librosa.feature.melspectrogram(y=y16, sr=16000).shape != ta(t, y16).shape


def test_dcase_baseline_in_librosa():
    """The DESED baseline's front end (symmetric Hamming, power 1, HTK, no norm, reflect)."""
    t = helpers.baseline.mel_spec()
    kw = tr.torchaudio_to_librosa(t)
    assert kw["htk"] is True and kw["norm"] is None and kw["pad_mode"] == "reflect"
    np.testing.assert_allclose(kw["window"], scipy.signal.get_window("hamming", 2048,
                                                                      fftbins=False))
    y = signal(16000, 2048, seed=3)
    assert rel_err(librosa_mel(y, kw), ta(t, y)) <= BOUND


def test_windows_periodic_means_fftbins():
    t = tr.librosa_to_torchaudio(window="hamming")
    np.testing.assert_allclose(t.spectrogram.window.numpy(),
                               scipy.signal.get_window("hamming", 2048, fftbins=True), atol=1e-6)
    sym = scipy.signal.get_window("hann", 1024, fftbins=False)
    t = tr.librosa_to_torchaudio(n_fft=1024, window=sym)
    np.testing.assert_allclose(t.spectrogram.window.numpy(), sym, atol=1e-6)
    # a callable window is called with win_length, as librosa does
    t = tr.librosa_to_torchaudio(n_fft=512, window=scipy.signal.windows.hann)
    np.testing.assert_allclose(t.spectrogram.window.numpy(), scipy.signal.windows.hann(512),
                               atol=1e-6)


# --------------------------------------------------------------------- odd sr and n_fft
ODD_CASES = [  # every odd or fractional rate and odd n_fft, with the other settings varied
    {"sr": 11025},
    {"sr": 22050.5, "n_fft": 1024, "hop_length": 256, "htk": True, "norm": None},
    {"sr": 7999, "n_fft": 512, "center": False, "power": 1.0, "fmin": 50.0},
    {"sr": 16000, "n_fft": 401, "hop_length": 160, "window": "hamming", "fmax": 7000.0},
    {"sr": 16000, "n_fft": 1001, "win_length": 800, "pad_mode": "reflect", "n_mels": 64},
    {"sr": 11025, "n_fft": 255, "hop_length": 64, "n_mels": 40, "htk": True,
     "window": scipy.signal.get_window("hamming", 255, fftbins=False)},
]


def plain_torchaudio(kw):
    """The translated transform rebuilt WITHOUT the filterbank replacement."""
    t = tr.librosa_to_torchaudio(**kw)
    s = t.mel_scale
    return torchaudio.transforms.MelSpectrogram(
        sample_rate=t.sample_rate, n_fft=t.n_fft, win_length=t.win_length,
        hop_length=t.hop_length, f_min=t.f_min, f_max=t.f_max, n_mels=t.n_mels,
        window_fn=lambda n: t.spectrogram.window.clone(), power=t.spectrogram.power,
        center=t.spectrogram.center, pad_mode=t.spectrogram.pad_mode, norm=s.norm,
        mel_scale=s.mel_scale)


@pytest.mark.parametrize("kw", ODD_CASES, ids=lambda kw: f"sr{kw['sr']}-nfft{kw.get('n_fft')}")
def test_odd_rates_and_n_fft_match_librosa(kw):
    y = signal(kw["sr"], kw.get("n_fft", 2048), seed=7)
    want = librosa_mel(y, kw)
    t = tr.librosa_to_torchaudio(**kw)
    assert rel_err(ta(t, y), want) <= BOUND
    # the replacement is what makes it exact: torchaudio's own filterbank is off here
    assert rel_err(ta(plain_torchaudio(kw), y), want) > BOUND
    fb = librosa.filters.mel(sr=kw["sr"], n_fft=kw.get("n_fft", 2048),
                             **{k: kw[k] for k in ("n_mels", "fmin", "fmax", "htk", "norm")
                                if k in kw})
    np.testing.assert_array_equal(t.mel_scale.fb.numpy(), fb.T)
    # and back: the replaced filterbank is recognised as librosa's, same numbers
    assert rel_err(librosa_mel(y, tr.torchaudio_to_librosa(t)), want) <= BOUND
    # the code string does the same replacement, and is still one expression
    code = tr.torchaudio_code(kw)
    assert "mel_scale.fb.copy_(" in code and "\n" not in code
    value = eval(code, {"torch": torch, "torchaudio": torchaudio, "librosa": librosa,
                        "np": np, "scipy": scipy})  # our own output, not user text
    assert rel_err(ta(value, y), want) <= BOUND


@pytest.mark.parametrize("kw", [{}, {"sr": 16000, "n_fft": 400}, {"sr": 22050, "n_fft": 1024}])
def test_even_rates_keep_torchaudios_own_filterbank(kw):
    t = tr.librosa_to_torchaudio(**kw)
    own = torchaudio.functional.melscale_fbanks(
        t.n_fft // 2 + 1, t.f_min, t.f_max, t.n_mels, t.sample_rate, t.mel_scale.norm,
        t.mel_scale.mel_scale)
    assert torch.equal(t.mel_scale.fb, own)
    assert "librosa" not in tr.torchaudio_code(kw)
    assert "mel_scale.fb" not in tr.explain(kw)


def test_replaced_filterbank_survives_state_dict_and_pickle():
    kw = {"sr": 11025, "n_fft": 1024, "n_mels": 64}
    t = tr.librosa_to_torchaudio(**kw)
    y = signal(11025, 1024, seed=8)
    np.testing.assert_array_equal(ta(pickle.loads(pickle.dumps(t)), y), ta(t, y))
    fresh = plain_torchaudio(kw)
    assert not torch.equal(fresh.mel_scale.fb, t.mel_scale.fb)
    fresh.load_state_dict(t.state_dict())  # e.g. a model checkpoint
    np.testing.assert_array_equal(ta(fresh, y), ta(t, y))


@pytest.mark.parametrize("window", ["hann", "tukey", np.linspace(0.1, 1, 256)])
def test_transform_pickles(window):
    t = tr.librosa_to_torchaudio(sr=16000, n_fft=256, window=window, n_mels=32)
    t2 = pickle.loads(pickle.dumps(t))
    y = signal(16000, 256)
    np.testing.assert_array_equal(ta(t2, y), ta(t, y))


# --------------------------------------------------------------------- dB step
@SETTINGS
@given(st.sampled_from(["power_to_db", "amplitude_to_db"]),
       st.one_of(st.none(), st.floats(1e-12, 1e-3)),
       st.one_of(st.none(), st.floats(10, 120)))
def test_db_step_both_ways(function, amin, top_db):
    S = librosa.feature.melspectrogram(y=signal(16000, 512, seed=4), sr=16000, n_fft=512,
                                       n_mels=32).astype(np.float64)
    S[0, :3] = 0.0  # exact zeros exercise amin
    kwargs = {} if amin is None else {"amin": amin}
    want = getattr(librosa, function)(S, top_db=top_db, **kwargs)
    t = tr.librosa_db_to_torchaudio(function, top_db=top_db, **kwargs)
    np.testing.assert_allclose(t(torch.from_numpy(S)).numpy(), want, atol=1e-6)
    name, back = tr.torchaudio_db_to_librosa(t)
    assert name == function
    np.testing.assert_allclose(getattr(librosa, name)(S, **back), want, atol=1e-6)


def test_db_amin_defaults_differ():
    """torchaudio's amin is 1e-10 for amplitudes too; librosa's amplitude_to_db uses 1e-5."""
    name, kw = tr.torchaudio_db_to_librosa(torchaudio.transforms.AmplitudeToDB("magnitude"))
    assert name == "amplitude_to_db" and kw["amin"] == pytest.approx(1e-10)
    assert tr.librosa_db_to_torchaudio("amplitude_to_db").amin == pytest.approx(1e-5)
    x = torch.zeros(2, 3)
    assert torchaudio.transforms.AmplitudeToDB("magnitude")(x).min() == pytest.approx(-200)
    assert librosa.amplitude_to_db(x.numpy(), top_db=None).min() == pytest.approx(-100)


def test_batch_wide_top_db_and_the_per_clip_fix():
    loud = librosa.feature.melspectrogram(y=signal(16000, 512, 5), sr=16000, n_fft=512)
    quiet = 1e-6 * loud
    batch = torch.from_numpy(np.stack([loud, quiet]))
    t = tr.librosa_db_to_torchaudio("power_to_db", top_db=80.0)
    per_clip = np.stack([librosa.power_to_db(c, top_db=80.0) for c in (loud, quiet)])
    assert np.max(np.abs(t(batch).numpy() - per_clip)) > 10  # 3-D: floor over the batch
    np.testing.assert_allclose(t(batch.unsqueeze(1)).squeeze(1).numpy(), per_clip, atol=1e-4)


# --------------------------------------------------------------------- no equivalent
@pytest.mark.parametrize("kwargs, setting", [
    ({"norm": 1}, "norm"), ({"norm": np.inf}, "norm"),
    ({"pad_mode": "symmetric"}, "pad_mode"), ({"pad_mode": "linear_ramp"}, "pad_mode"),
    ({"fmax": 12000}, "fmax"), ({"fmin": 9000, "fmax": 8000}, "fmin"),
    ({"n_mels_typo": 64}, "n_mels_typo"), ({"y": np.zeros(10)}, "y"),
    ({"S": np.zeros((5, 5))}, "S"), ({"dtype": np.float64}, "dtype"),
    ({"win_length": 4096}, "win_length"), ({"window": "no-such-window"}, "window"),
])
def test_librosa_settings_without_equivalent_raise(kwargs, setting):
    with pytest.raises((ValueError, TypeError), match=setting):
        tr.librosa_to_torchaudio(**kwargs)


def _edited_fb():
    t = torchaudio.transforms.MelSpectrogram()
    t.mel_scale.fb.mul_(2.0)
    return t


def _other_librosa_fb():
    """librosa's filterbank, but for a frequency range the transform does not have."""
    t = tr.librosa_to_torchaudio(sr=11025, n_fft=1024)
    t.mel_scale.fb.copy_(torch.from_numpy(
        librosa.filters.mel(sr=11025, n_fft=1024, htk=True, fmax=4000.0).T))
    return t


@pytest.mark.parametrize("make, setting", [
    (lambda: torchaudio.transforms.MelSpectrogram(normalized=True), "normalized"),
    (lambda: torchaudio.transforms.MelSpectrogram(normalized="frame_length"), "normalized"),
    (lambda: torchaudio.transforms.MelSpectrogram(pad=10), "pad=10"),
    (lambda: torchaudio.transforms.MelSpectrogram(power=None), "power=None"),
    (lambda: torchaudio.transforms.MelSpectrogram(pad_mode="circular"), "circular"),
    (lambda: torchaudio.transforms.MelSpectrogram(sample_rate=11025), "sample_rate=11025"),
    (lambda: torchaudio.transforms.MelSpectrogram(n_fft=401), "n_fft=401"),
    (lambda: torchaudio.transforms.MelSpectrogram(f_max=9000), "fmax"),
    (_edited_fb, "fb"),
    (_other_librosa_fb, "mel_scale.fb"),
    (lambda: torch.nn.Identity(), "MelSpectrogram"),
])
def test_torchaudio_settings_without_equivalent_raise(make, setting):
    with pytest.raises((ValueError, TypeError), match=setting):
        tr.torchaudio_to_librosa(make())


@pytest.mark.parametrize("kwargs, setting", [
    ({"ref": np.max}, "ref"), ({"ref": 2.0}, "ref"), ({"function": "db"}, "function"),
    ({"amin": 0}, "amin"), ({"top_db": -1}, "top_db"),
])
def test_db_settings_without_equivalent_raise(kwargs, setting):
    with pytest.raises(ValueError, match=setting) as info:
        tr.librosa_db_to_torchaudio(**kwargs)
    if setting == "ref":  # says what to do instead
        assert "instead" in str(info.value).lower()


def test_the_ref_workaround_in_the_message_is_right():
    S = librosa.feature.melspectrogram(y=signal(16000, 512, 6), sr=16000, n_fft=512)
    t = torchaudio.transforms.AmplitudeToDB("power", top_db=80.0)
    db = t(torch.from_numpy(S))
    ours = (db - db.amax(dim=(-2, -1), keepdim=True)).numpy()
    np.testing.assert_allclose(ours, librosa.power_to_db(S, ref=np.max, top_db=80.0), atol=1e-4)


# --------------------------------------------------------------------- normalized=True
@pytest.mark.parametrize("normalized", [True, "window", "frame_length"])
@pytest.mark.parametrize("power", [1.0, 2.0, 1.5])
@pytest.mark.parametrize("window_fn", [torch.hann_window, torch.hamming_window])
def test_normalized_is_librosa_divided_by_a_constant(normalized, power, window_fn):
    """torchaudio divides each frame's STFT by sqrt(sum(window ** 2)) ('frame_length':
    sqrt(n_fft)); the port is librosa's call divided by that to the power `power`."""
    t = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, win_length=400,
                                             n_mels=40, power=power, window_fn=window_fn,
                                             normalized=normalized)
    y = signal(16000, 512, seed=9)
    code = tr.librosa_code(t)
    got = eval(code, {"librosa": librosa, "np": np, "scipy": scipy, "y": y})  # our own output
    assert rel_err(got, ta(t, y)) <= BOUND
    # the constant, from torchaudio's own window (float64), not from the translator's model
    w = t.spectrogram.window.double()
    c = float(w.pow(2).sum()) if normalized != "frame_length" else 512.0
    assert tr.librosa_divisor(t) == pytest.approx(c ** (power / 2), rel=1e-6)
    plain = tr.torchaudio_to_librosa(torchaudio.transforms.MelSpectrogram(
        sample_rate=16000, n_fft=512, win_length=400, n_mels=40, power=power,
        window_fn=window_fn))
    assert rel_err(librosa_mel(y, plain) / tr.librosa_divisor(t), ta(t, y)) <= BOUND
    # a dict of keyword arguments cannot divide: refused, pointing at what can
    with pytest.raises(tr.NoEquivalentError, match="librosa_code"):
        tr.torchaudio_to_librosa(t)
    assert "divides each frame's STFT" in tr.explain(t)


def test_normalized_pasted_as_text_is_ported():
    call = ("torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=1024, "
            "normalized=True, n_mels=64)")
    y = signal(16000, 1024, seed=10)
    code = tr.librosa_code(call)
    assert code.endswith("/ np.sum(scipy.signal.get_window('hann', 1024) ** 2)")
    got = eval(code, {"librosa": librosa, "np": np, "scipy": scipy, "y": y})
    want = ta(torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=1024,
                                                   normalized=True, n_mels=64), y)
    assert rel_err(got, want) <= BOUND
    assert tr.librosa_divisor(call) == pytest.approx(384.0)  # 3 N / 8 for a periodic Hann


# --------------------------------------------------------------------- librosa's fb copied in
FB_COURSE_CASES = [  # (transform arguments, librosa.filters.mel arguments copied into fb)
    ({"sample_rate": 16000, "n_fft": 1024, "hop_length": 256, "n_mels": 80},
     {"sr": 16000, "n_fft": 1024, "n_mels": 80}),  # torchaudio HTK/None, librosa's defaults
    ({"sample_rate": 22050, "n_fft": 1024, "n_mels": 80, "f_max": 8000.0},
     {"sr": 22050, "n_fft": 1024, "n_mels": 80, "fmax": 8000.0}),
    ({"sample_rate": 16000, "n_fft": 512, "n_mels": 40, "mel_scale": "slaney", "norm": "slaney"},
     {"sr": 16000, "n_fft": 512, "n_mels": 40, "htk": True, "norm": None}),
    ({"sample_rate": 11025, "n_fft": 1024, "n_mels": 64},   # odd rate, f_max 5512 vs 5512.5
     {"sr": 11025, "n_fft": 1024, "n_mels": 64}),
]


@pytest.mark.parametrize("ta_kw, fb_kw", FB_COURSE_CASES)
def test_librosa_filterbank_copied_into_a_transform_is_ported_exactly(ta_kw, fb_kw):
    """The course pattern: build MelSpectrogram, then copy librosa.filters.mel(...).T into
    mel_scale.fb. The transform computes with that filterbank, and so does the port."""
    t = torchaudio.transforms.MelSpectrogram(**ta_kw)
    with torch.no_grad():
        t.mel_scale.fb.copy_(torch.from_numpy(librosa.filters.mel(**fb_kw).T))
    y = signal(ta_kw["sample_rate"], ta_kw["n_fft"], seed=11)
    kw = tr.torchaudio_to_librosa(t)
    assert kw["htk"] == fb_kw.get("htk", False) and kw["norm"] == fb_kw.get("norm", "slaney")
    assert rel_err(librosa_mel(y, kw), ta(t, y)) <= BOUND
    again = tr.librosa_to_torchaudio(**kw)  # and back: a transform with the same numbers
    assert rel_err(ta(again, y), ta(t, y)) <= BOUND
    assert "mel_scale.fb holds librosa's filterbank" in tr.explain(t)
