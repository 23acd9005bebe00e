"""Reproducibility check: a copy at another path, executed afresh, gives the stored outputs.

Usage: python scripts/check_reproducible.py [--keep] [notebooks/NN_x.ipynb ...]

1. Copies the repository's files (tracked and new, not ignored: what a clone
   has) to a temporary folder whose path differs from this one and contains a
   space, and imports ``helpers`` from that copy (PYTHONPATH), not from here.
2. Runs nbval on the copied notebooks: it executes each one afresh there and
   compares every code cell's outputs with the stored ones, after the same
   sanitising as ``make test`` (.nbval-sanitize.cfg); cells tagged
   nbval-ignore-output are skipped. nbval is the one comparison: this script
   adds only the other path.

Exit status 0 when everything matches; nbval prints the differences otherwise.
`make test` checks the stored outputs against a fresh run at this path; this
checks them at another path, in a fresh clone's layout. It costs one execution
of the suite (about `make notebooks`).
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

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
    # No MPLBACKEND here: the kernels must draw inline, as when the outputs were stored.
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["PYTHONPATH"] = str(clone)
    py = sys.executable
    try:
        print(f"copy at a different path: {clone}")
        check = subprocess.run([py, "-c", "import helpers; print(helpers.__file__)"], env=env,
                               cwd=clone / "notebooks", capture_output=True, text=True)
        if str(clone) not in check.stdout:
            print(f"helpers is not imported from the copy: {check.stdout}{check.stderr}")
            return 1
        nb_paths = [str(clone / "notebooks" / n) for n in names]
        nbval = subprocess.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                                "--nbval-current-env", "--nbval-sanitize-with",
                                ".nbval-sanitize.cfg", *nb_paths], cwd=clone, env=env)
        ok = nbval.returncode == 0
        print(f"reproducible at another path ({len(names)} notebook(s)): "
              + ("yes" if ok else "NO"))
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
