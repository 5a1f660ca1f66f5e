"""Hostile inputs through the CLI: exit 2 (bad input) with one line, never a traceback
or a hang (D03, D04, D07, D09, D13, D16, D22, D25), and fuzzed policy and scenario
files through the same path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twotier
from twotier.cli import main

from ..data.test_nato_workbook import GOOD, build_workbook

HEAD = "[policy]\nid='x'\ntitle='t'\nsource='s'\ndate='2024'\n"
CRITERION = "[[tier1.criteria]]\nindicator='pct_gdp'\nthreshold={}\n"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    return code, out, err


def _one_line_error(code: int, err: str, fragment: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("twotier: error: "), err
    assert fragment in lines[0], lines[0]


@pytest.fixture()
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-data"
    monkeypatch.setenv("TWOTIER_DATA_DIR", str(folder))
    return folder


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (HEAD + "foo = " + "[" * 30000 + "]" * 30000, "nested too deeply"),
        (HEAD + CRITERION.format("1" + "0" * 400), "whole number between"),
        (HEAD + CRITERION.format("1.7e308"), "a number from 0 to 100"),
        (HEAD + CRITERION.format("inf"), "finite number"),
        ("[policy]\nid='x\\n'\ntitle='t'\nsource='s'\ndate='2024'\n", "key policy.id"),
        ("[policy]\nid='x'\ntitle='t'\nsource='s'\ndate='2024\\n'\n", "key policy.date"),
    ],
    ids=["deep", "bigint", "huge-threshold", "inf", "id-newline", "date-newline"],
)
def test_hostile_policy_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, fragment: str
) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text)
    code, _, err = _run(capsys, "coverage", "--policy", str(path), "--year", "2024")
    _one_line_error(code, err, fragment)


def test_devices_and_fifos_as_policy_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zero = tmp_path / "zero.toml"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for path in (zero, fifo, tmp_path):
        code, _, err = _run(capsys, "coverage", "--policy", f"{path}", "--year", "2024")
        assert code == 2 and len(err.strip().splitlines()) == 1, err


def test_json_output_is_strict_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "coverage", "--threshold", "100", "--year", "2024", "--format", "json"
    )
    assert code == 0

    def refuse(token: str) -> None:
        raise AssertionError(f"non-standard JSON token {token}")

    assert json.loads(out, parse_constant=refuse)["allies"]


@pytest.mark.parametrize(
    ("year", "fragment"),
    [
        ("1-150000000", "expected a year such as 2024"),
        ("2014-99999999999", "expected a year such as 2024"),
        ("2_024", "expected a year such as 2024"),
        ("２０２４", "expected a year such as 2024"),
        ("1800", "no figures for 1800 (edition latest); it has figures for 2014-"),
        ("1800-1810", "no figures for 1800-1810 (edition latest); it has figures for 2014-"),
        ("9000-9999", "no figures for 9000-9999 (edition latest); it has figures for 2014-"),
    ],
)
def test_figures_year_ranges_are_bounded(
    capsys: pytest.CaptureFixture[str], year: str, fragment: str
) -> None:
    """D07 (a range materialised as a list) and D22 (no figures, exit 0).

    A year and a range without figures give the same message with the same span.
    """
    code, _, err = _run(capsys, "figures", "--year", year, "--ally", "POL")
    _one_line_error(code, err, fragment)


def test_a_range_reaching_past_1949_to_2100_is_cut_to_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["--ally", "POL", "--indicator", "pct_gdp", "--edition", "2024-06", "--format", "csv"]
    code, out, _ = _run(capsys, "figures", "--year", "1000-2999", *args)
    years = [int(line.split(",")[2]) for line in out.strip().splitlines()[1:]]
    assert code == 0 and years == list(range(2014, 2025))


def test_edition_with_a_newline_and_empty_edition(
    tmp_path: Path, user_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """D13, D25: refused; nothing is created."""
    workbook = build_workbook(tmp_path / "g.xlsx", GOOD)
    for edition in ("2031-01\n", ""):
        code, _, err = _run(capsys, "data", "import", str(workbook), "--edition", edition)
        _one_line_error(code, err, "expected YYYY-MM")
    assert not (user_dir / "editions").exists()


def test_a_corrupt_edition_leaves_every_command_working(
    tmp_path: Path, user_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """D09: one warning line; the other editions and commands work."""
    workbook = build_workbook(tmp_path / "g.xlsx", GOOD)
    assert _run(capsys, "data", "import", str(workbook), "--edition", "2031-02")[0] == 0
    (user_dir / "editions" / "2031-02" / "meta.json").write_text("{not json")
    code, out, err = _run(capsys, "editions", "--format", "csv")
    assert code == 0 and "2031-02" not in out and "2024-06" in out
    assert "2031-02" in err and len(err.strip().splitlines()) <= 1
    code, out, _ = _run(capsys, "data", "verify", "--format", "csv")
    assert code == 1 and "imported,2031-02,False" in out


# --------------------------------------------------------------------------- fuzzing

_LINES = st.sampled_from(
    [
        "[policy]", "id='x'", "title='t'", "source='s'", "date='2024'", "[[tier1.criteria]]",
        "indicator='pct_gdp'", "threshold=2", "threshold=-1", "threshold=1e309", "threshold='2'",
        "window=0", "window=99999999999999999999", "basis='mean'", "[guarantee]",
        "guarantors=['USA']", "guarantors=[]", "only_tier1_defend=1", "[tier1.grace]",
        "min_annual_rise_pp=0.1", "[tier1]", "combine='any'", "x=[[[[[]]]]]", "a.b.c.d=1",
        "exemptions=[{iso3='ISL', reason='r'}]", "[scenario]", "[parameters]",
        "cost_ukraine=0.2", "[uncertainty.cost_ukraine]", "low=0", "high=1e308", "mode=nan",
        "distribution='triangular'",
    ]
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(_LINES, max_size=14), junk=st.text(max_size=6))
def test_fuzz_policy_and_scenario_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str], junk: str
) -> None:
    path = tmp_path / "f.toml"
    path.write_text("\n".join(lines) + "\n" + junk, encoding="utf-8", errors="replace")
    for args in (
        ("coverage", "--policy", str(path), "--year", "2024", "--format", "csv"),
        ("negotiate", "--scenario", str(path), "--draws", "20", "--seed", "1", "--format", "csv"),
    ):
        code, _, err = _run(capsys, *args)
        assert code in (0, 2), err
        if code == 2:
            assert len(err.strip().splitlines()) == 1, err


def test_the_api_names_bad_files_as_twotier_errors(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text(HEAD + "foo = " + "[" * 3000 + "]" * 3000)
    with pytest.raises(twotier.PolicyError, match="nested too deeply"):
        twotier.get_policy(str(deep))


def test_a_workbook_without_shares_of_gdp_is_imported_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only NATO's Table 2 (US$): the edition is stored, and the user is told it cannot
    answer coverage questions (before, it was imported silently)."""
    monkeypatch.setenv("TWOTIER_DATA_DIR", str(tmp_path / "d"))
    rows = [[None, "Constant 2021 prices (million US dollars)"], [None, None, "Lithuania", 1, 2, 3]]
    book = build_workbook(tmp_path / "t2.xlsx", rows, title="Table 2 : Defence expenditure")
    assert main(["data", "import", str(book), "--edition", "2030-01"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("twotier: warning: edition 2030-01 has no defence expenditure as a share")
    assert err.count("\n") == 1
    assert main(["data", "import", str(build_workbook(tmp_path / "t3.xlsx", GOOD)),
                 "--edition", "2030-02"]) == 0  # fmt: skip
    assert "warning" not in capsys.readouterr().err


def test_an_empty_indicator_is_refused_not_read_as_all(capsys: pytest.CaptureFixture[str]) -> None:
    """Second review, L12: ``--indicator ''`` listed every indicator."""
    code, _, err = _run(capsys, "figures", "--indicator", "", "--year", "2024", "--ally", "POL")
    _one_line_error(code, err, "--indicator: unknown indicator ''; accepted: pct_gdp")


@pytest.mark.parametrize(
    ("edition", "indicator", "error"),
    [
        ("zz", "pct_gdp", twotier.UnknownEditionError),
        ("latest", "pct_gdp", twotier.UnknownEditionError),  # not one publication
        ("2024-06", "zz", twotier.UnknownIndicatorError),
    ],
)
def test_figure_source_never_invents_a_source(edition: str, indicator: str, error: type) -> None:
    """Second review, L5: 'NATO, edition zz, Table 3' was returned for an unknown edition."""
    data = twotier.load_data()
    with pytest.raises(error):
        twotier.figure_source(data, edition, indicator)
    assert twotier.figure_source(data, "2024-06", "pct_gdp").startswith(
        "NATO, Defence Expenditure of NATO Countries (2014-2024), 17 June 2024, Table 3"
    )


@pytest.mark.parametrize("args", [["editions"], ["figures", "--year", "2014-2026"], ["demo"]])
def test_a_closed_pipe_ends_quietly_with_0(args: list[str], tmp_path: Path) -> None:
    """Second review, L11: ``twotier figures | head -1`` exited 1 (rich and typer each
    turn a broken pipe into exit 1)."""
    import subprocess
    import sys

    env = {**os.environ, "TWOTIER_DATA_DIR": str(tmp_path)}
    for _ in range(3):  # when the reader closes varies; each time must end the same way
        proc = subprocess.Popen(
            [sys.executable, "-m", "twotier.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        proc.stderr.close()
        assert proc.wait(timeout=120) == 0, err
        assert err == ""
