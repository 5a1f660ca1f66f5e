"""Chromium through Playwright: print pages to PDF and draw figures to PNG/SVG, offline.

The system's Chromium (``TWOTIER_CHROMIUM``, default ``/usr/bin/chromium``) runs with
every request other than the local page refused. Output files are written beside the
target and moved into place only when complete: a failed run leaves no partial file.
"""

from __future__ import annotations

import base64
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import plotly.io
import plotly.offline

from twotier._signals import terminate_as_exit
from twotier.errors import EnvironmentProblem, InputError

__all__ = [
    "CHROMIUM_ARGS",
    "Painter",
    "atomic",
    "browser",
    "figure_page",
    "image_bytes",
    "plotly_head",
]

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


@cache
def plotly_head() -> str:
    """A ``<script>`` tag with plotly.js inlined.

    No requests: the map is a tile grid and needs no boundaries.
    """
    return f"<script>{plotly.offline.get_plotlyjs()}</script>"


def _sweep_stale(out: Path) -> None:
    """Remove temporary files of ``out`` left by killed runs.

    Only files whose process is gone; a running writer's file is kept.
    """
    for stale in out.parent.glob(f".{out.name}.*{out.suffix}"):
        pid = stale.name[len(out.name) + 2 :].split(".", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            stale.unlink(missing_ok=True)
        except OSError:
            continue


def _check_folder(out: Path) -> None:
    folder = out.parent
    if not folder.exists():
        raise InputError(f"out: folder {folder} does not exist", field="out")
    if not folder.is_dir():
        raise InputError(f"out: {folder} is not a folder (it is a file)", field="out")
    if out.is_dir():
        raise InputError(f"out: {out} is a folder; give a file name", field="out")


def atomic(out: Path, write: Callable[[Path], object]) -> Path:
    """Run ``write(tmp)`` on a temporary file beside ``out``, then move it into place.

    The temporary file is removed on any failure, including SIGTERM; one left by a
    killed run (SIGKILL) is removed by the next run that writes ``out``. A folder that
    cannot be written in is bad input (:class:`InputError`); a write that fails
    part-way (a full disk) is an :class:`EnvironmentProblem` naming ``out``.
    """
    out = Path(out)
    with terminate_as_exit():
        try:
            _check_folder(out)
            _sweep_stale(out)
            fd, tmp = tempfile.mkstemp(
                prefix=f".{out.name}.{os.getpid()}.", suffix=out.suffix, dir=out.parent
            )
        except OSError as exc:
            raise InputError(
                f"out: cannot write in {out.parent}: {exc.strerror or exc}", field="out"
            ) from exc
        os.close(fd)
        try:
            write(Path(tmp))
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual mode
            os.replace(tmp, out)
        except OSError as exc:  # e.g. ENOSPC, EDQUOT, EIO (review D14)
            Path(tmp).unlink(missing_ok=True)
            raise EnvironmentProblem(
                f"out: cannot write {out}: {exc.strerror or exc}", field="out"
            ) from exc
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return out


#: How to fix any problem with the browser, said after each.
_CHROMIUM_HINT = "apt-get install chromium, or set TWOTIER_CHROMIUM to Chromium's program"


def _chromium_problem(chromium: str, what: str) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"TWOTIER_CHROMIUM: PDF and image export need Chromium; {chromium} {what} "
        f"({_CHROMIUM_HINT})",
        field="TWOTIER_CHROMIUM",
    )


def _chromium() -> str:
    """The browser's program, checked before Playwright tries to start it (review D20)."""
    chromium = os.environ.get("TWOTIER_CHROMIUM", "/usr/bin/chromium")
    path = Path(chromium)
    if not path.exists():
        raise _chromium_problem(chromium, "does not exist")
    if path.is_dir():
        raise _chromium_problem(chromium, "is a folder, not a program")
    if not path.is_file():
        raise _chromium_problem(chromium, "is not a regular file")
    if not os.access(path, os.X_OK):
        raise _chromium_problem(chromium, "is not executable")
    return chromium


def _offline(route: Any) -> None:
    if route.request.url.startswith(("file://", "data:", "about:")):
        route.continue_()
    else:
        route.abort()


#: Longest start of Chromium, seconds (Playwright's launch timeout).
START_S = 60


def _launch(p: Any, chromium: str) -> Any:
    """Start Chromium; a program that is not a working Chromium is an environment problem.

    ``/bin/false`` exits at once, ``/bin/true`` exits without speaking the DevTools
    protocol: Playwright says so with one of its errors, mapped here to one line.
    """
    from playwright.sync_api import Error as PlaywrightError

    try:
        return p.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, timeout=START_S * 1000
        )
    except PlaywrightError as exc:
        first = (exc.message or str(exc)).strip().splitlines()[0][:120]
        raise _chromium_problem(
            chromium, f"did not start as Chromium ({type(exc).__name__}: {first})"
        ) from exc


