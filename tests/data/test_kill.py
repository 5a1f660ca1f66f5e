"""Kill tests: an import or a replace killed (SIGKILL, SIGTERM) at its worst moment
loses no edition and leaves no debris once the next command has run (D02, D19).

Each run is a real process. A small driver slows ``os.replace`` down after a chosen
rename and writes a mark file when it gets there, so the kill lands exactly in the
window between the two renames of a replace (or just after the staging folder is
made), not at a random time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from twotier.data import store

from .test_nato_workbook import GOOD, build_workbook

DRIVER = """
import os, sys, time
from pathlib import Path
from twotier.data import store

mark, stop_after, edition, workbook, replace = sys.argv[1:6]
real_replace, real_stage = os.replace, store._stage
calls = []

def pause():
    Path(mark).write_text("here")
    time.sleep(60)

def slow_replace(src, dst):
    real_replace(src, dst)
    calls.append(dst)
    if stop_after.startswith("replace") and len(calls) == int(stop_after[-1]):
        pause()

def slow_stage(staging, *args):
    Path(staging, "figures.csv").write_text("partial")
    if stop_after == "staging":
        pause()
    real_stage(staging, *args)

os.replace = slow_replace
store._stage = slow_stage
store.import_workbook(workbook, edition, replace=replace == "1")
"""


def _run_and_kill(tmp_path: Path, env: dict[str, str], args: list[str], sig: int) -> int:
    mark = tmp_path / "mark"
    mark.unlink(missing_ok=True)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    proc = subprocess.Popen(
        [sys.executable, str(driver), str(mark), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not mark.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            _, err = proc.communicate()
            pytest.fail(f"driver ended before the kill point: {err.decode()[-500:]}")
        time.sleep(0.05)
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    return proc.returncode


def _listing(user_dir: Path) -> list[str]:
    return sorted(p.name for p in (user_dir / "editions").iterdir() if p.name != ".lock")


@pytest.fixture()
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, dict[str, str]]:
    user_dir = tmp_path / "user-data"
    monkeypatch.setenv("TWOTIER_DATA_DIR", str(user_dir))
    env = {**os.environ, "TWOTIER_DATA_DIR": str(user_dir)}
    store.import_workbook(build_workbook(tmp_path / "old.xlsx", GOOD), "2030-01")
    rows = [list(r) for r in GOOD]
    rows[1][5] = 4.1  # a different 2025 figure for Lithuania in the new workbook
    return user_dir, build_workbook(tmp_path / "new.xlsx", rows), env


def _figures(user_dir: Path) -> str:
    return (user_dir / "editions" / "2030-01" / "figures.csv").read_text()


def _next_command_sees() -> list[str]:
    """What the next run sees (it repairs an interrupted replace on its first look),
    after it swept the leftovers."""
    seen = store.imported_editions()
    store.clean_debris()
    return seen


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_replace_killed_between_its_two_renames(
    tmp_path: Path, setup: tuple[Path, Path, dict[str, str]], sig: int
) -> None:
    user_dir, new, env = setup
    before = _figures(user_dir)
    code = _run_and_kill(tmp_path, env, ["replace1", "2030-01", str(new), "1"], sig)
    assert code != 0
    if sig == signal.SIGTERM:
        # SIGTERM runs the cleanup at once: the old edition is back, nothing else is left.
        assert _listing(user_dir) == ["2030-01"]
    assert _next_command_sees() == ["2030-01"]
    assert _figures(user_dir) == before
    assert _listing(user_dir) == ["2030-01"]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_import_killed_while_staging(
    tmp_path: Path, setup: tuple[Path, Path, dict[str, str]], sig: int
) -> None:
    user_dir, new, env = setup
    code = _run_and_kill(tmp_path, env, ["staging", "2030-02", str(new), "0"], sig)
    assert code != 0
    if sig == signal.SIGTERM:
        assert _listing(user_dir) == ["2030-01"]
    assert _next_command_sees() == ["2030-01"]
    assert _listing(user_dir) == ["2030-01"]
