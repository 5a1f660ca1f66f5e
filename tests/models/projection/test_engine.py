"""The projection engine: exact limits, analytic distributions, invariances, Dask."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

import twotier
from twotier.models.projection import engine
from twotier.models.projection.api import ProjectionParams, project

QUIET = {"gdp_growth_sd": 0.0, "share_shock_sd": 0.0}


def test_zero_variance_reproduces_the_deterministic_path_exactly() -> None:
    params = ProjectionParams(
        horizon=2030,
        draws=2000,
        seed=3,
        scenario="target",
        target_pct=3.0,
        target_year=2030,
        **QUIET,
    )
    result = project(twotier.threshold_policy(2.5), params, "2024-06")
    a = result.assumptions.set_index("iso3")
    frame = result.allies.set_index(["iso3", "year"])
    for iso3 in ("BEL", "POL", "DEU"):
        s0 = a.loc[iso3, "base_share"]
        for year in range(2025, 2031):
            expected = s0 if s0 >= 3.0 else s0 + (3.0 - s0) * (year - 2024) / 6
            row = frame.loc[(iso3, year)]
            assert row["share_mean"] == pytest.approx(expected, abs=1e-6)
            assert row["share_q05"] == row["share_q95"] == pytest.approx(expected, abs=1e-12)
            assert row["p_tier1"] == (1.0 if expected >= 2.5 - 1e-9 else 0.0)
            gdp = a.loc[iso3, "gdp_usd_bn"] * math.exp(
                a.loc[iso3, "gdp_growth_mean"] * (year - 2024)
            )
            assert row["gdp_mean_usd_bn"] == pytest.approx(gdp, rel=1e-5)
    # The path reaches the target exactly at the deadline.
    assert frame.loc[("BEL", 2030), "share_mean"] == pytest.approx(3.0, abs=1e-6)


def test_lognormal_growth_mean_and_quantiles_match_the_analytic_values() -> None:
    """GDP is lognormal: E = Y0 exp(k(mu + s^2/2)); with a fixed share below the line the
    shortfall is gap x GDP, whose quantiles are gap Y0 exp(k mu + s sqrt(k) z_q)."""
    mu, s, n = 0.02, 0.08, 40_000
    params = ProjectionParams(
        horizon=2030, draws=n, seed=11, gdp_growth_mean=mu, gdp_growth_sd=s, share_shock_sd=0.0
    )
    result = project(twotier.threshold_policy(6.0), params, "2024-06")
    a = result.assumptions.set_index("iso3")
    row = result.allies.set_index(["iso3", "year"]).loc[("ESP", 2030)]
    k = 6
    y0 = a.loc["ESP", "gdp_usd_bn"]
    gap = 6.0 - a.loc["ESP", "base_share"]
    mean = y0 * math.exp(k * (mu + s**2 / 2))
    sd = math.sqrt((math.exp(k * s**2) - 1) * math.exp(2 * k * mu + k * s**2)) * y0
    assert row["gdp_mean_usd_bn"] == pytest.approx(mean, rel=1e-12)  # exact formula
    # The simulated mean shortfall (gap x GDP) lies within 4 standard errors.
    assert abs(row["shortfall_mean_usd_m"] - gap * 10 * mean) < 4 * gap * 10 * sd / math.sqrt(n)
    for q, col in (
        (0.05, "shortfall_q05_usd_m"),
        (0.5, "shortfall_q50_usd_m"),
        (0.95, "shortfall_q95_usd_m"),
    ):
        z = NormalDist().inv_cdf(q)
        expected = gap * 10 * y0 * math.exp(k * mu + s * math.sqrt(k) * z)
        # Histogram resolution 1.2 % plus Monte Carlo error of a quantile (about 1 %).
        assert row[col] == pytest.approx(expected, rel=0.03)


def test_tier1_frequency_matches_the_normal_probability() -> None:
    """p(tier 1) = Φ((path - line)/sd) for a share with one normal shock: the Monte
    Carlo frequency lies within 4 binomial standard errors."""
    n = 30_000
    params = ProjectionParams(horizon=2026, draws=n, seed=5, share_shock_sd=0.2)
    result = project(twotier.threshold_policy(2.0), params, "2024-06")
    a = result.assumptions.set_index("iso3")
    frame = result.allies.set_index(["iso3", "year"])
    for iso3 in ("SVK", "FRA", "HRV", "NLD"):
        p = 1 - NormalDist(a.loc[iso3, "base_share"], 0.2).cdf(2.0 - 1e-9)
        got = frame.loc[(iso3, 2026), "p_tier1"]
        assert abs(got - p) <= 4 * math.sqrt(p * (1 - p) / n) + 1e-12


def test_allies_far_from_the_line_are_certain_under_constant() -> None:
    result = project("two-tier-2pct", ProjectionParams(horizon=2035, draws=5000, seed=1))
    frame = result.allies.set_index("iso3")
    a = result.assumptions.set_index("iso3")
    far = a[(a["base_share"] - 2.0).abs() > 6 * a["share_shock_sd"]].index
    assert len(far) >= 3
    for iso3 in far:
        expected = 1.0 if a.loc[iso3, "base_share"] > 2.0 else 0.0
        assert (frame.loc[iso3, "p_tier1"] == expected).all()


@pytest.mark.parametrize("chunk", [1, 1024, 3000, 100_000])
def test_results_do_not_depend_on_the_chunk_size(chunk: int) -> None:
    base = project("two-tier-2pct", ProjectionParams(horizon=2029, draws=5000, seed=9))
    other = project(
        "two-tier-2pct", ProjectionParams(horizon=2029, draws=5000, seed=9, chunk_size=chunk)
    )
    pd.testing.assert_frame_equal(base.allies, other.allies)
    pd.testing.assert_frame_equal(base.alliance, other.alliance)
    pd.testing.assert_frame_equal(base.covered, other.covered)


def test_same_seed_same_output_other_seed_other_output() -> None:
    p = ProjectionParams(horizon=2028, draws=3000, seed=21)
    a, b = project("two-tier-2pct", p), project("two-tier-2pct", p)
    pd.testing.assert_frame_equal(a.allies, b.allies)
    c = project("two-tier-2pct", ProjectionParams(horizon=2028, draws=3000, seed=22))
    assert not a.allies["p_tier1"].equals(c.allies["p_tier1"])
    assert a.meta["seed"] == 21 and a.meta["policy"] == "two-tier-2pct"
    assert np.isclose(a.covered.groupby("year")["probability"].sum(), 1.0).all()


def test_dask_local_cluster_equals_the_local_run() -> None:
    from distributed import Client, LocalCluster

    p = ProjectionParams(horizon=2028, draws=4000, seed=4, chunk_size=1024)
    local = project("two-tier-2pct", p)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster),
    ):
        remote = project("two-tier-2pct", p, scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(local.allies, remote.allies)
    pd.testing.assert_frame_equal(local.alliance, remote.alliance)
    threads = project("two-tier-2pct", p, scheduler="threads")
    pd.testing.assert_frame_equal(local.alliance, threads.alliance)


def test_scenario_path_shapes() -> None:
    base = np.array([1.0, 4.0])
    year = np.array([2024, 2024])
    years = list(range(2025, 2036))
    kw = {"target": 3.0, "target_year": 2034}
    lin = engine.scenario_paths(base, year, years, "target", shape="linear", **kw)
    front = engine.scenario_paths(base, year, years, "target", shape="front", **kw)
    back = engine.scenario_paths(base, year, years, "target", shape="back", **kw)
    assert lin[0, 9] == front[0, 9] == back[0, 9] == pytest.approx(3.0)  # 2034
    assert (front[0, :9] > lin[0, :9]).all() and (back[0, :9] < lin[0, :9]).all()
    assert (lin[1] == 4.0).all()  # already above: stays
    short = engine.scenario_paths(base, year, years, "target", shortfall=0.25, **kw)
    assert short[0, -1] == pytest.approx(1.0 + 0.75 * 2.0)
    trend = engine.scenario_paths(
        base, year, years, "trend", slope=np.array([0.5, -0.1]), damping=0.5, cap=5.0
    )
    assert trend[0, 0] == pytest.approx(1.25) and trend[0, -1] < 1.5  # damped sum < b/(1-φ)·φ
    assert trend[1, -1] > 4.0 - 0.1  # damped decline
    capped = engine.scenario_paths(
        base, year, years, "trend", slope=np.array([1.0, 1.0]), damping=1.0, cap=3.0
    )
    assert capped[0].max() == 3.0 and capped[1].max() == 4.0  # cap never below the base


@pytest.mark.parametrize(
    ("policy", "kwargs", "edition", "message"),
    [
        ("wales-2014", {}, "latest", "equipment_pct"),
        ("two-tier-2pct", {"horizon": 2020}, "latest", "^horizon: "),
        ("two-tier-2pct", {}, "2025-08", "one complete edition"),
        ("article5", {"scenario": "target"}, "latest", "^target_pct: "),
        ("two-tier-2pct", {"scenario": "upward"}, "latest", "^scenario: "),
        ("two-tier-2pct", {"draws": 0}, "latest", "^draws: "),
        ("two-tier-2pct", {"seed": -1}, "latest", "^seed: expected a seed"),
    ],
)
def test_bad_projection_input(
    policy: str, kwargs: dict[str, object], edition: str, message: str
) -> None:
    # Core messages start with the field (the CLI and the dashboard name it their way).
    with pytest.raises(twotier.InputError, match=message) as info:
        project(policy, ProjectionParams(**kwargs), edition)  # type: ignore[arg-type]
    if message.startswith("^"):
        assert info.value.field == message[1:].split(":")[0]


def test_project_cli(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from twotier.cli import main

    assert (
        main(
            [
                "project",
                "--threshold",
                "2",
                "--to",
                "2027",
                "--draws",
                "2000",
                "--seed",
                "1",
                "--format",
                "json",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["meta"]["seed"] == 1
    assert len(doc["alliance"]) == 2027 - doc["meta"]["as_of"]  # as_of+1 .. 2027
    assert {"gdp_growth_mean", "share_shock_sd"} <= set(doc["assumptions"][0])
    assert main(["project", "--threshold", "2", "--to", "2027", "--draws", "2000"]) == 0
    out = capsys.readouterr().out
    assert "not forecasts" in out and "seed 0" in out
    assert main(["project", "--threshold", "2", "--to", "2027", "--scenario", "x"]) == 2
    assert "--scenario" in capsys.readouterr().err


@pytest.mark.parametrize("line", [2.0, 3.5])  # few allies short (sparse) / most (dense)
def test_block_statistics_agree_with_each_other_across_flushes(line: float) -> None:
    """Every draw of every ally-year is in exactly one money bin; the draws with a
    shortfall (bins above 0) are those not in tier 1; money sums are zero exactly where
    no draw fell short. 70 blocks cross the histogram flush (64 blocks)."""
    from twotier.models.projection.api import _assumptions, _inputs
    from twotier.models.projection.history import build_history

    params = ProjectionParams(horizon=2027, draws=70 * engine.BLOCK - 5, seed=4)
    history = build_history(twotier.load_data(), "2024-06")
    inputs = _inputs(_assumptions(history, params), params, line, set())
    acc = engine.simulate_blocks(inputs, 4, list(range(70)), params.draws)
    assert (acc.shortfall_hist.sum(axis=2) == params.draws).all()
    np.testing.assert_array_equal(
        acc.shortfall_hist[:, :, 1:].sum(axis=2), params.draws - acc.tier1
    )
    assert ((acc.shortfall_sum > 0) == (acc.tier1 < params.draws)).all()
    assert (acc.covered_hist.sum(axis=1) == params.draws).all()
    assert acc.total_sum.sum() == pytest.approx(acc.shortfall_sum.sum(), rel=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        # Adversarial L4: accepted, then a raw TypeError inside project().
        ({"draws": 10.5}, "draws"),
        ({"draws": "10"}, "draws"),
        ({"draws": True}, "draws"),
        ({"horizon": 2030.7}, "horizon"),
        ({"chunk_size": 1024.0}, "chunk_size"),
        ({"as_of": "2020"}, "as_of"),
        ({"trend_damping": "0.5"}, "trend_damping"),
        ({"gdp_growth_sd": False}, "gdp_growth_sd"),
        ({"scenario": ["target"]}, "scenario"),
        # Adversarial L2: a target with another scenario was ignored silently.
        ({"target_pct": 3.0}, "target_pct"),
    ],
)
def test_projection_params_refuse_by_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(twotier.InputError) as info:
        ProjectionParams(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field and str(info.value).startswith(f"{field}: ")


@pytest.mark.parametrize("option", [["--target", "3"], ["--target-shape", "back"],
                                    ["--target-year", "2030"], ["--shortfall", "0.2"]])  # fmt: skip
def test_target_options_need_the_target_scenario(
    option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # Adversarial L2: the three outputs were identical (the option ignored).
    from twotier.cli import main

    assert main(["project", "--to", "2030", "--threshold", "2", "--draws", "200", *option]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"twotier: error: {option[0]}: applies only with --scenario target, "
                   "found --scenario constant")  # fmt: skip


def test_meta_states_the_target_used() -> None:
    p = ProjectionParams(horizon=2028, draws=200, scenario="target")
    assert project(twotier.threshold_policy(2.5), p).meta["target_pct"] == 2.5
    p = ProjectionParams(horizon=2028, draws=200, scenario="target", target_pct=3.0)
    assert project(twotier.threshold_policy(2.5), p).meta["target_pct"] == 3.0
    assert (
        project("two-tier-2pct", ProjectionParams(horizon=2028, draws=200)).meta["target_pct"]
        is None
    )
