"""Select figures by ally, year, indicator and report edition (pure, no I/O).

Editions are first-class. ``edition="latest"`` takes, for each
``(ally, year, indicator)``, the newest edition that has the figure and says which
edition that was. An explicit edition uses only that edition: a figure it lacks is
missing (unknown), never taken from another edition.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import pandas as pd

from twotier._arguments import checked
from twotier.data import INDICATORS, MEMBERS, NatoData, _schema
from twotier.errors import UnknownAllyError, UnknownEditionError, UnknownIndicatorError, YearError

__all__ = [
    "LATEST",
    "check_allies",
    "check_edition",
    "check_indicator",
    "check_year",
    "comparable_editions",
    "edition_basis",
    "edition_names",
    "figure_source",
    "latest_complete_year",
    "select_figures",
    "select_series",
    "years_with_figures",
]

#: The edition selector meaning "newest edition that has each figure".
LATEST = "latest"

FIGURE_COLUMNS = [
    "iso3",
    "ally",
    "year",
    "indicator",
    "value",
    "unit",
    "edition",
    "estimate",
    "source",
    "retrieved_from",
]


def _date_text(published: str) -> str:
    """``2026-07`` -> ``July 2026``; ``2024-06-17`` -> ``17 June 2024``; else as given."""
    parts = published.split("-")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = f"{_schema.MONTH_NAMES[int(parts[1]) - 1]} {parts[0]}"
        return f"{int(parts[2])} {month}" if len(parts) == 3 and parts[2].isdigit() else month
    return published


@functools.lru_cache(maxsize=256)
def _meta(data: NatoData, edition: str) -> dict[str, str]:
    # Cached per data set (compared by identity); callers only read the dict.
    rows = data.editions[data.editions["edition"] == edition]
    if rows.empty:
        return {}
    return {str(k): ("" if pd.isna(v) else str(v)) for k, v in rows.iloc[0].items()}


@checked
@functools.lru_cache(maxsize=1024)
def figure_source(data: NatoData, edition: str, indicator: str) -> str:
    """The publication a figure is cited from: NATO's report, date, table and URL.

    ``"NATO, Defence Expenditure of NATO Countries (2014-2024), 17 June 2024, Table 3,
    https://www.nato.int/..."``. The page or file the figure was transcribed from is
    the figure's ``retrieved_from`` (provenance), not its source.

    Raises
    ------
    UnknownEditionError, UnknownIndicatorError
        An edition the data does not hold (``"latest"`` is not one publication: each
        figure then comes from its own edition), or an unknown indicator.
    """
    meta = _meta(data, edition)
    if not meta:
        names = ", ".join(edition_names(data))
        raise UnknownEditionError(
            f"edition: expected one of {names} (a figure's own edition), found {edition!r}",
            field="edition",
        )
    table = INDICATORS[check_indicator(indicator)].nato_table
    parts = ["NATO", meta.get("title") or f"edition {edition}"]
    parts += [_date_text(meta["published"])] if meta.get("published") else []
    parts += [table] if table else []
    parts += [meta["nato_url"]] if meta.get("nato_url") else []
    return ", ".join(parts)


def edition_basis(data: NatoData, edition: str) -> str:
    """What an edition's figures measure, e.g. ``core defence expenditure, 2021 prices``."""
    return _meta(data, edition).get("basis", "")


@checked
def edition_names(data: NatoData) -> list[str]:
    """Return the editions the data holds, oldest first."""
    return sorted(data.editions["edition"])


@checked
def check_edition(data: NatoData, edition: str) -> str:
    """Return ``edition`` if the data holds it (or it is ``"latest"``), else raise."""
    names = edition_names(data)
    if edition != LATEST and edition not in names:
        raise UnknownEditionError(
            f"edition: unknown edition {edition!r}; accepted: latest, {', '.join(names)}",
            field="edition",
        )
    return edition


def check_indicator(indicator: str) -> str:
    """Return ``indicator`` if it is known, else raise."""
    if indicator not in INDICATORS:
        raise UnknownIndicatorError(
            f"indicator: unknown indicator {indicator!r}; accepted: {', '.join(INDICATORS)}",
            field="indicator",
        )
    return indicator


