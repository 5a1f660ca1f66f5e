"""A broken TWOTIER_CHROMIUM is an environment problem said in one line (review D20).

Before, only a missing path had its own message; ``/bin/false``, ``/bin/true``, a folder
or a file without the execute bit ended in ``internal error (TargetClosedError ...)`` or
``spawn EACCES``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from twotier.cli import main

pytest.importorskip("playwright")


def _program(tmp_path: Path, kind: str) -> str:
    if kind == "folder":
        return str(tmp_path)
    if kind == "not executable":
        path = tmp_path / "chromium"
        path.write_text("#!/bin/sh\nexit 0\n")
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        return str(path)
    return {"missing": str(tmp_path / "absent"), "device": os.devnull}.get(kind, kind)


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("missing", "does not exist"),
        ("folder", "is a folder"),
        ("not executable", "is not executable"),
        ("device", "is not a regular file"),
        ("/bin/false", "did not start as Chromium"),
        ("/bin/true", "did not start as Chromium"),
    ],
)
@pytest.mark.parametrize("out", ["c.svg", "r.pdf"])
def test_a_broken_chromium_is_one_line_naming_twotier_chromium_exit_1(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    said: str,
    out: str,
) -> None:
    if kind.startswith("/bin/") and not Path(kind).exists():
        pytest.skip(f"{kind} not on this machine")
    work = tmp_path / "work"
    work.mkdir()
    program = _program(tmp_path, kind)
    monkeypatch.setenv("TWOTIER_CHROMIUM", program)
    args = (
        ["chart", "map", "--threshold", "2", "--year", "2024"]
        if out.endswith(".svg")
        else ["report", "--policy", "article5", "--year", "2024"]
    )
    code = main([*args, "--out", str(work / out)])
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 1, err
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("twotier: error: TWOTIER_CHROMIUM: ") and said in lines[0], err
    assert program in lines[0] and "internal error" not in err
    assert list(work.iterdir()) == []  # nothing half-written
