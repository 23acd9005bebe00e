"""Slides: the chapters' slide metadata, and the reveal.js decks ``make slides`` writes, offline.

The metadata is read from the files (no kernel): every cell of the chapters has a slide type,
titles and summaries are slides, learners' exercise cells are skipped and solutions are in the
speaker notes only, each chapter's explorer is on a slide. scripts/execute_notebooks.py keeps
the metadata when it stores outputs.

The decks are built into a temporary folder (scripts/build_slides.py, with the reveal.js that
``make slides`` / ``make reveal`` installs into .reveal/) and opened from disk in Debian's chromium
with every request that is not a local file aborted; the test moves through each deck with the
keyboard (Space: next slide, vertical ones included) and checks on every slide that its figures
decoded, its formulas were typeset by the local MathJax and its sound players hold sound.
"""

import importlib.util
import os
import pathlib
import re

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REVEAL = ROOT / ".reveal" / "node_modules" / "reveal.js"
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
# chapters whose slide metadata is set for the route of docs/teaching.md
ROUTE_CHAPTERS = ["00_start_here", "01_sampling", "02_stft", "03_mel", "04_decibels",
                  "05_scaling", "06_dcase_frontend", "07_listen"]
# the other chapters: a whole-chapter deck by the same rules
CHAPTERS = ROUTE_CHAPTERS + ["05b_scaling_at_scale", "08_porting", "09_from_file"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
RAW_TEX = ("$$", "\\begin{", "\\frac", "\\text{", "\\sum")


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(stem):
    return nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)


def slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type")


# ----------------------------------------------------------------- metadata

@pytest.mark.parametrize("stem", CHAPTERS)
def test_every_cell_has_a_slide_type_chosen_for_the_route(stem):
    nb = read(stem)
    types = [slide_type(c) for c in nb.cells]
    missing = [i for i, t in enumerate(types) if t is None]
    assert not missing, f"{stem}: cells without slideshow.slide_type: {missing}"
    assert set(types) <= SLIDE_TYPES, set(types) - SLIDE_TYPES
    assert types[0] == "slide", "the title cell opens the deck"
    summary = [i for i, c in enumerate(nb.cells)
               if c.cell_type == "markdown" and re.search(r"^## Summary", c.source, re.M)]
    assert summary and all(types[i] == "slide" for i in summary), "the summary is a slide"
    shown = [t for t in types if t not in ("skip", "notes")]
    assert types.count("slide") >= 3 and len(shown) >= 8, f"{stem}: a deck of {len(shown)} cells"
    for i, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags", [])
        if "solution" in tags:  # the answer never on a slide; the teacher has it in the notes
            assert types[i] in ("notes", "skip"), f"{stem} cell {i}: a solution on a slide"
        if cell.cell_type == "code" and re.search(r"^\w+ = \.\.\.", cell.source, re.M):
            assert types[i] == "skip", f"{stem} cell {i}: a learner's blank exercise on a slide"
        if cell.cell_type == "code" and "_explorer(" in cell.source:
            assert types[i] not in ("skip", "notes"), f"{stem} cell {i}: its explorer is hidden"
        if cell.cell_type == "markdown" and re.match(r"## ", cell.source):
            assert types[i] in ("slide", "skip"), f"{stem} cell {i}: a section that is no slide"


def test_execute_notebooks_keeps_the_slide_metadata(tmp_path):
    execute = _load("execute_notebooks").execute
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title", metadata={"slideshow": {"slide_type": "slide"}}),
                nbformat.v4.new_code_cell("print(6 * 7)", metadata={"slideshow": {"slide_type": "fragment"}}),
                nbformat.v4.new_code_cell("answer = 42", metadata={
                    "tags": ["solution"], "slideshow": {"slide_type": "notes"}})]
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    execute(path)
    out = nbformat.read(path, as_version=4)
    assert [slide_type(c) for c in out.cells] == ["slide", "fragment", "notes"]
    assert out.cells[1].outputs[0]["text"] == "42\n"  # it did run


# ----------------------------------------------------------------- the decks

needs_reveal = pytest.mark.skipif(
    not (REVEAL / "dist" / "reveal.js").is_file(),
    reason="reveal.js is not installed in .reveal/: run `make reveal` (npm; it downloads once, "
           ".ci/run does it before cutting the network)")
needs_browser = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason="chromium is missing: install it with `apt-get install -y chromium`"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="the playwright package is missing: pip install -r requirements.txt"),
    needs_reveal,
]


def shown_outputs(nb, mime):
    """How many cells on the slides have an output of this kind (``'image/png'``, ``'audio'``)."""
    return sum(1 for c in nb.cells if slide_type(c) not in ("skip", "notes")
               for o in c.get("outputs", [])
               if mime in o.get("data", {}) or mime in str(o.get("data", {}).get("text/html", "")))


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    paths = [ROOT / "notebooks" / f"{stem}.ipynb" for stem in CHAPTERS]
    built = _load("build_slides").build(out, paths, reveal=REVEAL)
    return out, built


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--headless=new", "--disable-gpu",
                                    "--disable-background-networking",
                                    "--disable-component-update", "--no-first-run"])
        yield b
        b.close()


