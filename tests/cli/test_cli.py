"""The CLI through its entry point: outputs and every bad input of issue 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import twotier
from twotier.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_coverage_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "coverage",
        "--policy",
        "two-tier-2pct",
        "--year",
        "2024",
        "--edition",
        "2024-06",
        "--format",
        "json",
    )
    assert code == 0
    doc = json.loads(out)
    assert (doc["policy"], doc["year"], doc["edition"]) == ("two-tier-2pct", 2024, "2024-06")
    assert set(doc["summary"]) >= {
        "covered",
        "uncovered",
        "unknown",
        "uncovered_population_m",
        "uncovered_gdp_share",
        "uncovered_frontline",
        "shortfall_usd_m",
    }
    assert len(doc["summary"]["covered"]) == 23
    assert doc["summary"]["unknown"] == ["ISL"]
    allies = {a["iso3"]: a for a in doc["allies"]}
    assert len(allies) == 32
    assert allies["ISL"]["tier"] is None and allies["ISL"]["value"] is None
    assert (
        allies["ESP"].items()
        >= {
            "tier": 2,
            "covered": False,
            "value": 1.28,
            "edition": "2024-06",
            "estimate": True,
        }.items()
    )
    # Spain's shortfall, independently: (2 - 1.28)% of GDP 1,658.36 bn = 11,940.2 m.
    assert allies["ESP"]["shortfall_usd_m"] == pytest.approx(0.72 / 100 * 1658.36 * 1000, abs=0.06)
    total = sum(a["shortfall_usd_m"] for a in doc["allies"] if a["covered"] is False)
    assert doc["summary"]["shortfall_usd_m"] == pytest.approx(total, abs=0.1)


def test_coverage_csv_and_threshold(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "coverage",
        "--threshold",
        "3.5",
        "--year",
        "2024",
        "--edition",
        "2024-06",
        "--format",
        "csv",
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 32
    assert {r["iso3"] for r in rows if r["tier"] == "1"} == {"POL"}  # 4.12; EST 3.43 below


def test_table_output_names_editions_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "coverage", "--policy", "two-tier-2pct", "--year", "2024")
    assert code == 0
    # Every 2024 share is in the complete 2026-07 edition, the newest (SOURCES.md).
    assert "Edition 2026-07" in out and "Edition 2024-06" not in out
    assert "not a forecast" in out


def test_demo_prints_coverage_flips_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    # 2026-07 has a share for every ally with armed forces up to 2026 (SOURCES.md).
    assert doc["coverage"]["year"] == 2026
    assert doc["flips"]["editions"] == ["2025-08", "2026-07"]
    # 2025: ALB 2.01 -> 1.48, CZE 2.00 -> 1.86 (SOURCES.md, "About the 2026 edition").
    assert [a["iso3"] for a in doc["flips"]["allies"]] == ["ALB", "CZE"]
    assert all(a["source"] for a in doc["coverage"]["allies"] if a["value"] is not None)


def test_figures_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "figures",
        "--ally",
        "pol,EST",
        "--year",
        "2022-2024",
        "--indicator",
        "pct_gdp",
        "--edition",
        "2024-06",
        "--format",
        "json",
    )
    assert code == 0
    rows = json.loads(out)
    assert {(r["iso3"], r["year"]) for r in rows} == {
        (a, y) for a in ("POL", "EST") for y in (2022, 2023, 2024)
    }
    # The cited source is NATO's publication; the transcription URL is kept apart.
    assert all(r["source"].startswith("NATO, ") for r in rows)
    assert all("https://www.nato.int/" in r["source"] for r in rows)
    assert all(r["retrieved_from"].startswith("https://") for r in rows)


def test_editions_policies_and_show(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "editions", "--format", "csv")
    assert code == 0 and "2026-07" in out
    code, out, _ = run(capsys, "policies", "--format", "json")
    assert code == 0
    assert {p["id"] for p in json.loads(out)} >= {"article5", "two-tier-2pct"}
    code, out, _ = run(capsys, "policies", "show", "two-tier-2pct")
    assert code == 0
    path = tmp_path / "copy.toml"
    path.write_text(out.replace('id = "two-tier-2pct"', 'id = "my-copy"'), encoding="utf-8")
    code, out, _ = run(
        capsys,
        "coverage",
        "--policy",
        str(path),
        "--year",
        "2024",
        "--edition",
        "2024-06",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["policy"] == "my-copy"


def test_diff_lists_both_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "diff",
        "--policy",
        "two-tier-2pct",
        "--year",
        "2023",
        "--editions",
        "2023-07,2024-03",
        "--format",
        "csv",
    )
    assert code == 0
    rows = {r["iso3"]: r for r in csv.DictReader(io.StringIO(out))}
    assert set(rows) == {"DNK", "ROU"}
    assert (rows["ROU"]["value_a"], rows["ROU"]["value_b"]) == ("2.44", "1.6")


BAD = [
    (["coverage", "--policy", "nope", "--year", "2024"], "--policy", "accepted: article5"),
    (["coverage", "--threshold", "abc", "--year", "2024"], "--threshold", "found 'abc'"),
    (["coverage", "--threshold", "-1", "--year", "2024"], "--threshold", "0 to 100"),
    (["coverage", "--threshold", "nan", "--year", "2024"], "--threshold", "0 to 100"),
    (
        ["coverage", "--threshold", "2", "--policy", "article5", "--year", "2024"],
        "--policy",
        "exactly one",
    ),
    (["coverage", "--threshold", "2", "--year", "2031"], "--year", "accepted: 2014-2026"),
    (["coverage", "--threshold", "2", "--year", "twenty"], "--year", "found 'twenty'"),
    (
        ["coverage", "--threshold", "2", "--year", "2024", "--edition", "2019-01"],
        "--edition",
        "accepted: latest, 2023-07",
    ),
    (
        ["coverage", "--threshold", "2", "--year", "2014", "--edition", "2024-03"],
        "--year",
        "accepted: 2023",
    ),
    (["figures", "--ally", "XXX"], "--ally", "accepted: ALB"),
    (["figures", "--indicator", "foo"], "--indicator", "accepted: pct_gdp"),
    (["figures", "--year", "2024-2014"], "--year", "backwards"),
    (["figures", "--format", "xml"], "--format", "accepted: table, csv, json"),
    (
        ["diff", "--policy", "article5", "--year", "2024", "--editions", "2024-06"],
        "--editions",
        "accepted: 2023-07",
    ),
    (
        ["diff", "--policy", "article5", "--year", "2024", "--editions", "2024-06,1999-01"],
        "--edition",
        "accepted: latest",
    ),
    (["coverage", "--bogus"], "--bogus", "accepted: --ally, --edition"),
    # coverage's --year has a default (latest complete year); diff's has none.
    (["diff", "--threshold", "2", "--editions", "2025-08,2026-07"], "--year", "Missing option"),
    (["policies", "show", "nope"], "--policy", "accepted: article5"),
]


@pytest.mark.parametrize(("args", "field", "accepted"), BAD)
def test_bad_input_gives_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], field: str, accepted: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("twotier: error: ")
    assert field in lines[0] and accepted in lines[0]
    assert "Traceback" not in err


def test_malformed_policy_file_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[policy]\nid = "x"\ntitle = "t"\nsource = "s"\ndate = "2024"\n'
        "[[tier1.criteria]]\nindicator = 'pct_gdp'\nthreshold = 'two'\n"
    )
    code, _, err = run(capsys, "coverage", "--policy", str(path), "--year", "2024")
    assert code == 2
    assert err.strip() == (
        "twotier: error: bad.toml: key tier1.criteria[0].threshold: expected a number, found 'two'"
    )


def test_public_api_all_is_exactly_the_public_names() -> None:
    import types

    public = {
        n
        for n in dir(twotier)
        if not n.startswith("_") and not isinstance(getattr(twotier, n), types.ModuleType)
    }
    assert set(twotier.__all__) - {"__version__"} == public
    assert twotier.__all__ == sorted(twotier.__all__, key=lambda s: (not s.isupper(), s))


def test_user_text_with_rich_markup_is_printed_literally(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A policy title that looks like rich markup ("[/]") is printed as written (review D21)."""
    text = twotier.builtin_policy_text("two-tier-2pct")
    lines = ['id = "odd"' if line.startswith("id =") else line for line in text.splitlines()]
    lines = ['title = "Odd [/] title"' if ln.startswith("title =") else ln for ln in lines]
    path = tmp_path / "odd.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "coverage", "--policy", str(path), "--year", "2024")
    assert code == 0, err
    assert "Odd [/] title" in out
