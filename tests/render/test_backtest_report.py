"""The backtest report section: numbers as computed, losses found from the numbers."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from twotier.render.backtest_report import backtest_section_html, where_it_loses


def _result() -> SimpleNamespace:
    scores = pd.DataFrame({
        "method": ["response", "pooled_random_walk"] * 3,
        "horizon": ["all", "all", "1", "1", "2", "2"],
        "brier": [0.100, 0.120, 0.060, 0.050, 0.090, 0.110],
        "log_score": 0.3, "crps": 0.2, "coverage_50": 0.5,
        "coverage_90": [0.83, 0.82, 0.9, 0.9, 0.9, 0.9], "cases": 100,
    })  # fmt: skip
    reliability = pd.DataFrame({
        "method": "response", "cases": [40, 19, 25], "forecast": [0.15, 0.45, 0.85],
        "observed": [0.16, 0.90, 0.99], "bin_low": [0.1, 0.4, 0.8], "bin_high": [0.2, 0.5, 0.9],
    })  # fmt: skip
    reliability["gap"] = reliability["observed"] - reliability["forecast"]
    meta = {"edition": "2026-07", "threshold_pct": 2.0, "log_score_clip": 0.01,
            "note": "not forecasts", "realtime_bases": "b"}  # fmt: skip
    params = {"origins": [2016, 2021], "horizons": [1, 2], "draws": 100}
    return SimpleNamespace(scores=scores, reliability=reliability, realtime=pd.DataFrame(),
                           meta=meta, params=params)  # fmt: skip


def test_losses_are_found_from_the_numbers() -> None:
    lines = where_it_loses(_result())
    assert lines[0] == "Brier at horizon 1: response 0.060, lower: pooled_random_walk 0.050."
    assert any("0.830" in s and "0.85-0.95" in s for s in lines)  # coverage below the goal
    bins = [s for s in lines if s.startswith("Reliability")]
    assert len(bins) == 1 and "0.8-0.9 (25 cases)" in bins[0]  # 19 cases: too few to judge
    assert not any("overall" in s for s in lines)  # response is best overall


def test_section_shows_the_scores_and_the_reliability_chart() -> None:
    text = backtest_section_html(_result())
    assert "0.120" in text and "0.110" in text and "Where it loses" in text
    assert "js-plotly-plot" in text or "plotly" in text
    assert text.count("<table") == 3  # scores, Brier by horizon, reliability
