"""helpers/__init__.py: the flat API a learner uses, and the modules tab completion finds.

The names checked come from the package itself (``__all__``, its folder) and from the
notebooks' own code cells, never from a list typed here.
"""

import inspect
import json
import pathlib
import re
import subprocess
import sys

import pytest

import helpers

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
HEAVY = ("torch", "ipywidgets")  # what the lazy modules import, and `import helpers` must not


def _public_submodules():
    """Every public module or subpackage in helpers/, from the folder, not from helpers."""
    folder = ROOT / "helpers"
    return sorted({p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
                  | {p.name for p in folder.iterdir() if p.is_dir()
                     and not p.name.startswith("_") and (p / "__init__.py").exists()})


def _code_cells():
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                yield path.stem, "".join(cell["source"])


def _notebook_references():
    """(notebook, dotted name) for every helpers.X[.Y] and every `from helpers[.X] import Y`."""
    refs = set()
    for stem, source in _code_cells():
        for dotted in re.findall(r"\bhelpers((?:\.[A-Za-z_]\w*)+)", source):
            refs.add((stem, dotted.lstrip(".")))
        for module, names in re.findall(r"^\s*from helpers((?:\.\w+)*) import (\([^)]*\)|.+)",
                                        source, re.M):
            for name in re.split(r"[(),\s\\]+", names):
                if name:
                    refs.add((stem, (module.lstrip(".") + "." + name).lstrip(".")))
    return sorted(refs)


def _resolve(dotted):
    obj = helpers
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def test_notebooks_are_found():
    assert NOTEBOOKS and _notebook_references()


def test_import_helpers_stays_light_and_dir_lists_the_lazy_modules():
    # A fresh interpreter: in this one the lazy modules may already be imported.
    code = ("import sys, json, helpers; names = dir(helpers); "
            f"print(json.dumps([names, [m for m in {HEAVY!r} if m in sys.modules]]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    names, heavy_loaded = json.loads(out.splitlines()[-1])
    assert heavy_loaded == [], f"`import helpers; dir(helpers)` imported {heavy_loaded}"
    missing = [m for m in _public_submodules() if m not in names]
    assert not missing, f"dir(helpers) misses {missing} before they are imported"
    assert "Scaler" in names


@pytest.mark.parametrize("name", sorted(set(helpers.__all__)))
def test_every_name_in_all_is_listed_and_resolves(name):
    assert name in dir(helpers)
    assert getattr(helpers, name) is not None


@pytest.mark.parametrize("name", _public_submodules())
def test_every_submodule_resolves_from_helpers(name):
    module = getattr(helpers, name)
    assert inspect.ismodule(module) and module.__name__ == f"helpers.{name}"


def test_scaler_is_the_scaling_class():
    from helpers.scaling import Scaler
    assert helpers.Scaler is Scaler


def test_flat_names_are_the_module_functions_themselves():
    # helpers.plot_frames and helpers.plotting.plot_frames: one function, two spellings
    for name in helpers.__all__:
        obj = getattr(helpers, name)
        if inspect.isfunction(obj):
            home = sys.modules[obj.__module__]
            assert getattr(home, name) is obj, f"helpers.{name} is not {obj.__module__}.{name}"


@pytest.mark.parametrize("ref", _notebook_references(), ids=lambda r: f"{r[0]}:{r[1]}")
def test_every_helpers_name_a_notebook_uses_resolves(ref):
    stem, dotted = ref
    _resolve(dotted)  # AttributeError names what is missing


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'no_such_function'"):
        helpers.no_such_function
    assert not hasattr(helpers, "__wrapped__")
