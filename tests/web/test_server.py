"""``twotier serve``: gunicorn worker processes on loopback, with limits and timeouts."""

from __future__ import annotations

import http.client
import inspect
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from twotier.web import server


def test_defaults_bind_loopback_and_set_limits() -> None:
    from twotier.cli import serve as command
    from twotier.web.app import serve as app_serve

    for function in (server.serve, app_serve, command):
        assert inspect.signature(function).parameters["host"].default == "127.0.0.1"
    options = server.gunicorn_options("127.0.0.1", 8050, workers=3)
    assert options["bind"] == "127.0.0.1:8050" and options["workers"] == 3
    assert options["timeout"] == server.TIMEOUT > 0 and options["keepalive"] > 0
    assert options["limit_request_line"] <= 8190 and options["limit_request_fields"] <= 100


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from each process's ``/proc/<n>/stat``)."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while the list was read
            continue
        # The command name, in parentheses, may hold spaces: fields follow the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _start(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``twotier serve`` on a free port, once it answers (up to 180 s on a loaded machine).

    The port is found free a moment before gunicorn binds it; another program can take
    it in between, so a start refused for a busy port is tried on another one.
    """
    for _ in range(3):
        port = free_port()
        cmd = [sys.executable, "-m", "twotier.cli", "serve", "--port", str(port), "--workers", "2"]
        with log.open("wb") as err:
            proc = subprocess.Popen(cmd, env=env, stderr=err)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/api/coverage?year=2024", timeout=10) as r:
                    r.read()
                return proc, base
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.2)
        else:
            proc.terminate()
            proc.wait(timeout=30)
            pytest.fail(f"twotier serve did not answer within 180 s: {log.read_text()}")
        if proc.returncode != 1 or "--port" not in log.read_text():
            pytest.fail(f"twotier serve ended with {proc.returncode}: {log.read_text()}")
    pytest.fail(f"no free port found in three tries: {log.read_text()}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    env = {**os.environ, "TWOTIER_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    proc, base = _start(env, tmp_path_factory.mktemp("log") / "serve.log")
    try:
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_serve_runs_gunicorn_with_the_asked_workers(served: tuple[str, int]) -> None:
    base, pid = served
    with urllib.request.urlopen(base + "/", timeout=60) as r:
        assert r.headers["Server"].startswith("gunicorn")
    # The arbiter forks its workers one after another (and replaces one that a slow
    # machine timed out), so the count is read until it settles, for up to 60 s.
    counts = []
    for _ in range(300):
        counts.append(len(_children(pid)))
        if counts[-1] == 2:
            break
        time.sleep(0.2)
    assert counts[-1] == 2, counts


def test_every_worker_serves_every_script_of_the_page(served: tuple[str, int]) -> None:
    import re

    base, _ = served
    with urllib.request.urlopen(base + "/", timeout=60) as r:
        scripts = re.findall(r'src="([^"]+)"', r.read().decode())
    assert scripts

    def status(src: str) -> int:
        try:
            with urllib.request.urlopen(base + src, timeout=60) as r:
                return int(r.status)
        except urllib.error.HTTPError as exc:
            exc.close()
            return exc.code

    # Many at once on new connections, so both workers answer some of them.
    with ThreadPoolExecutor(12) as pool:
        codes = list(pool.map(status, scripts * 6))
    assert set(codes) == {200}, codes


def test_oversized_requests_are_refused_with_4xx(served: tuple[str, int]) -> None:
    base, _ = served
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    # The declared length is refused before the body is read.
    conn.putrequest("POST", "/_dash-update-component")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(server.MAX_BODY + 1))
    conn.endheaders(b"{}")
    assert conn.getresponse().status == 413
    conn.close()
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(base + "/api/coverage?year=2024&x=" + "a" * 9000, timeout=30)
    assert 400 <= info.value.code < 500
    info.value.close()


@pytest.mark.parametrize(
    ("args", "field"), [(["--workers", "0"], "--workers"), (["--port", "0"], "--port")]
)
def test_bad_serve_options_give_one_line_and_exit_2(args: list[str], field: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "twotier.cli", "serve", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert field in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "status", "field"),
    [
        (["--host", "no-such-host.invalid"], 2, "--host"),
        (["--host", "192.0.2.1"], 2, "--host"),  # TEST-NET-1: never an address of this machine
        (["--port", "BUSY"], 1, "--port"),
    ],
)
def test_unusable_addresses_give_one_line_before_gunicorn_starts(
    args: list[str], status: int, field: str
) -> None:
    """Review D25: a busy port or bad host gave gunicorn's log lines; now one line."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        args = [port if a == "BUSY" else a for a in args]
        if "--port" not in args:
            args += ["--port", port]
        done = subprocess.run(
            [sys.executable, "-m", "twotier.cli", "serve", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == status
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"twotier: error: {field}: "), done.stderr
