"""twotier.testing: the helpers pass on real results and fail on broken ones."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

import twotier
from twotier.testing import assert_coverage_frame_valid, assert_results_equal


@pytest.mark.parametrize("policy", ["two-tier-2pct", "article5", "wales-2014"])
def test_real_coverage_frames_are_valid(policy: str) -> None:
    assert_coverage_frame_valid(twotier.coverage(policy, 2024, "2024-06"))
    assert_coverage_frame_valid(twotier.coverage(twotier.threshold_policy(3.5), 2023, "latest"))


def _set(column: str, row: int, value: object) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(f: pd.DataFrame) -> pd.DataFrame:
        f = f.copy()
        f[column] = f[column].astype(object)
        f.loc[row, column] = value
        return f

    return change


BROKEN: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "missing columns": lambda f: f.drop(columns=["reason"]),
    "in order": lambda f: f[[*f.columns[1:], f.columns[0]]],
    "not NATO members": _set("iso3", 0, "RUS"),
    "more than one row": lambda f: pd.concat([f, f.iloc[:1]], ignore_index=True),
    "more than one policy": _set("policy", 0, "other"),
    "tier must be 1, 2": _set("tier", 0, 3),
    "unknown together": _set("covered", 0, pd.NA),
    "True exactly for tier 1": _set("covered", 0, False),
    "finite and >= 0": _set("shortfall_usd_m", 5, -1.0),
    "covered ally has a shortfall": _set("shortfall_usd_m", 0, 10.0),
}


@pytest.mark.parametrize("problem", sorted(BROKEN))
def test_broken_coverage_frames_fail_naming_the_problem(problem: str) -> None:
    frame = twotier.coverage("two-tier-2pct", 2024, "2024-06")
    assert bool(frame.loc[0, "covered"])  # row 0 (Albania) is covered: the edits break it
    with pytest.raises(AssertionError, match=problem):
        assert_coverage_frame_valid(BROKEN[problem](frame))


def test_results_equal_same_seed_and_differences_named() -> None:
    a = twotier.negotiate(draws=100, rng=3)
    assert_results_equal(a, twotier.negotiate(draws=100, rng=3))
    with pytest.raises(AssertionError, match="^simulation: frames differ"):
        assert_results_equal(a, twotier.negotiate(draws=100, rng=4))
    with pytest.raises(AssertionError, match="^outcomes: frames differ"):
        assert_results_equal(a, twotier.negotiate(overrides={"cost_russia": 0.3}, draws=100, rng=3))
    other = twotier.NegotiationResult(**{**a.__dict__, "meta": {**a.meta, "version": "x"}})
    assert_results_equal(a, other)  # the version is ignored by default
    with pytest.raises(AssertionError, match="meta: differs in version"):
        assert_results_equal(a, other, ignore_meta=())
    with pytest.raises(AssertionError, match="different types"):
        assert_results_equal(a, a.outcomes)
