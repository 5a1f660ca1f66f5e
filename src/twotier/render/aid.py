"""Charts of the Kiel Institute's Ukraine Support Tracker figures (aid to Ukraine by donor).

Two charts from the bundled tracker rows (:attr:`twotier.NatoData.aid`): aid allocated
per donor by kind (military, financial, humanitarian) at the newest release with a tick
at each donor's total commitments, and the commitments per donor at every release date
the data holds (the bundled figures are cumulative at one cut-off plus a few early
totals, so no path over time is invented). Both carry the tracker's provenance caveat
in their notes. Presentation only: rows in, plain-data figure out.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from twotier.render._figure import OKABE_ITO, SYMBOLS, Fig, empty_figure, new_figure, plain
from twotier.render.publish import set_texts

__all__ = ["AID_CAVEAT", "KINDS", "aid_by_donor", "aid_caption", "aid_over_time"]

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


def _source(as_of: str) -> str:
    return (
        f"Source: Kiel Institute for the World Economy, Ukraine Support Tracker, data to {as_of}."
    )


def aid_by_donor(aid: pd.DataFrame, top: int | None = 20) -> Fig:
    """Aid allocated to Ukraine by donor and kind, EUR bn, at the newest release.

    Stacked military, financial and humanitarian aid allocated per donor (largest on
    top), with a tick at each donor's total commitments (allocated plus promised).

    Parameters
    ----------
    aid : DataFrame
        ``NatoData.aid`` (columns donor, category, value_eur_bn, measure, as_of).
    top : int or None
        Show the ``top`` largest donors by total allocated (``None``: all).
    """
    cut = str(aid["as_of"].max()) if len(aid) else "unknown"
    latest = aid[aid["as_of"] == cut]
    allocated = latest[latest["measure"] == "allocated"]
    wide = allocated.pivot_table(index="donor", columns="category", values="value_eur_bn",
                                 aggfunc="sum")  # fmt: skip
    title = f"Aid to Ukraine by donor, 24 January 2022 to {cut}"
    subtitle = (
        "Military, financial and humanitarian aid allocated, EUR bn, cumulative; the "
        "tick marks each donor's total commitments (allocated plus promised)."
    )
    notes = (
        "Allocated = delivered or earmarked; committed = allocated plus promised. Albania, "
        f"Montenegro and North Macedonia are not in the tracker. {AID_CAVEAT}"
    )
    if not len(wide) or "total" not in wide:
        fig = empty_figure(title, aid_caption(aid), "The bundled tracker figures hold no "
                           "allocations.")  # fmt: skip
        return set_texts(fig, title, subtitle, _source(cut), notes)
    wide = wide.sort_values("total", ascending=False)
    wide = (wide.head(top) if top else wide).iloc[::-1]
    donors = plain(wide.index)
    traces: list[dict[str, Any]] = [
        {"type": "bar", "orientation": "h", "y": donors, "x": plain(wide[name]), "name": name,
         "marker": {"color": colour},
         "hovertemplate": "%{y}: EUR %{x:,.1f} bn " + name + "<extra></extra>"}
        for name, colour in KINDS if name in wide
    ]  # fmt: skip
    rows = latest[(latest["measure"] == "committed") & (latest["category"] == "total")]
    committed = rows.set_index("donor")["value_eur_bn"].reindex(wide.index)
    traces.append({
        "type": "scatter", "mode": "markers", "y": donors, "x": plain(committed),
        "name": "committed in total", "marker": {"symbol": "line-ns-open", "size": 14,
                                                 "color": "#000", "line": {"width": 2}},
        "hovertemplate": "%{y}: EUR %{x:,.1f} bn committed<extra></extra>",
    })  # fmt: skip
    fig = new_figure(traces, title, aid_caption(aid), height=max(420, 22 * len(donors) + 150),
                     barmode="stack", legend={"traceorder": "normal"},
                     xaxis={"title": {"text": "EUR bn"}, "rangemode": "tozero"},
                     yaxis={"categoryorder": "array", "categoryarray": donors})  # fmt: skip
    total = float(wide["total"].sum())
    parts = "; ".join(f"{d} {v:,.1f}" for d, v in zip(wide.index[::-1], wide["total"][::-1],
                                                       strict=True))  # fmt: skip
    alt = (
        f"Bar chart of aid to Ukraine allocated by the {len(donors)} largest donors to "
        f"{cut}, EUR bn: {parts}. Together EUR {total:,.1f} bn."
    )
    return set_texts(fig, title, subtitle, _source(cut), notes, alt)


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
    as_of = str(rows["as_of"].max()) if len(rows) else "unknown"
    first = str(rows["as_of"].min()) if len(rows) else "unknown"
    headline = f"Aid to Ukraine committed, {first} to {as_of}, by donor"
    subtitle = "Total aid committed (allocated plus promised), EUR bn, cumulative, at each " \
        "release date the bundled figures hold."  # fmt: skip
    notes = extra.strip() + " " + AID_CAVEAT
    if not several:
        fig = empty_figure(title, aid_caption(aid) + extra, "No donor has figures at two dates.")
        return set_texts(fig, headline, subtitle, _source(as_of), notes)
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
    fig = new_figure(
        traces, title, aid_caption(aid) + extra, height=380,
        xaxis={"type": "date", "title": {"text": "Data to (release cut-off)"}},
        yaxis={"title": {"text": "EUR bn, cumulative"}, "rangemode": "tozero"},
    )  # fmt: skip
    alt = "Line chart of aid committed over time: " + "; ".join(
        f"{t['name']} EUR {t['y'][0]:,.1f} bn on {t['x'][0]} to {t['y'][-1]:,.1f} bn on "
        f"{t['x'][-1]}" for t in traces) + "."  # fmt: skip
    return set_texts(fig, headline, subtitle, _source(as_of), notes, alt)
