"""The layers, read from the source (AST): what the shells may import from twotier.

The CLI and the dashboard import only the public API (``twotier``), its errors
(``twotier.errors``) and the presentation package (``twotier.render``), plus modules of
their own package; the CLI may also start the dashboard (``twotier.web``). Anything
else they need goes into the public API first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import twotier

SRC = Path(twotier.__file__).resolve().parent
ALLOWED = ("twotier.errors", "twotier.render")
OWN = {"cli": ("twotier.cli", "twotier.web"), "web": ("twotier.web",)}


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every import of a twotier module in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.ImportFrom):  # relative imports would hide the target
            found.append((node.lineno, "." * node.level + (node.module or ""), []))
    return sorted(f for f in found if f[1].split(".")[0] == "twotier" or f[1].startswith("."))


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def violations(shell: str) -> list[str]:
    bad = []
    for path in sorted((SRC / shell).rglob("*.py")):
        for line, module, names in _imports(path):
            where = f"{path.relative_to(SRC.parent)}:{line}"
            if module == "twotier":
                extra = [
                    n for n in names if n not in twotier.__all__ and n not in ("errors", "render")
                ]
                bad += [f"{where}: from twotier import {n} (not in __all__)" for n in extra]
            elif not _within(module, ALLOWED + OWN[shell]):
                bad.append(f"{where}: imports {module}")
    return bad


@pytest.mark.parametrize("shell", ["cli", "web"])
def test_shells_import_only_the_public_api(shell: str) -> None:
    assert violations(shell) == []


def test_the_check_finds_a_forbidden_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test above can fail: a shell module importing an internal module is reported.
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "bad.py").write_text(
        "import twotier\nfrom twotier.models.projection import engine\n"
        "def f():\n    from twotier.data.store import import_workbook\n"
        "from twotier import NatoData, _EXPORTS\nfrom . import x\n"
    )
    monkeypatch.setattr(f"{__name__}.SRC", tmp_path / "twotier")
    (tmp_path / "twotier").mkdir()
    (tmp_path / "twotier" / "web").symlink_to(tmp_path / "web")
    found = violations("web")
    assert [v.split(": ", 1)[1] for v in found] == [
        "imports twotier.models.projection",
        "imports twotier.data.store",
        "from twotier import _EXPORTS (not in __all__)",
        "imports .",
    ]
