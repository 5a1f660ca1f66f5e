"""The public API: exactly the names in ``__all__``, imported lazily and cheaply."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

import twotier

HEAVY = ("plotly", "dash", "dask", "distributed", "statsmodels", "SALib", "prim", "scoringrules")


def test_all_is_sorted_and_lists_exactly_the_exports() -> None:
    assert twotier.__all__ == sorted(twotier.__all__, key=lambda s: (not s.isupper(), s))
    assert set(twotier.__all__) == set(twotier._EXPORTS) | {"__version__"}
    public = {n for n in dir(twotier) if not n.startswith("_")}
    assert {n for n in public if not isinstance(getattr(twotier, n), types.ModuleType)} == set(
        twotier.__all__
    ) - {"__version__"}


@pytest.mark.parametrize("name", sorted(set(twotier.__all__) - {"__version__"}))
def test_every_name_resolves_to_the_object_of_its_module(name: str) -> None:
    import importlib

    module = importlib.import_module(twotier._EXPORTS[name])
    assert getattr(twotier, name) is getattr(module, name)


def test_type_checkers_see_the_same_names() -> None:
    tree = ast.parse(Path(twotier.__file__).read_text(encoding="utf-8"))
    block = next(
        n
        for n in tree.body
        if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING"
    )
    seen = {
        a.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for a in node.names
    }
    assert seen == twotier._EXPORTS


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        twotier.nope  # noqa: B018


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return {m.split(".")[0] for m in json.loads(out.splitlines()[-1])}


def test_version_imports_nothing_heavy() -> None:
    loaded = _modules_after("from twotier.cli import main; main(['--version'])")
    assert not loaded & {*HEAVY, "pandas", "numpy", "pandera", "typer", "rich"}


def test_import_twotier_is_cheap_and_coverage_does_not_load_the_models_libraries() -> None:
    assert not _modules_after("import twotier") & {*HEAVY, "pandas", "numpy"}
    loaded = _modules_after(
        "import contextlib, io\nfrom twotier.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['coverage', '--threshold', '2', '--year', '2024', '--format', 'json'])\n"
        "assert code == 0"
    )
    assert not loaded & set(HEAVY)
    # A question reads the checked CSV: no workbook reader, no schema library.
    assert not loaded & {"openpyxl", "pandera", "hypothesis", "statsmodels", "scipy", "filelock"}
