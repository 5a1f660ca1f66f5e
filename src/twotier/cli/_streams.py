"""The CLI's output streams: stdout, stderr and rich's console, with one-line failures.

A closed or failing stdout is an environment problem naming stdout (exit 1); a broken
pipe (``| head``) ends a command quietly; the library's warnings go to the current
stderr as plain lines.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from twotier.errors import EnvironmentProblem

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["LazyConsole", "Stdout", "discard_unflushed", "warnings_to_stderr"]


@functools.cache
def _console_class() -> type[Console]:
    """Rich's console class for the CLI (rich imported on first use)."""
    from rich.console import Console

    class Console_(Console):
        """rich's console, but a broken pipe (``| head``) ends the command quietly.

        rich answers a broken pipe with ``SystemExit(1)``; raising BrokenPipeError lets
        :func:`main` end with status 0, as for any other write to a closed pipe.
        """

        def on_broken_pipe(self) -> None:
            raise BrokenPipeError(errno.EPIPE, "broken pipe")

    return Console_


class LazyConsole:
    """The CLI's rich console, made when something other than its file is used.

    JSON and CSV output only write to ``console.file``; rich (~20 ms to import) is
    then never imported. Every other attribute is the real console's.
    """

    def __init__(self, file: Any, **options: Any) -> None:
        self._file = file
        self._options = options
        self._console: Console | None = None

    @property
    def file(self) -> Any:
        """The stream written to, found as rich's ``Console.file`` finds it."""
        if self._console is not None:
            return self._console.file
        from_proxy = getattr(self._file, "rich_proxied_file", self._file)
        return from_proxy if from_proxy is not None else self.__getattr__("file")

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            self._console = _console_class()(file=self._file, **self._options)
        return getattr(self._console, name)


class Stdout:
    """``sys.stdout`` while a command runs: a closed or failing stdout names stdout.

    ``>&-`` or a full disk behind ``> file`` is an environment problem (exit 1, one
    line), not an internal error (review D14).

    A broken pipe (``| head``) stays a BrokenPipeError, which ends the command quietly.
    """

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def _problem(self, exc: OSError | None) -> EnvironmentProblem:
        why = "it is closed" if exc is None else (exc.strerror or str(exc))
        return EnvironmentProblem(f"stdout: cannot write the output ({why})", field="stdout")

    def write(self, text: str) -> int:
        if self.stream is None:
            raise self._problem(None)
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._problem(exc) from exc

    def flush(self) -> None:
        if self.stream is None:
            return
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._problem(exc) from exc

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"

    def __getattr__(self, name: str) -> Any:
        if self.stream is None:
            raise self._problem(None)
        return getattr(self.stream, name)


def discard_unflushed(stream: TextIO | None) -> None:
    """After a failed write, drop what the stream still holds.

    Otherwise Python flushes it again at exit and prints 'Exception ignored'.
    """
    if stream is None:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())
        finally:
            os.close(null)
    except (OSError, ValueError):
        pass


class _StderrHandler(logging.StreamHandler):
    """Log records as plain lines on the *current* ``sys.stderr`` (tests swap it)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("%(message)s"))

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def warnings_to_stderr() -> None:
    """Show the library's warnings (e.g. a damaged imported edition left out) on stderr.

    An explicit handler on the ``twotier`` logger, not Python's last-resort one, so
    they show whatever handlers the caller's program (or a test runner) has set up.
    """
    log = logging.getLogger("twotier")
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        log.addHandler(_StderrHandler())
        log.setLevel(logging.WARNING)
        log.propagate = False
