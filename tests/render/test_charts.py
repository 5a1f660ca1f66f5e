"""Chart figures: plain data that plotly's own validator accepts, and no outbound buttons."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

import twotier
from twotier.data import NatoData
from twotier.render import charts


@pytest.fixture(scope="module")
def figures(data: NatoData) -> dict[str, charts.Fig]:
    frame = twotier.coverage("two-tier-2pct", 2024, "2024-06", data=data)
    return charts.coverage_figures(frame, data, 2024, "2024-06")


def test_figures_are_plain_json_that_plotly_validates(figures: dict[str, charts.Fig]) -> None:
    assert set(figures) == {"map", "ranking", "shortfall", "wales", "dumbbell"}
    for kind, fig in figures.items():
        # Plain data: strict JSON (no NaN, no numpy objects) without plotly's encoder.
        text = json.dumps(fig, allow_nan=False)
        # plotly's graph-object validator (skipped on the hot path) accepts every key.
        go.Figure(json.loads(text))
        assert charts.caption_of(fig).startswith("Source: NATO"), kind


def test_toolbar_has_no_outbound_buttons() -> None:
    config = charts.GRAPH_CONFIG
    assert config["displaylogo"] is False
    assert config["showSendToCloud"] is False and not config["plotlyServerURL"]
    removed = set(config["modeBarButtonsToRemove"])
    assert {"sendChartToCloud", "sendDataToCloud", "editInChartStudio"} <= removed


def test_custom_threshold_gets_its_own_line_and_unknown_allies_stay(data: NatoData) -> None:
    frame = twotier.coverage(twotier.threshold_policy(3.3), 2025, "latest", data=data)
    fig = charts.ranking_bar(frame)
    solid = [s["x0"] for s in fig["layout"]["shapes"] if s["line"]["dash"] == "solid"]
    assert solid == [3.3]
    labels = [a["text"] for a in fig["layout"]["annotations"]]
    assert "3.3% (rule)" in labels and "2%" in labels
    shown = {ally for trace in fig["data"] for ally in trace["y"]}
    assert shown == set(frame["ally"])  # every ally, with or without a figure
    unknown = next(t for t in fig["data"] if t["name"] == "no figure")
    assert set(unknown["y"]) == set(frame.loc[frame["value"].isna(), "ally"])
    iceland = unknown["text"][unknown["y"].index("Iceland")]
    assert iceland == "no armed forces, no figure"
    # Estimates carry NATO's "e".
    values = [t for t in fig["data"] if t["name"] != "no figure"]
    assert all(label.endswith("e") for t in values for label in t["text"])


def test_empty_results_are_a_sentence_not_blank_axes(data: NatoData) -> None:
    frame = twotier.coverage(twotier.threshold_policy(0.5), 2024, "2024-06", data=data)
    fig = charts.shortfall_bar(frame)
    assert fig["data"] == []
    assert fig["layout"]["xaxis"]["visible"] is False
    assert "no shortfall" in fig["layout"]["annotations"][0]["text"]


def test_coverage_figures_carry_headline_source_and_alt(data: NatoData) -> None:
    policy = twotier.get_policy("two-tier-2pct")
    frame = twotier.coverage(policy, 2024, "2024-06", data=data)
    figs = charts.coverage_figures(frame, data, 2024, "2024-06", policy=policy)
    for kind, fig in figs.items():
        meta = fig["layout"]["meta"]
        assert "2024" in meta["headline"]
        assert meta["source"].startswith(
            "Source: NATO, Defence Expenditure of NATO Countries (2014-2024), 17 June 2024"
        )
        assert meta["alt"]
        # The rule is named where the chart depends on it.
        assert ("Two-tier NATO" in meta["subtitle"]) == (kind in ("map", "ranking", "shortfall"))
    assert figs["ranking"]["layout"]["meta"]["headline"] == "Who meets the 2% of GDP rule in 2024"
    # The text alternative names every ally below the line (computed independently here).
    below = frame.loc[frame["covered"].eq(False).fillna(False).astype(bool), "ally"]
    assert all(ally in figs["ranking"]["layout"]["meta"]["alt"] for ally in below)


def test_tile_map_has_every_ally_with_hover_details(data: NatoData) -> None:
    from twotier.render.tilemap import TILES

    frame = twotier.coverage("two-tier-2pct", 2024, "2024-06", data=data)
    assert set(frame["iso3"]) <= set(TILES)
    assert len(set(TILES.values())) == len(TILES)  # no two allies on one tile
    fig = charts.coverage_map(frame)
    tiles = fig["data"][0]
    assert len(tiles["x"]) == len(frame)
    by_code = {t.split("<br>")[0][3:-4]: (t, h) for t, h in
               zip(tiles["text"], tiles["hovertext"], strict=True)}  # fmt: skip
    assert "no armed" in by_code["ISL"][0]
    spain = frame[frame["iso3"] == "ESP"].iloc[0]
    text, hover = by_code["ESP"]
    assert f"{spain['value']:.2f}" in text
    for needle in (
        "Spain",
        "not covered",
        f"{spain['margin_pp']:+.2f} pp",
        f"{spain['shortfall_usd_m']:,.0f} US$ m",
        f"edition: {spain['edition']}",
    ):
        assert needle in hover, needle


def test_editions_slope_is_between_two_vintages_not_dates() -> None:
    import pandas as pd

    diff = pd.DataFrame({"ally": ["Spain"], "value_a": [1.95], "value_b": [2.05]})
    fig = charts.editions_slope(diff, ("2024-06", "2025-08"), 2024)
    assert fig["layout"]["xaxis"]["type"] == "category"
    assert fig["data"][0]["x"] == ["2024-06", "2025-08"]


def test_editions_slope_says_when_the_two_editions_measure_different_things() -> None:
    """2026-07 measures core defence expenditure (The Hague 2025 definition), 2024-06 total
    defence expenditure: the chart must not let a definition change read as a revision."""
    diff = twotier.diff("two-tier-2pct", 2024, "2024-06", "2026-07")
    fig = charts.editions_slope(diff, ("2024-06", "2026-07"), 2024)
    notes = fig["layout"]["meta"]["notes"]
    assert "measure different things" in notes and "core" in notes
    same = twotier.diff("two-tier-2pct", 2023, "2023-07", "2024-03")
    fig = charts.editions_slope(same, ("2023-07", "2024-03"), 2023)
    assert "different things" not in fig["layout"]["meta"]["notes"]
    # Every ally is named at both ends of its slope.
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    for ally in same["ally"]:
        assert sum(ally in t for t in texts) == 2, ally