def check_allies(codes: Iterable[str]) -> list[str]:
    """Normalise ISO-3 codes (strip, upper-case) and check they are NATO members."""
    result = []
    for raw in codes:
        code = raw.strip().upper()
        if code not in MEMBERS:
            hint = f" (did you mean {code!r}?)" if code != raw and code in MEMBERS else ""
            raise UnknownAllyError(
                f"ally: {raw!r} is not the ISO-3 code of a NATO member{hint}; "
                f"accepted: {', '.join(sorted(MEMBERS))}",
                field="ally",
            )
        result.append(code)
    return result


def _edition_rows(data: NatoData, edition: str) -> pd.DataFrame:
    figures = data.figures
    if edition == LATEST:
        return figures
    return figures[figures["edition"] == edition]


@checked
def years_with_figures(data: NatoData, edition: str, indicator: str = "pct_gdp") -> list[int]:
    """Return the years for which ``edition`` has at least one ally figure of ``indicator``.

    Raises
    ------
    UnknownEditionError, UnknownIndicatorError
        An edition the data does not hold, or an unknown indicator.
    """
    check_indicator(indicator)
    rows = _edition_rows(data, check_edition(data, edition))
    rows = rows[(rows["indicator"] == indicator) & rows["iso3"].isin(MEMBERS)]
    return sorted(int(y) for y in rows["year"].unique())


def check_year(data: NatoData, year: int, edition: str, indicator: str = "pct_gdp") -> int:
    """Return ``year`` if ``edition`` has figures of ``indicator`` for it, else raise."""
    years = years_with_figures(data, edition, indicator)
    if year not in years:
        accepted = _ranges(years)
        raise YearError(
            f"year: no {indicator} figures for {year} in edition {edition}; "
            f"accepted: {accepted or 'none'}",
            field="year",
        )
    return year


def _ranges(years: Sequence[int]) -> str:
    parts: list[str] = []
    start = prev = None
    for y in sorted(years):
        if start is None:
            start = prev = y
        elif y == prev + 1:  # type: ignore[operator]
            prev = y
        else:
            parts.append(f"{start}-{prev}" if start != prev else f"{start}")
            start = prev = y
    if start is not None:
        parts.append(f"{start}-{prev}" if start != prev else f"{start}")
    return ", ".join(parts)


@checked
def select_figures(
    data: NatoData,
    *,
    indicators: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    edition: str = LATEST,
    allies: Iterable[str] | None = None,
    include_aggregates: bool = False,
) -> pd.DataFrame:
    """Return the figures of one edition (or the newest per figure), tidy.

    Parameters
    ----------
    data
        Loaded data (:func:`twotier.load_data`).
    indicators, years, allies
        Filters; ``None`` keeps all.
    edition
        An edition name (``"2024-06"``) or ``"latest"``.
    include_aggregates
        Keep NATO's aggregate rows (``NATO_TOTAL``, ``NATO_EUROPE_CANADA``).

    Returns
    -------
    DataFrame
        Columns ``iso3, ally, year, indicator, value, unit, edition, estimate,
        source, retrieved_from``; one row per ``(iso3, year, indicator)``, sorted.
        ``source`` cites NATO's publication (:func:`figure_source`);
        ``retrieved_from`` is the page or file the figure was transcribed from.
    """
    key = (
        None if indicators is None else tuple(indicators),
        None if years is None else tuple(years),
        edition,
        None if allies is None else tuple(allies),
        include_aggregates,
    )
    try:
        hash(key)
    except TypeError:  # odd filter values: answered, not cached
        return _select(data, *key)
    # The same selection is asked on every dashboard update (completeness of a year):
    # kept per data set; callers get a copy they may change.
    return _select_cached(data, *key).copy()


