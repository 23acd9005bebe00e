"""helpers.baseline: the DCASE baseline front end, three ways (torchaudio, librosa, helpers).

The torchaudio transform is built here from scratch with the settings of the
DESED_task code, independently of helpers.baseline.mel_spec, and librosa is
called directly, so each backend is compared with an independent reference.
"""

import librosa
import numpy as np
import pytest
import scipy.signal
import torch
import torchaudio
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import baseline as bl
from helpers.scaling import Scaler


@pytest.fixture(scope="module")
def batch():
    return bl.synthetic_batch(n_clips=2, seed=3)


def _desed_mel_spec():
    # Copied from DESED_task's sed_trainer_pretrained.py (2021-2024).
    return torchaudio.transforms.MelSpectrogram(
        sample_rate=16000, n_fft=2048, win_length=2048, hop_length=256, f_min=0, f_max=8000,
        n_mels=128, window_fn=torch.hamming_window, wkwargs={"periodic": False}, power=1)


def _desed_take_log(mels):
    amp_to_db = torchaudio.transforms.AmplitudeToDB(stype="amplitude")
    amp_to_db.amin = 1e-5
    return amp_to_db(mels).clamp(min=-50, max=80)


def _librosa_front_end(y):
    S = librosa.feature.melspectrogram(
        y=y, sr=16000, n_fft=2048, hop_length=256, win_length=2048,
        window=scipy.signal.get_window("hamming", 2048, fftbins=False), center=True,
        pad_mode="reflect", power=1.0, n_mels=128, fmin=0.0, fmax=8000.0, htk=True, norm=None)
    return S, np.clip(librosa.amplitude_to_db(S, ref=1.0, amin=1e-5, top_db=None), -50, 80)


def test_mel_spec_has_the_baseline_settings():
    m = bl.mel_spec()
    assert (m.sample_rate, m.n_fft, m.win_length, m.hop_length) == (16000, 2048, 2048, 256)
    assert (m.f_min, m.f_max, m.n_mels, m.power) == (0, 8000, 128, 1)
    assert m.spectrogram.center and m.spectrogram.pad_mode == "reflect"
    assert m.mel_scale.norm is None and m.mel_scale.mel_scale == "htk"
    torch.testing.assert_close(m.spectrogram.window, torch.hamming_window(2048, periodic=False))


def test_ten_seconds_give_626_frames(batch):
    x, events = batch
    assert x.shape == (2, 160000) and x.dtype == torch.float32
    assert bl.mel_spec()(x).shape == (2, 128, 626)
    assert 1 + 160000 // 256 == 626
    assert len(events) == 2 and all(len(ev) == 4 for ev in events)


def test_mel_and_log_match_desed_code(batch):
    x, _ = batch
    mels = bl.mel_spec()(x)
    torch.testing.assert_close(mels, _desed_mel_spec()(x), rtol=0, atol=0)
    torch.testing.assert_close(bl.take_log(mels), _desed_take_log(mels), rtol=0, atol=0)


@pytest.mark.parametrize("backend", ["librosa", "helpers"])
def test_three_way_parity_mel(batch, backend):
    x, _ = batch
    ref = _desed_mel_spec()(x).numpy()
    for i, y in enumerate(x.numpy()):
        S = bl.mel_spec_numpy(y, backend=backend)
        assert S.shape == (128, 626) and S.dtype == np.float32
        assert np.max(np.abs(S - ref[i])) <= 1e-5 * np.max(ref[i])
    S_lib, _ = _librosa_front_end(x.numpy()[0])
    assert np.max(np.abs(bl.mel_spec_numpy(x.numpy()[0], backend) - S_lib)) <= 1e-5 * S_lib.max()


@pytest.mark.parametrize("backend", ["librosa", "helpers"])
def test_three_way_parity_log_mel(batch, backend):
    x, _ = batch
    ref = _desed_take_log(_desed_mel_spec()(x)).numpy()
    got = bl.front_end(x, backend=backend)
    assert got.shape == (2, 128, 626)
    assert np.max(np.abs(got - ref)) <= 1e-3  # dB
    _, lib_db = _librosa_front_end(x.numpy()[1])
    assert np.max(np.abs(got[1] - lib_db)) <= 1e-3


