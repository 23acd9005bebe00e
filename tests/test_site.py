"""The rendered pages (``make site``) open in a real browser, offline.

Builds the site into a temporary folder, opens it in Debian's chromium driven by
Playwright (one browser for all pages) and checks that every page loads with no
console error and no request to the network, that every image decoded, that
each chapter shows its figures and at least one audio player, that no empty
widget box is left, that MathJax (one local copy in _site/mathjax/) typesets every
formula, from disk and from a local web server, and that the navigation reaches
every chapter.
"""

import functools
import http.server
import importlib.util
import os
import pathlib
import re
import shutil
import threading

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHAPTER = re.compile(r"^\d\d[a-z]?_")  # chapters and appendices (05b_); explorer.ipynb is an extra
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

if not os.path.exists(CHROMIUM) and shutil.which("chromium"):
    CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason="chromium is missing: install it with `apt-get install -y chromium` "
                              "(Debian; Playwright's own browser download is not needed)"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="the playwright package is missing: pip install -r requirements.txt"),
    pytest.mark.skipif(importlib.util.find_spec("jupyter_server_mathjax") is None,
                       reason="the jupyter-server-mathjax package (MathJax for the pages) is missing: "
                              "pip install -r requirements.txt"),
]
DISPLAY_MATH_PAGE = "03_mel"   # its filterbank formula uses \begin{cases}, \text and \quad
INLINE_MATH_PAGE = "01_sampling"
# TeX that must never be visible as text once MathJax has typeset a page
RAW_TEX = ("$$", "\\begin{", "\\frac", "\\text{", "\\sum")


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

    def __init__(self, browser, url, local=LOCAL_SCHEMES):
        self.local = local
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.errors, self.remote = [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", self._failed)
        self.page.on("request", self._request)
        self.page.route(lambda u: not u.startswith(local), self._block)
        self.page.goto(url, wait_until="load")

    def _request(self, request):
        if not request.url.startswith(self.local):
            self.remote.append(request.url)

    def _failed(self, request):
        if request.failure != "net::ERR_ABORTED":  # not cut short by leaving the page
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _block(self, route):
        self.remote.append(route.request.url)
        route.abort()

    def wait_for_math(self):
        """Wait until MathJax has typeset the page; returns what it left behind."""
        from playwright.sync_api import TimeoutError

        assert self.page.locator("script[src$='MathJax.js?config=TeX-AMS-MML_HTMLorMML-full']").count() \
            == 1, "the page does not load MathJax"
        try:  # the site's MathJax config marks <html data-mathjax="done"> at the end
            self.page.wait_for_selector("html[data-mathjax='done']", state="attached", timeout=20000)
        except TimeoutError:
            pytest.fail(f"MathJax did not finish typesetting within 20 s; errors: {self.errors}")
        return self.page.evaluate("""() => ({
            inline: Array.from(document.querySelectorAll("span.MathJax"))
                         .filter(e => !e.closest("div.MathJax_Display")).length,
            display: document.querySelectorAll("div.MathJax_Display").length,
            errors: Array.from(document.querySelectorAll(".MathJax .merror, .MathJax_Error"),
                               e => e.textContent),
            // the prose (rendered Markdown), where formulas live; code may hold TeX on purpose
            text: Array.from(document.querySelectorAll(".jp-MarkdownOutput"),
                             e => e.innerText).join("\\n")})""")

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
        figures = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.naturalWidth, e.className, e.alt.slice(0, 40)])")
        broken = [alt or cls for w, cls, alt in figures if w == 0]
        assert not broken, f"images that did not decode: {broken}"
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
        math = v.wait_for_math()  # every formula typeset, none left as TeX source
        assert not math["errors"], f"formulas MathJax could not typeset: {math['errors']}"
        raw = [t for t in RAW_TEX if t in math["text"]]
        assert not raw, f"TeX source visible on the page: {raw}"
        assert not v.errors, f"console errors: {v.errors}"
        assert not v.remote, f"requests to the network: {v.remote}"
    finally:
        v.close()


