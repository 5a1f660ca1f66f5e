"""Highlighting an ally, generated chart descriptions, and the Kiel aid charts."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

import twotier
from twotier.data import NatoData
from twotier.render import charts
from twotier.render.aid import AID_CAVEAT, aid_by_donor, aid_over_time
from twotier.render.alt_text import alt_text
from twotier.render.highlight import HIGHLIGHT, highlight


@pytest.fixture(scope="module")
def frame(data: NatoData) -> object:
    return twotier.coverage("two-tier-2pct", 2024, "2024-06", data=data)


def outlined(fig: charts.Fig, field: str) -> list[str]:
    """Labels of the points drawn with the highlight outline."""
    found = []
    for trace in fig["data"]:
        colours = ((trace.get("marker") or {}).get("line") or {}).get("color")
        if isinstance(colours, list):
            found += [trace[field][i] for i, c in enumerate(colours) if c == HIGHLIGHT]
    return found


def test_highlight_marks_exactly_the_ally_in_the_ranking(frame: object) -> None:
    fig = charts.ranking_bar(frame)  # type: ignore[arg-type]
    before = json.dumps(fig)
    marked = highlight(fig, "ESP", "Spain")
    assert outlined(marked, "y") == ["Spain"]
    assert json.dumps(fig) == before  # the original is not changed
    go.Figure(marked)  # still a valid figure


def test_highlight_marks_the_map_location(frame: object) -> None:
    marked = highlight(charts.coverage_map(frame), "POL", "Poland")  # type: ignore[arg-type]
    field = "locations" if marked["data"][0]["type"] == "choropleth" else "text"
    assert [str(t).split("<br>")[0] for t in outlined(marked, field)] in (["POL"], ["<b>POL</b>"])


def test_highlight_of_an_absent_ally_changes_nothing(frame: object) -> None:
    fig = charts.shortfall_bar(frame)  # type: ignore[arg-type]
    # Poland is covered: it has no shortfall bar.
    assert highlight(fig, "POL", "Poland") == fig


def test_highlight_thickens_the_allys_line(data: NatoData) -> None:
    series = twotier.select_figures(
        data, indicators=["pct_gdp"], allies=["ESP", "POL"], edition="2024-06"
    )
    fig = charts.trends(series)
    marked = highlight(fig, "ESP", "Spain")
    lines = {t["name"]: t for t in marked["data"] if "lines" in str(t.get("mode", "lines"))}
    spain = next(t for name, t in lines.items() if name in ("Spain", "ESP"))
    others = [t for name, t in lines.items() if name not in ("Spain", "ESP")]
    assert spain["line"]["width"] == 5
    assert others and all(t["opacity"] == 0.35 for t in others)


def test_description_names_the_extremes_of_the_ranking(frame: object) -> None:
    text = alt_text(charts.ranking_bar(frame))  # type: ignore[arg-type]
    known = frame.dropna(subset=["value"])  # type: ignore[attr-defined]
    top = known.loc[known["value"].idxmax()]
    low = known.loc[known["value"].idxmin()]
    assert f"{top['ally']} {top['value']:.2f}".rstrip("0") in text
    assert low["ally"] in text
    assert "Reference lines: 2%, 3.5%, 5%" in text


def test_description_of_an_empty_chart_is_its_sentence() -> None:
    frame = twotier.coverage("two-tier-2pct", 2025, "2025-08")
    fig = charts.shortfall_bar(frame)
    if not fig["data"] or not fig["data"][0].get("x"):
        assert alt_text(fig).startswith("Chart: ")
        assert fig["layout"].get("meta", {}).get("empty", "") in alt_text(fig)


def test_aid_by_donor_stacks_to_the_trackers_own_totals(data: NatoData) -> None:
    """Military + financial + humanitarian per donor equals the tracker's total row
    (Kiel Ukraine Support Tracker, allocated, data to 2026-04; SOURCES.md §3 check)."""
    fig = aid_by_donor(data.aid)
    go.Figure(fig)
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == ["military", "financial", "humanitarian"]
    totals = data.aid[(data.aid["category"] == "total") & (data.aid["measure"] == "allocated")]
    expected = dict(zip(totals["donor"], totals["value_eur_bn"], strict=True))
    donors = bars[0]["y"]
    for i, donor in enumerate(donors):
        stacked = sum(t["x"][i] for t in bars)
        assert stacked == pytest.approx(expected[donor], abs=0.002)
    assert donors[-1] == max(expected, key=lambda d: expected[d])  # largest on top
    assert AID_CAVEAT in charts.caption_of(fig)
    assert "2026-04" in fig["layout"]["title"]["text"]


def test_aid_over_time_draws_only_donors_with_several_dates(data: NatoData) -> None:
    fig = aid_over_time(data.aid)
    go.Figure(fig)
    committed = data.aid[(data.aid["measure"] == "committed") & (data.aid["category"] == "total")]
    dates = committed.groupby("donor_iso3")["as_of"].nunique()
    assert len(fig["data"]) == int((dates >= 2).sum())
    us = next(t for t in fig["data"] if t["name"] == "United States")
    assert us["y"][0] == 7.6  # Kiel Institute, data as of 27 March 2022 (SOURCES.md §3)
    assert "two or more release dates" in charts.caption_of(fig)