# What the slide on screen shows: its images, players, formulas and any TeX left as text.
CURRENT_SLIDE_JS = """() => {
  const s = Reveal.getCurrentSlide();
  return {
    indices: Reveal.getIndices(),
    images: Array.from(s.querySelectorAll('img'), i => [i.complete, i.naturalWidth]),
    audio: Array.from(s.querySelectorAll('audio'), a => [a.readyState, a.duration]),
    math: s.querySelectorAll('.MathJax, .MathJax_Display').length,
    mathErrors: s.querySelectorAll('.MathJax .merror, .MathJax_Error').length,
    prose: Array.from(s.querySelectorAll('.jp-MarkdownOutput'), e => e.innerText).join('\\n'),
  };
}"""


@pytest.mark.parametrize("stem", CHAPTERS)
@needs_browser[0]
@needs_browser[1]
@needs_reveal
def test_deck_opens_offline_and_every_slide_shows_its_figures(decks, browser, stem):
    out, built = decks
    assert (out / "reveal.js" / "dist" / "reveal.js").is_file()
    assert (out / "mathjax" / "MathJax.js").is_file()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors, remote = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
            and errors.append(f"request failed: {r.url} ({r.failure})"))
    page.route(lambda url: not url.startswith(LOCAL_SCHEMES),
               lambda route: remote.append(route.request.url) or route.abort())
    try:
        page.goto((out / f"{stem}.html").as_uri(), wait_until="load")
        page.wait_for_selector("html[data-deck='ready']", state="attached", timeout=20000)
        page.wait_for_selector("html[data-mathjax='done']", state="attached", timeout=30000)
        n_slides = page.evaluate("() => Reveal.getTotalSlides()")
        nb = read(stem)
        expected = sum(slide_type(c) in ("slide", "subslide") for c in nb.cells)
        assert n_slides == expected, (n_slides, expected)
        seen, n_images, n_audio, n_math = [], 0, 0, 0
        for step in range(n_slides):
            page.wait_for_function(
                "() => Array.from(Reveal.getCurrentSlide().querySelectorAll('img'))"
                ".every(i => i.complete)", timeout=20000)
            page.wait_for_function(
                "() => Array.from(Reveal.getCurrentSlide().querySelectorAll('audio'))"
                ".every(a => a.readyState >= 1)", timeout=20000)
            slide = page.evaluate(CURRENT_SLIDE_JS)
            seen.append((slide["indices"]["h"], slide["indices"]["v"]))
            broken = [w for ok, w in slide["images"] if not ok or w == 0]
            assert not broken, f"slide {seen[-1]}: images that did not decode"
            assert all(d > 0 for _, d in slide["audio"]), f"slide {seen[-1]}: an empty player"
            assert not slide["mathErrors"], f"slide {seen[-1]}: formulas MathJax could not typeset"
            raw = [t for t in RAW_TEX if t in slide["prose"]]
            assert not raw, f"slide {seen[-1]}: TeX source visible: {raw}"
            n_images += len(slide["images"])
            n_audio += len(slide["audio"])
            n_math += slide["math"]
            if step == 0 and stem == ROUTE_CHAPTERS[0] and os.environ.get("MEL_SCREENSHOTS"):
                page.screenshot(path=str(pathlib.Path(os.environ["MEL_SCREENSHOTS"]) / "deck-00.png"))
            page.keyboard.press("Space")  # the next slide, vertical ones included
        assert len(set(seen)) == n_slides, "the keyboard did not reach every slide"
        assert page.evaluate("() => Reveal.isLastSlide()")
        assert n_images >= shown_outputs(nb, "image/png") >= 1, "figures missing from the deck"
        assert n_audio >= shown_outputs(nb, "<audio"), "sound players missing from the deck"
        if any(c.cell_type == "markdown" and "$" in c.source and slide_type(c) not in ("skip", "notes")
               for c in nb.cells):
            assert n_math >= 1, "formulas on the slides, none typeset"
        assert not errors, f"console errors: {errors}"
        assert not remote, f"requests to the network: {remote}"
    finally:
        context.close()


@needs_reveal
def test_the_decks_and_the_copied_libraries_need_no_network(decks):
    out, built = decks
    assert [name for name, _ in built] == [f"{s}.html" for s in CHAPTERS]
    for name, _ in built:
        text = (out / name).read_text(encoding="utf-8")
        # links in the prose may point at the web; nothing the page loads may
        assert not re.search(r'<(script|link|img|audio|source|iframe)[^>]+(src|href)="(https?:)?//',
                             text), name
        assert 'src="reveal.js/dist/reveal.js"' in text and "mathjax/MathJax.js" in text
    assert (out / "index.html").is_file()