def test_front_end_torchaudio_is_take_log_of_mel_spec(batch):
    x, _ = batch
    want = _desed_take_log(_desed_mel_spec()(x)).numpy()
    np.testing.assert_array_equal(bl.front_end(x, backend="torchaudio"), want)
    np.testing.assert_array_equal(bl.front_end(x[0], backend="torchaudio"), want[0])


def test_take_log_floor_and_ceiling():
    mels = torch.tensor([[0.0, 1e-7, 1e-5, 1.0, 10.0, 1e5]])
    out = bl.take_log(mels)
    np.testing.assert_allclose(out.numpy(), [[-50, -50, -50, 0, 20, 80]], atol=1e-4)
    np.testing.assert_allclose(bl.take_log_numpy(mels.numpy()), out.numpy(), atol=1e-4)


@settings(max_examples=10, deadline=None)
@given(n_samples=st.integers(1025, 6000), seed=st.integers(0, 100))
def test_frame_count_and_parity_for_any_length(n_samples, seed):
    y = (0.1 * np.random.default_rng(seed).standard_normal(n_samples)).astype(np.float32)
    ref = bl.front_end(y, backend="torchaudio")
    assert ref.shape == (128, 1 + n_samples // 256)
    assert np.max(np.abs(bl.front_end(y, backend="helpers") - ref)) <= 1e-3


def test_synthetic_batch_is_seeded():
    a, ev_a = bl.synthetic_batch(n_clips=2, seed=5, duration=4.0)
    b, ev_b = bl.synthetic_batch(n_clips=2, seed=5, duration=4.0)
    assert torch.equal(a, b) and ev_a == ev_b
    assert not torch.equal(a[0], a[1])  # different seeds per clip


def test_strong_labels_mark_event_frames():
    events = [(1.0, 2.0, "Speech"), (0.0, 0.5, "Dishes")]
    y = bl.strong_labels(events, n_frames=156, frame_seconds=0.064)
    assert y.shape == (4, 156)
    row = bl.SOUNDSCAPE_LABELS.index("Speech")
    assert y[row].sum() == np.ceil(2.0 / 0.064) - np.floor(1.0 / 0.064)
    assert y[row, int(1.5 / 0.064)] == 1 and y[row, int(2.5 / 0.064)] == 0
    with pytest.raises(ValueError, match="label"):
        bl.strong_labels([(0, 1, "Cat")], n_frames=10, frame_seconds=0.1)


def test_tiny_crnn_layout_and_156_frames(batch):
    x, _ = batch
    model = bl.TinyCRNN(seed=0)
    strong, weak = bl.detect(bl.mel_spec()(x), model, Scaler())
    assert model.shapes["CNN input (batch, 1, n_frames, n_mels)"] == (2, 1, 626, 128)
    assert strong.shape == (2, 10, 156) and weak.shape == (2, 10)
    assert torch.all((strong >= 0) & (strong <= 1))
    again, _ = bl.detect(bl.mel_spec()(x), bl.TinyCRNN(seed=0), Scaler())
    torch.testing.assert_close(strong, again, rtol=0, atol=0)  # seeded weights


def test_tiny_crnn_does_not_touch_the_global_rng():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    bl.TinyCRNN(seed=7)
    assert torch.equal(torch.rand(1), before)


def test_detect_is_model_of_scaler_of_take_log(batch):
    x, _ = batch
    mels = bl.mel_spec()(x)
    scaler = Scaler("instance", "standard")
    got = bl.detect(mels, torch.nn.Identity(), scaler)
    torch.testing.assert_close(got, scaler(_desed_take_log(mels)))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="backend"):
        bl.front_end(np.zeros(4000, dtype=np.float32), backend="sox")
    with pytest.raises(TypeError, match="mels"):
        bl.take_log(np.ones((128, 10)))
    with pytest.raises(ValueError, match="n_clips"):
        bl.synthetic_batch(n_clips=0)
    with pytest.raises(ValueError, match="n_mels"):
        bl.TinyCRNN(n_mels=100)


# ---------------------------------------------------------------- robustness (issue 13)

