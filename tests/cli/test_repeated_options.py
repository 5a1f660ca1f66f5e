"""An option given twice is refused (click kept the last one without a word)."""

from __future__ import annotations

import pytest

from twotier.cli import main


@pytest.mark.parametrize(
    ("args", "head"),
    [
        # Adversarial L2: coverage used 3 silently.
        (["coverage", "--threshold", "2", "--threshold", "3", "--year", "2024"], "--threshold"),
        (["project", "--to", "2030", "--to=2031", "--threshold", "2"], "--to"),
        (["respond", "--threats", "1", "--threats", "2", "--draws", "100"], "--threats"),
        (["figures", "--year", "2024", "--year", "2023"], "--year"),
    ],
)
def test_a_single_valued_option_given_twice_is_refused(
    args: list[str], head: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"twotier: error: {head}: given twice; give it once"


def test_options_that_take_a_list_by_repetition_may_repeat(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["negotiate", "--set", "cost_ukraine=0.5", "--set", "cost_russia=0.5",
            "--format", "json"]  # fmt: skip
    assert main(args) == 0, capsys.readouterr().err
