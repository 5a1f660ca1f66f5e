"""Exceptions raised by twotier.

Every error the tool raises on bad input derives from :class:`TwotierError`, so a
caller can catch one class. Each message is one line: what was expected, what was
received, and the accepted values.

::

    Exception
     └── TwotierError
          ├── DataError                 a data file fails its schema or manifest
          ├── InputError                a bad argument from the user
          │    ├── UnknownAllyError
          │    ├── UnknownEditionError
          │    ├── UnknownIndicatorError
          │    ├── UnknownPolicyError
          │    └── YearError
          ├── PolicyError               a policy file that does not parse or validate
          ├── ScenarioError             a negotiation scenario that does not parse or validate
          └── EnvironmentProblem        the machine, not the input: an unwritable folder,
                                        a missing browser, an unreachable scheduler, a full disk

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
    "relabel",
]


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
        # One line, whatever the message holds.
        return " ".join(message.split())


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


class PolicyError(TwotierError):
    """A policy file that does not parse, or whose content is invalid."""


class ScenarioError(TwotierError):
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
