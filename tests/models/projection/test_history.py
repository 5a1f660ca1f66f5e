"""One edition per history, no look-ahead, real growth, series breaks, bounded GDP (D01)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import twotier
from twotier.data import NatoData
from twotier.models.projection.api import ProjectionParams, project
from twotier.models.projection.history import build_history


def test_real_growth_agrees_with_natos_real_change_of_spending() -> None:
    """Independent identity: log GDP_real change = log(1 + real change of spending) minus the
    log change of the share (NATO Table 3 second block, SOURCES.md), within rounding."""
    data = twotier.load_data()
    h = build_history(data, "2024-06")
    rows = data.figures[
        (data.figures["edition"] == "2024-06") & (data.figures["indicator"] == "real_change_pct")
    ].pivot(index="iso3", columns="year", values="value")
    i = h.iso3.index("DEU")
    years = list(h.years)
    for j in range(1, len(years)):
        spend = np.log1p(rows.loc["DEU", years[j]] / 100)
        share = np.log(h.share[i, j] / h.share[i, j - 1])
        # shares have 2 decimals (about 0.4 % of Germany's share): tolerance 0.01
        assert h.real_growth[i, j] == pytest.approx(spend - share, abs=0.01)


def test_luxembourg_2023_is_the_only_series_break_and_is_excluded() -> None:
    h = build_history(twotier.load_data(), "2024-06")
    flagged = {(h.iso3[i], h.years[j]) for i, j in zip(*np.nonzero(h.breaks), strict=True)}
    assert flagged == {("LUX", 2023)}
    lux = h.iso3.index("LUX")
    assert np.isnan(h.real_growth[lux, h.years.index(2023)])
    assert np.isnan(h.share_change[lux, h.years.index(2023)])
    assert h.flags().set_index("iso3").loc["LUX", "series_breaks"] == "2023"


def _scrambled_after(data: NatoData, year: int) -> NatoData:
    figures = data.figures.copy()
    later = figures["year"] > year
    figures.loc[later, "value"] = figures.loc[later, "value"] * 3.7 + 1.0
    return dataclasses.replace(data, figures=figures)


def test_as_of_uses_no_figure_after_the_year() -> None:
    """Scrambling every figure after 2019 leaves a projection as of 2019 unchanged."""
    data = twotier.load_data()
    params = ProjectionParams(horizon=2024, draws=3000, seed=5, as_of=2019, scenario="trend")
    a = project(twotier.threshold_policy(2.0), params, "2024-06", data=data)
    b = project(twotier.threshold_policy(2.0), params, "2024-06", data=_scrambled_after(data, 2019))
    pd.testing.assert_frame_equal(a.allies, b.allies)
    pd.testing.assert_frame_equal(a.assumptions, b.assumptions)
    assert set(a.assumptions["base_year"]) == {2019}
    assert a.allies["year"].min() == 2020  # nothing before as_of + 1 is "projected"


def test_as_of_2019_reproduces_the_reviewed_constant_count() -> None:
    """Models review C.5: `constant` from 2014-2019 (2024-06) gives E[count] 6.4 in 2024."""
    params = ProjectionParams(horizon=2024, draws=20_000, seed=1, as_of=2019)
    r = project(twotier.threshold_policy(2.0), params, "2024-06")
    assert r.alliance.set_index("year").loc[2024, "covered_mean"] == pytest.approx(6.4, abs=0.1)


def test_history_is_one_edition_only() -> None:
    r = project("two-tier-2pct", ProjectionParams(horizon=2027, draws=500))
    assert r.assumptions["edition"].nunique() == 1
    assert r.meta["edition"] == r.assumptions["edition"].iloc[0] != "latest"


@pytest.mark.parametrize("sd", [0.0, 0.2])
def test_growth_sd_at_its_bound_gives_finite_non_negative_money(sd: float) -> None:
    params = ProjectionParams(
        horizon=2060, draws=1500, seed=2, gdp_growth_sd=sd, gdp_growth_mean=0.1
    )
    r = project(twotier.threshold_policy(2.0), params, "2024-06")
    money = r.allies.filter(like="shortfall").to_numpy()
    assert np.isfinite(money).all() and (money >= 0).all()
    assert (r.alliance["shortfall_mean_usd_m"] >= 0).all()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"gdp_growth_sd": 0.21}, "gdp_growth_sd"),
        ({"gdp_growth_sd": 5.0}, "gdp_growth_sd"),
        ({"gdp_growth_mean": float("nan")}, "gdp_growth_mean"),
        ({"seed": -1}, "seed"),
        ({"horizon": 2061}, "horizon"),
    ],
)
def test_out_of_range_parameters_are_refused(kwargs: dict[str, float], field: str) -> None:
    # Core messages start with the field name; the CLI shows it as its flag (--to, --seed).
    with pytest.raises(twotier.InputError, match=f"^{field}: ") as info:
        ProjectionParams(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_as_of_outside_the_edition_and_bad_scheduler_are_refused() -> None:
    with pytest.raises(twotier.InputError, match="as_of"):
        project("two-tier-2pct", ProjectionParams(horizon=2030, as_of=2013), "2024-06")
    with pytest.raises(twotier.InputError, match="scheduler: expected"):
        project("two-tier-2pct", ProjectionParams(horizon=2030, draws=10), scheduler="bogus")


def test_monte_carlo_standard_errors_match_the_spread_across_seeds() -> None:
    """The reported s.e. of covered_mean and p_tier1 agree with the s.d. over 16 seeds."""
    runs = [
        project("two-tier-2pct", ProjectionParams(horizon=2026, draws=1024, seed=s), "2024-06")
        for s in range(16)
    ]
    means = np.array([r.alliance["covered_mean"].iloc[-1] for r in runs])
    se = np.mean([r.alliance["covered_mean_se"].iloc[-1] for r in runs])
    assert 0.5 < means.std(ddof=1) / se < 1.6
    last = runs[0].allies[runs[0].allies["year"] == 2026].set_index("iso3")["p_tier1"]
    iso3 = (last - 0.5).abs().idxmin()  # the ally nearest p = 0.5: the largest binomial error
    rows = [r.allies.set_index(["iso3", "year"]).loc[(iso3, 2026)] for r in runs]
    p = np.array([row["p_tier1"] for row in rows])
    assert rows[0]["p_tier1_se"] == pytest.approx(np.sqrt(p[0] * (1 - p[0]) / 1024))
    assert 0.1 < p.mean() < 0.9
    assert 0.5 < p.std(ddof=1) / np.mean([row["p_tier1_se"] for row in rows]) < 1.6


def test_a_rounded_base_figure_straddling_the_line_is_too_close_to_call() -> None:
    """3.5 known to one decimal is [3.45, 3.55): a line of 3.5 or 3.46 cannot be placed,
    3.44 and 3.56 can; two-decimal figures are always placed."""
    from twotier.models.projection.history import TOO_CLOSE, base_status

    frame = pd.DataFrame({"iso3": ["DNK", "POL", "ISL"], "base_share": [3.5, 3.46, 0.0],
                          "base_share_halfwidth": [0.05, 0.0, 0.0]})  # fmt: skip
    assert base_status(frame, 3.5, {"ISL"}) == [TOO_CLOSE, "below the line", "exempt"]
    assert base_status(frame, 3.46, set())[:2] == [TOO_CLOSE, "at or above the line"]
    assert base_status(frame, 3.44, set())[0] == "at or above the line"
    assert base_status(frame, 3.56, set())[0] == "below the line"
    assert base_status(frame, None, set())[0] == "no line"


def test_project_states_each_allys_base_year_status() -> None:
    result = project(twotier.threshold_policy(2.0), ProjectionParams(horizon=2026, draws=200),
                     "2024-06")  # fmt: skip
    a = result.assumptions
    placed = a[a["base_share_halfwidth"] == 0]
    expected = np.where(placed["base_share"] >= 2.0, "at or above the line", "below the line")
    assert list(placed["base_status"]) == list(expected)
