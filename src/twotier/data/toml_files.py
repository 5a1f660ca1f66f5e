"""Bounded reading of user TOML files (policies, scenarios).

The one path for the CLI, uploads and shared links.

A TOML file from a user is untrusted input. :func:`read_toml_file` and
:func:`loads_toml` guarantee, before and after :mod:`tomllib` runs:

* **regular files only**: the file is opened without blocking (``O_NONBLOCK``) and
  the *opened* descriptor is checked with ``fstat``, so a FIFO, a device such as
  ``/dev/zero``, a socket or a folder is refused at once (no race with a swap of
  the path between check and read);
* **a size limit enforced while reading**: at most ``max_bytes + 1`` bytes are ever
  read, whatever ``st_size`` says;
* **a nesting limit checked before parsing**: arrays and inline tables are counted
  by a linear scan that skips strings and comments, so :mod:`tomllib`'s recursive
  descent never runs deeper than ``max_depth``; dotted keys and table headers are
  checked on the parsed document;
* **numbers finite, integers bounded**: ``inf``/``nan`` and integers outside the
  signed 64-bit range (the range TOML itself specifies) are refused, naming the key.

Every failure is one line naming the file (``origin``) and, where there is one, the
key or the line, raised as the error class the caller gives (``PolicyError`` for
policies, ``ScenarioError`` for scenarios).
"""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path
from typing import Any

from twotier.errors import InputError, TwotierError

__all__ = [
    "MAX_TOML_BYTES",
    "MAX_TOML_DEPTH",
    "MAX_TOML_INT",
    "loads_toml",
    "read_text_file",
    "read_toml_file",
    "read_user_bytes",
]

#: Largest TOML file accepted (a policy or scenario is a few hundred bytes).
MAX_TOML_BYTES = 64 * 1024
#: Deepest nesting of tables and arrays accepted (real files use 3 or 4 levels).
MAX_TOML_DEPTH = 16
#: Largest integer magnitude accepted: TOML's own range (signed 64-bit).
MAX_TOML_INT = 2**63 - 1

_ErrorType = type[TwotierError]

# The characters that matter to the nesting scan; everything else is skipped at C speed.
_SPECIAL = re.compile(r"""[#"'\[\]{}]""")
# Inside a basic string: the closing quote, an escape, or a line end (an unclosed string).
_BASIC_END = re.compile(r'["\\\n]')
_MULTI_BASIC_END = re.compile(r'"""|\\.', re.DOTALL)


def _fail(error: _ErrorType, message: str, field: str) -> TwotierError:
    return error(message, field=field)


def read_user_bytes(
    path: str | os.PathLike[str],
    *,
    max_bytes: int,
    error: _ErrorType = InputError,
    field: str = "file",
) -> bytes:
    """Read a file named by a user: a regular file only, at most ``max_bytes`` bytes.

    The file is opened without blocking and the *opened* descriptor is checked,
    so a FIFO, a device or a folder is refused at once; the size is counted while
    reading (a device or a growing file cannot make it read more).

    Raises
    ------
    TwotierError
        Of class ``error``, one line naming the file.
    """
    p = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(p, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise _fail(error, f"{p}: cannot read file: file not found", field) from exc
    except OSError as exc:
        raise _fail(error, f"{p}: cannot read file: {exc.strerror}", field) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
            raise _fail(error, f"{p}: expected a regular file, found {kind}", field)
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(max_bytes + 1 - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise _fail(error, f"{p}: cannot read file: {exc.strerror}", field) from exc
    finally:
        os.close(fd)
    if total > max_bytes:
        raise _fail(error, f"{p.name}: file too large: expected at most {max_bytes} bytes", field)
    return b"".join(chunks)


def read_text_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_TOML_BYTES,
    error: _ErrorType = InputError,
    field: str = "file",
) -> str:
    """Read a small UTF-8 text file from a user, safely (see :func:`read_user_bytes`).

    A leading byte-order mark is dropped.

    Raises
    ------
    TwotierError
        Of class ``error``: the file cannot be opened, is not a regular file, is
        larger than ``max_bytes``, or is not UTF-8. One line naming the file.
    """
    raw = read_user_bytes(path, max_bytes=max_bytes, error=error, field=field)
    return _decode(raw, Path(path).name, error, field)


def _decode(raw: bytes, origin: str, error: _ErrorType, field: str) -> str:
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise _fail(
            error,
            f"{origin}: expected UTF-8 text, found undecodable bytes at offset {exc.start}",
            field,
        ) from exc


def _multiline_end(text: str, pos: int, quote: str) -> int:
    """Index just past a multi-line string whose body starts at ``pos``."""
    end = -1
    if quote == "'":
        end = text.find("'''", pos)
    else:
        for match in _MULTI_BASIC_END.finditer(text, pos):
            if match.group() == '"""':
                end = match.start()
                break
    if end < 0:
        return len(text)
    end += 3
    # Up to two more quotes belong to the string (TOML allows '""""' endings).
    for _ in range(2):
        if end < len(text) and text[end] == quote:
            end += 1
    return end


def _string_end(text: str, pos: int) -> int:
    """Index just past the string that starts at ``pos`` (a quote character)."""
    quote = text[pos]
    if text.startswith(quote * 3, pos):
        return _multiline_end(text, pos + 3, quote)
    if quote == "'":
        ends = [i for i in (text.find("'", pos + 1), text.find("\n", pos + 1)) if i >= 0]
        return min(ends) + 1 if ends else len(text)
    i = pos + 1
    while (match := _BASIC_END.search(text, i)) is not None:
        if match.group() != "\\":
            return match.end()
        i = match.end() + 1
    return len(text)


def _check_brackets(text: str, origin: str, error: _ErrorType, max_depth: int) -> None:
    """Refuse arrays and inline tables nested deeper than ``max_depth`` (before parsing)."""
    depth = 0
    pos = 0
    while (match := _SPECIAL.search(text, pos)) is not None:
        char = match.group()
        pos = match.end()
        if char == "#":
            newline = text.find("\n", pos)
            pos = len(text) if newline < 0 else newline
        elif char in "\"'":
            pos = _string_end(text, match.start())
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                line = text.count("\n", 0, match.start()) + 1
                raise _fail(
                    error,
                    f"{origin}: line {line}: nested too deeply: expected at most "
                    f"{max_depth} levels of arrays and tables",
                    "toml",
                )
        else:
            depth = max(depth - 1, 0)


#: Characters no user text may hold: C0 controls but tab and newline (ESC starts
#: terminal escape sequences), DEL, C1 controls, line and paragraph separators, the
#: bidirectional marks and overrides that can make a text read differently from what
#: it is, and the invisible tag characters.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\U000e0000-\U000e007f]"
)


