"""Start the dashboard of this checkout, and optionally of an older one, on loopback.

Shared by ``bench_web.py`` and ``bench_browser.py``. The older checkout (to measure
the previous implementation in the same run) is a directory with its own ``.venv``,
e.g. ``git worktree add /tmp/old <commit> && (cd /tmp/old && bash scripts/setup-env web)``;
pass it as ``--old /tmp/old`` or ``TWOTIER_BENCH_OLD=/tmp/old``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(base: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(base + "/api/coverage?year=2024", timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start in 60 s")


@contextlib.contextmanager
def server(checkout: Path | None = None, args: tuple[str, ...] = ()) -> Iterator[str]:
    """Run ``twotier serve`` of ``checkout`` (default: this one); yield its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    python = sys.executable if checkout is None else str(checkout / ".venv" / "bin" / "python")
    env = {**os.environ, "TWOTIER_DATA_DIR": tempfile.mkdtemp(prefix="twotier-bench-")}
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout / "src")
    cmd = [python, "-m", "twotier.cli", "serve", "--port", str(port), *args]
    log = Path(env["TWOTIER_DATA_DIR"]) / "server.log"  # the server's messages, if any
    with log.open("wb") as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
    try:
        _wait(base, proc)
        print(f"# server {' '.join(cmd[1:4])} on {base}, log {log}", file=sys.stderr)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def old_checkout(argv: list[str]) -> Path | None:
    """The older checkout named by ``--old DIR`` or ``$TWOTIER_BENCH_OLD`` (or None)."""
    path = os.environ.get("TWOTIER_BENCH_OLD")
    if "--old" in argv:
        path = argv[argv.index("--old") + 1]
    if not path:
        return None
    checkout = Path(path).resolve()
    if not (checkout / ".venv" / "bin" / "python").exists():
        raise SystemExit(f"--old: {checkout} has no .venv (run scripts/setup-env web there)")
    return checkout
