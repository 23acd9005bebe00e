"""Build the static HTML pages of the collection in _site/ (``make site``).

Usage: python scripts/build_site.py [--out DIR] [notebooks/NN_x.ipynb ...]

Every notebook in notebooks/ (sorted by name) becomes one page, rendered from
its STORED outputs (nothing is re-executed: run ``make execute`` first if a
notebook changed). The pages work offline, opened straight from disk
(``_site/index.html``) or from a local web server: no CDN, no require.js, no
fonts from the web. What the script does on top of nbconvert's 'lab' template:

- an index page with the table of contents in chapter order, and
  index / previous / next links at the top and bottom of every page;
- formulas ($...$ and $$...$$ in Markdown) typeset in the browser by MathJax 2.7,
  from one local copy in _site/mathjax/ (taken from the jupyter-server-mathjax
  package, the MathJax Jupyter serves) linked relatively from every page;
- explorer cells: the widget view is dropped from the outputs, so the static
  PNG of the explorer's default state (stored beside it) is what the page
  shows, not an empty widget box; widget state and JavaScript outputs are
  dropped too (there is no kernel behind a static page);
- exercise solutions (cells tagged "solution") are folded in a <details> box;
- links to other notebooks (``02_stft.ipynb``) point at their pages;
- the Japanese edition (notebooks/ja/, see scripts/sync_ja.py) becomes the same pages in
  _site/ja/, and every page links to its twin in the other language (English · 日本語);
- the teacher's guide, docs/teaching.md, becomes teaching.html, linked from the index.
"""

import argparse
import html
import pathlib
import re
import shutil
import sys

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter

ROOT = pathlib.Path(__file__).resolve().parent.parent
TITLE = "Mel Spectrograms, Step by Step"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DROPPED_MIMES = (WIDGET_VIEW, "application/javascript", "application/vnd.jupyter.widget-state+json")