def _check_text(text: str, path: str, origin: str, error: _ErrorType) -> None:
    found = _CONTROL.search(text)
    if found:
        raise _fail(
            error,
            f"{origin}: key {path}: expected text without control characters, found "
            f"U+{ord(found.group()):04X} at position {found.start() + 1}",
            path,
        )


def _check_values(doc: dict[str, Any], origin: str, error: _ErrorType, max_depth: int) -> None:
    """Refuse non-finite numbers, out-of-range integers, over-deep keys, control text.

    Control characters are refused in keys and in text values alike.
    """
    stack: list[tuple[str, Any, int]] = [("", doc, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > max_depth:
            raise _fail(
                error,
                f"{origin}: key {path}: nested too deeply: expected at most {max_depth} "
                "levels of arrays and tables",
                path,
            )
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(str(key), path or "(top level)", origin, error)
                stack.append((f"{path}.{key}" if path else str(key), item, depth + 1))
        elif isinstance(value, str):
            _check_text(value, path, origin, error)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                stack.append((f"{path}[{i}]", item, depth + 1))
        elif isinstance(value, float) and not math.isfinite(value):
            raise _fail(
                error, f"{origin}: key {path}: expected a finite number, found {value!r}", path
            )
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TOML_INT:
            raise _fail(
                error,
                f"{origin}: key {path}: expected a whole number between -{MAX_TOML_INT} and "
                f"{MAX_TOML_INT}, found one with {len(str(abs(value)))} digits",
                path,
            )


def loads_toml(
    text: str | bytes,
    *,
    origin: str = "<toml>",
    error: _ErrorType = InputError,
    max_bytes: int = MAX_TOML_BYTES,
    max_depth: int = MAX_TOML_DEPTH,
) -> dict[str, Any]:
    """Parse a TOML document from a user (text, or bytes of an upload or a link).

    Parameters
    ----------
    text
        The document; bytes must be UTF-8.
    origin
        The file name shown in error messages.
    error
        The :class:`~twotier.errors.TwotierError` subclass to raise.
    max_bytes, max_depth
        Size limit (UTF-8 bytes) and nesting limit.

    Raises
    ------
    TwotierError
        Of class ``error``, one line naming ``origin`` and the line or key.
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise _fail(error, f"{origin}: file too large: expected at most {max_bytes} bytes", "toml")
    if isinstance(text, bytes):
        text = _decode(text, origin, error, "toml")
    _check_brackets(text, origin, error, max_depth)
    import tomllib  # here: reading data files (this module's other job) needs no TOML

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(error, f"{origin}: not valid TOML: {exc}", "toml") from exc
    except (ValueError, RecursionError) as exc:  # e.g. an integer of over 4300 digits
        raise _fail(error, f"{origin}: not valid TOML: {exc}", "toml") from exc
    _check_values(doc, origin, error, max_depth)
    return doc


def read_toml_file(
    path: str | os.PathLike[str],
    *,
    error: _ErrorType = InputError,
    max_bytes: int = MAX_TOML_BYTES,
    max_depth: int = MAX_TOML_DEPTH,
) -> dict[str, Any]:
    """Read and parse a TOML file from a user: :func:`read_text_file` + :func:`loads_toml`."""
    text = read_text_file(path, max_bytes=max_bytes, error=error, field="toml")
    return loads_toml(
        text, origin=Path(path).name, error=error, max_bytes=max_bytes, max_depth=max_depth
    )
