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
