"""Declared schemas of the data files (pandera), and the registry of indicators.

The schemas are the contract between the data files and the core: a file that
fails them raises :class:`twotier.errors.DataError` naming the file, the row (as
the line number in the CSV file) and the column, never a wrong answer.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = [
    "AGGREGATES",
    "INDICATORS",
    "MEMBERS",
    "Indicator",
]

#: The 32 members of NATO (ISO 3166-1 alpha-3), as of Sweden's accession on
#: 7 March 2024. Source: allies.csv (accession years from NATO's 2024 tables).
MEMBERS: frozenset[str] = frozenset(
    {
        "ALB",
        "BEL",
        "BGR",
        "CAN",
        "HRV",
        "CZE",
        "DNK",
        "EST",
        "FIN",
        "FRA",
        "DEU",
        "GRC",
        "HUN",
        "ISL",
        "ITA",
        "LVA",
        "LTU",
        "LUX",
        "MNE",
        "NLD",
        "MKD",
        "NOR",
        "POL",
        "PRT",
        "ROU",
        "SVK",
        "SVN",
        "ESP",
        "SWE",
        "TUR",
        "GBR",
        "USA",
    }
)

#: NATO's aggregate rows ("NATO Europe and Canada", "NATO Total").
AGGREGATES: frozenset[str] = frozenset({"NATO_EUROPE_CANADA", "NATO_TOTAL"})


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of NATO's defence-expenditure tables."""

    name: str
    description: str
    unit: str  # short unit for display
    nato_table: str
    unit_pattern: str  # regular expression every `unit` cell of the indicator matches
    low: float  # plausible range, inclusive
    high: float


INDICATORS: dict[str, Indicator] = {
    i.name: i
    for i in (
        Indicator(
            "pct_gdp",
            "Defence expenditure as a share of GDP (NATO's headline ratio)",
            "% of GDP",
            "Table 3",
            r"^percent of GDP \(NATO Table 3",
            0.0,
            15.0,
        ),
        Indicator(
            "exp_usd_current_m",
            "Defence expenditure, current prices and exchange rates",
            "US$ million (current)",
            "Table 2",
            r"^USD million, current prices",
            0.0,
            5.0e6,
        ),
        Indicator(
            "exp_usd_constant_m",
            "Defence expenditure, constant prices and exchange rates",
            "US$ million (constant)",
            "Table 2",
            r"^USD million, 20[0-9][0-9] prices",
            0.0,
            5.0e6,
        ),
        Indicator(
            "equipment_pct",
            "Major equipment incl. related R&D, share of defence expenditure",
            "% of defence expenditure",
            "Table 8a",
            r"^percent of (total|core) defence expenditure",
            0.0,
            100.0,
        ),
        Indicator(
            "real_change_pct",
            "Annual real change in defence expenditure",
            "% per year",
            "Table 3",
            r"^percent, annual real change",
            -100.0,
            500.0,
        ),
        Indicator(
            "gdp_usd_current_bn",
            "GDP, current prices and exchange rates",
            "US$ billion (current)",
            "Table 5",
            r"^USD billion, current prices",
            0.5,  # no economy is this small (Montenegro's, NATO's smallest, is ~4 bn);
            1.0e6,  # a GDP of 0 would make every shortfall 0 instead of unknown
        ),
        Indicator(
            "personnel_exp_pct",
            "Personnel (military and civilian, incl. pensions), share of defence expenditure",
            "% of defence expenditure",
            "Table 8a",
            r"^percent of (total|core) defence expenditure",
            0.0,
            100.0,
        ),
        Indicator(
            "infrastructure_pct",
            "Infrastructure, share of defence expenditure",
            "% of defence expenditure",
            "Table 8b",
            r"^percent of (total|core) defence expenditure",
            0.0,
            100.0,
        ),
        Indicator(
            "other_exp_pct",
            "Other (operations and maintenance, other R&D), share of defence expenditure",
            "% of defence expenditure",
            "Table 8b",
            r"^percent of (total|core) defence expenditure",
            0.0,
            100.0,
        ),
        Indicator(
            "personnel_thousands",
            "Military personnel",
            "thousands",
            "Table 7",
            r"^thousand military personnel",
            0.0,
            1.0e4,
        ),
    )
}

_EDITION = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
_URL = r"^https?://\S+"
#: Imported figures cite the workbook cell they were read from: xlsx:<file>#<sheet>!<cell>.
_SOURCE = r"^(https?://\S+|xlsx:\S+#\S+!\$?[A-Z]+\$?[0-9]+)$"


def _unit_matches_indicator(frame: pd.DataFrame) -> pd.Series:
    patterns = {name: re.compile(ind.unit_pattern) for name, ind in INDICATORS.items()}
    return pd.Series(
        [
            bool(patterns[ind].search(unit)) if ind in patterns else True
            for ind, unit in zip(frame["indicator"], frame["unit"], strict=True)
        ],
        index=frame.index,
    )