@pytest.fixture(scope="module")
def server(site):
    """The site served over http://127.0.0.1 by a local web server (as `python -m http.server`)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site[0]))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("how", ["file", "http"])
def test_formulas_are_typeset_by_mathjax(site, browser, server, how):
    site, _ = site
    if how == "file":
        pages, local = {n: (site / f"{n}.html").as_uri() for n in (DISPLAY_MATH_PAGE, INLINE_MATH_PAGE)}, \
            LOCAL_SCHEMES
    else:
        pages = {n: f"{server}/{n}.html" for n in (DISPLAY_MATH_PAGE, INLINE_MATH_PAGE)}
        local = LOCAL_SCHEMES + (server + "/",)
    # the notebooks' Markdown holds the formulas this test looks for
    markdown = {n: "\n".join(c.source for c in nbformat.read(ROOT / "notebooks" / f"{n}.ipynb",
                                                              as_version=4).cells
                             if c.cell_type == "markdown") for n in pages}
    assert "\\begin{cases}" in markdown[DISPLAY_MATH_PAGE]
    assert re.search(r"(?<!\$)\$[^$\n]+\$", markdown[INLINE_MATH_PAGE]), "no inline formula"
    for name, url in pages.items():
        v = Visit(browser, url, local=local)
        try:
            # one shared copy of MathJax, linked relatively
            src = v.page.eval_on_selector("script[src*='MathJax.js']", "s => s.getAttribute('src')")
            assert src.startswith("mathjax/MathJax.js"), src
            math = v.wait_for_math()
            assert not math["errors"], math["errors"]
            raw = [t for t in RAW_TEX if t in math["text"]]
            assert not raw, f"TeX source visible on the page: {raw}"
            if name == DISPLAY_MATH_PAGE:
                assert math["display"] >= 1, "no display formula typeset"
                # the cases formula became a laid-out table, not a line of text
                cases = v.page.locator("div.MathJax_Display", has_text="Slaney")
                assert cases.count() >= 1, "the \\begin{cases} formula is missing"
                box = cases.first.bounding_box()
                assert box["height"] > 40, box
            else:
                assert math["inline"] >= 3, math  # formulas inside sentences
            # the math font came from the local copy
            fonts = v.page.evaluate("Array.from(document.fonts).filter(f => f.status == 'loaded')"
                                    ".map(f => f.family)")
            assert any("STIXMathJax" in f for f in fonts), f"no math font from mathjax/fonts: {fonts}"
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


JA_PAGES = [p for p in NOTEBOOKS if (p.parent / "ja" / p.name).exists()]


def test_every_japanese_twin_has_a_page_and_both_languages_link_to_each_other(site):
    site, blank = site
    assert JA_PAGES, "no Japanese twins in notebooks/ja/ (make ja)"
    for nb in JA_PAGES:
        en, ja = (site / f"{nb.stem}.html").read_text("utf-8"), \
            (site / "ja" / f"{nb.stem}.html").read_text("utf-8")
        assert f'href="ja/{nb.stem}.html" hreflang="ja"' in en, nb.name
        assert f'href="../{nb.stem}.html" hreflang="en"' in ja, nb.name
        assert '<html lang="ja"' in ja and '<html lang="en"' in en
    assert (site / "ja" / "index.html").is_file()


@pytest.mark.parametrize("nb", JA_PAGES[:1] + [p for p in JA_PAGES if p.stem == DISPLAY_MATH_PAGE],
                         ids=lambda p: p.stem)
def test_the_language_switch_works_offline(site, browser, nb):
    """From the English page to its Japanese twin and back, from disk, with nothing fetched:
    the Japanese page shows its figures, typesets its formulas and folds its solutions."""
    site, _ = site
    v = Visit(browser, (site / f"{nb.stem}.html").as_uri())
    try:
        v.page.click("nav.site-nav a.site-lang >> nth=0")
        assert v.page.url.endswith(f"/ja/{nb.stem}.html"), v.page.url
        v.page.wait_for_function("Array.from(document.images).every(i => i.complete)",
                                 timeout=20000)
        widths = v.page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        assert widths and all(w > 0 for w in widths), widths
        math = v.wait_for_math()
        assert not math["errors"] and not [t for t in RAW_TEX if t in math["text"]]
        text = v.page.inner_text("body")
        assert "まとめ" in text and "目次" in text
        solutions = v.page.locator("details.site-solution > summary")
        assert solutions.count() == 0 or solutions.first.inner_text() == "解答（クリックで表示）"
        v.page.click("nav.site-nav a.site-lang >> nth=0")
        assert v.page.url.endswith(f"/{nb.stem}.html") and "/ja/" not in v.page.url
        assert not v.errors, f"console errors: {v.errors}"
        assert not v.remote, f"requests to the network: {v.remote}"
    finally:
        v.close()
