"""Aid to Ukraine by donor, in the style of the Kiel Institute's Ukraine Support Tracker.

Stacked horizontal bars of the bundled tracker figures (military, financial,
humanitarian aid allocated, EUR bn, cumulative to the data cut-off), with the total
committed as a marker. The bundled figures are cumulative at one cut-off (plus a few
early totals), so the chart shows donors at that date; it does not invent a path over
time. The caption carries the tracker's provenance caveat (see ``SOURCES.md``).
"""

from __future__ import annotations

import pandas as pd

from twotier.render._figure import OKABE_ITO, Fig, empty_figure, new_figure, plain

__all__ = ["PROVENANCE", "aid_by_donor"]

#: What is known of the tracker copy the figures were read from (``SOURCES.md`` §3).
PROVENANCE = (
    "The figures were read from a public repository named after the tracker that could "
    "not be confirmed as an official Kiel Institute release; check them against the "
    "Institute's own Excel file before publication."
)

_CATEGORIES = (("military", OKABE_ITO[0]), ("financial", OKABE_ITO[1]),
               ("humanitarian", OKABE_ITO[2]))  # fmt: skip


def aid_by_donor(aid: pd.DataFrame, top: int | None = 20) -> Fig:
    """Aid allocated to Ukraine by donor and kind, EUR bn, at the latest cut-off.

    Parameters
    ----------
    aid : DataFrame
        ``NatoData.aid`` (columns donor, category, value_eur_bn, measure, as_of).
    top : int or None
        Show the ``top`` largest donors by total allocated (``None``: all).
    """
    cut = str(aid["as_of"].max()) if len(aid) else ""
    latest = aid[(aid["as_of"] == cut)]
    allocated = latest[latest["measure"] == "allocated"]
    wide = allocated.pivot_table(index="donor", columns="category", values="value_eur_bn",
                                 aggfunc="sum")  # fmt: skip
    title = f"Aid to Ukraine by donor, 24 January 2022 to {cut}"
    caption = (f"Source: Kiel Institute for the World Economy, Ukraine Support Tracker, data "
               f"to {cut}; EUR bn, allocated (delivered or earmarked), cumulative. "
               f"{PROVENANCE}")  # fmt: skip
    if not len(wide) or "total" not in wide:
        return empty_figure(title, caption, "The bundled tracker figures hold no allocations.")
    wide = wide.sort_values("total", ascending=False)
    wide = (wide.head(top) if top else wide).iloc[::-1]
    donors = plain(wide.index)
    traces = [
        {"type": "bar", "orientation": "h", "y": donors, "x": plain(wide[name]), "name": name,
         "marker": {"color": colour},
         "hovertemplate": "%{y}: EUR %{x:,.1f} bn " + name + "<extra></extra>"}
        for name, colour in _CATEGORIES if name in wide
    ]  # fmt: skip
    rows = latest[(latest["measure"] == "committed") & (latest["category"] == "total")]
    committed = rows.set_index("donor")["value_eur_bn"].reindex(wide.index)
    traces.append({
        "type": "scatter", "mode": "markers", "y": donors, "x": plain(committed),
        "name": "committed in total", "marker": {"symbol": "line-ns-open", "size": 14,
                                                 "color": "#000", "line": {"width": 2}},
        "hovertemplate": "%{y}: EUR %{x:,.1f} bn committed<extra></extra>",
    })  # fmt: skip
    fig = new_figure(traces, title, caption, height=max(420, 22 * len(donors) + 150),
                     barmode="stack", legend={"traceorder": "normal"},
                     xaxis={"title": {"text": "EUR bn"}, "rangemode": "tozero"},
                     yaxis={"categoryorder": "array", "categoryarray": donors})  # fmt: skip
    total = float(wide["total"].sum())
    fig["layout"]["meta"].update(
        headline=title,
        subtitle="Military, financial and humanitarian aid allocated, EUR bn; the tick marks "
        "each donor's total commitments (allocated plus promised).",
        source=caption.split("; EUR bn")[0] + ".",
        notes=PROVENANCE,
        alt=f"Bar chart of aid to Ukraine allocated by the {len(donors)} largest donors to "
        f"{cut}, EUR bn: "
        + "; ".join(
            f"{d} {v:,.1f}" for d, v in zip(wide.index[::-1], wide["total"][::-1], strict=True)
        )
        + f". Together EUR {total:,.1f} bn.",
    )
    return fig
