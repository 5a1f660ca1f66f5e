"""The Kiel-style aid chart shows the bundled tracker figures, with the provenance caveat."""

from __future__ import annotations

import csv
import json

import plotly.graph_objects as go

from twotier.data import NatoData, bundled_dir
from twotier.render.aid import aid_by_donor


def test_aid_chart_shows_the_bundled_figures(data: NatoData) -> None:
    fig = aid_by_donor(data.aid, top=5)
    go.Figure(json.loads(json.dumps(fig, allow_nan=False)))  # valid plotly
    # Independent reading of the bundled CSV: the five largest totals allocated in 2026-04.
    with (bundled_dir() / "ukraine_aid.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["as_of"] == "2026-04"]
    totals = {r["donor"]: float(r["value_eur_bn"]) for r in rows
              if r["category"] == "total" and r["measure"] == "allocated"}  # fmt: skip
    top5 = sorted(totals, key=totals.__getitem__, reverse=True)[:5]
    bars = {t["name"]: dict(zip(t["y"], t["x"], strict=True)) for t in fig["data"]
            if t["type"] == "bar"}  # fmt: skip
    assert set(bars) == {"military", "financial", "humanitarian"}
    assert list(reversed(fig["data"][0]["y"])) == top5  # largest on top
    for donor in top5:
        stacked = sum(bars[c][donor] for c in bars)
        assert abs(stacked - totals[donor]) < 0.01, donor  # the tracker's rounding
    committed = dict(zip(fig["data"][-1]["y"], fig["data"][-1]["x"], strict=True))
    for r in rows:
        if r["category"] == "total" and r["measure"] == "committed" and r["donor"] in top5:
            assert committed[r["donor"]] == float(r["value_eur_bn"])
    meta = fig["layout"]["meta"]
    assert "Kiel Institute" in meta["source"] and "2026-04" in meta["headline"]
    assert "could not be confirmed as an official Kiel Institute release" in meta["caption"]
