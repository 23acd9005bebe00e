"""The classroom page (``make app``) in a real browser, driven with the keyboard like a teacher.

Serves notebooks/classroom.ipynb (a copy) with Voila and opens it in Debian's chromium through
Playwright: the n_mels slider is moved with the arrow keys, Tab reaches the explorer's Reset
button and Enter presses it, and the readout and the figure's pixels return to the start; then
the chapter menu swaps in chapter 01's explorer, and the "figures" switch redraws it in the
projector style (a 150 dpi image). Also: RISE presents chapter 01 as slides with a running
kernel. Reuses the servers and the browser of tests/test_browser.py.
"""

import pytest
from test_browser import (BIN, FIGURE, FINGERPRINT_JS, READOUT, TOKEN, browser, fingerprint,  # noqa: F401
                          free_port, move_n_mels_with_keyboard, new_page, readout, screenshot,
                          lab_command, start, stop, voila_page, wait_for_http, workdir)

NOTEBOOK = "classroom.ipynb"
RESET = ".main-explorer button.mel-reset"
SAMPLING_FIGURE = ".sampling-explorer img.mel-figure"


def image_width(page, selector):
    return page.evaluate("(sel) => { const i = document.querySelector(sel); "
                         "return i && i.complete ? i.naturalWidth : 0; }", selector)


def test_reset_with_the_keyboard_and_the_chapter_menu(workdir, browser):
    with voila_page(workdir, browser, NOTEBOOK, "voila-classroom.log") as page:
        assert page.locator(".classroom .mel-explorer").count() == 1  # one, built at start
        start_text, start_pixels = readout(page), fingerprint(page)
        moved_text = move_n_mels_with_keyboard(page)
        screenshot(page, "classroom-moved")

        # Tab from the slider to the Reset button (a <button>), then Enter.
        for _ in range(40):
            if page.evaluate("() => document.activeElement.classList.contains('mel-reset')"):
                break
            page.keyboard.press("Tab")
        assert page.evaluate("(sel) => document.activeElement.matches(sel)", RESET), \
            "Tab never reached the Reset button"
        page.keyboard.press("Enter")
        page.wait_for_function(
            """([sel, text]) => { const e = document.querySelector(sel);
                                  return e && e.innerText === text; }""",
            arg=[READOUT, start_text])
        page.wait_for_function(f"(old) => JSON.stringify(({FINGERPRINT_JS})('{FIGURE}')) "
                               "=== JSON.stringify(old)", arg=start_pixels)
        assert readout(page) == start_text != moved_text
        assert page.inner_text(".main-explorer .mel-control-n-mels .widget-readout") \
            .strip() == "128"
        screenshot(page, "classroom-reset")

        # The chapter menu swaps in chapter 01's explorer, built on demand.
        page.select_option(".classroom-chapter select", label="01 Sampling: aliasing")
        page.wait_for_function("(sel) => { const i = document.querySelector(sel); "
                               "return i && i.complete && i.naturalWidth > 0; }",
                               arg=SAMPLING_FIGURE)
        assert page.locator(".classroom .main-explorer").count() == 0
        assert "Nyquist" in page.inner_text(".sampling-explorer .mel-readout")
        reading_width = image_width(page, SAMPLING_FIGURE)
        screenshot(page, "classroom-sampling")

        # ... and the "figures" switch redraws it for a projector: 150 dpi, not 72.
        page.locator(".classroom-style button", has_text="projector").click()
        page.wait_for_function(
            "([sel, w]) => { const i = document.querySelector(sel); "
            "return i && i.complete && i.naturalWidth > w; }",
            arg=[SAMPLING_FIGURE, reading_width])
        projector_width = image_width(page, SAMPLING_FIGURE)
        assert round(projector_width / reading_width * 72) >= 150, \
            (reading_width, projector_width)
        screenshot(page, "classroom-sampling-projector")


def test_rise_presents_a_chapter_as_slides_with_a_running_kernel(workdir, browser):
    """RISE (jupyterlab-rise, pinned in requirements.txt) shows chapter 01 as slides from its
    slide metadata and runs a cell on a slide with a live kernel. Its explorer shows the
    explorer's picture there: jupyterlab-rise 0.43.1 does not display ipywidgets 8 widgets
    (jupyterlab-contrib/rise#119, #126), which is why the guide moves sliders on the classroom
    page."""
    import importlib.util
    import json

    if importlib.util.find_spec("jupyterlab_rise") is None:
        pytest.skip("jupyterlab-rise is not installed here (requirements.txt pins it)")
    nbdir, env, base = workdir
    cells = json.loads((nbdir / "01_sampling.ipynb").read_text(encoding="utf-8"))["cells"]
    kinds = [c["metadata"].get("slideshow", {}).get("slide_type") for c in cells]
    port = free_port()
    cmd = lab_command(workdir, port, "-rise")
    with open(base / "lab-rise.log", "w") as log:
        server = start(cmd, nbdir, env, log)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", server)
            context, page = new_page(browser)
            try:
                page.goto(f"http://127.0.0.1:{port}/rise/01_sampling.ipynb?token={TOKEN}",
                          wait_until="domcontentloaded")
                page.wait_for_selector(".reveal .slides section")
                cell = page.locator(".jp-CodeCell", has_text="sampling_explorer").first
                cell.wait_for(state="attached")
                n_sections = page.locator(".reveal .slides section").count()
                assert n_sections >= kinds.count("slide") + kinds.count("subslide")
                screenshot(page, "rise-title")
                # walk to the explorer's slide with the keyboard, select its cell, run it
                for _ in range(2 * n_sections):
                    if cell.is_visible():
                        break
                    page.keyboard.press("Space")
                assert cell.is_visible(), "Space never reached the explorer's slide"
                cell.dispatch_event("mousedown", {"button": 0})
                cell.dispatch_event("mouseup", {"button": 0})
                page.keyboard.press("Shift+Enter")
                page.wait_for_function(
                    "() => Array.from(document.querySelectorAll('.jp-CodeCell'))"
                    ".some(c => c.innerText.includes('sampling_explorer') && "
                    "c.querySelector('.jp-InputPrompt').innerText.trim() === '[1]:')")
                output = cell.locator(".jp-OutputArea-output img")
                output.first.wait_for(state="attached")
                assert output.first.get_attribute("src").startswith("data:image/png")
            finally:
                context.close()
        finally:
            stop(server)
