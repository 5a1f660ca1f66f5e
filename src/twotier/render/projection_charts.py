"""Charts of the backtest and the allies' response model (plain-data plotly figures).

Each figure carries its publication texts (headline, subtitle, source line, notes, text
alternative) in ``layout.meta``; no data is read and no model computed here.
"""

from __future__ import annotations

import pandas as pd

from twotier.render._figure import OKABE_ITO, SYMBOLS, Fig, new_figure, plain
from twotier.render.publish import citation, set_texts

__all__ = ["reliability_chart", "response_chart"]


def reliability_chart(
    reliability: pd.DataFrame, meta: dict[str, object], *, editions: pd.DataFrame | None = None,
    origins: str = "2016-2021",
) -> Fig:  # fmt: skip
    """Observed frequency against forecast probability per method, with the diagonal.

    ``meta`` is the backtest's ``meta`` (threshold, truth edition), ``origins`` the years
    the forecasts were made from.
    """
    traces = [
        {"type": "scatter", "x": [0, 1], "y": [0, 1], "mode": "lines", "name": "perfectly reliable",
         "line": {"dash": "dot", "color": "#888"}, "hoverinfo": "skip"},
    ]  # fmt: skip
    for i, (method, part) in enumerate(reliability.groupby("method", sort=True)):
        traces.append({
            "type": "scatter", "x": plain(part["forecast"]), "y": plain(part["observed"]),
            "mode": "lines+markers", "name": str(method),
            "text": [f"{n} cases" for n in part["cases"]],
            "line": {"color": OKABE_ITO[i % 7]},
            "marker": {"size": 6 if method != "response" else 10, "color": OKABE_ITO[i % 7],
                       "symbol": SYMBOLS[i % len(SYMBOLS)]},
        })  # fmt: skip
    notes = (
        f"Origins and horizons as in the table; truth: NATO edition {meta.get('edition')}. "
        "Points on the diagonal are reliable. Results of stated models, not forecasts."
    )
    fig = new_figure(
        traces,
        "",
        notes,
        xaxis={"title": {"text": "forecast probability"}, "range": [0, 1]},
        yaxis={"title": {"text": "observed frequency"}, "range": [0, 1.02]},
    )
    truth = str(meta.get("truth_edition") or meta.get("edition"))
    methods = ", ".join(str(m) for m in sorted(set(reliability["method"])))
    return set_texts(
        fig,
        f"Backtest of forecasts made {origins}: were the probabilities of "
        f"'at or above {meta.get('threshold_pct')} %' right?",
        f"Observed share of cases at or above the line against the forecast probability, "
        f"per method ({methods}).",
        f"Source: {citation(editions, truth)}.",
        notes,
        f"Reliability chart of {methods}: observed frequency against forecast probability in "
        "bins of 0.1; the diagonal is perfect reliability.",
    )


def response_chart(
    alliance: pd.DataFrame, threshold: float, *, meta: dict[str, object] | None = None,
    editions: pd.DataFrame | None = None,
) -> Fig:  # fmt: skip
    """Expected number of allies at or above the line, without and with the rule.

    ``meta`` is the response result's ``meta`` (edition and year of the figures).
    """
    first = alliance[alliance["threat"] == alliance["threat"].min()]
    traces = [
        {"type": "scatter", "x": plain(first["year"]), "y": plain(first["covered_without"]),
         "mode": "lines+markers", "name": "without the rule", "line": {"color": "#555"}},
    ]  # fmt: skip
    for i, (threat, part) in enumerate(alliance.groupby("threat", sort=True)):
        traces.append({"type": "scatter", "x": plain(part["year"]),
                       "y": plain(part["covered_with"]), "mode": "lines+markers",
                       "name": f"with the rule, threat {threat:g}",
                       "line": {"color": OKABE_ITO[i % 7], "dash": ("solid", "dash", "dot")[i % 3]},
                       "marker": {"color": OKABE_ITO[i % 7],
                                  "symbol": SYMBOLS[(i + 1) % len(SYMBOLS)]}})  # fmt: skip
    notes = (
        "threat: how much harder losing Article 5 pushes than a pledge (not identified by "
        "the data; illustrative values). Results of a stated model, not forecasts."
    )
    fig = new_figure(
        traces, "", notes, yaxis={"title": {"text": "expected allies at or above the line"}}
    )
    meta = meta or {}
    years = plain(first["year"])
    span = f"{years[0]} to {years[-1]}" if years else ""
    edition = str(meta.get("edition", ""))
    alt = (
        f"Line chart, {span}: expected allies at or above {threshold:g} % without the rule "
        f"(grey) and with it for {alliance['threat'].nunique()} threat strengths."
    )
    return set_texts(
        fig, f"Allies at or above {threshold:g} % of GDP without and with a two-tier rule, {span}",
        f"Expected number of allies at or above the line; from NATO's figures to "
        f"{meta.get('as_of', '')}.",
        f"Source: {citation(editions, edition)}." if edition else "Source: NATO.", notes, alt,
    )  # fmt: skip
