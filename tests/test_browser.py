"""The main explorer in a real browser: JupyterLab and Voila, driven with the keyboard.

Starts each server on 127.0.0.1 with a free port (from this virtualenv), opens
notebooks/explorer.ipynb in Debian's chromium through Playwright, moves the
n_mels slider with the arrow keys and checks what a learner would see: the
readout states the new shape and the figure's pixels changed.

Needs ``/usr/bin/chromium`` (``apt-get install -y chromium``); skipped without it.
Playwright's own browser download is not used. The servers work on a temporary
copy of the notebooks (JupyterLab autosaves) and are stopped by the fixtures.
"""

import contextlib
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent
TOKEN = "mel-explorer-test"
LAUNCH_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update",
               "--no-first-run"]
START_TIMEOUT = 60  # seconds for a server or a kernel to come up on a busy machine
UI_TIMEOUT = 45_000  # milliseconds for the page to show the explorer / react to a key

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` "
                "to run the browser tests", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the playwright Python package is missing")

# The figure's fingerprint: the image drawn on a canvas, then summed in blocks.
FINGERPRINT_JS = """(sel) => {
  const img = document.querySelector(sel);
  if (!img || !img.complete || !img.naturalWidth) return null;
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  const out = new Array(64).fill(0);
  for (let i = 0; i < d.length; i += 4) out[(i >> 2) % 64] += d[i] + 3 * d[i + 1] + 7 * d[i + 2];
  return [c.width, c.height, ...out];
}"""
READOUT = ".main-explorer .mel-readout"
FIGURE = ".main-explorer img.mel-figure"
N_MELS_HANDLE = ".main-explorer .mel-control-n-mels .noUi-handle"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url, proc, timeout=START_TIMEOUT, any_answer=False):
    """Poll ``url`` until it answers 200 (or anything at all, with ``any_answer``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError:
            if any_answer:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def start(cmd, cwd, env, log):
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(proc):
    """Stop a server and its kernels: SIGTERM to its process group, then SIGKILL."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        except ProcessLookupError:
            pass


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A copy of notebooks/ and an isolated Jupyter home: the repository is never touched."""
    base = tmp_path_factory.mktemp("browser")
    nbdir = base / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbdir,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.png", "*.wav"))
    env = {**os.environ,
           "JUPYTER_CONFIG_DIR": str(base / "config"), "JUPYTER_RUNTIME_DIR": str(base / "run"),
           "IPYTHONDIR": str(base / "ipython"), "PYTHONUNBUFFERED": "1"}
    return nbdir, env, base


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})

    def only_loopback(route):  # e.g. Voila's page asks a CDN for a font: never wait for it
        host = re.match(r"^[a-z]+://([^/:]+)", route.request.url)
        if host and host.group(1) not in ("127.0.0.1", "localhost"):
            return route.abort()
        return route.continue_()

    context.route("**/*", only_loopback)
    context.set_default_timeout(UI_TIMEOUT)
    return context, context.new_page()


def lab_command(workdir, port, tag=""):
    """The JupyterLab server command on 127.0.0.1:``port`` over the test copy, with settings and
    workspaces of its own (``tag`` keeps several servers of one module apart)."""
    nbdir, _, base = workdir
    return [str(BIN / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={nbdir}",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={base / ('lab-settings' + tag)}",
            f"--LabApp.workspaces_dir={base / ('lab-workspaces' + tag)}",
            "--ServerApp.allow_root=True"]


@contextlib.contextmanager
def voila_page(workdir, browser, notebook, log_name):
    """Voila serving ``notebook`` from the test copy on a free port, and a page on it once the
    explorer's readout and figure are drawn; the page and the server are closed after."""
    nbdir, env, base = workdir
    port = free_port()
    cmd = [str(BIN / "voila"), notebook, "--no-browser", "--Voila.ip=127.0.0.1",
           f"--port={port}", "--Voila.port_retries=0"]
    with open(base / log_name, "w") as log:
        server = start(cmd, nbdir, env, log)
        try:
            # Voila has no /api/status; any answer (here a 404) means it is listening.
            wait_for_http(f"http://127.0.0.1:{port}/voila/no-such-page", server, any_answer=True)
            context, page = new_page(browser)
            try:
                page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
                page.wait_for_function(
                    """(sel) => { const e = document.querySelector(sel);
                                  return e && e.innerText.includes('(n_mels, n_frames)'); }""",
                    arg=READOUT)
                page.wait_for_function(f"() => ({FINGERPRINT_JS})('{FIGURE}') !== null")
                yield page
            finally:
                context.close()
        finally:
            stop(server)


def screenshot(page, name):
    """Save a screenshot when MEL_SCREENSHOTS names a folder (for looking, not for asserting)."""
    folder = os.environ.get("MEL_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(pathlib.Path(folder) / f"{name}.png"), full_page=True)


def fingerprint(page):
    return page.evaluate(FINGERPRINT_JS, FIGURE)


def readout(page):
    return page.inner_text(READOUT)


def move_n_mels_with_keyboard(page, presses=3):
    """Focus the n_mels slider's handle and press the left arrow: n_mels goes down by one each."""
    before_text, before_pixels = readout(page), fingerprint(page)
    assert "(n_mels, n_frames) = (128, " in before_text
    assert before_pixels is not None
    handle = page.locator(N_MELS_HANDLE)
    handle.focus()
    for _ in range(presses):
        page.keyboard.press("ArrowLeft")
    expected = f"(n_mels, n_frames) = ({128 - presses}, "
    page.wait_for_function(
        """([sel, text]) => { const e = document.querySelector(sel);
                              return e && e.innerText.includes(text); }""",
        arg=[READOUT, expected])
    page.wait_for_function(f"(old) => JSON.stringify(({FINGERPRINT_JS})('{FIGURE}')) "
                           "!== JSON.stringify(old)", arg=before_pixels)
    after_text, after_pixels = readout(page), fingerprint(page)
    assert after_text != before_text and expected in after_text
    assert after_pixels is not None and after_pixels != before_pixels
    assert after_pixels[:2] == before_pixels[:2]  # same size: updated in place
    return after_text


def test_jupyterlab_runs_the_explorer_and_the_slider_redraws(workdir, browser):
    nbdir, env, base = workdir
    port = free_port()
    cmd = lab_command(workdir, port)
    with open(base / "lab.log", "w") as log:
        server = start(cmd, nbdir, env, log)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", server)
            context, page = new_page(browser)
            try:
                page.goto(f"http://127.0.0.1:{port}/lab/tree/explorer.ipynb?token={TOKEN}",
                          wait_until="domcontentloaded")
                page.wait_for_function(
                    "() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                    "&& window.jupyterapp.shell.currentWidget.sessionContext "
                    "&& window.jupyterapp.shell.currentWidget.sessionContext.session "
                    "&& window.jupyterapp.shell.currentWidget.sessionContext.session.kernel "
                    "&& window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
                    ".connectionStatus === 'connected'")
                # Before running: the stored static picture of the explorer is shown.
                stored = page.locator(".jp-OutputArea-output.jp-RenderedImage img")
                stored.first.wait_for(state="visible")
                assert stored.count() == 1
                screenshot(page, "lab-before-run")
                page.evaluate("() => window.jupyterapp.commands.execute("
                              "'notebook:run-all-cells')")
                page.wait_for_function(
                    """(sel) => { const e = document.querySelector(sel);
                                  return e && e.innerText.includes('(n_mels, n_frames)'); }""",
                    arg=READOUT)
                page.wait_for_function(f"() => ({FINGERPRINT_JS})('{FIGURE}') !== null")
                # The live widget is shown, not the stored static PNG next to it.
                cell = page.locator(".jp-OutputArea-output", has=page.locator(".main-explorer"))
                assert cell.count() == 1
                assert cell.locator(".jp-RenderedImage").count() == 0
                move_n_mels_with_keyboard(page)
                screenshot(page, "lab")
            finally:
                context.close()
        finally:
            stop(server)
    assert (ROOT / "notebooks" / "explorer.ipynb").exists()


def test_voila_serves_the_explorer_and_the_slider_redraws(workdir, browser):
    with voila_page(workdir, browser, "explorer.ipynb", "voila.log") as page:
        assert page.locator(".main-explorer").count() == 1
        cell = page.locator(".jp-OutputArea-output", has=page.locator(".main-explorer"))
        assert cell.locator(".jp-RenderedImage").count() == 0  # no stale static copy
        move_n_mels_with_keyboard(page)
        screenshot(page, "voila")


def choose_file(page, payload):
    """Click the explorer's upload button and pick a file in the chooser it opens (ipywidgets'
    FileUpload keeps its <input type=file> out of the page and clicks it from the button)."""
    with page.expect_file_chooser() as chooser:
        page.locator(".main-explorer .mel-upload").click()
    chooser.value.set_files(files=[payload])


def test_voila_explorer_takes_an_uploaded_wav(workdir, browser, tmp_path):
    """The upload control through the real page: a generated 44.1 kHz stereo WAV, then a file
    that is not audio. The WAV becomes the selected sound (readout, figure, status change);
    the bad file gets a message and the sound stays."""
    from helpers.signals import write_recording

    wav, _ = write_recording(tmp_path, seed=4, duration=4.0, name="upload.wav")
    with voila_page(workdir, browser, "explorer.ipynb", "voila-upload.log") as page:
        before_text, before_pixels = readout(page), fingerprint(page)
        assert "Sound: your sound" in before_text
        choose_file(page, {"name": "upload.wav", "mimeType": "audio/wav",
                           "buffer": wav.read_bytes()})
        page.wait_for_function(
            """(sel) => { const e = document.querySelector(sel);
                          return e && e.innerText.includes('Sound: upload.wav'); }""",
            arg=READOUT)
        page.wait_for_function(f"(old) => JSON.stringify(({FINGERPRINT_JS})('{FIGURE}')) "
                               "!== JSON.stringify(old)", arg=before_pixels)
        assert "Sound: upload.wav, 64000 samples = 4 s at sr = 16000 Hz" in readout(page)
        status = page.inner_text(".main-explorer .mel-upload-status")
        assert "resampled from 44100 Hz to 16000 Hz" in status, status
        menu = page.locator(".main-explorer .mel-control-sound select")
        assert menu.input_value() == "upload.wav"
        shown = fingerprint(page)
        screenshot(page, "voila-upload")
        choose_file(page, {"name": "notes.txt", "mimeType": "text/plain",
                           "buffer": b"onset\toffset\tevent_label\n"})
        page.wait_for_function(
            """() => { const e = document.querySelector(
                           '.main-explorer .mel-upload-status');
                       return e && e.innerText.includes('notes.txt'); }""")
        status = page.inner_text(".main-explorer .mel-upload-status")
        assert "not an audio file" in status and "unchanged" in status, status
        assert menu.input_value() == "upload.wav"
        assert "Sound: upload.wav" in readout(page) and fingerprint(page) == shown
