"""Exceptions raised by twotier.

Every error the tool raises on bad input derives from :class:`TwotierError`, so a
caller can catch one class. Each message is one line: what was expected, what was
received, and the accepted values.

::

    Exception
     └── TwotierError
          ├── DataError                 a data file fails its schema or manifest
          ├── InputError (ValueError)   a bad argument from the user
          │    ├── UnknownAllyError
          │    ├── UnknownEditionError
          │    ├── UnknownIndicatorError
          │    ├── UnknownPolicyError
          │    ├── YearError
          │    ├── PolicyError          a policy (file or text) that does not parse or validate
          │    └── ScenarioError        a negotiation scenario that does not parse or validate
          └── EnvironmentProblem        the machine, not the input: an unwritable folder,
                                        a missing browser, an unreachable scheduler, a full disk

A policy or scenario is input from the user like any argument, so PolicyError and
ScenarioError are InputErrors (and ValueErrors): ``except ValueError`` catches every
bad input, and the CLI exits with status 2 for all of them. DataError (the tool's own
or imported data) and EnvironmentProblem (exit status 1) are not.

Strict numbers from text
------------------------
:func:`whole_number` and :func:`decimal_number` read a number typed by a user (a CLI
option, a URL parameter) the same way in every interface: ASCII digits only.
``int()`` and ``float()`` would also take ``'2_024'``, full-width ``'２０２４'`` or
``'nan'``.

>>> whole_number("2024", "year")
2024
>>> whole_number("2_024", "year")
Traceback (most recent call last):
...
twotier.errors.InputError: year: expected a whole number, found '2_024'

Field names
-----------
``field`` is the name of the argument in the Python API (``"threshold"``, ``"horizon"``,
``"seed"``, ``"edition"``), or the key path in a file (``"tier1.criteria[0].threshold"``).
A message about an argument starts with ``"<field>: "``. Each interface shows the field
in its own words with :func:`relabel`: the CLI as its flag (``horizon`` -> ``--to``), the
dashboard as the label of its control.

>>> err = InputError("horizon: expected a year from 2000 to 2100, found 1999", field="horizon")
>>> relabel(err, {"horizon": "--to"})
'--to: expected a year from 2000 to 2100, found 1999'
>>> relabel(err, {})
'horizon: expected a year from 2000 to 2100, found 1999'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

__all__ = [
    "DataError",
    "EnvironmentProblem",
    "InputError",
    "PolicyError",
    "ScenarioError",
    "TwotierError",
    "UnknownAllyError",
    "UnknownEditionError",
    "UnknownIndicatorError",
    "UnknownPolicyError",
    "YearError",
    "decimal_number",
    "relabel",
    "whole_number",
]


def printable(text: str) -> str:
    r"""``text`` with every non-printable character written as an escape (``\x1b``).

    Used wherever text from a user (a file name, a value) is shown: control
    characters, bidirectional overrides and the like cannot reach a terminal.

    >>> printable("Türkiye")
    'Türkiye'
    >>> printable("a" + chr(27) + "[31mb")
    'a\\x1b[31mb'
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class TwotierError(Exception):
    """Base class of every error twotier raises on bad input or bad data.

    ``field`` names the argument, file or key the error is about (for the CLI's
    one-line messages and the web server's 4xx answers).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def __str__(self) -> str:
        message = super().__str__()
        # One printable line, whatever the message holds (a file name or a value from
        # a user may carry terminal escape sequences).
        return printable(" ".join(message.split()))


class DataError(TwotierError):
    """A data file is missing, damaged, or fails its schema or checksum."""


class InputError(TwotierError, ValueError):
    """A user argument is out of range or not one of the accepted values."""


class UnknownAllyError(InputError):
    """An ISO-3 code that is not one of NATO's 32 members."""


class UnknownEditionError(InputError):
    """A NATO report edition that the data does not hold."""


class UnknownIndicatorError(InputError):
    """An indicator name that the data does not define."""


class UnknownPolicyError(InputError):
    """A policy id that is neither built in nor a readable file."""


class YearError(InputError):
    """A year with no figures for the requested edition."""


