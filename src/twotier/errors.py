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
          └── ScenarioError             a negotiation scenario that does not parse or validate
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "InputError",
    "PolicyError",
    "ScenarioError",
    "TwotierError",
    "UnknownAllyError",
    "UnknownEditionError",
    "UnknownIndicatorError",
    "UnknownPolicyError",
    "YearError",
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
