"""Kill tests for reports and --out problems (D14, D19): a report killed while Chromium
prints it leaves no partial file and, after SIGTERM at once or after SIGKILL on the
next run, no hidden temporary file either."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import needs_browser
from twotier.cli import main
from twotier.render._browser import atomic


def _temporaries(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f".{name}.*"))


def _kill_while_printing(tmp_path: Path, out: Path, sig: int) -> bool:
    """Start a report, send ``sig`` once its temporary file exists; whether the signal
    landed before the report was moved into place (False: it finished first)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "twotier.cli", "report", "--policy", "two-tier-2pct",
         "--year", "2024", "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not _temporaries(tmp_path, out.name):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.communicate(timeout=60)
            pytest.skip("the report finished before it could be killed")
        time.sleep(0.02)
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    if out.exists():
        # A loaded machine can stall this test between seeing the temporary file and
        # sending the signal while the report completes: the file in place must then be
        # the whole PDF (never a partial one), and the kill is tried again.
        assert out.read_bytes().rstrip().endswith(b"%%EOF"), "a partial report in place"
        assert _temporaries(tmp_path, out.name) == []
        out.unlink()
        return False
    return True


@needs_browser
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["TERM", "KILL"])
def test_report_killed_while_printing(tmp_path: Path, sig: int) -> None:
    out = tmp_path / "out.pdf"
    for _ in range(5):
        if _kill_while_printing(tmp_path, out, sig):
            break
    else:
        pytest.skip("the report finished before the signal landed, five times")
    assert not out.exists()
    if sig == signal.SIGTERM:
        assert _temporaries(tmp_path, out.name) == []
    else:
        # The next run that writes this file removes what the killed one left.
        assert _temporaries(tmp_path, out.name)
        atomic(out, lambda tmp: tmp.write_bytes(b"%PDF-1.4 stand-in"))
        assert _temporaries(tmp_path, out.name) == []


def test_out_problems_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "d.html"
    folder.mkdir()
    cases = [
        (str(folder), "is a folder"),
        (str(tmp_path / ("a" * 300 + ".html")), "--out: cannot write"),
    ]
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "ro"
        locked.mkdir(mode=0o500)
        cases.append((str(locked / "r.html"), "--out: cannot write"))
    for out, fragment in cases:
        code = main(["report", "--policy", "two-tier-2pct", "--year", "2024", "--out", out])
        err = capsys.readouterr().err
        assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1, err
