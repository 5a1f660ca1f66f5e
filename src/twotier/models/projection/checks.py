"""Type and range checks of the models' parameters, and errors named by the caller's field.

The parameter objects of the Python API (:class:`~twotier.ProjectionParams`,
:class:`~twotier.ResponseParams`) and :func:`~twotier.backtest` accept what a user may
pass in Python: a whole number must be an ``int`` (numpy integers included; not a bool, a
float such as ``10.5`` or a string), a number a real number (not a bool or a string).
Anything else is an :class:`~twotier.errors.InputError` naming the field, before a
comparison or ``range()`` turns it into a raw ``TypeError``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from twotier.errors import InputError, TwotierError, relabel

__all__ = ["RESPONSE_LINE", "check_numbers", "check_whole", "fields_as", "is_number", "is_whole"]

#: Lines (% of GDP) the allies' response model takes, in ``respond`` and in ``project``:
#: its pull is estimated around NATO's guidelines (2 % since 2014, 3.5 % core from 2025).
RESPONSE_LINE = (0.5, 10.0)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_whole(value: object) -> bool:
    """True for an int or a numpy integer, False for a bool and anything else."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    """True for a finite real number (int, float, numpy), False for a bool or a string."""
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def check_whole(owner: object, names: Sequence[str], *, optional: Sequence[str] = ()) -> None:
    """Raise InputError unless each attribute in ``names`` is a whole number.

    Attributes in ``optional`` may also be ``None``.
    """
    for name in names:
        value = getattr(owner, name)
        if value is None and name in optional:
            continue
        if not is_whole(value):
            raise InputError(f"{name}: expected a whole number, found {_shown(value)}", field=name)


def check_numbers(owner: object, names: Sequence[str], *, optional: Sequence[str] = ()) -> None:
    """Raise InputError unless each attribute in ``names`` is a finite real number."""
    for name in names:
        value = getattr(owner, name)
        if value is None and name in optional:
            continue
        if not is_number(value):
            raise InputError(f"{name}: expected a number, found {_shown(value)}", field=name)


@contextmanager
def fields_as(labels: Mapping[str, str]) -> Iterator[None]:
    """Re-raise errors about a field in ``labels`` as errors about the caller's field.

    A backtest builds histories with ``edition`` and ``as_of``; its caller gave
    ``realtime_edition`` or ``origins``, and the error must name what was given.
    """
    try:
        yield
    except TwotierError as exc:
        if exc.field is None or exc.field not in labels:
            raise
        raise type(exc)(relabel(exc, labels), field=labels[exc.field]) from None
