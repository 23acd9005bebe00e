"""The notebooks' own conventions, read from the files (no kernel needed)."""

import json
import pathlib
import re

import pytest

# numbered chapters and their appendices (05b_...)
NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]*_*.ipynb"))


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solutions_hide_code_and_output(path):
    """A learner must not see an answer before trying: JupyterLab folds both when asked to."""
    solutions = [c for c in cells(path) if "solution" in c["metadata"].get("tags", [])]
    for cell in solutions:
        hidden = cell["metadata"].get("jupyter", {})
        assert hidden.get("source_hidden") is True, f"{path.name}: a solution's code is visible"
        assert hidden.get("outputs_hidden") is True, f"{path.name}: a solution's output is visible"
        # JupyterLab previews the first line of a folded input and of a folded output.
        first_line = "".join(cell["source"]).splitlines()[0]
        assert first_line.startswith("# Solution"), f"{path.name}: the fold previews {first_line!r}"
        outputs = cell.get("outputs", [])
        if outputs and outputs[0].get("output_type") == "stream":
            shown = [line for line in "".join(outputs[0]["text"]).splitlines() if line][:1]
            assert shown in ([], ["✅ Right!"]), f"{path.name}: the folded output previews {shown}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_has_an_exercise_and_a_japanese_summary(path):
    nb = cells(path)
    assert any("solution" in c["metadata"].get("tags", []) for c in nb), f"{path.name} has no exercise"
    assert any(c["cell_type"] == "markdown" and "まとめ" in "".join(c["source"]) for c in nb)


def literal_asterisks(source):
    """Pairs of '**' that a Markdown renderer prints as text instead of bold (for example
    ``**位相（phase）**を``: CommonMark does not close '**' after a full-width parenthesis
    that is followed by a letter). Formulas and code are left out."""
    import mistune

    source = re.sub(r"\$\$.*?\$\$", " ", source, flags=re.S)
    source = re.sub(r"\$[^$\n]*\$", " ", source)
    source = re.sub(r"```.*?```", " ", source, flags=re.S)
    html = re.sub(r"<code>.*?</code>", " ", mistune.create_markdown()(source), flags=re.S)
    return [html[max(0, m.start() - 30):m.end() + 30] for m in re.finditer(r"\*\*", html)]


ALL_PROSE = sorted(NOTEBOOKS + [p for p in (NOTEBOOKS[0].parent / "ja").glob("*.ipynb")])


@pytest.mark.parametrize("path", ALL_PROSE, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_bold_renders_as_bold(path):
    for cell in cells(path):
        if cell["cell_type"] == "markdown":
            shown = literal_asterisks("".join(cell["source"]))
            assert not shown, f"{path.name}, cell {cell.get('id')}: '**' shown as text: {shown[:2]}"
