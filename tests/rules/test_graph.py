"""The commitment graph and backing: independent computations and official totals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twotier
from twotier.rules import parse_policy
from twotier.rules.graph import backing, commitment_matrix, contributions

from ..conftest import make_data

HEADER = '[policy]\nid = "t"\ntitle = "t"\nsource = "test"\ndate = "2024"\n'


def independent_backing(
    tiers: dict[str, bool | None],
    spend: dict[str, float],
    guarantors: str | tuple[str, ...],
    club: bool,
) -> dict[str, float | None]:
    """Backing by plain loops over every pair, straight from the definition."""
    out: dict[str, float | None] = {}
    for p in tiers:
        total: float | None = 0.0
        for g in tiers:
            if g == p:
                bound: bool | None = True
            else:
                applies = guarantors == "all" or g in guarantors
                bound = tiers[p] if applies else True
                if club:  # Kleene AND with "the guarantor is in tier 1"
                    if bound is False or tiers[g] is False:
                        bound = False
                    elif bound is None or tiers[g] is None:
                        bound = None
            if bound is None and spend.get(g, 0.0) != 0.0:
                total = None
                break
            if bound:
                total = None if total is None else total + spend[g]
        out[p] = total
    return out


@pytest.mark.parametrize(
    ("guarantors", "club"),
    [("all", False), ("all", True), (("USA",), False), (("USA", "DEU"), True)],
)
def test_backing_on_a_hand_made_alliance(guarantors: str | tuple[str, ...], club: bool) -> None:
    tiers = {"USA": True, "DEU": False, "POL": True, "ESP": False, "ISL": None}
    spend = {"USA": 900.0, "DEU": 90.0, "POL": 35.0, "ESP": 20.0, "ISL": 0.0}
    codes = list(tiers)
    quoted = ", ".join(f'"{g}"' for g in guarantors)
    listed = '"all"' if guarantors == "all" else f"[{quoted}]"
    club_text = "true" if club else "false"
    guarantee = f"[guarantee]\nguarantors = {listed}\nonly_tier1_defend = {club_text}\n"
    policy = parse_policy(HEADER + guarantee)
    matrix = commitment_matrix(codes, pd.Series(tiers, dtype="boolean"), policy)
    got = backing(matrix, pd.Series(spend, dtype="Float64"))
    expected = independent_backing(tiers, spend, guarantors, club)
    assert {k: (None if pd.isna(v) else float(v)) for k, v in got.items()} == expected


def test_article5_backs_every_ally_with_the_alliance_total(data: twotier.NatoData) -> None:
    """NATO 2024 edition, Table 2: 'NATO Total' 2024e current US$ equals the sum of the
    31 allies; under Article 5 every ally, Iceland included, has all of it behind it."""
    frame = twotier.coverage("article5", 2024, "2024-06", data=data)
    nato_total = (
        twotier.select_figures(
            data,
            allies=None,
            years=[2024],
            indicators=["exp_usd_current_m"],
            edition="2024-06",
            include_aggregates=True,
        )
        .set_index("iso3")
        .loc["NATO_TOTAL", "value"]
    )
    assert frame["backing_usd_m"].tolist() == [pytest.approx(nato_total, abs=0.5)] * 32
    assert (frame["backing_share"] == 1).all()
    assert (frame["backing_lost_usd_m"] == 0).all()


def test_us_guarantee_removes_exactly_the_us_figure(data: twotier.NatoData) -> None:
    frame = twotier.coverage("us-guarantee-2pct", 2024, "2024-06", data=data).set_index("iso3")
    total = frame["exp_usd_current_m"].sum()
    us = frame.loc["USA", "exp_usd_current_m"]
    uncovered = frame[frame["covered"].eq(False).fillna(False).astype(bool)]
    assert len(uncovered) == 8
    for value in uncovered["backing_usd_m"]:
        assert value == pytest.approx(total - us, abs=0.1)
    covered = frame[frame["covered"].eq(True).fillna(False).astype(bool)]
    assert (covered["backing_usd_m"] - total).abs().max() < 0.1
    assert pd.isna(frame.loc["ISL", "backing_usd_m"])  # Iceland's tier is unknown


def test_json_coverage_carries_backing(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from twotier.cli import main

    assert (
        main(
            [
                "coverage",
                "--policy",
                "two-tier-2pct-club",
                "--year",
                "2024",
                "--edition",
                "2024-06",
                "--format",
                "json",
            ]
        )
        == 0
    )
    allies = {a["iso3"]: a for a in json.loads(capsys.readouterr().out)["allies"]}
    assert allies["ESP"]["backing_usd_m"] == allies["ESP"]["exp_usd_current_m"] == 21269.3
    assert 0 < allies["POL"]["backing_share"] < 1
    assert allies["ESP"]["backing_lost_usd_m"] > 0


def test_guarantee_gaps_of_the_us_rule_in_2014(data: twotier.NatoData) -> None:
    """2024 edition, 2014: only USA, GBR, GRC at 2%; the US guarantee would then leave
    out every ally of 2014 that borders Russia or Belarus. The members of 2014 are 28
    (Montenegro joined in 2017, North Macedonia 2020, Finland 2023, Sweden 2024;
    allies.csv): 24 outside, the three at 2 % in, Iceland unknown (no figures)."""
    gaps = twotier.guarantee_gaps("us-guarantee-2pct", 2014, "2024-06", data=data)
    us = gaps.set_index("guarantor").loc["USA"]
    assert us["n_outside"] == 24
    assert us["outside_unknown"] == "ISL"
    assert set(us["outside_frontline"].split(",")) == {"EST", "LTU", "LVA", "NOR", "POL"}
    assert us["outside_frontline_share"] == 1.0
    assert not {"FIN", "SWE", "MNE", "MKD"} & set(gaps["guarantor"])
    others = gaps[gaps["guarantor"] != "USA"]
    assert (others["n_outside"] == 0).all()


def test_compare_has_one_row_per_ally_and_a_summary(data: twotier.NatoData) -> None:
    frame = twotier.compare(["article5", "two-tier-2pct"], 2024, "2024-06", data=data)
    assert len(frame) == 33
    summary = frame.set_index("iso3").loc["ALLIANCE"]
    assert summary["article5:tier"] == 32 and summary["two-tier-2pct:tier"] == 23
    with pytest.raises(twotier.InputError, match="each policy once"):
        twotier.compare(["article5", "article5"], 2024, data=data)


def test_compare_and_graph_cli(capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io

    from twotier.cli import main

    assert (
        main(
            [
                "compare",
                "--policies",
                "article5,us-guarantee-2pct",
                "--year",
                "2024",
                "--edition",
                "2024-06",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 33 and "us-guarantee-2pct:backing_usd_m" in rows[0]
    assert main(["graph", "--threshold", "2", "--year", "2024", "--edges", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + 32 * 32
    assert main(["compare", "--policies", "article5", "--year", "2024"]) == 2
    assert "--policies" in capsys.readouterr().err


# --- properties -------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    base=st.lists(st.sampled_from([True, False, None]), min_size=16, max_size=16),
    extra=st.lists(st.booleans(), min_size=16, max_size=16),
    spend=st.lists(st.floats(0, 1000), min_size=4, max_size=4),
)
def test_adding_a_commitment_never_lowers_backing(
    base: list[bool | None], extra: list[bool], spend: list[float]
) -> None:
    codes = ["A", "B", "C", "D"]
    lower = np.array([b is True for b in base]).reshape(4, 4)
    mask = np.array([b is None for b in base]).reshape(4, 4)
    upper = lower | (np.array(extra).reshape(4, 4) & ~mask)
    c = pd.Series(spend, index=codes, dtype="Float64")

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                p: pd.arrays.BooleanArray(values[:, j].copy(), mask[:, j].copy())
                for j, p in enumerate(codes)
            },
            index=codes,
        )

    low, high = backing(frame(lower), c), backing(frame(upper), c)
    known = low.notna() & high.notna()
    assert (high[known] >= low[known] - 1e-6).all()


@settings(max_examples=30, deadline=None)
@given(year=st.integers(2014, 2024), threshold=st.floats(0, 6).map(lambda x: round(x, 2)))
def test_club_gives_tier2_allies_only_their_own_backing(year: int, threshold: float) -> None:
    policy = parse_policy(
        HEADER + f"[[tier1.criteria]]\nindicator='pct_gdp'\nthreshold={threshold}\n"
        "[guarantee]\nonly_tier1_defend = true\n"
    )
    frame = twotier.coverage(policy, year, "2024-06")
    tier2 = frame[frame["tier"].eq(2).fillna(False).astype(bool)]
    assert (tier2["backing_usd_m"] == tier2["exp_usd_current_m"]).all()


@settings(max_examples=20, deadline=None)
@given(year=st.integers(2014, 2024))
def test_threshold_zero_equals_article5_backing(year: int) -> None:
    zero = twotier.coverage(twotier.threshold_policy(0), year, "2024-06").set_index("iso3")
    a5 = twotier.coverage("article5", year, "2024-06").set_index("iso3")
    with_figures = zero["value"].notna()
    assert (zero.loc[with_figures, "backing_usd_m"] == a5.loc[with_figures, "backing_usd_m"]).all()


def test_more_conditional_guarantors_never_raise_backing(data: twotier.NatoData) -> None:
    tiny = make_data(
        [(c, 2024, "pct_gdp", v, "2099-01") for c, v in [("USA", 3.0), ("DEU", 1.5), ("FRA", 2.5)]],
        data,
    )
    c = contributions(
        pd.Series({"USA": 900.0, "DEU": 80.0, "FRA": 60.0}, dtype="Float64"),
        pd.Series({"USA": True, "DEU": True, "FRA": True}),
    )
    tiers = pd.Series({"USA": True, "DEU": False, "FRA": True}, dtype="boolean")
    one = parse_policy(HEADER + '[guarantee]\nguarantors = ["USA"]\n')
    two = parse_policy(HEADER + '[guarantee]\nguarantors = ["USA", "FRA"]\n')
    b1 = backing(commitment_matrix(list(tiers.index), tiers, one), c)
    b2 = backing(commitment_matrix(list(tiers.index), tiers, two), c)
    assert (b2 <= b1).all() and b2["DEU"] == 80.0 and b1["DEU"] == 140.0
    assert tiny.figures["iso3"].nunique() == 3
