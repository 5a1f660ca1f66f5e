"""Charts of the backtest and the allies' response model (plain-data plotly figures).

Each figure carries its caption in ``layout.meta["caption"]``; no data is read and no
model computed here.
"""

from __future__ import annotations

import pandas as pd

from twotier.render._figure import Fig, new_figure, plain

__all__ = ["reliability_chart", "response_chart"]


def reliability_chart(reliability: pd.DataFrame, meta: dict[str, object]) -> Fig:
    """Observed frequency against forecast probability per method, with the diagonal."""
    traces = [
        {"type": "scatter", "x": [0, 1], "y": [0, 1], "mode": "lines", "name": "perfectly reliable",
         "line": {"dash": "dot", "color": "#888"}, "hoverinfo": "skip"},
    ]  # fmt: skip
    for method, part in reliability.groupby("method", sort=True):
        traces.append({
            "type": "scatter", "x": plain(part["forecast"]), "y": plain(part["observed"]),
            "mode": "lines+markers", "name": str(method),
            "text": [f"{n} cases" for n in part["cases"]],
            "marker": {"size": 6 if method != "response" else 10},
        })  # fmt: skip
    return new_figure(
        traces,
        f"Backtest: were the probabilities of 'at or above {meta.get('threshold_pct')} %' right?",
        f"Origins and horizons as in the table; truth: NATO edition {meta.get('edition')}. "
        "Points on the diagonal are reliable. Results of stated models, not forecasts.",
        xaxis={"title": {"text": "forecast probability"}, "range": [0, 1]},
        yaxis={"title": {"text": "observed frequency"}, "range": [0, 1.02]},
    )


def response_chart(alliance: pd.DataFrame, threshold: float) -> Fig:
    """Expected number of allies at or above the line, without and with the rule."""
    first = alliance[alliance["threat"] == alliance["threat"].min()]
    traces = [
        {"type": "scatter", "x": plain(first["year"]), "y": plain(first["covered_without"]),
         "mode": "lines+markers", "name": "without the rule", "line": {"color": "#555"}},
    ]  # fmt: skip
    for threat, part in alliance.groupby("threat", sort=True):
        traces.append({"type": "scatter", "x": plain(part["year"]),
                       "y": plain(part["covered_with"]), "mode": "lines+markers",
                       "name": f"with the rule, threat {threat:g}"})  # fmt: skip
    return new_figure(
        traces, f"Allies at or above {threshold:g} % without and with a two-tier rule",
        "threat: how much harder losing Article 5 pushes than a pledge (not identified by the "
        "data; illustrative values). Results of a stated model, not forecasts.",
        yaxis={"title": {"text": "expected allies at or above the line"}},
    )  # fmt: skip
