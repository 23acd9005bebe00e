"""Keep the Japanese edition (notebooks/ja/) in step with the English notebooks (``make ja``).

Usage:
    python scripts/sync_ja.py                 # rewrite every Japanese twin, report its state
    python scripts/sync_ja.py --check         # only report; exit 1 if anything is stale or missing
    python scripts/sync_ja.py --accept notebooks/ja/03_mel.ipynb [CELL_ID ...]
                                              # record that these Japanese cells translate the
                                              # English text as it is now (all prose cells of
                                              # the notebook when no id is given)

The English notebook is the source of everything but the prose. For each notebooks/NN.ipynb the
twin notebooks/ja/NN.ipynb is rewritten as a copy of the English notebook (code, outputs, cell
ids, metadata) in which every Markdown cell is replaced by its Japanese translation, matched by
cell id. Each translated cell keeps, in ``metadata["translation"]["en_sha"]``, a hash of the
English text it translates. When the English cell changes, the hashes differ and the cell is
reported as *stale*; a cell that was never translated keeps the English text and is reported as
*untranslated*. Neither is silent: ``--check`` (and tests/test_japanese.py) fail on both.

So after editing an English chapter: ``make execute NB=...`` then ``make ja``; translate what it
lists, then ``--accept`` the notebook (or the cells).
"""

import argparse
import copy
import hashlib
import pathlib
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
EN = ROOT / "notebooks"
JA = EN / "ja"


def sha(text):
    """A short hash of an English cell's text (whitespace at the ends ignored)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def english_notebooks():
    return sorted(EN.glob("*.ipynb"))


def twin(path):
    return JA / path.name


def cell_state(en_cell, ja_cell):
    """'translated', 'stale' or 'untranslated' for a Markdown cell of the Japanese twin."""
    stamp = (ja_cell.metadata.get("translation") or {}).get("en_sha") if ja_cell else None
    if stamp is None:
        return "untranslated"
    return "translated" if stamp == sha(en_cell.source) else "stale"


def build(en_path):
    """The Japanese twin of one English notebook, and the state of each prose cell."""
    en = nbformat.read(en_path, as_version=4)
    old = {}
    if twin(en_path).exists():
        old = {c.get("id"): c for c in nbformat.read(twin(en_path), as_version=4).cells}
    ja = copy.deepcopy(en)
    ja.metadata["language_info"] = dict(en.metadata.get("language_info", {}))
    ja.metadata["translation"] = {"language": "ja", "source": f"../{en_path.name}"}
    states = {}
    for i, cell in enumerate(ja.cells):
        if cell.cell_type != "markdown":
            continue
        previous = old.get(cell.get("id"))
        if previous is not None and previous.cell_type == "markdown" and \
                (previous.metadata.get("translation") or {}).get("en_sha"):
            cell.source = previous.source
            cell.metadata["translation"] = dict(previous.metadata["translation"])
            if "attachments" in previous:
                cell["attachments"] = previous["attachments"]
        else:
            cell.metadata.pop("translation", None)
        states[cell.get("id")] = cell_state(en.cells[i], cell if "translation" in cell.metadata
                                            else None)
    return ja, states


def accept(ja_path, ids=()):
    """Stamp Japanese cells as translations of the English cells as they are now."""
    en = nbformat.read(EN / ja_path.name, as_version=4)
    ja = nbformat.read(ja_path, as_version=4)
    by_id = {c.get("id"): c for c in en.cells}
    stamped = 0
    for cell in ja.cells:
        if cell.cell_type != "markdown" or (ids and cell.get("id") not in ids):
            continue
        source = by_id.get(cell.get("id"))
        if source is None:
            raise SystemExit(f"{ja_path.name}: cell {cell.get('id')} has no English twin; "
                             "run `make ja` first")
        cell.metadata["translation"] = {"en_sha": sha(source.source)}
        stamped += 1
    nbformat.write(ja, ja_path)
    return stamped


def apply(ja_path, translations):
    """Write Japanese text into a twin's prose cells and stamp them, in one step.

    ``translations`` maps a cell id to its Japanese Markdown. Used by translators:
    ``sync_ja.apply(JA / "03_mel.ipynb", {"a5229ea8": "# メル尺度 ..."})``.
    """
    ja_path = pathlib.Path(ja_path)
    ja = nbformat.read(ja_path, as_version=4)
    cells = {c.get("id"): c for c in ja.cells}
    unknown = [i for i in translations if i not in cells or cells[i].cell_type != "markdown"]
    if unknown:
        raise ValueError(f"{ja_path.name}: no Markdown cell with id {unknown}")
    for cell_id, text in translations.items():
        cells[cell_id].source = text
    nbformat.write(ja, ja_path)
    return accept(ja_path, set(translations))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only; exit 1 on problems")
    parser.add_argument("--accept", metavar="JA_NOTEBOOK", help="stamp a twin's cells")
    parser.add_argument("ids", nargs="*", help="with --accept: only these cell ids")
    args = parser.parse_args(argv)
    if args.accept:
        n = accept(pathlib.Path(args.accept).resolve(), set(args.ids))
        print(f"{pathlib.Path(args.accept).name}: {n} cell(s) stamped as up to date")
        return 0
    JA.mkdir(exist_ok=True)
    problems = 0
    for en_path in english_notebooks():
        ja, states = build(en_path)
        if not args.check:
            nbformat.write(ja, twin(en_path))
        counts = {s: sum(v == s for v in states.values()) for s in
                  ("translated", "stale", "untranslated")}
        bad = [(i, s) for i, s in states.items() if s != "translated"]
        problems += len(bad) + (args.check and not twin(en_path).exists())
        print(f"{en_path.name}: {counts['translated']} translated, {counts['stale']} stale, "
              f"{counts['untranslated']} untranslated")
        for cell_id, state in bad:
            print(f"    {state}: cell {cell_id}")
    return 1 if (args.check and problems) else 0


if __name__ == "__main__":
    sys.exit(main())
