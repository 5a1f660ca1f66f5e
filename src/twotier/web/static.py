"""A lighter page: the partial plotly.js bundle, compressed responses, cache headers.

- ``dcc.Graph`` loads plotly.js from ``/_dash-component-suites/plotly/package_data/
  plotly.min.js`` when the first chart is drawn (unless ``window.Plotly`` exists). That
  URL is answered with ``static/plotly-twotier.min.js``: plotly.js built with only
  :data:`PLOTLY_TRACES` (``scripts/build-plotly-bundle``), 1.2 MB instead of 4.8 MB,
  gzip-compressed once. The page loads it at once with an ``async`` script, so it
  downloads and compiles while the layout and the first view are fetched, and
  ``dcc.Graph`` finds ``window.Plotly`` ready instead of loading it after them.
- Responses (HTML, JSON, JavaScript, CSS) are compressed (flask-compress; zstd, brotli
  or gzip as the browser accepts); compressed static files are kept, so each is
  compressed once per process.
- Cache headers: files whose URL names their version (Dash's fingerprinted bundles,
  assets linked with ``?m=<mtime>``) are cached for a year; other static files for an
  hour, then revalidated (ETag).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

__all__ = ["BUNDLE", "PLOTLY_TRACES", "PLOTLY_URL", "install"]

#: Trace types in the partial bundle (the tests check every chart uses only these).
PLOTLY_TRACES = ("scatter", "bar", "heatmap")

BUNDLE = Path(__file__).parent / "static" / "plotly-twotier.min.js"
PLOTLY_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
_PLOTLY_PATH = re.compile(
    r"^/_dash-component-suites/plotly/package_data/plotly(\.v[\w.]+)?\.min\.js$"
)

COMPRESSED_TYPES = [
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
    "image/svg+xml",
]  # fmt: skip
YEAR = 31_536_000
HOUR = 3600


class _StaticCache:
    """flask-compress cache backend: keeps compressed GET responses of static files only."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.data.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.split(";", 1)[1].startswith("static:") and len(self.data) < 256:
            self.data[key] = value


def _cache_key(req: Any) -> str:
    if req.method == "GET" and req.path.startswith(("/_dash-component-suites/", "/assets/")):
        return f"static:{req.full_path}"
    return "dynamic"


class _Bundle:
    """The partial plotly bundle, read and gzip-compressed once."""

    def __init__(self) -> None:
        self.raw = BUNDLE.read_bytes()
        self.gzipped = gzip.compress(self.raw, compresslevel=9, mtime=0)
        self.etag = hashlib.sha256(self.raw).hexdigest()[:20]

    def response(self) -> Response:
        if request.if_none_match.contains(self.etag):
            return Response(status=304)
        zipped = "gzip" in request.headers.get("Accept-Encoding", "")
        response = Response(self.gzipped if zipped else self.raw, mimetype="text/javascript")
        if zipped:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        response.set_etag(self.etag)
        # The URL does not name the version: cache for a day, then revalidate.
        response.cache_control.public = True
        response.cache_control.max_age = 24 * HOUR
        return response


def _cache_headers(response: Response) -> Response:
    path = request.path
    if request.method != "GET" or response.status_code != 200:
        return response
    if path.startswith("/assets/") or path.startswith("/_dash-component-suites/"):
        # Read a file response into memory (and close the file): it is compressed once
        # and kept, instead of streamed and compressed on every request.
        if not response.is_sequence:
            body = response.response
            response.direct_passthrough = False
            data = b"".join(response.iter_encoded())
            getattr(body, "close", lambda: None)()
            response.set_data(data)
        response.cache_control.public = True
        response.cache_control.no_cache = None
        versioned = "m" in request.args or re.search(r"\.v[\w]+m\d+\.", path)
        if not response.cache_control.max_age:
            response.cache_control.max_age = YEAR if versioned else HOUR
    return response


def install(server: Flask) -> None:
    """Serve the partial bundle, compress responses and set cache headers on ``server``."""
    from flask_compress import Compress

    bundle = _Bundle()

    @server.before_request
    def plotly_bundle() -> Any:
        if request.method == "GET" and _PLOTLY_PATH.match(request.path):
            return bundle.response()
        return None

    server.config.update(
        COMPRESS_MIMETYPES=COMPRESSED_TYPES,
        COMPRESS_LEVEL=6,
        COMPRESS_MIN_SIZE=1024,
        COMPRESS_CACHE_BACKEND=_StaticCache,
        COMPRESS_CACHE_KEY=_cache_key,
    )
    Compress(server)
    server.after_request(_cache_headers)  # runs before compression (reverse order)


def early_scripts() -> str:
    """The plotly bundle as an ``async`` script (runs while the page starts)."""
    return f'<script src="{PLOTLY_URL}" async></script>'
