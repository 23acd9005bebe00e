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


def execute(path):
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    for cell in nb.cells:  # execution counts in order, no timing metadata: clean diffs
        cell.metadata.pop("execution", None)
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
