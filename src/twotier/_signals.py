"""SIGTERM as an exception inside critical sections, so their cleanup runs.

By default SIGTERM ends a Python process at once: ``finally`` blocks and ``except
BaseException`` handlers never run, and a half-written staging folder or temporary
file stays behind. Inside :func:`terminate_as_exit`, SIGTERM raises
``SystemExit(143)`` instead, so the code that restores an edition or removes a
temporary file runs before the process ends. (SIGKILL cannot be caught; what it
leaves is repaired by the next run, see :func:`twotier.data.store.recover`.)
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["terminate_as_exit"]


def _raise_exit(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def terminate_as_exit() -> Iterator[None]:
    """Within the block, SIGTERM raises ``SystemExit(143)``.

    Main thread only; elsewhere, where signal handlers cannot be set, the block
    runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
