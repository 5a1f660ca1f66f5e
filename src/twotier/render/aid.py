"""Charts of the Kiel Institute's Ukraine Support Tracker figures (aid to Ukraine by donor).

Two charts from the bundled tracker rows (:attr:`twotier.NatoData.aid`): aid allocated
per donor by kind (military, financial, humanitarian) at the newest release, and the
commitments per donor at every release date the data holds. Both carry the tracker's
provenance caveat in their caption. Presentation only: rows in, plain-data figure out.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from twotier.render._figure import OKABE_ITO, SYMBOLS, Fig, empty_figure, new_figure, plain

__all__ = ["AID_CAVEAT", "aid_by_donor", "aid_caption", "aid_over_time"]

#: Why the bundled tracker figures must be checked before publication (SOURCES.md §3).
AID_CAVEAT = (
    "Provenance caveat: the bundled tracker figures come from a public copy of the "
    "tracker's data that could not be confirmed as an official Kiel Institute release; "
    "check them against the Kiel Institute's own Excel file before publication."
)

KINDS = (("military", OKABE_ITO[0]), ("financial", OKABE_ITO[1]), ("humanitarian", OKABE_ITO[2]))


def aid_caption(aid: pd.DataFrame) -> str:
    """Source, release and measure of the tracker rows, with the provenance caveat."""
    as_of = str(aid["as_of"].max()) if len(aid) else "unknown"
    return (
        "Source: Kiel Institute for the World Economy, Ukraine Support Tracker (data to "
        f"{as_of}). EUR bn, cumulative since 24 January 2022, current prices. Allocated = "
        "delivered or earmarked; committed = allocated plus promised, not yet allocated. "
        f"Albania, Montenegro and North Macedonia are not in the tracker. {AID_CAVEAT}"
    )


def aid_by_donor(aid: pd.DataFrame, top: int = 30) -> Fig:
    """Aid allocated per donor at the newest release, stacked by kind, largest on top."""
    rows = aid[(aid["measure"] == "allocated") & (aid["category"] != "total")]
    title = "Aid to Ukraine allocated, by donor and kind"
    if rows.empty:
        return empty_figure(title, aid_caption(aid), "No allocated aid figures in the data.")
    as_of = str(rows["as_of"].max())
    rows = rows[rows["as_of"] == as_of]
    wide = rows.pivot_table(
        index="donor", columns="category", values="value_eur_bn", aggfunc="sum"
    ).fillna(0.0)
    wide["total"] = wide.sum(axis=1)
    wide = wide.sort_values("total").tail(top)
    traces: list[dict[str, Any]] = [
        {
            "type": "bar", "orientation": "h", "name": kind, "marker": {"color": colour},
            "x": plain(wide[kind]) if kind in wide else [0.0] * len(wide),
            "y": plain(wide.index),
            "hovertemplate": f"%{{y}}: EUR %{{x:,.1f}} bn {kind}<extra></extra>",
        }
        for kind, colour in KINDS
    ]  # fmt: skip
    traces.append({
        "type": "scatter", "mode": "text", "x": plain(wide["total"]), "y": plain(wide.index),
        "text": [f" {v:,.1f}" for v in wide["total"]], "textposition": "middle right",
        "showlegend": False, "hoverinfo": "skip", "cliponaxis": False,
    })  # fmt: skip
    return new_figure(
        traces, f"{title}, to {as_of}", aid_caption(aid), height=max(420, 20 * len(wide) + 140),
        barmode="stack", xaxis={"title": {"text": "EUR bn, cumulative"}},
        margin={"l": 60, "r": 50, "t": 60, "b": 50},
    )  # fmt: skip


def aid_over_time(aid: pd.DataFrame) -> Fig:
    """Total aid committed per donor at each release date the data holds.

    Only donors with figures at two or more dates are drawn (a single date is no line);
    the caption says how many donors that leaves out.
    """
    rows = aid[(aid["measure"] == "committed") & (aid["category"] == "total")].copy()
    # One name per donor (the tracker renamed some over time): the newest release's.
    newest = rows.sort_values("as_of").groupby("donor_iso3")["donor"].last()
    rows["donor"] = rows["donor_iso3"].map(newest)
    dates = rows.groupby("donor")["as_of"].nunique()
    several = sorted(dates[dates >= 2].index)
    title = "Aid to Ukraine committed over time, by donor"
    extra = (
        f" Drawn: donors with figures at two or more release dates ({len(several)} of "
        f"{rows['donor'].nunique()}); the others have one date only."
    )
    if not several:
        return empty_figure(title, aid_caption(aid) + extra, "No donor has figures at two dates.")
    traces = []
    for i, donor in enumerate(several):
        series = rows[rows["donor"] == donor].sort_values("as_of")
        traces.append({
            "type": "scatter", "mode": "lines+markers+text", "name": donor,
            "x": plain(series["as_of"]), "y": plain(series["value_eur_bn"]),
            "text": [f"{v:,.1f}" for v in series["value_eur_bn"]],
            "textposition": "top left",
            "marker": {"color": OKABE_ITO[i % 7], "symbol": SYMBOLS[i % len(SYMBOLS)],
                       "size": 8},
            "line": {"color": OKABE_ITO[i % 7]},
            "hovertemplate": f"{donor}, %{{x}}: EUR %{{y:,.1f}} bn committed<extra></extra>",
        })  # fmt: skip
    return new_figure(
        traces, title, aid_caption(aid) + extra, height=380,
        xaxis={"type": "date", "title": {"text": "Data to (release cut-off)"}},
        yaxis={"title": {"text": "EUR bn, cumulative"}, "rangemode": "tozero"},
    )  # fmt: skip
