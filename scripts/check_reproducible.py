"""Reproducibility check: a copy at another path, executed afresh, gives the stored outputs.

Usage: python scripts/check_reproducible.py [--keep] [notebooks/NN_x.ipynb ...]

1. Copies the repository's files (tracked and new, not ignored: what a clone
   has) to a temporary folder whose path differs from this one and contains a
   space, and imports ``helpers`` from that copy (PYTHONPATH), not from here.
2. Executes every notebook there (scripts/execute_notebooks.py): execution 1.
3. Compares each code cell's TEXT outputs with the stored ones in this
   repository, after the same sanitising as nbval (.nbval-sanitize.cfg);
   cells tagged nbval-ignore-output are skipped, images are not compared.
4. Runs nbval on the freshly executed copy: execution 2 must equal execution 1.

Exit status 0 when everything matches; the differences are printed otherwise.
`make test` already checks stored outputs against a fresh run at this path;
this adds a different path and two fresh runs in a row. It costs two
executions of the suite (about twice `make notebooks`).
"""

import argparse
import configparser
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
SKIP = {".venv", ".git", "_site", "bench", "build", "__pycache__", ".hypothesis", ".pytest_cache"}


def repo_files():
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                             check=True, capture_output=True, text=True).stdout
        return [ROOT / f for f in out.splitlines() if (ROOT / f).is_file()]
    except (OSError, subprocess.CalledProcessError):
        return [p for p in ROOT.rglob("*") if p.is_file()
                and not SKIP.intersection(p.relative_to(ROOT).parts)]


def sanitizers():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / ".nbval-sanitize.cfg")
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


def text_outputs(cell, subs):
    texts, streams = [], {}
    for out in cell.get("outputs", []):
        if out.output_type == "stream":  # one stream may arrive in several chunks: join them
            streams[out.name] = streams.get(out.name, "") + out.text
        elif out.output_type in ("execute_result", "display_data"):
            data = out.get("data", {})
            if "text/plain" in data and not any(k.startswith("image/") for k in data):
                texts.append(data["text/plain"])
        elif out.output_type == "error":
            texts.append(f"error: {out.ename}: {out.evalue}")
    text = "\n".join([f"{name}: {t}" for name, t in sorted(streams.items())] + texts)
    for regex, replace in subs:
        text = regex.sub(replace, text)
    return text


def compare(stored_path, fresh_path, subs):
    stored = nbformat.read(stored_path, as_version=4)
    fresh = nbformat.read(fresh_path, as_version=4)
    problems = []
    if len(stored.cells) != len(fresh.cells):
        return [f"{stored_path.name}: {len(stored.cells)} cells stored, {len(fresh.cells)} fresh"]
    for i, (a, b) in enumerate(zip(stored.cells, fresh.cells)):
        if a.cell_type != "code" or "nbval-ignore-output" in a.metadata.get("tags", []):
            continue
        ta, tb = text_outputs(a, subs), text_outputs(b, subs)
        if ta != tb:
            problems.append(f"{stored_path.name} cell {i}:\n  stored: {ta[:300]!r}\n"
                            f"  fresh:  {tb[:300]!r}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    parser.add_argument("notebooks", nargs="*", help="default: every notebooks/*.ipynb")
    args = parser.parse_args(argv)
    names = [pathlib.Path(n).name for n in args.notebooks] or \
        sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="reproduce-"))
    clone = tmp / "another checkout" / "mel-spectrograms"
    for f in repo_files():
        dest = clone / f.relative_to(ROOT)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, dest)
    env = {**os.environ, "PYTHONPATH": str(clone), "MPLBACKEND": "Agg"}
    py = sys.executable
    try:
        print(f"copy at a different path: {clone}")
        check = subprocess.run([py, "-c", "import helpers; print(helpers.__file__)"], env=env,
                               cwd=clone / "notebooks", capture_output=True, text=True)
        assert str(clone) in check.stdout, f"helpers is not imported from the copy: {check}"
        nb_paths = [str(clone / "notebooks" / n) for n in names]
        subprocess.run([py, "scripts/execute_notebooks.py", *nb_paths], cwd=clone, env=env,
                       check=True)
        subs = sanitizers()
        problems = [p for n in names
                    for p in compare(ROOT / "notebooks" / n, clone / "notebooks" / n, subs)]
        for p in problems:
            print("DIFFERENT", p)
        print(f"text outputs, fresh execution vs stored: {len(names)} notebook(s), "
              f"{len(problems)} difference(s)")
        nbval = subprocess.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                                "--nbval-current-env", "--nbval-sanitize-with",
                                ".nbval-sanitize.cfg", *nb_paths], cwd=clone, env=env)
        ok = not problems and nbval.returncode == 0
        print("reproducible: " + ("yes" if ok else "NO"))
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
