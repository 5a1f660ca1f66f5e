"""Reader of the bundled military-expenditure figures of Russia and Ukraine.

``files/military_expenditure.csv`` holds one row per country, year and basis
(``market``: current US$ at market exchange rates; ``ppp``: at purchasing-power
parity), each with the publication it comes from, the page it was transcribed from
(``retrieved_from``) and a note. A figure that could not be traced to a citable
publication is left empty (unknown), never filled in.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from twotier.data._load import bundled_dir
from twotier.errors import DataError, InputError

__all__ = ["BASES", "Resources", "read_military_expenditure", "resources"]

BASES = ("market", "ppp")
_FILE = "military_expenditure.csv"
_COLUMNS = ["iso3", "country", "year", "basis", "value_usd_bn", "publication", "published",
            "retrieved_from", "note"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Resources:
    """Military resources of Ukraine and Russia on one basis, with provenance text."""

    ukraine_usd_bn: float
    russia_usd_bn: float
    basis: str
    year: int
    source_ukraine: str
    source_russia: str


@functools.lru_cache(maxsize=1)
def read_military_expenditure() -> pd.DataFrame:
    """The bundled figures as a frame (``value_usd_bn`` missing where unknown)."""
    path = bundled_dir() / _FILE
    try:
        frame = pd.read_csv(path, dtype={"year": "int64", "value_usd_bn": "float64"})
    except (OSError, ValueError) as exc:
        raise DataError(f"{_FILE}: cannot be read ({exc})", field=_FILE) from exc
    if list(frame.columns) != _COLUMNS or not frame["basis"].isin(BASES).all():
        raise DataError(f"{_FILE}: expected columns {_COLUMNS} and basis in {BASES}", field=_FILE)
    return frame


def _source(row: pd.Series) -> str:
    return (
        f"{row['publication']}, {row['published']}: US$ {row['value_usd_bn']:g} bn "
        f"({row['basis']}); {row['note']} [retrieved from {row['retrieved_from']}]"
    )


def resources(basis: str = "market", year: int = 2024) -> Resources:
    """Russia's and Ukraine's military expenditure on a basis, with their sources.

    Where a country has no figure on the requested basis, its market-rate figure is
    used and the source text says so.
    """
    if basis not in BASES:
        raise InputError(f"basis: expected one of {', '.join(BASES)}, found {basis!r}",
                         field="basis")  # fmt: skip
    frame = read_military_expenditure()
    rows = frame[frame["year"] == year]
    if rows.empty:
        years = ", ".join(str(y) for y in sorted(set(frame["year"])))
        raise InputError(f"year: expected one of {years}, found {year!r}", field="year")
    picked: dict[str, tuple[float, str]] = {}
    for iso3 in ("UKR", "RUS"):
        own = rows[(rows["iso3"] == iso3) & (rows["basis"] == basis)]
        market = rows[(rows["iso3"] == iso3) & (rows["basis"] == "market")].iloc[0]
        if not own.empty and pd.notna(own.iloc[0]["value_usd_bn"]):
            picked[iso3] = (float(own.iloc[0]["value_usd_bn"]), _source(own.iloc[0]))
        else:
            note = own.iloc[0]["note"] if not own.empty else f"no {basis} figure"
            picked[iso3] = (float(market["value_usd_bn"]), f"{note}. Used: {_source(market)}")
    return Resources(picked["UKR"][0], picked["RUS"][0], basis, year, picked["UKR"][1],
                     picked["RUS"][1])  # fmt: skip