def test_front_end_casts_float64_like_the_baseline_loader():
    y = 0.1 * np.random.default_rng(0).standard_normal(4000)  # float64, as helpers' signals
    got = bl.front_end(y)
    assert got.dtype == np.float32
    want = _desed_take_log(_desed_mel_spec()(torch.from_numpy(y).float())).numpy()
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(bl.front_end(np.stack([y, y])), np.stack([want, want]))
    assert bl.front_end(y, backend="helpers").dtype == np.float64  # NumPy backends keep float64


@pytest.mark.parametrize("shape, words", [
    ((4000, 2), ["(4000, 2)", "2 sample(s)", "channels", "y.mean(axis=1)"]),
    ((0, 4000), ["(0, 4000)", "batch of 0 clips"]),
    ((2, 3, 4000), ["(2, 3, 4000)", "(batch, n_samples)"]),
    ((3, 500), ["(3, 500)", "at least 1025 samples"]),
])
def test_front_end_says_what_is_wrong_with_the_shape(shape, words):
    with pytest.raises(ValueError) as info:
        bl.front_end(np.zeros(shape, dtype=np.float32))
    assert all(w in str(info.value) for w in words), str(info.value)


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_take_log_refuses_nan_and_inf(value):
    mels = torch.ones(1, 128, 10)
    mels[0, 5, 5] = value
    with pytest.raises(ValueError, match="mels must contain only finite values"):
        bl.take_log(mels)


# ---------------------------------------------------------------- a folder of clips

@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("clips")
    bl.write_synthetic_folder(path, n_clips=7, seed=3, duration=4.0)
    return path


def test_write_synthetic_folder_is_seeded_16_bit_16_khz(folder, tmp_path):
    import soundfile

    info = soundfile.info(folder / "clip_00000.wav")
    assert (info.samplerate, info.channels, info.subtype) == (16000, 1, "PCM_16")
    assert info.frames == 64000
    again = bl.write_synthetic_folder(tmp_path, n_clips=2, seed=3, duration=4.0)
    assert [p.name for p in again] == ["clip_00000.wav", "clip_00001.wav"]
    assert (folder / "clip_00001.wav").read_bytes() == again[1].read_bytes()


def test_clip_folder_items_are_the_baseline_features_of_each_file(folder):
    import soundfile

    data = bl.ClipFolder(folder)
    assert len(data) == 7
    y, sr = soundfile.read(folder / "clip_00004.wav", dtype="float32")
    want = _desed_take_log(_desed_mel_spec()(torch.from_numpy(y)))
    item = data[4]
    assert item.shape == (128, 251) and item.dtype == torch.float32
    torch.testing.assert_close(item, want, rtol=0, atol=0)


def test_clip_folder_mixes_stereo_down_and_refuses_other_rates(tmp_path):
    import soundfile

    y = 0.1 * np.random.default_rng(1).standard_normal((3000, 2)).astype(np.float32)
    soundfile.write(tmp_path / "stereo.wav", y, 16000, subtype="FLOAT")
    torch.testing.assert_close(bl.ClipFolder(tmp_path)[0],
                               _desed_take_log(_desed_mel_spec()(torch.from_numpy(y.mean(axis=1)))),
                               rtol=0, atol=0)
    soundfile.write(tmp_path / "cd.wav", y, 44100)
    with pytest.raises(ValueError, match="44100 Hz.*16000 Hz.*resample"):
        bl.ClipFolder(tmp_path, pattern="cd.wav")[0]
    with pytest.raises(ValueError, match="no files match"):
        bl.ClipFolder(tmp_path, pattern="*.flac")
    with pytest.raises(ValueError, match="not a folder"):
        bl.ClipFolder(tmp_path / "stereo.wav")


