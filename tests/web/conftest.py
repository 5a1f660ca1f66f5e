"""Fixtures of the browser tests: the dashboard on loopback and Debian's Chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import CHROMIUM
from twotier.render.report import CHROMIUM_ARGS


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The dashboard served on 127.0.0.1 (a free port) for the module's tests."""
    from werkzeug.serving import make_server

    from twotier.web.app import create_app

    httpd = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (skipped where it is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
