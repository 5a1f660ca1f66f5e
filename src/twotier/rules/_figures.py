"""What an evaluation reads from the data, looked up once per (data, edition, year).

A coverage evaluation of a new threshold needs the same figures as the last one: the
allies of the year, each criterion's figure per ally, GDP and expenditure. These
functions return them as read-only numpy arrays and tuples in ``iso3`` order, cached
per data set (data sets compare by identity), so an evaluation only compares numbers.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from twotier.data import NatoData
from twotier.data._index import Figure, figure_index
from twotier.data.select import LATEST, check_year, edition_basis, edition_names, years_with_figures

__all__ = ["Allies", "Figures", "allies_of", "basis_of", "figures_of", "grace_rises", "known_year"]


def _frozen(values: object, dtype: type) -> np.ndarray:
    array: np.ndarray = np.array(values, dtype=dtype)
    array.flags.writeable = False
    return array


@dataclass(frozen=True, slots=True, eq=False)
class Allies:
    """The members, sorted by ISO-3 code, with what a year's evaluation needs."""

    iso3: tuple[str, ...]
    ally: tuple[str, ...]
    member: np.ndarray  # bool: had joined by the year
    population_m: np.ndarray
    frontline: np.ndarray  # bool: land border with Russia or Belarus
    armed_forces: np.ndarray  # bool


@dataclass(frozen=True, slots=True, eq=False)
class Figures:
    """One indicator's figure per ally (mean over its years), in :class:`Allies` order.

    ``value`` is NaN where unknown (``known`` False); ``halfwidth`` is the rounding
    half-width (0 where unknown); the tuples hold None where unknown.
    """

    value: np.ndarray
    known: np.ndarray
    halfwidth: np.ndarray
    edition: tuple[str | None, ...]
    estimate: tuple[bool | None, ...]
    source: tuple[str | None, ...]
    retrieved_from: tuple[str | None, ...]


@functools.lru_cache(maxsize=64)
def allies_of(data: NatoData, year: int) -> Allies:
    """The members sorted by ISO-3 code, and which of them had joined by ``year``."""
    allies = data.allies.sort_values("iso3", kind="stable")
    frontline = allies["land_border_russia"] | allies["land_border_belarus"]
    return Allies(
        iso3=tuple(str(c) for c in allies["iso3"]),
        ally=tuple(str(n) for n in allies["name"]),
        member=_frozen(allies["accession_year"].to_numpy() <= year, bool),
        population_m=_frozen(allies["population_m"].to_numpy(dtype=float), float),
        frontline=_frozen(frontline.to_numpy(dtype=bool), bool),
        armed_forces=_frozen(allies["armed_forces"].to_numpy(dtype=bool), bool),
    )


def _one_edition(
    data: NatoData, indicator: str, years: tuple[int, ...], edition: str, iso3: str
) -> list[Figure] | None:
    """One ally's figures of ``indicator`` for ``years``, all from one edition, or None.

    Under ``latest`` a one-year figure is the newest edition's; figures for several
    years (a mean, a path) come from the newest edition that has every year: a series
    never splices editions.
    """
    lookup = figure_index(data)
    candidates = [edition] if edition != LATEST or len(years) == 1 else edition_names(data)[::-1]
    for name in candidates:
        figures = [lookup.get((name, indicator, y), {}).get(iso3) for y in years]
        if all(f is not None for f in figures):
            return [f for f in figures if f is not None]
    return None


def _estimate(flags: list[bool | None]) -> bool | None:
    """True if any year is NATO's estimate, unknown if any flag is unknown, else False."""
    if any(f is True for f in flags):
        return True
    return None if any(f is None for f in flags) else False


@functools.lru_cache(maxsize=512)
def figures_of(data: NatoData, indicator: str, years: tuple[int, ...], edition: str) -> Figures:
    """Each ally's figure of ``indicator``: the mean over ``years``, from one edition.

    A mean over several years needs every year's figure from one edition; otherwise it
    is unknown. It counts as an estimate if any year is one (or is not known not to be).
    """
    rows: list[tuple[object, ...]] = []
    for iso3 in allies_of(data, years[-1]).iso3:
        known = _one_edition(data, indicator, years, edition, iso3)
        if known is None:
            rows.append((np.nan, False, 0.0, None, None, None, None))
            continue
        rows.append(
            (
                sum(f[0] for f in known) / len(known),
                True,
                max(f[4] for f in known),
                known[0][1],
                _estimate([f[2] for f in known]),
                known[0][3],
                " ; ".join(dict.fromkeys(f[5] for f in known)),
            )
        )
    columns: list[tuple[Any, ...]] = list(zip(*rows, strict=True))
    return Figures(
        value=_frozen(columns[0], float),
        known=_frozen(columns[1], bool),
        halfwidth=_frozen(columns[2], float),
        edition=columns[3],
        estimate=columns[4],
        source=columns[5],
        retrieved_from=columns[6],
    )


@functools.lru_cache(maxsize=256)
def grace_rises(
    data: NatoData, indicator: str, years: tuple[int, int], edition: str
) -> tuple[int | None, ...]:
    """Each ally's rise of ``indicator`` from ``years[0]`` to ``years[1]``, in hundredths.

    Both figures from one edition, never two; None where either is unknown. NATO
    publishes shares to two decimals, so the rise is compared in hundredths of a point.
    """
    rises: list[int | None] = []
    for iso3 in allies_of(data, years[-1]).iso3:
        figures = _one_edition(data, indicator, years, edition, iso3)
        rises.append(None if figures is None else round((figures[-1][0] - figures[0][0]) * 100))
    return tuple(rises)


@functools.lru_cache(maxsize=64)
def _years(data: NatoData, edition: str, indicator: str) -> frozenset[int]:
    return frozenset(years_with_figures(data, edition, indicator))


def known_year(data: NatoData, year: int, edition: str, indicator: str) -> int:
    """:func:`~twotier.data.select.check_year`, with the years looked up once."""
    if year in _years(data, edition, indicator):
        return year
    return check_year(data, year, edition, indicator)  # raises, naming the accepted years


@functools.lru_cache(maxsize=64)
def basis_of(data: NatoData, edition: str) -> str:
    """:func:`~twotier.data.select.edition_basis`, looked up once per edition."""
    return edition_basis(data, edition)
