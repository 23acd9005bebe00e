"""Build a reveal.js slide deck per chapter in _slides/ (``make slides``), for use offline.

Usage: python scripts/build_slides.py [--out DIR] [--reveal DIR] [notebooks/NN_x.ipynb ...]

Each numbered chapter (notebooks/NN_*.ipynb) becomes one deck, NN_x.html, from its
STORED outputs (nothing is re-executed) and its cells' slide metadata
(``slideshow.slide_type``: slide, subslide, fragment, skip, notes; chosen for the
90-minute route of docs/teaching.md). The decks open from disk (file://) with no
network: reveal.js is a local copy (the npm package ``reveal.js``, installed by
``make slides`` into .reveal/ at a pinned version) in _slides/reveal.js/, formulas are
typeset by the local MathJax of the rendered site (jupyter-server-mathjax, see
scripts/build_site.py) in _slides/mathjax/, figures and sound players are embedded in
the page. Explorer cells show the stored picture of their start state; to move the
sliders in front of a room, use the classroom page (``make app``).

Keys: arrows or space to move, Esc for the overview, S for the speaker notes (exercise
solutions are there), F for full screen.
"""

import argparse
import html
import json
import pathlib
import re
import shutil
import sys

import nbformat
from jinja2 import DictLoader
from nbconvert import SlidesExporter

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import build_site  # noqa: E402  (the site's MathJax copy and static-notebook preparation)

ROOT = pathlib.Path(__file__).resolve().parent.parent
REVEAL_DIR = "reveal.js"  # inside the output folder
DEFAULT_REVEAL = ROOT / ".reveal" / "node_modules" / "reveal.js"
# what the decks use from the reveal.js package: its script, styles, the white theme and
# its fonts, the speaker-notes plugin
REVEAL_FILES = ("dist/reveal.js", "dist/reveal.css", "dist/theme/white.css",
                "dist/theme/fonts/source-sans-pro/*", "plugin/notes/notes.js", "LICENSE")
CHAPTER = re.compile(r"^\d\d[a-z]?_")

# nbconvert's reveal template with everything remote removed: no jQuery or require.js from
# a CDN (reveal.js is a plain script), no mermaid, no widget manager; MathJax from _slides/.
DECK_TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{{ resources.deck_mathjax }}{%- endblock html_head_js_mathjax -%}
{%- block html_head_css -%}<style type="text/css">{{ resources.deck_css }}</style>{%- endblock html_head_css -%}
{% block footer_js %}
<script src="{{ resources.reveal.url_prefix }}/dist/reveal.js"></script>
<script src="{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({
  controls: true, progress: true, hash: true, slideNumber: "c/t",
  transition: "none", plugins: [RevealNotes],
  width: {{ resources.reveal.width }}, height: {{ resources.reveal.height }}, margin: 0.02
}).then(function () {
  document.documentElement.setAttribute("data-deck", "ready");
});
// MathJax measures formulas on hidden slides wrongly: typeset the shown slide again
Reveal.on("slidechanged", function (event) {
  if (window.MathJax && MathJax.Hub) { MathJax.Hub.Queue(["Rerender", MathJax.Hub, event.currentSlide]); }
});
</script>
{% endblock footer_js %}
"""

# Taller-than-the-screen slides scroll instead of being cut off; solutions in the notes only.
DECK_CSS = """
.reveal .slides > section, .reveal .slides > section > section {
  height: 100%; overflow-y: auto; overflow-x: hidden; }
