"""CLI: backtest, respond and exploitation (JSON shape, one-line refusals, exit codes)."""

from __future__ import annotations

import json

import pytest

from twotier.cli import main


def test_backtest_json_has_scores_for_every_method(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["backtest", "--edition", "2024-06", "--origins", "2018-2019", "--horizons", "1,2",
            "--draws", "200", "--format", "json"]  # fmt: skip
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    overall = [r for r in doc["scores"] if r["horizon"] == "all"]
    assert {r["method"] for r in overall} == {
        "response", "response_uncalibrated", "no_change", "linear_trend", "pooled_random_walk",
        "old_constant", "old_trend",
    }  # fmt: skip
    assert all(r["cases"] == 31 * 2 * 2 for r in overall)
    assert doc["meta"]["log_score_clip"] == 0.01


def test_respond_and_exploitation_tables(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["respond", "--threshold", "2.5", "--to", "2026", "--draws", "200", "--threats", "1,2",
            "--edition", "2024-06"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "not forecasts" in out and "threat" in out
    assert main(["exploitation", "--edition", "2024-06", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("year,allies,spearman_rho,p_value") and len(lines) == 12


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["backtest", "--origins", "x"], "--origins"),
        (["backtest", "--draws", "3"], "--draws"),
        (["respond", "--threats", "a,b"], "--threats"),
        (["respond", "--threshold", "50"], "--threshold"),
        (["respond", "--seed", "-2", "--draws", "100"], "--seed"),
        (["backtest", "--out", "scores.txt"], "--out"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and flag in err and "Traceback" not in err


def test_backtest_out_folder_is_checked_before_the_run(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    """Adversarial2 L8: a missing folder was refused only after the backtest had run."""
    import twotier

    def must_not_run(**kwargs: object) -> None:
        raise AssertionError("the backtest ran before --out was checked")

    monkeypatch.setattr(twotier, "backtest", must_not_run)
    missing = tmp_path / "nodir" / "bt.html"
    assert main(["backtest", "--draws", "100", "--out", str(missing)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"twotier: error: --out: folder {missing.parent} does not exist"


def test_backtest_writes_its_report(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bt.html"
    args = ["backtest", "--edition", "2024-06", "--origins", "2019", "--horizons", "1",
            "--draws", "100", "--out", str(out)]  # fmt: skip
    assert main([*args, "--format", "csv"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Where it loses" in text and "Reliability of the response model" in text
    assert str(out) in capsys.readouterr().err


@pytest.mark.parametrize("edition", ["2023-07", "2024-03", "2025-04"])
def test_exploitation_on_an_edition_without_gdp_names_the_editions_with_it(
    edition: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Adversarial M1: a KeyError ("internal error", exit 1) before.
    import twotier

    assert main(["exploitation", "--edition", edition]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"twotier: error: --edition: edition {edition} has no GDP figures; ")
    assert "accepted: 2024-06, " in err and err.endswith(", latest")
    with pytest.raises(twotier.UnknownEditionError, match="no GDP figures") as info:
        twotier.exploitation_test(edition)
    assert info.value.field == "edition"


@pytest.mark.parametrize(
    ("args", "head"),
    [
        # Adversarial M2: horizon 0 was an internal error; repeats were counted twice.
        (["--horizons", "0-0"], "--horizons: expected years ahead, each >= 1, found 0"),
        (["--horizons", "0,1"], "--horizons: expected years ahead, each >= 1, found 0"),
        (["--horizons", "1,1"], "--horizons: 1 is given twice"),
        (["--origins", "2016,2016"], "--origins: 2016 is given twice"),
        # Adversarial M3: any threshold was accepted, and the JSON then lost it.
        (["--threshold", "inf"], "--threshold: expected 0.5 to 10.0 (% of GDP), found inf"),
        (["--threshold", "-5"], "--threshold: expected 0.5 to 10.0 (% of GDP), found -5.0"),
        (["--threshold", "1e308"], "--threshold: expected 0.5 to 10.0"),
        # Adversarial L10: errors named --edition and --as-of, flags backtest does not have.
        (["--realtime-edition", ""], "--realtime-edition: unknown edition ''"),
        (["--origins", "1900-1901"], "--origins: expected years from 2000, found 1900"),
        (["--origins", "2001-2002"], "--origins: expected a year from"),
        # Adversarial2 M3: ranges were built before their length was checked (GBs).
        (["--horizons", "1-99999999"], "--horizons: expected a range"),
        (["--origins", "2016-99999999999"], "--origins: expected a range"),
        # Adversarial2 L3: lenient int() spellings were accepted.
        (["--origins", "2_016"], "--origins: expected a range"),
        (["--origins", "\uff12\uff10\uff11\uff16"], "--origins: expected a range"),
        (["--origins", "2016,,2017"], "--origins: expected a range"),
        (["--horizons", "1_0"], "--horizons: expected a range"),
    ],
)
def test_backtest_refusals_name_the_backtest_flag(
    args: list[str], head: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backtest", "--draws", "100", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"twotier: error: {head}") and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"horizons": (0,)}, "horizons"),
        ({"horizons": "12"}, "horizons"),
        ({"origins": (2016.5,)}, "origins"),
        ({"threshold": float("nan")}, "threshold"),
        ({"threshold": True}, "threshold"),
        ({"draws": 100.5}, "draws"),
        ({"realtime_edition": "zz"}, "realtime_edition"),
        ({"realtime_as_of": 1900}, "realtime_as_of"),
        # Adversarial2 M3: a raw MemoryError (the sequence was built before its length).
        ({"origins": range(2016, 10**12)}, "origins"),
        ({"horizons": range(1, 10**20)}, "horizons"),
    ],
)
def test_backtest_api_refuses_by_its_own_argument(kwargs: dict[str, object], field: str) -> None:
    import twotier

    args: dict[str, object] = {"origins": (2019,), "horizons": (1,), "draws": 100, **kwargs}
    with pytest.raises(twotier.InputError) as info:
        twotier.backtest(**args)  # type: ignore[arg-type]
    assert info.value.field == field and str(info.value).startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("args", "head"),
    [
        (
            ["--deadline", "-5"],
            "--deadline: expected a year after the last figures, at most 2035, found -5",
        ),
        # Adversarial2 L7: 2036 said "from 2000 to 2035", 2026 "from 2027 to 2035".
        (
            ["--deadline", "2036"],
            "--deadline: expected a year after the last figures, at most 2035, found 2036",
        ),
        (
            ["--deadline", "2026"],
            "--deadline: expected a year after the last figures (2026), at most 2035, found 2026",
        ),
        # Adversarial2 L7: the whole tuple was shown, "found (-1.0,)".
        (["--threats", "1,-1"], "--threats: expected values 0 to 10, found -1.0"),
        (["--threats", "1,1"], "--threats: 1.0 is given twice"),
        (["--threats", ",".join(str(k) for k in range(500))], "--threats: expected 1 to 10"),
        (["--threats", "nan"], "--threats: expected numbers separated by commas"),
    ],
)
def test_respond_refusals_name_the_flag(
    args: list[str], head: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["respond", "--draws", "100", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"twotier: error: {head}") and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("extra", "flag"),
    [
        (["--model", "response", "--scenario", "trend"], "--scenario"),
        (["--model", "response", "--share-shock-sd", "3"], "--share-shock-sd"),
        (["--model", "response", "--chunk-size", "7"], "--chunk-size"),
        (["--model", "response", "--scheduler", "threads"], "--scheduler"),
        (["--model", "response", "--scenario", "target", "--target", "3"], "--scenario"),
        (["--model", "response", "--threshold", "50"], "--threshold"),
        (["--uncalibrated"], "--uncalibrated"),
    ],
)
def test_project_refuses_options_the_chosen_model_does_not_use(
    extra: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """adversarial2 M2: these ran with exit 0 and the options were silently unused."""
    args = ["project", "--to", "2027", "--draws", "100", "--format", "csv", *extra]
    if "--threshold" not in extra:
        args += ["--threshold", "2"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"twotier: error: {flag}:"), err


@pytest.mark.parametrize(
    ("command", "names"),
    [
        (["backtest", "--draws", "100"], "--origins or --horizons"),
        (["data", "import", "x.xlsx", "--edition", "2030-01"], "the file may be larger"),
    ],
)
def test_out_of_memory_names_the_commands_own_flags(
    command: list[str], names: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """Adversarial2 H1/M3: the one message named --chunk-size, which only project has."""
    import twotier

    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(twotier, "backtest", no_memory)
    monkeypatch.setattr(twotier, "import_workbook", no_memory)
    assert main(command) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("twotier: error: out of memory; ") and names in err
    assert "--chunk-size" not in err


def test_a_policy_line_the_response_model_refuses_names_policy(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    """The line came from --policy, so the refusal names --policy, not --threshold."""
    from pathlib import Path

    import twotier

    builtin = Path(twotier.__file__).parent / "rules" / "builtin" / "hague-core-3.5.toml"
    text = builtin.read_text(encoding="utf-8").replace('id = "hague-core-3.5"', 'id = "eleven"')
    path = tmp_path / "eleven.toml"
    path.write_text(text.replace("threshold = 3.5", "threshold = 11.0"), encoding="utf-8")
    args = ["project", "--policy", str(path), "--to", "2027", "--model", "response",
            "--draws", "100", "--format", "csv"]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("twotier: error: --policy: eleven: the response model takes a line of")
