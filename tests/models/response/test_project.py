"""project(model="response"): the streamed statistics equal those of the raw draws."""

from __future__ import annotations

import numpy as np
import pytest

import twotier
from twotier.models.projection.api import ProjectionParams, project
from twotier.models.projection.history import build_history
from twotier.models.response.calibrate import calibrate
from twotier.models.response.engine import simulate
from twotier.models.response.fit import fit_response
from twotier.models.response.inputs import response_inputs
from twotier.models.response.project import CHUNK, SHARE_BIN


def test_streamed_statistics_equal_those_of_the_raw_draws() -> None:
    """Regenerate the same draws (same seed, same chunks) and compute every statistic
    with plain numpy on the whole array: counts exactly, quantiles to one bin."""
    draws, seed, line = CHUNK + 904, 3, 2.5
    params = ProjectionParams(model="response", horizon=2028, draws=draws, seed=seed)
    result = project(twotier.threshold_policy(line), params, "2024-06")
    history = build_history(twotier.load_data(), "2024-06")
    rng = np.random.default_rng(seed)
    fit = calibrate(history, fit_response(history), rng)
    inputs = response_inputs(history, fit, 2028)
    parts = [simulate(inputs, rng, min(CHUNK, draws - d)) for d in range(0, draws, CHUNK)]
    shares = np.concatenate([s for s, _ in parts])
    gdp = np.concatenate([g for _, g in parts])
    ok = shares >= line - 1e-9
    allies = result.allies
    np.testing.assert_array_equal(allies["p_tier1"], ok.mean(axis=0).ravel())
    for q in (0.05, 0.5, 0.95):
        expected = np.quantile(shares, q, axis=0).ravel()
        got = allies[f"share_q{round(q * 100):02d}"].to_numpy()
        assert np.all(np.abs(got - expected) <= SHARE_BIN)
    np.testing.assert_allclose(allies["share_mean"], shares.mean(axis=0).ravel(), rtol=1e-12)
    money = np.maximum(line - shares, 0) * gdp * 10  # US$ m
    np.testing.assert_allclose(allies["shortfall_mean_usd_m"], money.mean(axis=0).ravel(),
                               rtol=1e-6, atol=1e-3)  # fmt: skip
    count = ok.sum(axis=1)  # draws x years
    covered = result.covered.pivot(index="year", columns="n_covered", values="probability")
    for j, year in enumerate(range(2025, 2029)):
        freq = np.bincount(count[:, j], minlength=covered.shape[1]) / draws
        np.testing.assert_allclose(covered.loc[year].to_numpy(), freq, atol=1e-15)
    assert set(result.parameters["parameter"]) >= {"pull", "drift_correction", "ally_shock_df"}


def test_same_seed_same_projection_and_bad_model_refused() -> None:
    p = ProjectionParams(model="response", horizon=2027, draws=300, seed=8)
    a, b = project("two-tier-2pct", p), project("two-tier-2pct", p)
    assert a.allies.equals(b.allies) and a.alliance.equals(b.alliance)
    with pytest.raises(twotier.InputError, match="model"):
        ProjectionParams(model="magic")
    with pytest.raises(twotier.InputError, match="draws"):
        project("two-tier-2pct", ProjectionParams(model="response", draws=2_000_000))


def test_project_cli_with_the_response_model(capsys: pytest.CaptureFixture[str]) -> None:
    """--model response --as-of YEAR: per-ally rows with iso3, year, p_tier1 and share
    quantiles for the years after YEAR only; the parameters with the assumptions."""
    import json

    from twotier.cli import main

    args = ["project", "--model", "response", "--threshold", "2", "--to", "2022", "--as-of",
            "2019", "--draws", "500", "--edition", "2024-06", "--format", "json"]  # fmt: skip
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = doc["allies"]
    assert {r["year"] for r in rows} == {2020, 2021, 2022} and len(rows) == 31 * 3
    assert {"iso3", "year", "p_tier1", "share_q05", "share_q50", "share_q95"} <= set(rows[0])
    assert all(r["share_q05"] <= r["share_q50"] <= r["share_q95"] for r in rows)
    names = {r["parameter"] for r in doc["parameters"]}
    assert {"drift_correction", "ally_shock_df"} <= names
    assert doc["meta"]["model"] == "response" and doc["meta"]["as_of"] == 2019
    assert main(["project", "--model", "magic", "--to", "2027"]) == 2
    assert "model" in capsys.readouterr().err


def test_uncalibrated_projection_has_no_drift_correction(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--uncalibrated: δ = 0 in the parameters; with δ > 0 the calibrated shares are higher
    on average (same seed)."""
    import json

    from twotier.cli import main

    base = ["project", "--model", "response", "--threshold", "2", "--to", "2028", "--draws",
            "400", "--edition", "2024-06", "--format", "json"]  # fmt: skip
    docs = []
    for flag in ("--uncalibrated", "--calibrated"):
        assert main([*base, flag]) == 0
        docs.append(json.loads(capsys.readouterr().out))
    delta = [next(r["estimate"] for r in d["parameters"] if r["parameter"] == "drift_correction")
             for d in docs]  # fmt: skip
    assert delta[0] == 0.0 and delta[1] > 0
    mean = [np.mean([r["share_mean"] for r in d["allies"]]) for d in docs]
    assert mean[1] > mean[0]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"scenario": "trend"}, "scenario"),
        ({"share_shock_sd": 3.0}, "share_shock_sd"),
        ({"gdp_growth_sd": 0.1}, "gdp_growth_sd"),
        ({"chunk_size": 7}, "chunk_size"),
        ({"target_year": 2030}, "target_year"),
        ({"implementation_shortfall": 0.5}, "implementation_shortfall"),
    ],
)
def test_response_model_refuses_the_scenario_models_options(
    kwargs: dict[str, object], field: str
) -> None:
    """adversarial2 M2: they were accepted, unused, and reported in meta as if used."""
    with pytest.raises(twotier.InputError, match="scenario model") as info:
        ProjectionParams(model="response", **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_options_of_the_other_model_and_response_lines_are_refused() -> None:
    with pytest.raises(twotier.InputError, match="response model") as info:
        ProjectionParams(calibrated=False)
    assert info.value.field == "calibrated"
    with pytest.raises(twotier.InputError, match="True or False"):
        ProjectionParams(model="response", calibrated="no")  # type: ignore[arg-type]
    params = ProjectionParams(model="response", horizon=2027, draws=100)
    for line in (50.0, 0.1):  # respond refuses these lines for the same model
        with pytest.raises(twotier.InputError, match="0.5 to 10") as info:
            project(twotier.threshold_policy(line), params)
        assert info.value.field == "threshold"
        with pytest.raises(twotier.InputError, match="0.5 to 10"):
            twotier.ResponseParams(threshold_pct=line)
    with pytest.raises(twotier.InputError, match="scenario model") as info:
        project("two-tier-2pct", params, scheduler="threads")
    assert info.value.field == "scheduler"


def test_meta_carries_only_the_parameters_the_model_used() -> None:
    params = ProjectionParams(model="response", horizon=2027, draws=100)
    meta = project("two-tier-2pct", params, "2024-06").meta
    assert meta["model"] == "response" and meta["calibrated"] is True
    assert not {"scenario", "share_shock_sd", "chunk_size", "target_pct"} & set(meta)
    meta = project("two-tier-2pct", ProjectionParams(horizon=2027, draws=100), "2024-06").meta
    assert meta["scenario"] == "constant" and "calibrated" not in meta