def test_fit_over_files_is_the_same_with_0_and_2_workers(folder):
    from torch.utils.data import DataLoader

    data = bl.ClipFolder(folder)
    states = []
    for workers in (0, 2):
        loader = DataLoader(data, batch_size=3, num_workers=workers)
        states.append(Scaler("dataset", "standard", dims=(2,)).fit(loader).state_dict())
    for name in ("mean", "var", "count"):
        assert torch.equal(states[0][name], states[1][name]), name
    every = torch.stack([data[i] for i in range(len(data))]).double()  # all in memory at once
    np.testing.assert_allclose(states[0]["mean"].numpy(),
                               every.mean(dim=(0, 2), keepdim=True).numpy(), rtol=1e-12)
    np.testing.assert_allclose(states[0]["var"].numpy(),
                               every.var(dim=(0, 2), unbiased=False, keepdim=True).numpy(),
                               rtol=1e-10)


def test_fit_over_files_uses_memory_of_one_batch_not_of_the_folder(tmp_path):
    # tracemalloc sees NumPy's buffers (the audio read from each file): its peak must not
    # grow with the number of files, only with the batch.
    import shutil
    import tracemalloc

    from torch.utils.data import DataLoader

    src = bl.write_synthetic_folder(tmp_path / "src", n_clips=2, seed=0, duration=4.0)
    peaks = {}
    for n in (4, 24):
        folder = tmp_path / f"n{n}"
        folder.mkdir()
        for i in range(n):
            shutil.copy(src[i % 2], folder / f"clip_{i:05d}.wav")
        loader = DataLoader(bl.ClipFolder(folder), batch_size=2)
        Scaler("dataset", "mean").fit(loader)  # warm-up: first-call allocations
        tracemalloc.start()
        Scaler("dataset", "mean").fit(loader)
        peaks[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    one_clip = 64000 * 4  # bytes of float32 audio
    assert peaks[24] < peaks[4] + one_clip, peaks  # 6 times the files, not 6 times the memory


# ------------------------------------------- the data path: to_mono and pad_audio
# DESED_task desed_task/dataio/datasets.py at commit c6bcb45b8b986ccde5c56bb86eefaf9d19b2320c,
# copied verbatim (MIT licence, (c) 2024 Romain Serizel).

def desed_to_mono(mixture, random_ch=False):
    if mixture.ndim > 1:  # multi channel
        if not random_ch:
            mixture = torch.mean(mixture, 0)
        else:  # randomly select one channel
            indx = np.random.randint(0, mixture.shape[0] - 1)
            mixture = mixture[indx]
    return mixture


def desed_pad_audio(audio, target_len, fs, test=False):
    import random

    if audio.shape[-1] < target_len:
        audio = torch.nn.functional.pad(
            audio, (0, target_len - audio.shape[-1]), mode="constant"
        )

        padded_indx = [target_len / len(audio)]
        onset_s = 0.000

    elif len(audio) > target_len:
        if test:
            clip_onset = 0
        else:
            clip_onset = random.randint(0, len(audio) - target_len)
        audio = audio[clip_onset : clip_onset + target_len]
        onset_s = round(clip_onset / fs, 3)

        padded_indx = [target_len / len(audio)]
    else:
        onset_s = 0.000
        padded_indx = [1.0]

    offset_s = round(onset_s + (target_len / fs), 3)
    return audio, onset_s, offset_s, padded_indx


@pytest.fixture
def _global_generators():
    import random

    state = random.getstate(), np.random.get_state()
    yield
    random.setstate(state[0])
    np.random.set_state(state[1])


def _clip(n, channels=None, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn((n,) if channels is None else (channels, n), generator=g)


@pytest.mark.parametrize("channels", [2, 3, 5])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_to_mono_equals_desed(_global_generators, channels, seed):
    x = _clip(1000, channels, seed)
    torch.testing.assert_close(bl.to_mono(x), desed_to_mono(x), rtol=0, atol=0)
    torch.testing.assert_close(bl.to_mono(x), x.mean(dim=0), rtol=0, atol=0)
    np.random.seed(seed)
    want = desed_to_mono(x, random_ch=True)
    torch.testing.assert_close(bl.to_mono(x, random_ch=True, seed=seed), want, rtol=0, atol=0)
    np.random.seed(seed)
    torch.testing.assert_close(bl.to_mono(x, random_ch=True), want, rtol=0, atol=0)


def test_to_mono_random_channel_never_picks_the_last_one():
    x = torch.arange(3.0)[:, None].expand(3, 10)  # channel c holds the value c
    picked = {int(bl.to_mono(x, random_ch=True, seed=s)[0]) for s in range(200)}
    assert picked == {0, 1}  # randint's upper end is excluded
    stereo = torch.stack([torch.zeros(10), torch.ones(10)])
    assert {int(bl.to_mono(stereo, random_ch=True, seed=s)[0]) for s in range(50)} == {0}
    mono = torch.ones(10)
    assert bl.to_mono(mono, random_ch=True) is mono
    with pytest.raises(ValueError, match="at least 2 channels"):
        bl.to_mono(torch.ones(1, 10), random_ch=True)


@pytest.mark.parametrize("n", [100, 159999, 160000, 160001, 200000, 441000])
@pytest.mark.parametrize("test", [False, True])
@pytest.mark.parametrize("seed", [0, 5])
def test_pad_audio_equals_desed(_global_generators, n, test, seed):
    import random

    x = _clip(n, seed=seed)
    random.seed(seed)
    want = desed_pad_audio(x, 160000, 16000, test=test)
    got = bl.pad_audio(x, 160000, 16000, test=test, seed=seed)
    torch.testing.assert_close(got[0], want[0], rtol=0, atol=0)
    assert got[1:] == want[1:]
    random.seed(seed)
    got = bl.pad_audio(x, 160000, 16000, test=test)
    torch.testing.assert_close(got[0], want[0], rtol=0, atol=0)
    assert got[1:] == want[1:]


@pytest.mark.parametrize("shape", [(2, 1000), (2, 200000), (3, 160000)])
def test_pad_audio_equals_desed_on_several_channels(_global_generators, shape):
    import random

    x = _clip(shape[1], shape[0])
    random.seed(0)
    want = desed_pad_audio(x, 160000, 16000)
    got = bl.pad_audio(x, 160000, 16000, seed=0)
    torch.testing.assert_close(got[0], want[0], rtol=0, atol=0)
    assert got[1:] == want[1:]


def test_pad_audio_definition():
    short = _clip(1000)
    out, onset, offset, padded_indx = bl.pad_audio(short, 160000, 16000)
    assert out.shape == (160000,) and torch.equal(out[:1000], short) and not out[1000:].any()
    assert (onset, offset) == (0.0, 10.0)
    assert padded_indx == [1.0]  # computed after padding: 160000 / 160000
    long = _clip(441000)
    out, onset, offset, padded_indx = bl.pad_audio(long, 160000, 44100, seed=3)
    import random

    start = random.Random(3).randint(0, 441000 - 160000)
    assert torch.equal(out, long[start:start + 160000])
    assert onset == round(start / 44100, 3) and offset == round(onset + 160000 / 44100, 3)
    assert padded_indx == [1.0]
    out, onset, _, _ = bl.pad_audio(long, 160000, 44100, test=True)
    assert torch.equal(out, long[:160000]) and onset == 0.0


@pytest.mark.parametrize("call, error, words", [
    (lambda: bl.pad_audio(np.zeros(10), 100, 16000), TypeError, "torch.Tensor"),
    (lambda: bl.pad_audio(torch.zeros(10), 0, 16000), ValueError, "target_len"),
    (lambda: bl.pad_audio(torch.zeros(10), 100, 0), ValueError, "fs"),
    (lambda: bl.to_mono(np.zeros((2, 10))), TypeError, "torch.Tensor"),
])
def test_data_path_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()


DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.mark.parametrize("device", DEVICES)
def test_front_end_gives_the_cpu_numbers_on_every_device(batch, device):
    # chapter 09 section 7: the same code on any device; where a GPU exists this compares it
    audio, _ = batch
    with torch.no_grad():
        want = bl.take_log(bl.mel_spec()(audio))
        got = bl.take_log(bl.mel_spec().to(device)(audio.to(device)))
        scaled = Scaler("instance", "minmax", dims=(1, 2)).to(device)(got)
    assert got.device.type == device and scaled.device.type == device
    torch.testing.assert_close(got.cpu(), want, rtol=0, atol=1e-3)  # dB
    torch.testing.assert_close(scaled.cpu(), Scaler("instance", "minmax", dims=(1, 2))(want),
                               rtol=0, atol=1e-4)
