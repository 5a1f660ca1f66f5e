"""Policy or threshold, resolved in one place (CLI, dashboard and API alike)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import twotier
from twotier.errors import InputError, UnknownPolicyError
from twotier.rules.registry import check_threshold


@given(value=st.floats(0, 100))
def test_thresholds_are_rounded_once_to_hundredths(value: float) -> None:
    policy = twotier.resolve_policy(threshold=value)
    (criterion,) = policy.criteria
    assert criterion.threshold == round(value, 2)
    assert abs(criterion.threshold - value) <= 0.005 + 1e-12
    # Text (what the CLI passes) gives the same policy as the number.
    assert twotier.resolve_policy(threshold=repr(value)) == policy


@pytest.mark.parametrize("bad", [-1, -0.01, 100.01, math.nan, math.inf, -math.inf, "two", "", True])
def test_bad_thresholds_name_the_field(bad: object) -> None:
    with pytest.raises(InputError, match=r"^threshold: expected") as info:
        twotier.resolve_policy(threshold=bad)  # type: ignore[arg-type]
    assert info.value.field == "threshold"
    with pytest.raises(InputError, match=r"^threshold: expected"):
        twotier.threshold_policy(bad)  # type: ignore[arg-type]


def test_threshold_policy_minus_one_is_an_input_error_not_a_bare_value_error() -> None:
    with pytest.raises(InputError) as info:
        twotier.threshold_policy(-1)
    assert info.value.field == "threshold"
    assert str(info.value) == "threshold: expected a percentage of GDP from 0 to 100, found -1"


def test_exactly_one_of_policy_and_threshold() -> None:
    for args in ({}, {"policy": "article5", "threshold": 2}):
        with pytest.raises(InputError, match=r"^policy: give exactly one") as info:
            twotier.resolve_policy(**args)  # type: ignore[arg-type]
        assert info.value.field == "policy"


def test_policies_by_id_object_and_unknown() -> None:
    article5 = twotier.resolve_policy("article5")
    assert article5.id == "article5"
    assert twotier.resolve_policy(article5) is article5
    with pytest.raises(UnknownPolicyError, match=r"^policy: unknown policy 'nope'"):
        twotier.resolve_policy("nope")


def test_custom_field_names_for_other_interfaces() -> None:
    with pytest.raises(InputError, match=r"^slider: expected") as info:
        check_threshold(200, field="slider")
    assert info.value.field == "slider"
    assert check_threshold(-0.0) == 0.0 and math.copysign(1, check_threshold(-0.0)) == 1
