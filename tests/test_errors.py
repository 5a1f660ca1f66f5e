"""Errors carry their field; each interface names the field in its own words."""

from __future__ import annotations

import pytest

from twotier.errors import (
    DataError,
    EnvironmentProblem,
    InputError,
    PolicyError,
    ScenarioError,
    TwotierError,
    relabel,
)


@pytest.mark.parametrize(
    ("message", "field", "labels", "expected"),
    [
        (
            "horizon: expected 2000 to 2100",
            "horizon",
            {"horizon": "--to"},
            "--to: expected 2000 to 2100",
        ),
        (
            "--edition: unknown edition 'x'",
            "edition",
            {"edition": "Edition"},
            "Edition: unknown edition 'x'",
        ),
        (
            "target_pct: expected 0 to 20",
            "target_pct",
            {"target_pct": "--target"},
            "--target: expected 0 to 20",
        ),
        (
            "--implementation-shortfall: x",
            "implementation_shortfall",
            {"implementation_shortfall": "--shortfall"},
            "--shortfall: x",
        ),
        # Not mapped: unchanged.
        ("seed: expected a seed", "seed", {}, "seed: expected a seed"),
        # A head that is not the field (a file name): unchanged.
        (
            "bad.toml: key tier1.x: expected",
            "tier1.x",
            {"tier1.x": "X"},
            "bad.toml: key tier1.x: expected",
        ),
        # No field: unchanged.
        ("something: wrong", None, {"something": "S"}, "something: wrong"),
    ],
)
def test_relabel_replaces_only_a_head_that_names_the_field(
    message: str, field: str | None, labels: dict[str, str], expected: str
) -> None:
    assert relabel(InputError(message, field=field), labels) == expected


def test_messages_are_one_line_and_environment_problems_are_twotier_errors() -> None:
    err = EnvironmentProblem("out: folder\n/tmp/x is not writable", field="out")
    assert str(err) == "out: folder /tmp/x is not writable"
    assert isinstance(err, TwotierError) and not isinstance(err, InputError)
    assert PolicyError("p", field="policy.id").field == "policy.id"


def test_policy_and_scenario_errors_are_bad_input_like_any_argument() -> None:
    # A policy or scenario is the user's input: `except ValueError` / `except InputError`
    # catch it, as they catch a bad year; data and environment problems stay apart.
    for cls in (PolicyError, ScenarioError):
        err = cls("x.toml: key policy.id: expected a string", field="policy.id")
        assert isinstance(err, InputError) and isinstance(err, ValueError)
    for cls in (DataError, EnvironmentProblem):
        assert not issubclass(cls, InputError) and not issubclass(cls, ValueError)
