"""Coverage answers: cited sources, membership by year, completeness, one edition per series."""

from __future__ import annotations

import pandas as pd
import pytest

import twotier
from tests.conftest import make_data
from twotier import Criterion, Guarantee, Policy


def test_source_cites_nato_and_keeps_the_retrieval_path(data: twotier.NatoData) -> None:
    """The cited source is NATO's publication (title, date, table, NATO's URL as recorded
    in SOURCES.md); the file it was transcribed from is ``retrieved_from``."""
    frame = twotier.coverage("two-tier-2pct", 2024, "2024-06", data=data).set_index("iso3")
    assert frame.loc["POL", "source"] == (
        "NATO, Defence Expenditure of NATO Countries (2014-2024), 17 June 2024, Table 3, "
        "https://www.nato.int/nato_static_fl2014/assets/pdf/2024/6/pdf/"
        "240617-def-exp-2024-TABLES-en.xlsx"
    )
    assert frame.loc["POL", "retrieved_from"].startswith("https://github.com/jacobvoss/")
    latest = twotier.coverage("two-tier-2pct", 2026, data=data)
    assert latest["source"].dropna().str.startswith("NATO, ").all()
    # No user-visible source points at the transcription or at files beside the repo.
    assert not latest["source"].dropna().str.contains("github|shared/", regex=True).any()


def test_non_members_are_neither_covered_nor_counted(data: twotier.NatoData) -> None:
    """NATO's tables list Finland and Sweden for every year; they joined in 2023 and 2024
    (allies.csv). In 2020 they are 'not a member': no tier, not unknown, not in totals."""
    frame = twotier.coverage("two-tier-2pct", 2020, "2024-06", data=data).set_index("iso3")
    for code in ("FIN", "SWE"):
        assert frame.loc[code, "reason"] == "not a member"
        assert pd.isna(frame.loc[code, "tier"]) and pd.isna(frame.loc[code, "backing_usd_m"])
        assert pd.isna(frame.loc[code, "shortfall_usd_m"])
    s = twotier.coverage_summary(frame.reset_index())
    assert set(s.not_members) == {"FIN", "SWE"}
    assert not {"FIN", "SWE"} & (set(s.unknown) | set(s.uncovered) | set(s.covered))
    members = frame[frame["member_in_year"]]
    uncovered_pop = members.loc[members["covered"].eq(False).fillna(False), "population_m"]
    assert s.uncovered_population_share == round(
        uncovered_pop.sum() / members["population_m"].sum(), 6
    )
    assert s.allies_required == 29  # 30 members in 2020, Iceland has no armed forces


def test_article5_in_2014_covers_the_members_of_2014(data: twotier.NatoData) -> None:
    """28 members in 2014 (before Montenegro 2017, North Macedonia 2020, Finland 2023,
    Sweden 2024; allies.csv), all covered by Article 5, Iceland included."""
    s = twotier.coverage_summary(twotier.coverage("article5", 2014, "2024-06", data=data))
    assert len(s.covered) == 28
    assert set(s.not_members) == {"MNE", "MKD", "FIN", "SWE"}


def test_backing_leaves_out_non_members(data: twotier.NatoData) -> None:
    """Under Article 5 every member is backed by all members' expenditure: the sum over
    the members of that year (Table 2), not over every ally NATO lists."""
    frame = twotier.coverage("article5", 2020, "2024-06", data=data)
    members = frame[frame["member_in_year"]]
    total = members["exp_usd_current_m"].sum()
    assert members["backing_usd_m"].dropna().round(1).eq(round(total, 1)).all()


def test_completeness_is_stated(data: twotier.NatoData) -> None:
    """SOURCES.md: the 2025-08 edition lacks 2025 shares for FIN, MNE, SVK, SVN, SWE;
    the 2026-07 edition is complete for all 31 allies with armed forces."""
    s = twotier.coverage_summary(twotier.coverage("two-tier-2pct", 2025, "2025-08", data=data))
    assert (s.allies_with_figure, s.allies_required) == (26, 31)
    assert set(s.missing_figures) == {"FIN", "MNE", "SVK", "SVN", "SWE"}
    assert s.figure_editions == ("2025-08",)
    latest = twotier.coverage_summary(twotier.coverage("two-tier-2pct", 2025, data=data))
    assert (latest.allies_with_figure, latest.missing_figures) == (31, ())
    assert latest.figure_editions == ("2026-07",)
    assert "31 of 31 allies with armed forces" in latest.completeness
    assert latest.basis_note is not None and "core defence" in latest.basis_note
    assert s.basis_note is None