# The 'lab' template with every remote script removed and the navigation added.
PAGE_TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{{ resources.site_mathjax }}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<style type="text/css">{{ resources.site_css }}</style>{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.site_nav }}
{%- endblock body_header -%}
{%- block body_footer -%}
{{ resources.site_nav }}
{{ super() }}
{%- endblock body_footer -%}
{% block codecell %}
{%- if 'solution' in cell.metadata.get('tags', []) -%}
<details class="site-solution"><summary>{{ resources.site_solution }}</summary>
{{ super() }}
</details>
{%- else -%}
{{ super() }}
{%- endif -%}
{% endblock codecell %}
"""

SITE_CSS = """
nav.site-nav { display: flex; justify-content: space-between; gap: 1em; margin: 0.5em auto;
  padding: 0.4em 1em; max-width: 1100px; font: 14px/1.4 system-ui, sans-serif;
  border-bottom: 1px solid #ddd; }
nav.site-nav a { text-decoration: none; color: #1a5fb4; }
nav.site-nav span.site-none { color: #aaa; }
nav.site-nav a.site-lang { font-weight: 600; }
details.site-solution { margin: 0.3em 0 0.3em 1em; }
details.site-solution > summary { cursor: pointer; color: #1a5fb4; font: 14px system-ui, sans-serif; }
"""

INDEX_CSS = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP",
  sans-serif; max-width: 52em; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.8em; margin-bottom: 0.2em; }
ol.toc { padding-left: 0; list-style: none; }
ol.toc li { margin: 0.9em 0; }
ol.toc a { font-size: 1.15em; text-decoration: none; color: #1a5fb4; }
ol.toc .question { color: #555; margin-top: 0.15em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
footer { margin-top: 3em; color: #666; font-size: 0.9em; }
code { background: #f3f3f3; padding: 0 0.2em; }
"""


# ---------------------------------------------------------------- formulas

# MathJax 2.7 from the jupyter-server-mathjax package (the copy Jupyter itself serves),
# trimmed to what the pages use: the TeX input, the HTML-CSS output with its STIX-Web
# fonts. The config file bundles the TeX/MathML input, the output jax, tex2jax and the
# AMS extensions; fonts and the few on-demand pieces below are fetched by the browser
# as a formula needs them. One shared copy in _site/mathjax/, linked relatively, so
# the pages work from file:// and from any local web server.
MATHJAX_DIR = "mathjax"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full"
MATHJAX_FILES = ("MathJax.js", f"config/{MATHJAX_CONFIG}.js", "LICENSE",
                 "jax/output/HTML-CSS/autoload/*.js",           # line breaking, menclose, ...
                 "jax/output/HTML-CSS/fonts/STIX-Web/**/*.js",  # font metrics, loaded per glyph range
                 "fonts/HTML-CSS/STIX-Web/woff/*.woff",         # the glyphs themselves
                 "jax/element/mml/optable/*.js",                # operator data for rarer symbols
                 "extensions/TeX/*.js")                         # \cancel, \boldsymbol, ... on demand

MATHJAX_HEAD = """
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
  jax: ["input/TeX", "output/HTML-CSS"],
  extensions: ["tex2jax.js"],
  tex2jax: {inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], displayMath: [["$$", "$$"], ["\\\\[", "\\\\]"]],
            processEscapes: true, processEnvironments: true},
  TeX: {equationNumbers: {autoNumber: "AMS", useLabelIds: true}},
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null,
               linebreaks: {automatic: true},
               // MathJax's placeholder font points at about:blank, which a file:// page
               // reports as a blocked (CORS) request: a local() name is the same "no font"
               styles: {"@font-face": {"font-family": "MathJax_Blank", src: "local('MathJax_Blank')"}}},
  MathMenu: {showLocale: false, showRenderer: false},
  menuSettings: {assistiveMML: false, CHTMLpreview: false},
  displayAlign: "center", messageStyle: "none", showMathMenu: false
});
// <html data-mathjax="done"> once every formula on the page is typeset (the tests wait for it)
MathJax.Hub.Register.StartupHook("End", function () {
  document.documentElement.setAttribute("data-mathjax", "done");
});
</script>
<script src="{url}/MathJax.js?config={config}"></script>
"""


def mathjax_source():
    """The folder of the MathJax 2.7 files shipped by jupyter-server-mathjax."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        raise SystemExit("error: the pages typeset formulas with MathJax from the "
                         "jupyter-server-mathjax package: pip install -r requirements.txt") from None
    return pathlib.Path(jupyter_server_mathjax.__file__).parent / "static"


def copy_mathjax(out_dir):
    """Copy the MathJax files the pages need into ``out_dir/mathjax``; returns its size in bytes."""
    return copy_files(mathjax_source(), pathlib.Path(out_dir) / MATHJAX_DIR, MATHJAX_FILES, "MathJax")


def copy_files(src, dest, patterns, what):
    """Copy the files matching each glob pattern under ``src`` to the same place under ``dest``
    (also used for reveal.js by scripts/build_slides.py); returns the bytes copied."""
    size = 0
    for pattern in patterns:
        files = sorted(src.glob(pattern))
        if not files:
            raise SystemExit(f"error: {what} file(s) {pattern} missing from {src}")
        for f in files:
            target = dest / f.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
            size += f.stat().st_size
    return size


# ------------------------------------------------------------ notebooks

def page_name(path):
    return path.stem + ".html"


def notebook_title(nb, path):
    """The first Markdown heading (without '#'), or the file name."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).replace("**", "").replace("`", "").replace("*", "").strip()
    return path.stem


def notebook_question(nb):
    """The chapter's question ("**The question:** ...", "**問い：**") as plain text, if any."""
    for cell in nb.cells[:3]:
        if cell.cell_type == "markdown":
            m = re.search(r"\*\*(?:The question:?|問い：?)\*\*[:：]?\s*(.+)", cell.source)
            if m:
                text = re.sub(r"\$([^$]+)\$", r"\1", m.group(1))
                text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
                text = text.replace("**", "").replace("`", "").strip()
                return text[:1].upper() + text[1:]
    return ""


def prepare(nb):
    """Make a notebook static: no widget views, no widget state, no JavaScript.

    Returns the indices of code cells that showed a widget but have no static image
    to show instead (they would be blank on the page).
    """
    nb.metadata.pop("widgets", None)
    blank = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        kept, had_any_widget = [], False
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data is not None:
                had_widget = WIDGET_VIEW in data
                had_any_widget |= had_widget
                for mime in DROPPED_MIMES:
                    data.pop(mime, None)
                # a widget's text/plain repr ("VBox(children=...)") alone means nothing on a page
                if not data or (had_widget and set(data) <= {"text/plain"}):
                    continue
            kept.append(out)
        cell.outputs = kept
        if had_any_widget and not any(k.startswith("image/") for o in kept
                                      for k in o.get("data", {})):
            blank.append(index)
    return blank


# What the pages say, per language; "other" is the folder of the other language's pages,
# relative to this language's folder.
LANGUAGES = {
    "en": {"prev": "← Previous", "next": "Next →", "contents": "Contents",
           "solution": "Solution (click to show)", "switch": "日本語", "other": "ja/",
           "title": TITLE},
    "ja": {"prev": "← 前へ", "next": "次へ →", "contents": "目次",
           "solution": "解答（クリックで表示）", "switch": "English", "other": "../",
           "title": "メルスペクトログラムを一歩ずつ"},
}


def nav_html(pages, i, lang="en", twin=None):
    """Previous / contents / next, and a link to the same page in the other language."""
    words = LANGUAGES[lang]

    def link(j, rel, label):
        if 0 <= j < len(pages):
            return (f'<a href="{page_name(pages[j][0])}" rel="{rel}">{label}: '
                    f'{html.escape(pages[j][1])}</a>')
        return f'<span class="site-none">{label}</span>'

    switch = (f'<a class="site-lang" href="{words["other"]}{twin}" hreflang='
              f'"{"ja" if lang == "en" else "en"}">{words["switch"]}</a>') if twin else ""
    return (f'<nav class="site-nav">{link(i - 1, "prev", words["prev"])}'
            f'<a href="index.html" rel="index">{words["contents"]}</a>{switch}'
            f'{link(i + 1, "next", words["next"])}</nav>')


def link_notebooks(page, names):
    """Links to another notebook (02_stft.ipynb, ./02_stft.ipynb#x) go to its page."""
    def fix(m):
        stem = m.group(2)
        return f'{m.group(1)}{stem}.html{m.group(3) or ""}"' if stem in names else m.group(0)
    return re.sub(r'(href=")(?:\./|notebooks/)?([\w.-]+)\.ipynb(#[^"]*)?"', fix, page)


GUIDE = ROOT / "docs" / "teaching.md"  # the teacher's guide: a page of its own, teaching.html
GUIDE_PAGE = "teaching.html"


def guide_html(path, names):
    """The teacher's guide (Markdown) as a page; its links to notebooks go to their pages."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    text = path.read_text(encoding="utf-8")
    title = re.search(r"^#\s+(.+)$", text, re.M).group(1).strip()
    body = markdown2html_mistune(text).replace('href="../notebooks/', 'href="')
    nav = '<nav class="site-nav"><a href="index.html" rel="index">Contents</a></nav>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)} · {LANGUAGES["en"]["title"]}</title>
<style>{INDEX_CSS}{SITE_CSS} a.anchor-link {{ margin-left: 0.3em; color: #bbb; text-decoration: none; }}</style>
</head>
<body>
{nav}
<main>
{link_notebooks(body, names)}
</main>
{nav}
</body>
</html>
"""


INDEX_TEXT = {
    "en": """<p>From a sine wave to the exact feature front end of the DCASE sound event detection baseline.
These pages show the notebooks as they were last executed: figures, sound and printed numbers.
To change a value and run a cell, open the notebooks themselves (<code>make lab</code>).</p>
<h2>Contents</h2>""",
    "ja": """<p>正弦波から、DCASE 音響イベント検出ベースラインの特徴量抽出部まで。
これらのページは、ノートブックを最後に実行したときの図、音、表示された数値をそのまま見せます。
値を変えてセルを実行するには、ノートブックそのものを開いてください（<code>make lab</code>）。</p>
<h2>目次</h2>""",
}
INDEX_FOOTER = {
    "en": "Built from the notebooks' stored outputs by <code>make site</code>.\n"
          "Code: MIT licence; prose and figures: CC BY 4.0.",
    "ja": "<code>make site</code> がノートブックに保存された出力から作りました。\n"
          "コードは MIT ライセンス、説明文と図は CC BY 4.0 です。",
}


def index_html(pages, lang="en", twin=False):
    words = LANGUAGES[lang]
    switch = (f'<p><a class="site-lang" href="{words["other"]}index.html" hreflang='
              f'"{"ja" if lang == "en" else "en"}">{words["switch"]}</a></p>') if twin else ""
    items = []
    for path, title, question in pages:
        q = re.sub(r"(?<![\w*])\*(\S[^*]*?)\*(?![\w*])", r"<em>\1</em>", html.escape(question))
        q = f'<div class="question">{q}</div>' if question else ""
        items.append(f'<li><a href="{page_name(path)}">{html.escape(title)}</a>{q}</li>')
    toc = "\n".join(items)
    guide = (f'<p class="guide">For teachers: <a href="{GUIDE_PAGE}">Teaching with this '
             "collection</a>, a 90-minute and a 45-minute route with what to project, what to "
             "move and what to ask.</p>") if lang == "en" and GUIDE.is_file() else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{words["title"]}</title>
<style>{INDEX_CSS}</style>
</head>
<body>
<main>
{switch}
<h1>{words["title"]}</h1>
{INDEX_TEXT[lang]}
<ol class="toc">
{toc}
</ol>
{guide}
<footer>{INDEX_FOOTER[lang]}</footer>
</main>
</body>
</html>
"""


def build(out_dir, paths):
    """Write one page per notebook and index.html into ``out_dir`` (emptied first), and the
    Japanese twins (notebooks/ja/ of the same names, where they exist) into ``out_dir/ja``.

    Returns ``(pages, blank)``: the English pages as (path, title, question) in order, and for
    each notebook (``ja/NAME`` for a twin) the indices of widget cells with no static image.
    """
    out_dir = pathlib.Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    copy_mathjax(out_dir)
    twins = [p.parent / "ja" / p.name for p in paths]
    twins = [t for t in twins if t.exists()]
    twin_names = {t.name for t in twins}
    pages, blank = build_language(out_dir, paths, "en", twin_names)
    if GUIDE.is_file():
        (out_dir / GUIDE_PAGE).write_text(guide_html(GUIDE, {p.stem for p in paths}),
                                          encoding="utf-8")
    if twins:
        _, blank_ja = build_language(out_dir / "ja", twins, "ja", {p.name for p in paths})
        blank.update({f"ja/{name}": cells for name, cells in blank_ja.items()})
    remote = [str(f.relative_to(out_dir)) for f in out_dir.rglob("*.html")
              if re.search(r'<(script|link|img|audio|source|iframe)[^>]+(src|href)="(https?:)?//',
                           f.read_text(encoding="utf-8"))]
    if remote:
        raise SystemExit(f"error: these pages load something from the network: {remote}")
    return pages, blank


def build_language(out_dir, paths, lang, twin_names):
    """The pages and the index of one language in ``out_dir``; ``twin_names`` are the notebook
    file names that have a page in the other language."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    notebooks = [(p, nbformat.read(p, as_version=4)) for p in paths]
    pages = [(p, notebook_title(nb, p), notebook_question(nb)) for p, nb in notebooks]
    names = {p.stem for p in paths}
    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"site.j2": PAGE_TEMPLATE})],
                            template_file="site.j2", exclude_anchor_links=True,
                            language_code=lang)
    mathjax_url = MATHJAX_DIR if lang == "en" else f"../{MATHJAX_DIR}"
    mathjax_head = MATHJAX_HEAD.replace("{url}", mathjax_url).replace("{config}", MATHJAX_CONFIG)
    blank = {}
    for i, (path, nb) in enumerate(notebooks):
        cells = prepare(nb)
        if cells:
            blank[path.name] = cells
            print(f"warning: {path.name}: widget cell(s) {cells} have no stored image; the page "
                  "shows nothing there. Store the explorer's static figure (re-execute).")
        nb.metadata["title"] = f"{pages[i][1]} · {LANGUAGES[lang]['title']}"
        twin = page_name(path) if path.name in twin_names else None
        resources = {"metadata": {"name": path.stem}, "site_nav": nav_html(pages, i, lang, twin),
                     "site_css": SITE_CSS, "site_mathjax": mathjax_head,
                     "site_solution": LANGUAGES[lang]["solution"]}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        (out_dir / page_name(path)).write_text(link_notebooks(body, names), encoding="utf-8")
    (out_dir / "index.html").write_text(index_html(pages, lang, twin=bool(twin_names)),
                                        encoding="utf-8")
    return pages, blank


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "_site"), help="output folder (default _site)")
    parser.add_argument("notebooks", nargs="*", help="default: every notebooks/*.ipynb")
    args = parser.parse_args(argv)
    paths = [pathlib.Path(p).resolve() for p in args.notebooks] or \
        sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not paths:
        raise SystemExit("no notebooks found in notebooks/")
    pages, _ = build(args.out, paths)
    out = pathlib.Path(args.out)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 1e6
    shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"{len(pages)} page(s) and index.html in {shown}/ ({size:.1f} MB). "
          f"Open {shown}/index.html in a browser.")


if __name__ == "__main__":
    sys.exit(main())
