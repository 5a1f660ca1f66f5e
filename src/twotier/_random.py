"""The one randomness contract of every model (SPEC 7).

A model that draws random numbers takes ``rng=``: an int seed (>= 0), a
:class:`numpy.random.Generator`, or ``None`` (fresh entropy from the operating system,
so not reproducible). The same seed gives the same output. Anything else (a negative
seed, ``True``, ``2.5``, a string) raises :class:`~twotier.errors.InputError` naming the
field, so the CLI can say ``--seed`` and the dashboard "Seed".

>>> bool(as_generator(7).integers(100) == as_generator(7).integers(100))
True
>>> as_generator(-1)
Traceback (most recent call last):
...
twotier.errors.InputError: rng: expected a seed (a whole number >= 0) ... found -1
"""

from __future__ import annotations

import numbers

import numpy as np

from twotier.errors import InputError

__all__ = ["MAX_SEED", "as_generator", "as_seed", "check_seed"]

#: Largest seed accepted (numpy takes any non-negative int; this bounds what a user types).
MAX_SEED = 2**128 - 1

RngLike = int | np.random.Generator | None


def _refuse(value: object, field: str) -> InputError:
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    return InputError(
        f"{field}: expected a seed (a whole number >= 0) or a numpy Generator, found {shown}",
        field=field,
    )


def check_seed(seed: object, *, field: str = "seed") -> int:
    """Return ``seed`` as an int if it is a whole number from 0 to :data:`MAX_SEED`.

    ``bool`` and floats (even ``3.0``) are refused: a seed is typed, not computed.

    Parameters
    ----------
    seed
        The value to check.
    field
        The argument's name, used in the error.

    Returns
    -------
    int
        The seed.

    Raises
    ------
    InputError
        If ``seed`` is not a whole number from 0 to :data:`MAX_SEED`.

    Examples
    --------
    >>> check_seed(42)
    42
    >>> check_seed(True)
    Traceback (most recent call last):
    ...
    twotier.errors.InputError: seed: expected a seed (a whole number >= 0) ... found True
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise _refuse(seed, field)
    value = int(seed)
    if not 0 <= value <= MAX_SEED:
        raise _refuse(seed, field)
    return value


def as_generator(rng: RngLike, *, field: str = "rng") -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` from an int seed, a Generator or ``None``.

    A Generator is returned as is (the caller's stream advances); a seed gives
    ``numpy.random.default_rng(seed)``; ``None`` gives fresh, unreproducible entropy.

    Parameters
    ----------
    rng
        Seed, Generator or ``None``.
    field
        The argument's name, used in the error.

    Returns
    -------
    numpy.random.Generator
        The generator to draw from.

    Raises
    ------
    InputError
        For anything else (negative seeds, bools, floats, strings, legacy RandomState).
    """
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(check_seed(rng, field=field))


def as_seed(rng: RngLike, *, field: str = "rng") -> int:
    """Return an int seed, for models that spawn independent streams per chunk of work.

    An int seed is returned unchanged (so a run is reproducible from the number shown);
    a Generator gives one draw from it (reproducible from the Generator's state);
    ``None`` gives a fresh seed from the operating system.

    Parameters
    ----------
    rng
        Seed, Generator or ``None``.
    field
        The argument's name, used in the error.

    Returns
    -------
    int
        A seed from 0 to 2**63 - 1 (or the seed given).
    """
    if rng is None or isinstance(rng, np.random.Generator):
        return int(as_generator(rng, field=field).integers(2**63 - 1, dtype=np.int64))
    return check_seed(rng, field=field)
