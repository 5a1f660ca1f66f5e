"""The backtest: scores checked by independent computation, no look-ahead, reproducible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import twotier
from twotier.models.projection.backtest import backtest


@pytest.fixture(scope="module")
def small() -> twotier.models.projection.backtest.BacktestResult:  # type: ignore[name-defined]
    return backtest(
        edition="2024-06", origins=[2017, 2019], horizons=[1, 3],
        methods=["no_change", "pooled_random_walk", "response"], draws=400, rng=3,
        realtime_edition=None,
    )  # fmt: skip


def test_no_change_scores_equal_a_hand_computation(small) -> None:  # type: ignore[no-untyped-def]
    fig = twotier.load_data().figures
    s = fig[(fig["edition"] == "2024-06") & (fig["indicator"] == "pct_gdp")]
    s = s[s["iso3"].str.len() == 3].pivot(index="iso3", columns="year", values="value")
    brier, crps = [], []
    for origin in (2017, 2019):
        for h in (1, 3):
            forecast, truth = s[origin], s[origin + h]
            brier += list(((forecast >= 2) != (truth >= 2)).astype(float))
            crps += list((forecast - truth).abs())  # CRPS of a point forecast = |error|
    row = small.scores.query("method == 'no_change' and horizon == 'all'").iloc[0]
    assert row["brier"] == pytest.approx(np.mean(brier))
    assert row["crps"] == pytest.approx(np.mean(crps), rel=1e-9)
    assert row["cases"] == 31 * 2 * 2
    per_h = small.scores.query("method == 'no_change' and horizon != 'all'")
    assert list(per_h["cases"]) == [31 * 2, 31 * 2]  # each horizon's own count, not unknown


def test_reliability_counts_add_up_and_coverage_is_a_frequency(small) -> None:  # type: ignore[no-untyped-def]
    rel = small.reliability
    assert (rel.groupby("method")["cases"].sum() == 124).all()
    assert small.scores[["coverage_50", "coverage_90"]].stack().between(0, 1).all()
    rw = small.scores.query("method == 'pooled_random_walk' and horizon == 'all'").iloc[0]
    assert rw["coverage_50"] <= rw["coverage_90"]


def test_same_seed_same_scores() -> None:
    kwargs = dict(edition="2024-06", origins=[2019], horizons=[2], methods=["response"],
                  draws=300, realtime_edition=None)  # fmt: skip
    a, b = backtest(rng=5, **kwargs), backtest(rng=5, **kwargs)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(a.cases, b.cases)


def test_bad_backtest_input_is_refused() -> None:
    with pytest.raises(twotier.InputError, match="method"):
        backtest(methods=["magic"])
    with pytest.raises(twotier.InputError, match="draws"):
        backtest(draws=5)
    with pytest.raises(twotier.InputError, match="seed|rng"):
        backtest(rng=-1, draws=100)
