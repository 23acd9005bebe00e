"""The Japanese edition (notebooks/ja/) is a faithful twin of the English notebooks.

- every English notebook has a Japanese twin with the same cells in the same order: the same
  code and the same stored outputs (so nbval runs on the English notebooks only);
- the headings align one to one (same number of headings, same levels, cell by cell);
- no prose cell is left in English, none is stale (its English source changed since it was
  translated: scripts/sync_ja.py keeps a hash of the English text in each Japanese cell);
- the Japanese text uses docs/glossary.md's terms: where an English chapter uses a glossary
  term, its twin uses one of the glossary's Japanese forms.
"""

import json
import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import sync_ja  # noqa: E402

EN = sorted((ROOT / "notebooks").glob("*.ipynb"))
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
ENGLISH_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def prose(text):
    """Markdown without code, formulas, links' targets, HTML tags and citations' URLs."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"https?://\S+", " ", text)


def headings(source):
    return [len(m.group(1)) for m in re.finditer(r"^(#{1,6})\s", source, flags=re.M)]


def pairs(path):
    twin = sync_ja.twin(path)
    assert twin.exists(), f"{twin.relative_to(ROOT)} is missing: run `make ja`"
    en, ja = load(path)["cells"], load(twin)["cells"]
    assert [c.get("id") for c in ja] == [c.get("id") for c in en], \
        f"{twin.name}: cells differ from {path.name}: run `make ja`"
    return list(zip(en, ja))


@pytest.mark.parametrize("path", EN, ids=lambda p: p.stem)
def test_code_and_outputs_are_the_english_ones(path):
    for en, ja in pairs(path):
        assert ja["cell_type"] == en["cell_type"]
        if en["cell_type"] == "code":
            assert ja["source"] == en["source"], f"{path.name}: code cell {en.get('id')} differs"
            assert ja["outputs"] == en["outputs"], f"{path.name}: outputs of {en.get('id')} differ"


@pytest.mark.parametrize("path", EN, ids=lambda p: p.stem)
def test_headings_align(path):
    for en, ja in pairs(path):
        if en["cell_type"] == "markdown":
            assert headings("".join(ja["source"])) == headings("".join(en["source"])), \
                f"{path.name}, cell {en.get('id')}: headings differ"


@pytest.mark.parametrize("path", EN, ids=lambda p: p.stem)
def test_every_prose_cell_is_translated_and_up_to_date(path):
    for en, ja in pairs(path):
        if en["cell_type"] != "markdown":
            continue
        stamp = (ja["metadata"].get("translation") or {}).get("en_sha")
        where = f"{path.name}, cell {en.get('id')}"
        assert stamp is not None, f"{where} is not translated"
        assert stamp == sync_ja.sha("".join(en["source"])), \
            f"{where}: the English changed since it was translated (stale)"
        text = prose("".join(ja["source"]))
        words = len(ENGLISH_WORD.findall(text))
        assert len(JAPANESE.findall(text)) >= words, f"{where} reads as English: {text[:120]!r}"


# Glossary words that are also everyday English verbs or nouns ("what the phase *means*",
# "frames *fit* in the signal", "a *reference* tone"): where they appear, the Japanese says what
# the sentence means, not the glossary's statistics term, so they are not matched word for word.
EVERYDAY = {"mean", "fit", "reference", "time", "power", "frame"}


def glossary():
    """(English forms, Japanese forms) of each row of docs/glossary.md's table."""
    rows = []
    for line in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if len(cells) != 5 or cells[0] in ("English", "---") or set(cells[0]) <= set("-: "):
            continue
        english = [re.sub(r"\(.*?\)|`", "", e).strip().lower()
                   for e in re.split(r",|/", cells[0])]
        japanese = [j.strip() for j in re.split(r"[／、（）()]", cells[1]) if j.strip()]
        rows.append(([e for e in english if len(e) > 2 and e not in EVERYDAY], japanese))
    return rows


def test_the_glossary_has_terms():
    assert len(glossary()) >= 40


@pytest.mark.parametrize("path", EN, ids=lambda p: p.stem)
def test_the_glossary_terms_are_used(path):
    en_text = " ".join(prose("".join(e["source"])) for e, _ in pairs(path)
                       if e["cell_type"] == "markdown").lower()
    ja_text = " ".join(prose("".join(j["source"])) for _, j in pairs(path)
                       if j["cell_type"] == "markdown")
    missing = []
    for english, japanese in glossary():
        if any(re.search(rf"\b{re.escape(e)}\b", en_text) for e in english):
            if not any(j in ja_text for j in japanese):
                missing.append(f"{english[0]} → {' / '.join(japanese)}")
    assert not missing, f"{path.name}: glossary terms not used in the Japanese text: {missing}"
