"""Screenshots of every dashboard view at desktop (1440x900) and phone (390x844) size.

Usage: .venv/bin/python scripts/screenshots.py [folder]   (default docs/screenshots)

Starts the dashboard on a free loopback port, opens each view of the registry in
Debian's Chromium (Playwright) and saves ``<view>.png`` and ``<view>-phone.png``.
The Coverage view is also taken with an ally picked (``coverage-explain.png``).
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from twotier.render.report import CHROMIUM_ARGS
from twotier.web.app import create_app
from twotier.web.registry import views

SIZES = {"": {"width": 1440, "height": 900}, "-phone": {"width": 390, "height": 844}}


def main(folder: Path) -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    folder.mkdir(parents=True, exist_ok=True)
    httpd = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    shots = [(v.id, f"?tab={v.id}") for v in views()]
    shots.append(("coverage-explain", "?ally=ESP&whatif=2.1"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, query in shots:
            for suffix, viewport in SIZES.items():
                page = browser.new_page(viewport=viewport)
                page.goto(f"{base}/{query}")
                page.wait_for_selector("#content > *", timeout=120_000)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(2000)
                page.screenshot(path=str(folder / f"{name}{suffix}.png"))
                page.close()
                print(folder / f"{name}{suffix}.png")
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
