"""The figure index: every member's figure by (edition, indicator, year), built once.

The coverage evaluator and ``explain`` read figures from here: a query then costs a few
dictionary look-ups per ally instead of frame filters.
"""

from __future__ import annotations

import functools

import pandas as pd

from twotier.data import MEMBERS, NatoData
from twotier.data.select import LATEST, figure_source

__all__ = ["Figure", "figure_index", "rounding_halfwidth"]


#: One figure: (value, edition, estimate flag or None, cited source, rounding half-width,
#: retrieved from). The half-width is 0 for figures as NATO publishes them; for the few
#: transcriptions known only to one decimal (SOURCES.md D10) the true value lies within
#: +- 0.05. The cited source is NATO's publication (:func:`figure_source`); "retrieved
#: from" is the page or file the figure was transcribed from.
Figure = tuple[float, str, bool | None, str, float, str]


def rounding_halfwidth(unit: str) -> float:
    """How far the published figure may be from a value known only to 1 decimal."""
    if "1 decimal" not in unit:
        return 0.0
    return 50.0 if unit.startswith("USD million") else 0.05


@functools.lru_cache(maxsize=8)
def figure_index(data: NatoData) -> dict[tuple[str, str, int], dict[str, Figure]]:
    """Lookup table ``(edition, indicator, year) -> {iso3: figure}`` for the members.

    Built once per data set; the ``"latest"`` entries hold, for each figure, the one of
    the newest edition. The evaluator reads figures from here (a coverage query then
    costs a few dictionary look-ups per ally instead of frame filters).
    """
    rows = data.figures[data.figures["iso3"].isin(MEMBERS)].sort_values("edition", kind="stable")
    index: dict[tuple[str, str, int], dict[str, Figure]] = {}
    columns = ["iso3", "year", "indicator", "value", "edition", "estimate", "source", "unit"]
    cited: dict[tuple[str, str], str] = {}
    for iso3, year, indicator, value, edition, estimate, source, unit in rows[columns].itertuples(
        index=False, name=None
    ):
        cite_key = (str(edition), str(indicator))
        if cite_key not in cited:
            cited[cite_key] = figure_source(data, *cite_key)
        figure: Figure = (
            float(value),
            str(edition),
            None if estimate is pd.NA else bool(estimate),
            cited[cite_key],
            rounding_halfwidth(str(unit)),
            str(source),
        )
        for key in (edition, LATEST):
            index.setdefault((key, indicator, int(year)), {})[iso3] = figure
    return index
