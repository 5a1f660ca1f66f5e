"""Static chart images: ``/chart/<kind>.svg?<state>`` (and ``.png``), drawn by the server.

The image is the publication export of chart ``kind`` (any of
:data:`twotier.render.kinds.KINDS`) for the dashboard state in the query (policy,
threshold, year, edition, uploaded rule and the view's own controls, e.g. ``allies``)
plus ``size`` (a preset of :data:`twotier.render.publish.SIZES`), the same as
``twotier chart``. Images
are drawn one at a time by one long-lived Chromium page per worker process and kept in
a bounded cache; bad state is a 400 with a one-line message, an unknown kind a 404.
Also the share data of a view: its link, an iframe snippet and the static image URL.
"""

from __future__ import annotations

import html
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Flask, jsonify, request

import twotier
from twotier.errors import EnvironmentProblem, TwotierError
from twotier.render import export, kinds
from twotier.render._browser import Painter
from twotier.render.publish import SIZES
from twotier.web.state import parse_state, policy_of

__all__ = ["MAX_IMAGES", "install", "share_snippets"]

#: Cached images per worker process (an SVG is about 30-60 kB, a PNG 60-150 kB).
MAX_IMAGES = 128
_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


class _Images:
    """A bounded, thread-safe LRU cache of drawn images."""

    def __init__(self) -> None:
        self.items: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self.lock = threading.Lock()
        self.painter = Painter()

    def get(self, key: tuple[Any, ...]) -> bytes | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: tuple[Any, ...], body: bytes) -> None:
        with self.lock:
            self.items[key] = body
            while len(self.items) > MAX_IMAGES:
                self.items.popitem(last=False)


def _split(query: str) -> tuple[str, str]:
    """The dashboard state and the ``size`` parameter of a query string."""
    pairs = parse_qsl(query, keep_blank_values=True)
    sizes = [v for k, v in pairs if k == "size"]
    state = urlencode([(k, v) for k, v in pairs if k not in ("size", "tab")])
    return state, (sizes[-1] if sizes else "1000")


def _image(images: _Images, kind: str, fmt: str, query: str) -> bytes:
    state_query, size = _split(query)
    if size not in SIZES:
        raise twotier.InputError(f"size: unknown size {size!r}; accepted: {', '.join(SIZES)}",
                                 field="size")  # fmt: skip
    state, problems = parse_state(state_query)
    if problems:
        raise twotier.InputError(problems[0])
    policy = policy_of(state)
    today = datetime.now(UTC).date()
    key = (kind, fmt, size, state, today, twotier.load_data().version)
    cached = images.get(key)
    if cached is not None:
        return cached
    options = {name: getattr(state, name) for name in kinds.OPTIONS if hasattr(state, name)}
    fig = kinds.build(kind, kinds.ChartRequest(policy, state.year, state.edition, options))
    body = export.chart_image(fig, fmt, size, painter=images.painter)
    images.put(key, body)
    return body


def install(server: Flask) -> None:
    """Add the ``/chart/<kind>.<fmt>`` route to the dashboard's Flask server."""
    images = _Images()

    @server.route("/chart/<kind>.<fmt>")
    def chart_image(kind: str, fmt: str) -> Any:
        if kind not in export.CHART_KINDS or fmt not in _TYPES:
            message = (f"chart: unknown chart {kind}.{fmt}; accepted: "
                       f"{', '.join(export.CHART_KINDS)} as .svg or .png")  # fmt: skip
            return jsonify({"error": message, "field": "kind"}), 404
        try:
            body = _image(images, kind, fmt, request.query_string.decode("utf-8", "replace"))
        except EnvironmentProblem as exc:
            return jsonify({"error": str(exc), "field": exc.field}), 503
        except TwotierError as exc:
            return jsonify({"error": str(exc), "field": exc.field}), 400
        except TimeoutError as exc:
            return jsonify({"error": f"chart: {exc}; try again"}), 503
        return server.response_class(
            body, mimetype=_TYPES[fmt], headers={"Cache-Control": "public, max-age=3600"}
        )


def share_snippets(base_url: str, query: str, kind: str = "ranking",
                   alt: str = "") -> dict[str, str]:  # fmt: skip
    """The link of a view, an iframe embed of it and the static image URL of a chart.

    ``base_url`` is where readers reach the server (e.g. ``https://charts.example.org``),
    ``query`` the view's state (``?policy=...&year=...``).
    """
    base = base_url.rstrip("/")
    query = query if query.startswith("?") or not query else f"?{query}"
    link = f"{base}/{query}"
    image = f"{base}/chart/{kind}.svg{query}"
    return {
        "link": link,
        "iframe": (f'<iframe src="{html.escape(link)}" title="twotier: {html.escape(kind)}" '
                   'width="100%" height="720" style="border:0" loading="lazy"></iframe>'),
        "image": image,
        "img": f'<img src="{html.escape(image)}" alt="{html.escape(alt)}">',
    }  # fmt: skip
