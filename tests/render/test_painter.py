"""The server's chart painter: the browser's start is not counted as drawing time."""

from __future__ import annotations

import time
from typing import Any

import pytest

from twotier.render import _browser


def test_a_slow_browser_start_does_not_time_the_first_chart_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first chart waited ``timeout`` seconds for Chromium's start and its drawing
    together; a start longer than that answered "timed out" (a 503) on a busy machine."""
    started: list[float] = []

    def slow_browser(work: Any) -> None:
        time.sleep(3)  # a start longer than the drawing's limit below
        started.append(time.monotonic())
        work("page")

    monkeypatch.setattr(_browser, "browser", slow_browser)
    monkeypatch.setattr(_browser, "draw", lambda page, fig, fmt, ms: f"{page} {fmt}".encode())
    monkeypatch.setattr(_browser, "_chromium", lambda: "/usr/bin/chromium")
    painter = _browser.Painter(timeout=2)
    assert painter.draw({}, "svg") == b"page svg"
    assert started  # the drawing came after the start
    assert painter.draw({}, "png") == b"page png"  # the browser stays up