def _value_in_range(frame: pd.DataFrame) -> pd.Series:
    low = frame["indicator"].map({k: v.low for k, v in INDICATORS.items()})
    high = frame["indicator"].map({k: v.high for k, v in INDICATORS.items()})
    return (frame["value"] >= low) & (frame["value"] <= high)


@functools.cache
def _schemas() -> dict[str, pa.DataFrameSchema]:
    """Build the pandera schemas.

    pandera is imported only here (it takes 0.26 s to import, so loading data,
    which checks checksums instead, never imports it).
    """
    import pandera.pandas as pa

    FIGURES_SCHEMA = pa.DataFrameSchema(
        {
            "iso3": pa.Column(str, pa.Check.isin(sorted(MEMBERS | AGGREGATES))),
            "ally": pa.Column(str, pa.Check.str_length(min_value=1)),
            "year": pa.Column(int, pa.Check.in_range(1949, 2100)),
            "indicator": pa.Column(str, pa.Check.isin(sorted(INDICATORS))),
            "value": pa.Column(float, nullable=False),
            "unit": pa.Column(str, pa.Check.str_length(min_value=1)),
            "edition": pa.Column(str, pa.Check.str_matches(_EDITION)),
            "estimate": pa.Column("boolean", nullable=True),
            "source": pa.Column(str, pa.Check.str_matches(_SOURCE)),
        },
        checks=[
            pa.Check(_unit_matches_indicator, name="unit_matches_indicator"),
            pa.Check(_value_in_range, name="value_in_plausible_range"),
        ],
        unique=["iso3", "year", "indicator", "edition"],
        strict=True,
        ordered=True,
        name="nato_defence_expenditure.csv",
    )

    ALLIES_SCHEMA = pa.DataFrameSchema(
        {
            "iso3": pa.Column(str, pa.Check.isin(sorted(MEMBERS)), unique=True),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "accession_year": pa.Column(int, pa.Check.in_range(1949, 2100)),
            "population_m": pa.Column(float, pa.Check.in_range(0.01, 2000.0)),
            "population_year": pa.Column(int, pa.Check.in_range(1949, 2100)),
            "land_border_russia": pa.Column(bool),
            "land_border_belarus": pa.Column(bool),
            "capital": pa.Column(str),
            "capital_lat": pa.Column(float, pa.Check.in_range(-90.0, 90.0)),
            "capital_lon": pa.Column(float, pa.Check.in_range(-180.0, 180.0)),
            "armed_forces": pa.Column(bool),
            "source": pa.Column(str, pa.Check.str_matches(_URL)),
        },
        checks=[
            pa.Check(lambda f: len(f) == len(MEMBERS), name="all_32_members", element_wise=False)
        ],
        strict=True,
        ordered=True,
        name="allies.csv",
    )

    AID_SCHEMA = pa.DataFrameSchema(
        {
            "donor_iso3": pa.Column(str, pa.Check.isin(sorted(MEMBERS | {"EU_INSTITUTIONS"}))),
            "donor": pa.Column(str, pa.Check.str_length(min_value=1)),
            "category": pa.Column(
                str, pa.Check.isin(["military", "financial", "humanitarian", "total"])
            ),
            "value_eur_bn": pa.Column(float, pa.Check.in_range(0.0, 1000.0)),
            "measure": pa.Column(str, pa.Check.isin(["allocated", "committed"])),
            "as_of": pa.Column(str, pa.Check.str_matches(r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")),
            "source": pa.Column(str, pa.Check.str_matches(_URL)),
        },
        unique=["donor_iso3", "category", "measure", "as_of"],
        strict=True,
        ordered=True,
        name="ukraine_aid.csv",
    )
    return {
        "FIGURES_SCHEMA": FIGURES_SCHEMA,
        "ALLIES_SCHEMA": ALLIES_SCHEMA,
        "AID_SCHEMA": AID_SCHEMA,
    }


def __getattr__(name: str) -> Any:
    # FIGURES_SCHEMA, ALLIES_SCHEMA, AID_SCHEMA are built on first use.
    if name in ("FIGURES_SCHEMA", "ALLIES_SCHEMA", "AID_SCHEMA"):
        return _schemas()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Column kinds used when the raw CSV text is converted, before the schema runs.
FIGURES_KINDS = {"year": "int", "value": "float", "estimate": "bool?"}
ALLIES_KINDS = {
    "accession_year": "int",
    "population_m": "float",
    "population_year": "int",
    "land_border_russia": "bool",
    "land_border_belarus": "bool",
    "capital_lat": "float",
    "capital_lon": "float",
    "armed_forces": "bool",
}
AID_KINDS = {"value_eur_bn": "float"}

#: English month names, for citing editions and releases by month ("July 2026").
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
