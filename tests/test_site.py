"""The rendered pages (``make site``) open in a real browser, offline.

Builds the site into a temporary folder, opens it in Debian's chromium driven by
Playwright (one browser for all pages) and checks that every page loads with no
console error and no request to the network, that every image decoded, that
each chapter shows its figures and at least one audio player, that no empty
widget box is left, and that the navigation reaches every chapter.
"""

import importlib.util
import os
import pathlib
import re
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHAPTER = re.compile(r"^\d\d_")  # numbered chapters; explorer.ipynb and the like are extras
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

if not os.path.exists(CHROMIUM) and shutil.which("chromium"):
    CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason="chromium is missing: install it with `apt-get install -y chromium` "
                              "(Debian; Playwright's own browser download is not needed)"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="the playwright package is missing: pip install -r requirements.txt"),
]


def _load_build_site():
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    _, blank = _load_build_site().build(out, NOTEBOOKS)
    return out, blank


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--headless=new", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run"])
        yield b
        b.close()


class Visit:
    """One page opened with every non-local request blocked and every console error recorded."""

    def __init__(self, browser, url):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.errors, self.remote = [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)
        self.page.route(re.compile(r"^(https?|wss?|ftp)://"), self._block)
        self.page.goto(url, wait_until="load")

    def _request(self, request):
        if not request.url.startswith(LOCAL_SCHEMES):
            self.remote.append(request.url)

    def _block(self, route):
        self.remote.append(route.request.url)
        route.abort()

    def close(self):
        self.context.close()


def test_every_notebook_has_a_page(site):
    site, blank = site
    assert not blank, f"explorer cells without a static figure (notebook: cell indices): {blank}"
    assert NOTEBOOKS, "no notebooks in notebooks/"
    for nb in NOTEBOOKS:
        assert (site / f"{nb.stem}.html").is_file(), nb.name
    assert (site / "index.html").is_file()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_page_loads_offline_with_figures_and_sound(site, browser, nb):
    site, _ = site
    v = Visit(browser, (site / f"{nb.stem}.html").as_uri())
    try:
        page = v.page
        page.wait_for_function(
            "Array.from(document.images).every(i => i.complete)", timeout=20000)
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.naturalWidth, e.className, e.alt.slice(0, 40)])")
        broken = [alt or cls for w, cls, alt in images if w == 0]
        assert not broken, f"images that did not decode: {broken}"
        figures = [1 for _, cls, _ in images if "site-math" not in cls]
        n_audio = page.locator("audio").count()
        if CHAPTER.match(nb.stem):
            assert figures, "a chapter page without any figure"
            assert n_audio >= 1, "a chapter page without any <audio> player"
        for i in range(n_audio):  # the players have sound in them (an embedded WAV)
            src = page.locator("audio").nth(i).evaluate(
                "a => a.currentSrc || a.src || (a.querySelector('source') || {}).src || ''")
            assert src.startswith("data:audio/"), src[:40]
        if n_audio:  # ... and the browser decodes them: a duration in seconds
            page.wait_for_function(
                "Array.from(document.querySelectorAll('audio')).every(a => a.readyState >= 1)",
                timeout=20000)
            durations = page.eval_on_selector_all("audio", "els => els.map(a => a.duration)")
            assert all(d > 0 for d in durations), durations
        assert page.locator("script[type='application/vnd.jupyter.widget-view+json']").count() == 0
        assert page.locator("div.jupyter-widgets, .widget-box").count() == 0, "an empty widget box"
        assert "Loading widget" not in page.inner_text("body")
        assert page.locator("nav.site-nav a[rel='index']").count() == 2
        assert not v.errors, f"console errors: {v.errors}"
        assert not v.remote, f"requests to the network: {v.remote}"
    finally:
        v.close()


def test_navigation_reaches_every_chapter(site, browser):
    site, _ = site
    # from the index, the contents link to every page in chapter order ...
    v = Visit(browser, (site / "index.html").as_uri())
    try:
        hrefs = v.page.eval_on_selector_all("ol.toc a", "els => els.map(e => e.getAttribute('href'))")
        assert hrefs == [f"{p.stem}.html" for p in NOTEBOOKS]
        # ... and clicking "Next" from the first page walks through all of them, then stops
        v.page.click("ol.toc a >> nth=0")
        visited = [pathlib.Path(v.page.url).name]
        for _ in range(len(NOTEBOOKS) - 1):
            v.page.click("nav.site-nav a[rel='next'] >> nth=0")
            visited.append(pathlib.Path(v.page.url).name)
        assert visited == hrefs
        assert v.page.locator("nav.site-nav a[rel='next']").count() == 0
        if len(NOTEBOOKS) > 1:  # "Previous" goes back one chapter
            v.page.click("nav.site-nav a[rel='prev'] >> nth=0")
            assert pathlib.Path(v.page.url).name == hrefs[-2]
        v.page.click("nav.site-nav a[rel='index'] >> nth=0")
        assert pathlib.Path(v.page.url).name == "index.html"
        assert not v.errors and not v.remote, (v.errors, v.remote)
    finally:
        v.close()
