"""The figure index: every member's figure by (edition, indicator, year).

The coverage evaluator and ``explain`` read figures from here: a query then costs a few
dictionary look-ups per ally instead of frame filters. Each (indicator, year) is read
from the figures the first time it is asked for, so a question pays only for the
figures it reads.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from twotier.data import MEMBERS, NatoData
from twotier.data.select import LATEST, figure_source

__all__ = ["Figure", "FigureIndex", "figure_index", "rounding_halfwidth"]


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


class FigureIndex(Mapping[tuple[str, str, int], dict[str, Figure]]):
    """``(edition, indicator, year) -> {iso3: figure}`` for the members, built as asked.

    A key's table is made the first time any edition of its (indicator, year) is asked
    for, from the rows of that indicator and year only (a question reads a few of the
    ~800 such pairs). The ``"latest"`` entries hold, for each figure, the one of the
    newest edition. Safe to share between threads: a pair is built under a lock.
    """

    def __init__(self, data: NatoData) -> None:
        self._data = data
        rows = data.figures[data.figures["iso3"].isin(MEMBERS)].sort_values(
            "edition", kind="stable"
        )
        self._columns = {c: rows[c].to_numpy(dtype=object) for c in _COLUMNS}
        self._indicator = self._columns["indicator"]
        self._year = rows["year"].to_numpy()
        self._tables: dict[tuple[str, str, int], dict[str, Figure]] = {}
        self._built: set[tuple[str, int]] = set()
        self._lock = threading.Lock()

    def _build(self, indicator: str, year: int) -> None:
        """Make the tables of every edition (and ``latest``) of one (indicator, year)."""
        tables: dict[tuple[str, str, int], dict[str, Figure]] = {}
        cited: dict[tuple[str, str], str] = {}
        picked = np.flatnonzero((self._indicator == indicator) & (self._year == year))
        columns = [self._columns[c][picked] for c in _COLUMNS]
        for iso3, row_year, row_indicator, value, edition, estimate, source, unit in zip(
            *columns, strict=True
        ):
            cite_key = (str(edition), str(row_indicator))
            if cite_key not in cited:
                cited[cite_key] = figure_source(self._data, *cite_key)
            figure: Figure = (
                float(value),
                str(edition),
                None if estimate is pd.NA else bool(estimate),
                cited[cite_key],
                rounding_halfwidth(str(unit)),
                str(source),
            )
            for key in (edition, LATEST):
                tables.setdefault((key, row_indicator, int(row_year)), {})[iso3] = figure
        self._tables.update(tables)
        self._built.add((indicator, year))

    def __getitem__(self, key: tuple[str, str, int]) -> dict[str, Figure]:
        if not (isinstance(key, tuple) and len(key) == 3):
            raise KeyError(key)
        pair = (key[1], key[2])
        if pair not in self._built:
            with self._lock:
                if pair not in self._built:
                    self._build(*pair)
        return self._tables[key]

    def _all(self) -> dict[tuple[str, str, int], dict[str, Figure]]:
        for pair in dict.fromkeys(zip(self._indicator, self._year.tolist(), strict=True)):
            self[(LATEST, *pair)]
        return self._tables

    def __iter__(self) -> Iterator[tuple[str, str, int]]:
        return iter(list(self._all()))

    def __len__(self) -> int:
        return len(self._all())


#: The columns a figure is made from, in the order :meth:`FigureIndex._build` reads them.
_COLUMNS = ("iso3", "year", "indicator", "value", "edition", "estimate", "source", "unit")


@functools.lru_cache(maxsize=8)
def figure_index(data: NatoData) -> FigureIndex:
    """Lookup table ``(edition, indicator, year) -> {iso3: figure}`` for the members.

    One per data set; each (indicator, year) is read when first asked for (see
    :class:`FigureIndex`). The ``"latest"`` entries hold, for each figure, the one of
    the newest edition. The evaluator reads figures from here (a coverage query then
    costs a few dictionary look-ups per ally instead of frame filters).
    """
    return FigureIndex(data)
