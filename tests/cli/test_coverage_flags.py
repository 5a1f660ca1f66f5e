"""`twotier coverage` and `diff` answers a newsroom can use: complete, cited, unclipped."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rich.console import Console

import twotier
from twotier.cli import main
from twotier.render import tables


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("year", "threshold", "below"),
    [
        # 2026-07 edition (core defence), SOURCES.md "About the 2026 edition".
        (2025, "2", {"ALB", "CZE", "SVN"}),
        (2026, "2", {"SVN"}),
    ],
)
def test_two_tier_2025_and_2026_answer_for_every_ally(
    capsys: pytest.CaptureFixture[str], year: int, threshold: str, below: set[str]
) -> None:
    code, out, _ = run(capsys, "coverage", "--policy", "two-tier-2pct", "--year", str(year))
    assert code == 0
    assert f"31 of 31 allies with armed forces have a figure for {year} in edition 2026-07" in out
    assert f"not covered {len(below)} ({', '.join(sorted(below))})" in out
    assert "Source: NATO, Defence Investment of NATO Countries (2014-2026), July 2026" in out
    assert "core defence expenditure" in out


def test_ally_filter_takes_codes_and_names_in_any_case(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        *("coverage", "--threshold", "3.5", "--year", "2026", "--format", "json"),
        *("--ally", "ESP,spain,Türkiye,slovak republic"),
    )
    assert code == 0
    doc = json.loads(out)
    assert [a["iso3"] for a in doc["allies"]] == ["ESP", "SVK", "TUR"]
    # The summary stays the alliance's: LTU, EST, LVA, POL, GRC (SOURCES.md).
    assert len(doc["summary"]["covered"]) == 5
    code, _, err = run(capsys, "coverage", "--threshold", "2", "--ally", "Atlantis")
    assert code == 2
    assert err.startswith("twotier: error: --ally: 'Atlantis'") and err.count("\n") == 1


def test_year_defaults_to_the_latest_complete_year(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "coverage", "--threshold", "2", "--edition", "2024-06")
    assert code == 0
    assert out.startswith("Year 2024: the latest year with a figure for every ally")
    code, out, _ = run(capsys, "coverage", "--threshold", "2", "--format", "json")
    assert json.loads(out)["year"] == 2026


def test_csv_shares_at_published_precision(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "coverage", "--threshold", "2", "--year", "2025", "--edition", "2025-08",
        "--format", "csv",
    )  # fmt: skip
    assert code == 0
    rows = {r["iso3"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["ESP"]["value"] == "2.00"  # published as 2.00 (SOURCES.md, cross-check 12)
    assert rows["NLD"]["value"] == "2.5"  # known to one decimal only (D10)


def test_diff_lists_uncomparable_allies_and_takes_a_threshold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """2025: the 2025-08 edition lacks FIN, MNE, SVK, SVN, SWE; ALB (2.01 -> 1.48) and
    CZE (2.00 -> 1.86) fall below 2 % in the 2026-07 edition (SOURCES.md)."""
    code, out, _ = run(
        capsys, "diff", "--threshold", "2", "--year", "2025", "--editions", "2025-08,2026-07",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert doc["uncomparable"] == ["FIN", "MNE", "SVK", "SVN", "SWE"]
    assert doc["compared"] == 26
    assert {a["iso3"]: a["change"] for a in doc["allies"]} == {
        "ALB": "loses coverage",
        "CZE": "loses coverage",
    }
    code, out, _ = run(
        capsys, "diff", "--policy", "two-tier-2pct", "--year", "2025",
        "--editions", "2025-08,2026-07",
    )  # fmt: skip
    assert "Not comparable (tier unknown in one or both editions): 5" in out
    assert "core defence expenditure" in out


def test_table_never_cuts_numbers_at_80_columns() -> None:
    frame = twotier.coverage("us-guarantee-2pct", 2026)
    summary = twotier.coverage_summary(frame)
    buffer = io.StringIO()
    console = Console(file=buffer, width=80)
    tables.print_frame(
        tables.coverage_display(frame),
        "table",
        console,
        columns=tables.coverage_columns(summary),
        digits={"shortfall_usd_m": 1, "margin_pp": 2, "backing_share": 3},
    )
    text = buffer.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    for value in frame["shortfall_usd_m"].dropna():
        assert f"{value:,.1f}" in text
    for value in frame["backing_share"].dropna():
        assert f"{value:,.3f}" in text
