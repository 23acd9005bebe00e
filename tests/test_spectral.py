"""helpers.spectral: windows, frame counting, bin frequencies and the STFT.

References are librosa, scipy and torch, or the definition; the broad randomised
comparison with librosa is in test_core_parity.py, the shapes in test_properties.py.
"""

import warnings

import librosa
import numpy as np
import pytest
import scipy.signal
import torch

import helpers
from helpers import spectral

Y = helpers.chirp(100.0, 3000.0, sr=8000, duration=0.3)


@pytest.mark.parametrize("alias, scipy_name", [
    ("hann", "hann"), ("Hann", "hann"), ("HANNING", "hann"), ("hamming", "hamming"),
    ("blackman", "blackman"), ("rectangular", "boxcar"), ("boxcar", "boxcar"),
    ("rect", "boxcar"), ("ones", "boxcar")])
def test_window_names_and_aliases_give_scipys_window(alias, scipy_name):
    for periodic in (True, False):
        np.testing.assert_allclose(helpers.get_window(alias, 64, periodic=periodic),
                                   scipy.signal.get_window(scipy_name, 64, fftbins=periodic),
                                   atol=1e-12)


def test_window_name_is_canonical_and_refuses_unknown_names():
    for name in spectral.WINDOWS:
        assert spectral.window_name(name.upper()) == name
    with pytest.raises(ValueError, match="window='gauss'"):
        spectral.window_name("gauss")


def test_a_window_array_is_used_as_given():
    w = torch.hamming_window(32, periodic=False).numpy()
    np.testing.assert_array_equal(helpers.get_window(w, 32), w)
    X = helpers.stft(Y, n_fft=32, hop_length=8, window=w)
    ref = librosa.stft(Y, n_fft=32, hop_length=8, window=w)
    np.testing.assert_allclose(X, ref, atol=1e-10 * np.abs(ref).max())


def test_a_window_function_is_refused_with_the_array_to_pass():
    with pytest.raises(TypeError, match=r"window=np\.hanning\(64\)"):
        helpers.get_window(np.hanning, 64)
    with pytest.raises(TypeError, match="the function"):
        helpers.stft(Y, n_fft=64, window=scipy.signal.windows.hann)


@pytest.mark.parametrize("n, n_fft, hop, center", [
    (2400, 256, 64, True), (2400, 256, 64, False), (2400, 255, 100, True), (257, 256, 1, False),
    (10, 256, 64, True), (2400, 2048, 512, True)])
def test_frame_count_is_librosas_number_of_frames(n, n_fft, hop, center):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # librosa: "n_fft=256 is too large" for 10 samples
        expected = librosa.stft(np.ones(n), n_fft=n_fft, hop_length=hop, center=center).shape[1]
    assert helpers.frame_count(n, n_fft, hop, center=center) == expected


@pytest.mark.parametrize("sr, n_fft", [(8000, 256), (22050, 2048), (44100, 1023), (16000, 2)])
def test_fft_frequencies_match_librosa(sr, n_fft):
    np.testing.assert_allclose(helpers.fft_frequencies(sr=sr, n_fft=n_fft),
                               librosa.fft_frequencies(sr=sr, n_fft=n_fft))


@pytest.mark.parametrize("kw", [dict(n_fft=256), dict(n_fft=256, win_length=100),
                                dict(n_fft=64, hop_length=None, win_length=None)])
def test_default_hop_is_win_length_over_4_like_librosa(kw):
    ours = helpers.stft(Y, **kw)
    ref = librosa.stft(Y, **kw)
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, atol=1e-9 * np.abs(ref).max())


def test_a_default_hop_of_zero_is_explained():
    # win_length // 4 == 0: the message must say the default, not "hop_length ... got 0"
    for kw in (dict(n_fft=2), dict(n_fft=3), dict(n_fft=512, win_length=3)):
        with pytest.raises(ValueError, match=r"default win_length // 4 .* = 0") as info:
            helpers.stft(Y, **kw)
        assert "hop_length" in str(info.value)
    assert helpers.stft(Y, n_fft=2, hop_length=1).shape == (2, len(Y) + 1)


def test_check_stft_args_fills_librosas_defaults():
    # librosa.stft: win_length None means n_fft, hop_length None means win_length // 4
    assert spectral.check_stft_args(2048, None, None, "hann", True, "constant") == \
        (2048, 2048 // 4, 2048)
    assert spectral.check_stft_args(1024, None, 400, "hann", True, "constant") == \
        (1024, 400 // 4, 400)


def test_stft_frames_is_the_transposed_stft():
    kw = dict(n_fft=128, hop_length=32, window="hamming", center=True, pad_mode="reflect")
    np.testing.assert_array_equal(spectral.stft_frames(Y, **kw), helpers.stft(Y, **kw).T)


@pytest.mark.parametrize("pad_mode", spectral.PAD_MODES)
def test_centre_padding_is_numpys(pad_mode):
    # the definition: pad n_fft // 2 on each side with numpy, then frame without padding
    n_fft, hop = 64, 16
    ref = helpers.stft(np.pad(Y, n_fft // 2, mode=pad_mode), n_fft=n_fft, hop_length=hop,
                       center=False)
    np.testing.assert_array_equal(helpers.stft(Y, n_fft=n_fft, hop_length=hop,
                                               pad_mode=pad_mode), ref)


@pytest.mark.parametrize("name, value", [("center", 1), ("center", "yes"), ("periodic", None)])
def test_flags_must_be_booleans(name, value):
    call = (lambda: helpers.stft(Y, n_fft=64, center=value)) if name == "center" else \
        (lambda: helpers.get_window("hann", 8, periodic=value))
    with pytest.raises(TypeError, match=f"{name} must be True or False"):
        call()


def test_a_torch_tensor_gives_the_same_stft():
    np.testing.assert_array_equal(helpers.stft(torch.from_numpy(Y), n_fft=64),
                                  helpers.stft(Y, n_fft=64))