def _select(
    data: NatoData,
    indicators: tuple[str, ...] | None,
    years: tuple[int, ...] | None,
    edition: str,
    allies: tuple[str, ...] | None,
    include_aggregates: bool,
) -> pd.DataFrame:
    check_edition(data, edition)
    rows = _edition_rows(data, edition)
    if indicators is not None:
        wanted = [check_indicator(i) for i in indicators]
        rows = rows[rows["indicator"].isin(wanted)]
    if years is not None:
        rows = rows[rows["year"].isin(list(years))]
    if allies is not None:
        rows = rows[rows["iso3"].isin(check_allies(allies))]
    if not include_aggregates:
        rows = rows[rows["iso3"].isin(MEMBERS)]
    if edition == LATEST:
        rows = rows.sort_values("edition", ascending=False, kind="stable").drop_duplicates(
            ["iso3", "year", "indicator"], keep="first"
        )
    rows = rows.rename(columns={"source": "retrieved_from"})
    rows["source"] = [
        figure_source(data, e, i) for e, i in zip(rows["edition"], rows["indicator"], strict=True)
    ]
    return (
        rows.sort_values(["iso3", "indicator", "year"], kind="stable")
        .reset_index(drop=True)
        .loc[:, FIGURE_COLUMNS]
    )


_select_cached = functools.lru_cache(maxsize=32)(_select)


@checked
def select_series(
    data: NatoData,
    indicator: str,
    *,
    years: Iterable[int] | None = None,
    edition: str = LATEST,
    allies: Iterable[str] | None = None,
    include_aggregates: bool = False,
) -> pd.DataFrame:
    """Each ally's series of ``indicator``, from one edition per ally (never spliced).

    Under ``"latest"`` each ally's series comes from the edition with the most of the
    requested years, the newest among equals: a trend or an ally's path never joins two
    vintages (NATO revises past years and, in 2026, changed the basis). An explicit
    edition gives that edition's series. Same columns as :func:`select_figures`.
    """
    if edition != LATEST:
        return select_figures(
            data, indicators=[indicator], years=years, edition=edition, allies=allies,
            include_aggregates=include_aggregates,
        )  # fmt: skip
    rows = [
        select_figures(
            data,
            indicators=[indicator],
            years=years,
            edition=name,
            allies=allies,
            include_aggregates=include_aggregates,
        )
        for name in edition_names(data)
    ]
    every = pd.concat(rows, ignore_index=True)
    counts = every.groupby(["iso3", "edition"]).size().reset_index(name="n")
    best = counts.sort_values(["n", "edition"], ascending=False, kind="stable").drop_duplicates(
        "iso3"
    )
    chosen = every.merge(best[["iso3", "edition"]], on=["iso3", "edition"])
    return chosen.sort_values(["iso3", "year"], kind="stable").reset_index(drop=True)


@checked
def latest_complete_year(data: NatoData, edition: str = LATEST, indicator: str = "pct_gdp") -> int:
    """Newest year in which every ally with armed forces has a figure of ``indicator``.

    Iceland has no armed forces and no figures, so it is not required; nor is an ally
    before the year it joined.
    """
    allies = data.allies[data.allies["armed_forces"]]
    rows = select_figures(data, indicators=[indicator], edition=edition)
    complete = [
        int(str(year))
        for year, group in rows.groupby("year")
        if set(allies.loc[allies["accession_year"] <= int(str(year)), "iso3"]) <= set(group["iso3"])
    ]
    if not complete:
        raise YearError(
            f"edition: edition {edition} has no year with a {indicator} figure for every ally",
            field="edition",
        )
    return max(complete)


@checked
def comparable_editions(data: NatoData, indicator: str = "pct_gdp") -> tuple[str, str, int]:
    """The two newest editions that share figures for one year, and that year.

    Returns ``(older, newer, year)``: the newest pair of editions (by publication)
    with at least one ally-year of ``indicator`` in common, and the newest such year.
    """
    names = edition_names(data)
    rows = data.figures[
        (data.figures["indicator"] == indicator) & data.figures["iso3"].isin(MEMBERS)
    ]
    keys = {e: set(zip(g["iso3"], g["year"], strict=True)) for e, g in rows.groupby("edition")}
    for i in range(len(names) - 1, 0, -1):
        for j in range(i - 1, -1, -1):
            common = keys.get(names[i], set()) & keys.get(names[j], set())
            if common:
                return names[j], names[i], max(year for _, year in common)
    raise UnknownEditionError("no two editions share a figure", field="edition")
