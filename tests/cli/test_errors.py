"""The CLI's error boundary: one line, the flag named, exit 2 / 1; --debug shows more."""

from __future__ import annotations

import errno

import pytest

import twotier
from twotier.cli import _app, main
from twotier.errors import EnvironmentProblem


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("twotier: error: ")
    return lines[0]


PROJECT = ["project", "--to", "2026", "--threshold", "2", "--draws", "8", "--edition", "2024-06"]

FIXED = [
    # The seed: a traceback before.
    ([*PROJECT, "--seed", "-1"], "--seed: expected a seed"),
    (["negotiate", "--draws", "10", "--seed", "-1"], "--seed: expected a seed"),
    # Flags the core used to name wrongly (--horizon, --implementation-shortfall, --target-pct).
    (["project", "--to", "2101", "--threshold", "2"], "--to: expected a year from 2000 to "),
    ([*PROJECT, "--shortfall", "2"], "--shortfall: expected 0 to 1"),
    ([*PROJECT, "--scenario", "target", "--target", "50"], "--target: expected 0 to 20"),
    ([*PROJECT, "--chunk-size", "0"], "--chunk-size: expected 1 to"),
    # The threshold, checked in one place.
    (["coverage", "--threshold", "-1", "--year", "2024"], "--threshold: expected a percentage"),
    (["coverage", "--threshold", "nan", "--year", "2024"], "--threshold: expected a number"),
    (["coverage", "--threshold", "x", "--year", "2024"], "--threshold: expected a number"),
    # Typed numbers are ASCII digits, as --year (review D25): float() took these.
    (["coverage", "--threshold", "\uff12", "--year", "2024"], "--threshold: expected a number"),
    (["coverage", "--threshold", "2_0", "--year", "2024"], "--threshold: expected a number"),
    (["coverage", "--threshold", "2", "--year", "2_024"], "--year: expected a year such as"),
    (["coverage", "--threshold", "2", "--year", "\uff12\uff10\uff12\uff14"], "--year: expected"),
    (["project", "--to", "2_040", "--threshold", "2"], "--to: expected a year such as 2024"),
    (["coverage", "--year", "2024"], "--policy: give exactly one of"),
    (["coverage", "--policy", "nope", "--year", "2024"], "--policy: unknown policy 'nope'"),
]


@pytest.mark.parametrize(("args", "expected"), FIXED)
def test_bad_input_names_the_flag(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert one_line(err).startswith(f"twotier: error: {expected}")


def _raise(exc: BaseException) -> None:
    raise exc


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            PermissionError(errno.EACCES, "Permission denied", "/data/x"),
            "Permission denied: /data/x",
        ),
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (TimeoutError("Timed out trying to connect to tcp://10.0.0.1:8786"), "Timed out trying"),
        (
            EnvironmentProblem("out: PDF export needs Chromium at /x", field="out"),
            "out: PDF export",
        ),
    ],
)
def test_environment_problems_exit_1_in_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    exc: BaseException,
    expected: str,
) -> None:
    monkeypatch.setattr(twotier, "verify_data", lambda: _raise(exc))
    code, out, err = run(capsys, "data", "verify")
    assert (code, out) == (1, "")
    assert one_line(err) == f"twotier: error: {expected}" or expected in err


def test_a_bug_gives_one_line_with_a_hint_and_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(twotier, "verify_data", lambda: _raise(KeyError("boom")))
    monkeypatch.delenv("TWOTIER_DEBUG", raising=False)
    code, _, err = run(capsys, "data", "verify")
    assert code == 1
    line = one_line(err)
    assert "internal error (KeyError" in line and "--debug" in line
    code, _, err = run(capsys, "data", "verify", "--debug")
    assert code == 1 and "Traceback" in err and "KeyError: 'boom'" in err
    monkeypatch.setenv("TWOTIER_DEBUG", "1")
    code, _, err = run(capsys, "data", "verify")
    assert code == 1 and "Traceback" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--version")
    assert (code, out, err) == (0, f"twotier {twotier.__version__}\n", "")


def test_debug_is_removed_only_before_a_bare_double_dash() -> None:
    assert _app._split_debug(["a", "--debug", "--", "--debug"])[0] == ["a", "--", "--debug"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["pie"], "KIND: unknown chart 'pie'; accepted: map, ranking"),
        (["editions", "--set", "eyear=abc"], "--set eyear: expected a whole number, found 'abc'"),
        (["trends", "--set", "colour=red"], "--set colour: unknown chart option; accepted:"),
        (["trends", "--set", "allies"], "--set: expected NAME=VALUE, found 'allies'"),
        (["ranking", "--threshold", "999"], "--threshold: expected a percentage"),
        # Adversarial2 L1: options of other kinds, repeats and conflicts went unused.
        (["map", "--set", "threshold=nan"], "--set threshold: does not apply to chart map"),
        (["aid", "--set", "ncut=nan"], "--set ncut: does not apply to chart aid"),
        (["backtest", "--set", "seed=zz"], "--set seed: does not apply to chart backtest"),
        (["projection", "--set", "draws=1", "--set", "draws=2"], "--set draws: given twice"),
        (
            ["response", "--threshold", "3", "--set", "threshold=4"],
            "--set threshold: conflicts with --threshold",
        ),
        # Adversarial2 L2: errors named --to, --year or an internal name.
        (["response", "--set", "rhorizon=2026"], "--set rhorizon: expected a year after 2026"),
        (["editions", "--set", "eyear=1900"], "--set eyear: no pct_gdp figures for 1900"),
        (["negotiation", "--set", "ncut=2"], "--set ncut: expected a number from 0 to 1"),
        # Adversarial2 L3: int() and float() took these spellings.
        (["projection", "--set", "horizon=2_030"], "--set horizon: expected a whole number"),
        (
            ["editions", "--set", "eyear=\uff12\uff10\uff12\uff14"],
            "--set eyear: expected a whole number",
        ),
        (["negotiation", "--set", "nrise=1_0"], "--set nrise: expected a number"),
    ],
)
def test_chart_errors_name_the_argument_as_typed(
    capsys: pytest.CaptureFixture[str], tmp_path: object, args: list[str], expected: str
) -> None:
    code, _, err = run(capsys, "chart", *args, "--year", "2024", "--out", f"{tmp_path}/c.svg")
    assert code == 2, err
    assert one_line(err).startswith(f"twotier: error: {expected}")
