"""Replayed answers of the view callback: per process in memory, shared between workers.

The view callback is a pure function of the URL's query string (and of the loaded
data), so its JSON answer can be replayed: a repeated view costs a look-up instead of
rendering and serialising components again.

- In memory, per worker process: each answer with its gzip form (compressed once, not
  on every replay), bounded in bytes (request body, answer and gzip form counted),
  least recently used first out (review D15).
- On disk, shared by the worker processes of one server: the gzip form in a private
  temporary folder (``mkdtemp``, mode 0700) made before the workers are forked, so a
  view drawn by one worker is replayed by the others instead of drawn again. Bounded in
  bytes too: when the files add up to more than the budget, the oldest go. Files are
  named by a hash of the request and of the data, written to a temporary name and
  renamed (a reader never sees half a file); the folder is removed when the process
  that made it exits.
"""

from __future__ import annotations

import atexit
import gzip
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app, request

import twotier
from twotier.web.cache import ByteCache
from twotier.web.server import MAX_BODY

__all__ = ["MEMORY_BYTES", "SHARED_BYTES", "SharedFolder", "ViewCache", "data_token"]

#: Budget of the in-memory cache, per worker process (answers are ~75 kB + gzip).
MEMORY_BYTES = 64 * 1024 * 1024
#: Budget of the shared folder (gzip forms only, ~10 kB each).
SHARED_BYTES = 128 * 1024 * 1024


class SharedFolder:
    """Gzip answers in a private temporary folder, bounded in bytes (oldest out)."""

    PRUNE_EVERY = 32  # writes between two size checks

    def __init__(self, max_bytes: int = SHARED_BYTES, folder: Path | None = None) -> None:
        self.max_bytes = max_bytes
        self.folder = folder or Path(tempfile.mkdtemp(prefix="twotier-views-"))
        self.writes = 0
        if folder is None:
            atexit.register(self._remove, os.getpid())

    def _remove(self, owner: int) -> None:
        if os.getpid() == owner:  # forked workers inherit the handler; only the maker removes
            shutil.rmtree(self.folder, ignore_errors=True)

    def read(self, name: str) -> bytes | None:
        """The file ``name``, or None."""
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def write(self, name: str, data: bytes) -> None:
        """Store ``data`` as ``name`` (atomically); now and then drop the oldest files."""
        if len(data) > self.max_bytes:
            return
        temporary = self.folder / f".{name}.{os.getpid()}.tmp"
        try:
            temporary.write_bytes(data)
            os.replace(temporary, self.folder / name)
        except OSError:
            temporary.unlink(missing_ok=True)
            return
        self.writes += 1
        if self.writes % self.PRUNE_EVERY == 0:
            self.prune()

    def size(self) -> int:
        """Bytes held."""
        return sum(e.stat().st_size for e in os.scandir(self.folder) if e.is_file())

    def prune(self) -> None:
        """Remove the oldest files until the rest fit in the budget."""
        entries = []
        for entry in os.scandir(self.folder):
            try:
                stat = entry.stat()
            except OSError:
                continue  # removed by another worker meanwhile
            entries.append((stat.st_mtime_ns, stat.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            Path(path).unlink(missing_ok=True)
            total -= size


def data_token(data: Any, tokens: dict[int, str] = {}) -> str:  # noqa: B006 - a cache
    """A digest of the loaded data's content (the same in every worker process)."""
    key = data.version
    if key not in tokens:
        import pandas as pd

        digest = hashlib.sha256()
        for frame in (data.figures, data.editions, data.allies):
            digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
        tokens.clear()  # one data set at a time
        tokens[key] = digest.hexdigest()[:24]
    return tokens[key]


class ViewCache:
    """Replays answers of the view callback (``before_request``/``after_request`` hooks)."""

    OUTPUT = "..content.children..."

    def __init__(self, max_bytes: int = MEMORY_BYTES, shared: SharedFolder | None = None) -> None:
        self.items: ByteCache[tuple[bytes, bytes]] = ByteCache(max_bytes)
        self.shared = shared if shared is not None else SharedFolder()

    def key(self) -> tuple[bytes, int] | None:
        """Key of the current request (body, data), or None if not a view update."""
        if request.path != "/_dash-update-component" or request.method != "POST":
            return None
        if (request.content_length or 0) > MAX_BODY:  # refused with 413, not read
            return None
        body = request.get_data(cache=True)
        if self.OUTPUT.encode() not in body[:200]:
            return None
        return body, twotier.load_data().version

    @staticmethod
    def _name(body: bytes) -> str:
        return hashlib.sha256(body).hexdigest() + "-" + data_token(twotier.load_data())

    def _keep(self, key: tuple[bytes, int], raw: bytes, zipped: bytes) -> None:
        self.items.put(key, (raw, zipped), len(key[0]) + len(raw) + len(zipped))

    def get(self) -> Any:
        """The replayed answer to this request, or None (``before_request``)."""
        key = self.key()
        if key is None:
            return None
        hit = self.items.peek(key)
        if hit is None:
            zipped = self.shared.read(self._name(key[0]))
            if zipped is None:
                return None
            hit = (gzip.decompress(zipped), zipped)
            self._keep(key, *hit)
        raw, zipped = hit
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = current_app.response_class(zipped, mimetype="application/json")
            response.headers["Content-Encoding"] = "gzip"  # flask-compress leaves it
        else:
            response = current_app.response_class(raw, mimetype="application/json")
        response.headers["Vary"] = "Accept-Encoding"
        response.replayed = True  # type: ignore[attr-defined]
        return response

    def put(self, response: Any) -> Any:
        """Keep a drawn answer (``after_request``); returns ``response``."""
        if getattr(response, "replayed", False) or response.status_code != 200:
            return response
        key = self.key()
        if key is not None and not response.headers.get("Content-Encoding"):
            raw = response.get_data()
            zipped = gzip.compress(raw, compresslevel=6, mtime=0)
            self._keep(key, raw, zipped)
            self.shared.write(self._name(key[0]), zipped)
            if "gzip" in request.headers.get("Accept-Encoding", ""):
                # The gzip form just made is the answer (flask-compress leaves it): the
                # same bytes a replay sends, and the answer is compressed once, not twice.
                response.set_data(zipped)
                response.headers["Content-Encoding"] = "gzip"
                response.headers["Vary"] = "Accept-Encoding"
        return response
