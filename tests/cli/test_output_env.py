"""Where the output goes is the environment: a closed stdout, a full disk, a file in
the way of a folder each give one line (review D14)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from twotier.cli import main

COVERAGE = ["coverage", "--threshold", "2", "--year", "2024", "--edition", "2024-06"]
REPORT = ["report", "--policy", "article5", "--year", "2024", "--edition", "2024-06"]


def _cli(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    code = "import sys; from twotier.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        **kwargs,  # type: ignore[call-overload]
    )


def test_closed_stdout_is_one_line_naming_stdout_exit_1() -> None:
    """`twotier coverage ... >&-`: an internal error (AttributeError 'isatty') before."""
    done = _cli([*COVERAGE, "--format", "csv"], preexec_fn=lambda: os.close(1))
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stderr
    assert lines == ["twotier: error: stdout: cannot write the output (it is closed)"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_full_disk_behind_stdout_is_one_line_exit_1() -> None:
    with open("/dev/full", "w") as full:
        done = _cli([*COVERAGE, "--format", "csv"], stdout=full)
    assert done.returncode == 1, done.stderr
    # One line, and no 'Exception ignored' from Python flushing again at exit.
    assert done.stderr.strip().splitlines() == [
        "twotier: error: stdout: cannot write the output (No space left on device)"
    ]


def test_full_disk_for_out_names_out_and_the_path_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = Path.write_text

    def full_disk(self: Path, *args: object, **kwargs: object) -> int:
        if self.parent == tmp_path:
            real(self, "<html>half", encoding="utf-8")  # part written, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", full_disk)
    out = tmp_path / "r.html"
    code = main([*REPORT, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.strip().splitlines() == [
        f"twotier: error: --out: cannot write {out}: No space left on device"
    ]
    assert list(tmp_path.iterdir()) == []  # no partial file, no temporary file


def test_out_under_a_regular_file_says_it_is_not_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "x"
    afile.write_text("not a folder")
    code = main([*REPORT, "--out", str(afile / "y.html")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.strip().splitlines() == [
        f"twotier: error: --out: {afile} is not a folder (it is a file)"
    ]
    assert afile.read_text() == "not a folder"
