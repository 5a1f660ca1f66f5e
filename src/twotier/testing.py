"""Assertions for users' own checks of twotier's results (like :mod:`numpy.testing`).

>>> import twotier
>>> from twotier.testing import assert_coverage_frame_valid
>>> assert_coverage_frame_valid(twotier.coverage("two-tier-2pct", 2024, "2024-06"))
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = ["assert_coverage_frame_valid", "assert_results_equal"]


def _fail(message: str) -> AssertionError:
    return AssertionError(message)


def assert_results_equal(
    actual: Any,
    expected: Any,
    *,
    ignore_meta: Iterable[str] = ("version",),
    rtol: float = 0.0,
    atol: float = 0.0,
) -> None:
    """Assert that two model results hold the same frames, parameters and metadata.

    For results that follow :mod:`twotier.models.result` (``project``, ``negotiate``,
    ...): the same type, equal frames (exactly, or within ``rtol``/``atol``), equal
    parameters and equal ``meta`` apart from the keys in ``ignore_meta``.

    Parameters
    ----------
    actual, expected
        Two results (frozen dataclasses).
    ignore_meta
        ``meta`` keys not compared (by default the twotier version).
    rtol, atol
        Tolerances for numbers in frames (0: exact).

    Raises
    ------
    AssertionError
        Naming the first field that differs.

    Examples
    --------
    >>> import twotier
    >>> a = twotier.negotiate(draws=100, rng=1)
    >>> assert_results_equal(a, twotier.negotiate(draws=100, rng=1))
    """
    if type(actual) is not type(expected) or not dataclasses.is_dataclass(actual):
        raise _fail(
            f"results of different types: {type(actual).__name__}, {type(expected).__name__}"
        )
    skip = set(ignore_meta)
    for field in dataclasses.fields(actual):
        a, b = getattr(actual, field.name), getattr(expected, field.name)
        if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
            try:
                pd.testing.assert_frame_equal(
                    a, b, check_exact=rtol == 0 and atol == 0, rtol=rtol, atol=atol
                )
            except AssertionError as exc:
                raise _fail(f"{field.name}: frames differ: {exc}") from None
        elif field.name == "meta" and isinstance(a, dict) and isinstance(b, dict):
            a2 = {k: v for k, v in a.items() if k not in skip}
            b2 = {k: v for k, v in b.items() if k not in skip}
            if a2 != b2:
                keys = sorted(k for k in a2.keys() | b2.keys() if a2.get(k) != b2.get(k))
                raise _fail(f"meta: differs in {', '.join(map(str, keys))}")
        elif not (a is None and b is None) and a != b:
            raise _fail(f"{field.name}: {a!r} != {b!r}")


def _check_rows(frame: pd.DataFrame) -> None:
    from twotier.data import MEMBERS
    from twotier.rules.evaluate import COVERAGE_COLUMNS

    missing = [c for c in COVERAGE_COLUMNS if c not in frame.columns]
    if missing:
        raise _fail(f"coverage frame: missing columns {missing}")
    if list(frame.columns[: len(COVERAGE_COLUMNS)]) != list(COVERAGE_COLUMNS):
        raise _fail("coverage frame: the documented columns are not first, in order")
    unknown = sorted(set(frame["iso3"]) - set(MEMBERS))
    if unknown:
        raise _fail(f"coverage frame: iso3 codes that are not NATO members: {unknown}")
    if frame["iso3"].duplicated().any():
        raise _fail("coverage frame: more than one row for an ally")
    for column in ("policy", "year"):
        if frame[column].nunique() > 1:
            raise _fail(f"coverage frame: more than one {column} in one frame")


def _check_tiers(frame: pd.DataFrame) -> None:
    tier = frame["tier"]
    if not tier.dropna().isin([1, 2]).all():
        raise _fail("coverage frame: tier must be 1, 2 or missing (unknown)")
    if (tier.isna() != frame["covered"].isna()).any():
        raise _fail("coverage frame: tier and covered must be unknown together")
    known = tier.notna()
    if (frame.loc[known, "covered"].astype(bool) != (tier[known] == 1)).any():
        raise _fail("coverage frame: covered must be True exactly for tier 1")


def _check_money(frame: pd.DataFrame) -> None:
    if "shortfall_usd_m" not in frame:
        return
    shortfall = frame["shortfall_usd_m"]
    known = shortfall.dropna().astype(float)
    if not all(math.isfinite(v) and v >= 0 for v in known):
        raise _fail("coverage frame: shortfall_usd_m must be finite and >= 0")
    covered = frame["covered"].fillna(False).astype(bool) & shortfall.notna()
    if (shortfall[covered].astype(float) != 0).any():
        raise _fail("coverage frame: a covered ally has a shortfall")
    values = frame["value"].dropna().astype(float)
    if not all(math.isfinite(v) for v in values):
        raise _fail("coverage frame: value must be finite where known")


def assert_coverage_frame_valid(frame: pd.DataFrame) -> None:
    """Assert the invariants of a frame from :func:`twotier.coverage`.

    The documented columns come first, in order; one row per NATO member at most, one
    policy and one year; ``tier`` is 1, 2 or unknown, ``covered`` is unknown exactly
    when ``tier`` is and True exactly for tier 1; shortfalls are finite, never
    negative, and zero for covered allies; known values are finite.

    Parameters
    ----------
    frame
        A coverage frame (possibly filtered or edited by the user's own code).

    Raises
    ------
    AssertionError
        Naming the first invariant that fails.
    """
    _check_rows(frame)
    _check_tiers(frame)
    _check_money(frame)