/* the stored figures are 72 dpi, for reading: shown larger, for the back of a room */
.reveal .jp-RenderedImage img { width: 85%; height: auto; max-height: 75vh; object-fit: contain; }
.reveal .jp-RenderedHTMLCommon table { font-size: 0.8em; }
.reveal .slides h1, .reveal .slides h2, .reveal .slides h3 { text-transform: none !important; }
"""


def reveal_source(path):
    """The reveal.js package folder, or a clear error saying how to install it."""
    path = pathlib.Path(path)
    if not (path / "dist" / "reveal.js").is_file():
        raise SystemExit(f"error: reveal.js is not in {path}: run `make slides` (it installs the "
                         "pinned npm package reveal.js into .reveal/), or pass --reveal DIR")
    return path


def copy_reveal(src, out_dir):
    """Copy the reveal.js files the decks use into ``out_dir/reveal.js``; returns the version."""
    build_site.copy_files(src, pathlib.Path(out_dir) / REVEAL_DIR, REVEAL_FILES, "reveal.js")
    return json.loads((src / "package.json").read_text(encoding="utf-8"))["version"]


def slide_counts(nb):
    """How many cells of each slide type a notebook has (cells without one count as '-')."""
    counts = {}
    for cell in nb.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def index_html(decks, version):
    items = "\n".join(f'<li><a href="{html.escape(name)}">{html.escape(title)}</a></li>'
                      for name, title in decks)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Slides · {build_site.TITLE}</title>
<style>body {{ font: 18px/1.5 system-ui, sans-serif; max-width: 44em; margin: 2em auto;
padding: 0 1em; }} li {{ margin: 0.5em 0; }} a {{ color: #1a5fb4; }}</style>
</head>
<body>
<h1>Slides · {build_site.TITLE}</h1>
<p>One deck per chapter, for the 90-minute route of the teacher's guide (docs/teaching.md).
Arrow keys or space move through a deck, Esc shows the overview, S opens the speaker notes
(the exercise solutions are there), F goes full screen. Everything is on disk: no network.</p>
<ol>
{items}
</ol>
<p><small>reveal.js {html.escape(version)} (MIT licence, in reveal.js/); MathJax in mathjax/.</small></p>
</body>
</html>
"""


def build(out_dir, paths, reveal=DEFAULT_REVEAL, width=1280, height=800):
    """Write one deck per notebook, index.html, reveal.js/ and mathjax/ into ``out_dir``.

    Returns the decks as ``[(file name, title), ...]`` in order.
    """
    src = reveal_source(reveal)
    out_dir = pathlib.Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    version = copy_reveal(src, out_dir)
    build_site.copy_mathjax(out_dir)
    mathjax_head = build_site.MATHJAX_HEAD.replace("{url}", build_site.MATHJAX_DIR) \
        .replace("{config}", build_site.MATHJAX_CONFIG)
    exporter = SlidesExporter(extra_loaders=[DictLoader({"deck.j2": DECK_TEMPLATE})],
                              template_file="deck.j2", exclude_anchor_links=True,
                              reveal_url_prefix=REVEAL_DIR, reveal_theme="white",
                              reveal_width=str(width),
                              reveal_height=str(height))
    decks = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        title = build_site.notebook_title(nb, path)
        blank = build_site.prepare(nb)  # explorers: their stored picture, no widget view
        if blank:
            print(f"warning: {path.name}: widget cell(s) {blank} have no stored image")
        nb.metadata["title"] = f"{title} · {build_site.TITLE}"
        resources = {"metadata": {"name": path.stem}, "deck_mathjax": mathjax_head,
                     "deck_css": DECK_CSS}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        name = path.stem + ".html"
        (out_dir / name).write_text(body, encoding="utf-8")
        decks.append((name, title))
    (out_dir / "index.html").write_text(index_html(decks, version), encoding="utf-8")
    remote = [f.name for f in out_dir.glob("*.html")
              if re.search(r'<(script|link|img|audio|source|iframe)[^>]+(src|href)="(https?:)?//',
                           f.read_text(encoding="utf-8"))]
    if remote:
        raise SystemExit(f"error: these decks load something from the network: {remote}")
    return decks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "_slides"), help="output folder (default _slides)")
    parser.add_argument("--reveal", default=str(DEFAULT_REVEAL),
                        help="the reveal.js npm package folder (default .reveal/node_modules/reveal.js)")
    parser.add_argument("notebooks", nargs="*", help="default: every numbered chapter in notebooks/")
    args = parser.parse_args(argv)
    paths = [pathlib.Path(p).resolve() for p in args.notebooks] or \
        sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if CHAPTER.match(p.name))
    decks = build(args.out, paths, reveal=args.reveal)
    out = pathlib.Path(args.out)
    shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"{len(decks)} deck(s) and index.html in {shown}/. Open {shown}/index.html in a browser.")


if __name__ == "__main__":
    sys.exit(main())
