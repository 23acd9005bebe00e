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

ROOT = pathlib.Path(__file__).resolve().parent.parent


def coalesce_streams(outputs):
    """Merge consecutive stdout (or stderr) chunks: how print output is split depends on timing."""
    merged = []
    for out in outputs:
        if (out.output_type == "stream" and merged and merged[-1].output_type == "stream"
                and merged[-1].name == out.name):
            merged[-1].text += out.text
        else:
            merged.append(out)
    return merged


def hide_if_solution(cell):
    """Fold a solution's code and its output: JupyterLab, Notebook 7 and VS Code honour
    ``jupyter.source_hidden`` / ``jupyter.outputs_hidden``, so the answer stays out of sight
    until the learner clicks the fold open."""
    if "solution" in cell.metadata.get("tags", []):
        cell.metadata.setdefault("jupyter", {}).update(source_hidden=True, outputs_hidden=True)


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
    for cell in nb.cells:  # execution counts in order, no timing metadata: clean diffs
        cell.metadata.pop("execution", None)
        hide_if_solution(cell)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
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