class PolicyError(InputError):
    """A policy (file or text) that does not parse, or whose content is invalid."""


class ScenarioError(InputError):
    """A negotiation scenario file that does not parse, or whose content is invalid."""


class EnvironmentProblem(TwotierError):
    """The environment, not the input, stops the tool (exit status 1 in the CLI).

    An unwritable or missing folder, a full disk, Chromium not installed, a Dask
    scheduler that cannot be reached.
    """


def _normal(name: str) -> str:
    return name.lstrip("-").replace("-", "_").lower()


def relabel(exc: TwotierError, labels: Mapping[str, str]) -> str:
    """Return the one-line message of ``exc`` with its field in an interface's words.

    If the message starts with the field (``"horizon: ..."``, or a flag spelling of it
    such as ``"--horizon: ..."``) and ``labels`` maps the field, that head is replaced
    by ``labels[field]``. Any other message is returned unchanged.

    Parameters
    ----------
    exc
        The error, with its ``field``.
    labels
        Field name -> the interface's name for it (a CLI flag, a control label).

    Returns
    -------
    str
        One line.
    """
    text = str(exc)
    field = exc.field
    if field is None or field not in labels:
        return text
    head, sep, rest = text.partition(": ")
    if sep and _normal(head) == _normal(field):
        return f"{labels[field]}: {rest}"
    return text


# Used with fullmatch, ASCII only: int() and float() also take '2_024', '２０２４', ' 1 '.
_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(
    r"[+-]?(?:[0-9]{1,40}(?:\.[0-9]{0,40})?|\.[0-9]{1,40})"  # 12, 12., 12.5, .5 (any float repr)
    r"(?:[eE][+-]?[0-9]{1,3})?"  # an exponent
)


def _shown(text: object) -> str:
    shown = repr(text)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def whole_number(text: str, field: str, expected: str = "a whole number") -> int:
    """A whole number typed by a user: optional sign, then 1 to 18 ASCII digits.

    Surrounding spaces are ignored. The one reader of whole numbers in text for the
    CLI and the dashboard's links, so both accept exactly the same spellings.

    Parameters
    ----------
    text
        What the user typed.
    field
        The argument's name, used in the error.
    expected
        What the error says was expected (``"a year such as 2024"``).

    Returns
    -------
    int

    Raises
    ------
    InputError
        ``"<field>: expected <expected>, found '<text>'"``.

    Examples
    --------
    >>> whole_number(" 2024 ", "year")
    2024
    >>> whole_number("\uff12\uff10\uff12\uff14", "year", "a year such as 2024")
    Traceback (most recent call last):
    ...
    twotier.errors.InputError: year: expected a year such as 2024, found '２０２４'
    """
    digits = text.strip() if isinstance(text, str) else None
    if digits is None or not _WHOLE.fullmatch(digits):
        raise InputError(f"{field}: expected {expected}, found {_shown(text)}", field=field)
    return int(digits)


def decimal_number(text: str, field: str, expected: str = "a number") -> float:
    """A finite decimal number typed by a user: ASCII digits, '.', an optional exponent.

    Surrounding spaces are ignored; ``'nan'``, ``'inf'``, ``'2_0'`` and non-ASCII
    digits are refused. The one reader of decimal numbers in text for the CLI and
    the dashboard's links.

    Parameters
    ----------
    text
        What the user typed.
    field
        The argument's name, used in the error.
    expected
        What the error says was expected.

    Returns
    -------
    float

    Raises
    ------
    InputError
        ``"<field>: expected <expected>, found '<text>'"``.

    Examples
    --------
    >>> decimal_number("3.5", "threshold")
    3.5
    >>> decimal_number("2_0", "threshold")
    Traceback (most recent call last):
    ...
    twotier.errors.InputError: threshold: expected a number, found '2_0'
    """
    digits = text.strip() if isinstance(text, str) else None
    if digits is None or not _DECIMAL.fullmatch(digits) or not math.isfinite(float(digits)):
        raise InputError(f"{field}: expected {expected}, found {_shown(text)}", field=field)
    return float(digits)