def test_us_guarantee_reports_whom_the_guarantor_leaves_out(data: twotier.NatoData) -> None:
    s = twotier.coverage_summary(twotier.coverage("us-guarantee-2pct", 2025, data=data))
    assert s.guarantors == ("USA",)
    # 2026-07 edition, 2025e: below 2 % ALB, CZE, SVN (SOURCES.md).
    assert set(s.outside_guarantee["USA"]) == {"ALB", "CZE", "SVN"}
    assert twotier.coverage_summary(twotier.coverage("two-tier-2pct", 2025)).guarantors == ("all",)


def _mean_policy() -> Policy:
    return Policy(
        id="mean-2",
        title="two-year mean at 2%",
        source="test",
        date="",
        criteria=(Criterion(indicator="pct_gdp", threshold=2.0, basis="mean", window=2),),
        guarantee=Guarantee(),
    )


def test_a_mean_never_splices_two_editions(data: twotier.NatoData) -> None:
    """POL has 2023 only in edition A and 2024 only in edition B: under ``latest`` the
    two-year mean is unknown, not a mix of two vintages; EST has both years in A."""
    small = make_data(
        [
            ("POL", 2023, "pct_gdp", 3.9, "2023-07"),
            ("POL", 2024, "pct_gdp", 4.1, "2024-06"),
            ("EST", 2023, "pct_gdp", 2.7, "2023-07"),
            ("EST", 2024, "pct_gdp", 1.0, "2023-07"),
            ("EST", 2024, "pct_gdp", 3.4, "2024-06"),
        ],
        data,
    )
    frame = twotier.coverage(_mean_policy(), 2024, data=small).set_index("iso3")
    assert pd.isna(frame.loc["POL", "value"])
    assert frame.loc["EST", "value"] == (2.7 + 1.0) / 2
    assert frame.loc["EST", "edition"] == "2023-07"


def test_builtin_policies_cite_nothing_outside_the_repository() -> None:
    """A user-visible policy text or source never points at developer notes that ship
    beside the repository (shared/reference) instead of inside it."""
    for policy in twotier.list_policies():
        text = twotier.builtin_policy_text(policy.id)
        assert "shared/" not in text and "reference/" not in text, policy.id
        assert "policies.md P" not in text and "policies.md R" not in text, policy.id
        assert all(u.startswith("https://") for u in policy.source_urls), policy.id


def test_an_allys_series_comes_from_one_edition(data: twotier.NatoData) -> None:
    """GBR's share 2014-2025: the 2025-08 edition has 2014-2025 via the SQL transcription
    (GBR 2024 and 2025 added from news pages; SOURCES.md), 2026-07 has 2014-2026. The
    series is the 2026-07 edition's alone, never 2026-07 joined to older vintages."""
    series = twotier.select_series(data, "pct_gdp", allies=["GBR", "POL"])
    assert set(series["edition"]) == {"2026-07"}
    assert list(series.loc[series["iso3"] == "GBR", "year"]) == list(range(2014, 2027))
    small = make_data(
        [
            ("POL", 2023, "pct_gdp", 3.9, "2023-07"),
            ("POL", 2022, "pct_gdp", 2.4, "2023-07"),
            ("POL", 2024, "pct_gdp", 4.1, "2024-06"),
        ],
        data,
    )
    # The edition with most years wins; its series is not topped up from the newer one.
    path = twotier.select_series(small, "pct_gdp", allies=["POL"])
    assert list(zip(path["year"], path["edition"], strict=True)) == [
        (2022, "2023-07"),
        (2023, "2023-07"),
    ]


def test_a_summary_refuses_a_coverage_column_that_is_not_true_or_false(
    data: twotier.NatoData,
) -> None:
    frame = twotier.coverage(twotier.resolve_policy(threshold=2.0), 2024, data=data)
    frame["covered"] = frame["covered"].map({True: "yes", False: "no"}).astype(object)
    with pytest.raises(twotier.InputError, match="column 'covered' must hold numbers"):
        twotier.coverage_summary(frame)
    frame["population_m"] = "many"
    frame["covered"] = True
    with pytest.raises(twotier.InputError, match="column 'population_m'"):
        twotier.coverage_summary(frame)
