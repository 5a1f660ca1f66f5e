"""Backtest and response charts: one trace per method, values as given, captions."""

from __future__ import annotations

import pandas as pd

from twotier.render.projection_charts import reliability_chart, response_chart


def test_reliability_chart_plots_each_method_against_the_diagonal() -> None:
    rel = pd.DataFrame({"method": ["a", "a", "b"], "forecast": [0.1, 0.8, 0.5],
                        "observed": [0.2, 0.7, 0.5], "cases": [30, 20, 10]})  # fmt: skip
    fig = reliability_chart(rel, {"threshold_pct": 2.0, "edition": "2026-07"})
    names = [t["name"] for t in fig["data"]]
    assert names == ["perfectly reliable", "a", "b"]
    assert fig["data"][1]["x"] == [0.1, 0.8] and fig["data"][1]["y"] == [0.2, 0.7]
    assert "not forecasts" in fig["layout"]["meta"]["caption"]


def test_response_chart_has_the_path_without_and_one_per_threat() -> None:
    alliance = pd.DataFrame({"threat": [1.0, 1.0, 2.0, 2.0], "year": [2027, 2028] * 2,
                             "covered_without": [5.0, 6.0, 5.0, 6.0],
                             "covered_with": [7.0, 8.0, 9.0, 10.0]})  # fmt: skip
    fig = response_chart(alliance, 2.5)
    assert [t["name"] for t in fig["data"]] == [
        "without the rule", "with the rule, threat 1", "with the rule, threat 2",
    ]  # fmt: skip
    assert fig["data"][2]["y"] == [9.0, 10.0]