def browser(work: Callable[[Any], None]) -> None:
    """Run ``work(page)`` in a fresh offline Chromium page."""
    from playwright.sync_api import sync_playwright

    chromium = _chromium()
    with sync_playwright() as p:
        b = _launch(p, chromium)
        try:
            context = b.new_context()
            context.route("**/*", _offline)  # offline by construction
            work(context.new_page())
        finally:
            b.close()


def figure_page(fig: dict[str, Any], fmt: str) -> str:
    """A page that draws ``fig`` and leaves its image as a data URL in ``window.exported``."""
    lay = fig["layout"]
    spec = plotly.io.to_json(fig, validate=False)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>" + plotly_head()
        + "</head><body style='margin:0'><div id='fig'></div><script>"
        f"var spec = {spec};"
        "Plotly.newPlot('fig', spec.data, spec.layout, {staticPlot: true})"
        f".then(gd => Plotly.toImage(gd, {{format: '{fmt}', width: {int(lay['width'])}, "
        f"height: {int(lay['height'])}}}))"
        ".then(url => {window.exported = url;})"
        ".catch(e => {window.exported = 'error:' + e;});</script></body></html>"
    )  # fmt: skip


def decode(url: str) -> bytes:
    """The bytes of a ``data:`` URL."""
    if url.startswith("error:"):
        raise RuntimeError(f"plotly could not draw the chart: {url[6:]}")
    header, payload = url.split(",", 1)
    if ";base64" in header:
        return base64.b64decode(payload)
    return unquote(payload).encode("utf-8")


def draw(page: Any, fig: dict[str, Any], fmt: str, timeout_ms: int = 30_000) -> bytes:
    """Draw ``fig`` as ``fmt`` (png, svg) in an open page."""
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "chart.html"
        page_file.write_text(figure_page(fig, fmt), encoding="utf-8")
        page.goto(page_file.as_uri())
        page.wait_for_function("window.exported !== undefined", timeout=timeout_ms)
        return decode(page.evaluate("window.exported"))


def image_bytes(fig: dict[str, Any], fmt: str) -> bytes:
    """``fig`` as PNG or SVG bytes, drawn by plotly.js in a fresh Chromium."""
    result: list[bytes] = []
    browser(lambda page: result.append(draw(page, fig, fmt)))
    return result[0]


class Painter:
    """One long-lived offline Chromium page in its own thread, for a server.

    Playwright's sync objects belong to the thread that made them, so every drawing is
    handed to that thread through a queue; callers wait at most ``timeout`` seconds
    for a drawing, plus the browser's start (up to :data:`START_S`) when it is not up
    yet. The browser starts on first use (after a server forks its workers).
    """

    def __init__(self, timeout: float = 20.0) -> None:
        import queue
        import threading

        self.timeout = timeout
        self._jobs: queue.Queue[Any] = queue.Queue(maxsize=16)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()  # the browser is up

    def _run(self) -> None:
        def work(page: Any) -> None:
            self._ready.set()
            while True:
                fig, fmt, done = self._jobs.get()
                try:
                    done.append(draw(page, fig, fmt, int(self.timeout * 1000)))
                except Exception as exc:  # handed back to the caller
                    done.append(exc)
                done[0].set()

        try:
            browser(work)
        except Exception as exc:  # the browser died: fail the waiting jobs at once
            while not self._jobs.empty():
                _, _, done = self._jobs.get_nowait()
                done.append(exc)
                done[0].set()

    def draw(self, fig: dict[str, Any], fmt: str) -> bytes:
        """``fig`` (already framed) as PNG or SVG bytes."""
        import queue
        import threading

        _chromium()  # a missing browser is an environment problem, said at once
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._ready.clear()
                self._thread = threading.Thread(target=self._run, daemon=True, name="painter")
                self._thread.start()
            # Chromium's start does not count against the drawing's time: on a busy
            # machine the first chart timed out while the browser was still starting.
            limit = self.timeout + (0.0 if self._ready.is_set() else START_S)
        event = threading.Event()
        done: list[Any] = [event]
        try:
            self._jobs.put((fig, fmt, done), timeout=self.timeout)
        except queue.Full:
            raise TimeoutError("chart renderer busy") from None
        if not event.wait(limit):
            raise TimeoutError("chart renderer timed out")
        result = done[1]
        if isinstance(result, Exception):
            raise result
        return bytes(result)
