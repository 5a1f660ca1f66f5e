"""Core functions refuse malformed arguments with an InputError naming the field (review D26)."""

from __future__ import annotations

import pytest

import twotier


@pytest.mark.parametrize("year", [2024.9, True, "2024", None])
def test_coverage_refuses_a_year_that_is_not_a_whole_number(year: object) -> None:
    with pytest.raises(twotier.InputError) as info:
        twotier.coverage("two-tier-2pct", year, "2024-06")  # type: ignore[arg-type]
    assert info.value.field == "year"


def test_coverage_accepts_an_integral_float_as_the_same_year() -> None:
    a = twotier.coverage("two-tier-2pct", 2024.0, "2024-06")  # type: ignore[arg-type]
    b = twotier.coverage("two-tier-2pct", 2024, "2024-06")
    assert a.equals(b)


def test_compare_needs_at_least_one_policy() -> None:
    with pytest.raises(twotier.InputError) as info:
        twotier.compare([], 2024, "2024-06")
    assert info.value.field == "policies"
