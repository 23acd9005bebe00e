"""Execute notebooks top to bottom and store their outputs in place.

Usage: python scripts/execute_notebooks.py [notebooks/NN_name.ipynb ...]
With no argument, every notebook in notebooks/ is executed, in order.
The stored outputs are what nbval compares in `make test`.
"""

import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

ROOT = pathlib.Path(__file__).resolve().parent.parent


SOLUTION_FIRST_LINE = "# Solution: open it after you have tried the exercise."


def hide_if_solution(cell):
    """Fold a solution's code and its output: JupyterLab, Notebook 7 and VS Code honour
    ``jupyter.source_hidden`` / ``jupyter.outputs_hidden``, so the answer stays out of sight
    until the learner clicks the fold open."""
    if "solution" in cell.metadata.get("tags", []):
        cell.metadata.setdefault("jupyter", {}).update(source_hidden=True, outputs_hidden=True)
        # JupyterLab previews a folded cell's first line: let it give nothing away.
        if not cell.source.startswith(SOLUTION_FIRST_LINE):
            cell.source = SOLUTION_FIRST_LINE + "\n" + cell.source.removeprefix("# Solution\n")


def execute(path):
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    # No widget state in the file: its ids are random on every run and it holds the audio
    # again; the explorers store a static PNG of their default state instead.
    client = NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    nb.metadata.pop("widgets", None)
    start = time.perf_counter()
    client.execute()
    # Consecutive stdout (stderr) chunks become one output: how print output is split depends
    # on timing. nbconvert's preprocessor (it also drops text that a \r overwrote).
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    for cell in nb.cells:  # execution counts in order, no timing metadata: clean diffs
        cell.metadata.pop("execution", None)
        hide_if_solution(cell)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(args):
    paths = [pathlib.Path(a).resolve() for a in args] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        seconds = execute(path)
        size = path.stat().st_size / 1e6
        print(f"{path.name}: executed in {seconds:.1f} s, {size:.2f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
