"""The production server of the dashboard: gunicorn with worker processes.

Why gunicorn and not waitress: a view update is CPU-bound Python (pandas, figure
building, JSON) that holds the GIL, so the threads of one process (waitress's model)
take turns on one core while gunicorn's pre-forked worker processes use every core.
The app is loaded once in the master before forking (``preload_app``), so workers
start at once and share the loaded data's memory. Each worker also runs a few threads
(``gthread``), so static files and slow clients do not queue behind a view being drawn.
gunicorn needs a POSIX system; on Windows run it under WSL.

Limits: request line and header sizes (gunicorn), request bodies over
:data:`MAX_BODY` refused with 413 (Flask), a worker that does not answer within
:data:`TIMEOUT` seconds is restarted, idle keep-alive connections close after
:data:`KEEPALIVE` seconds.
"""

from __future__ import annotations

import gc
import os
from typing import Any

__all__ = ["KEEPALIVE", "MAX_BODY", "TIMEOUT", "gunicorn_options", "serve"]

#: Largest request body, bytes (uploads of policy files are far smaller).
MAX_BODY = 4 * 1024 * 1024
#: Seconds a worker may take for one request before it is restarted.
TIMEOUT = 60
#: Seconds an idle keep-alive connection stays open.
KEEPALIVE = 5
#: Allocations between two collections of young objects in a worker (Python: 700).
GC_YOUNG = 5000


def default_workers() -> int:
    """One worker process per core available to this process (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def gunicorn_options(host: str, port: int, workers: int, threads: int = 4) -> dict[str, Any]:
    """Gunicorn settings of ``twotier serve`` (bind, workers, limits, timeouts)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "timeout": TIMEOUT,
        "graceful_timeout": 10,
        "keepalive": KEEPALIVE,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "backlog": 256,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }


def _application(options: dict[str, Any]) -> Any:
    from gunicorn.app.base import BaseApplication

    from twotier.web.app import create_app

    class Dashboard(BaseApplication):
        def __init__(self) -> None:
            self.options = options
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            server = create_app().server
            # Dash registers the paths of its JavaScript when it first renders the page;
            # done here, in the master, every forked worker knows them (otherwise a
            # worker that has not rendered the page answers its scripts with 500).
            server.test_client().get("/")
            # What is loaded now (modules, data, the page) lives as long as the server:
            # frozen out of the collector's generations, so a full collection in a worker
            # scans only what requests create; and young objects are collected every
            # GC_YOUNG allocations instead of 700 (a view update allocates tens of
            # thousands; benchmarks/bench_web.py measures the effect).
            gc.freeze()
            gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
            return server

    return Dashboard()


def serve(host: str = "127.0.0.1", port: int = 8050, *, workers: int | None = None) -> None:
    """Run the dashboard on gunicorn (binds to 127.0.0.1 by default)."""
    _application(gunicorn_options(host, port, workers or default_workers())).run()
