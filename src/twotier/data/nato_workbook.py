"""Read NATO's Excel tables (*Defence Expenditure of NATO Countries*) into tidy figures.

The reader does not rely on fixed cell positions. On every sheet it finds the table
number from the title cell (``Table 3 : ...``), the row of year headers (``2014`` ...
``2024e``; ``e`` marks an estimate) and the block labels (``Share of real GDP (%)``,
``Current prices and exchange rates`` ...), then reads one row per ally. NATO's quirks
are handled: ``..`` and empty cells are missing, footnote markers after names are
dropped (``Lithuania*``), broken aggregate rows (``#REF!``) become missing, never zero.
A cell it cannot read raises :class:`WorkbookError` naming the sheet and the cell.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import pandas as pd

from twotier.data._xlsx_guard import MAX_FILE_BYTES, check_xlsx
from twotier.data.toml_files import read_user_bytes
from twotier.errors import DataError

__all__ = ["WorkbookError", "infer_edition", "read_nato_workbook"]


class WorkbookError(DataError):
    """A NATO workbook that cannot be read; the message names the sheet and cell."""


#: NATO's spellings (and common variants) of member and aggregate names.
NAMES = {
    "albania": "ALB", "belgium": "BEL", "bulgaria": "BGR", "canada": "CAN",
    "croatia": "HRV", "czechia": "CZE", "czech republic": "CZE", "denmark": "DNK",
    "estonia": "EST", "finland": "FIN", "france": "FRA", "germany": "DEU",
    "greece": "GRC", "hungary": "HUN", "iceland": "ISL", "italy": "ITA", "latvia": "LVA",
    "lithuania": "LTU", "luxembourg": "LUX", "montenegro": "MNE", "netherlands": "NLD",
    "north macedonia": "MKD", "norway": "NOR", "poland": "POL", "portugal": "PRT",
    "romania": "ROU", "slovak republic": "SVK", "slovakia": "SVK", "slovenia": "SVN",
    "spain": "ESP", "sweden": "SWE", "türkiye": "TUR", "turkiye": "TUR", "turkey": "TUR",
    "united kingdom": "GBR", "united states": "USA",
    "nato europe and canada": "NATO_EUROPE_CANADA", "nato total": "NATO_TOTAL",
}  # fmt: skip

#: Cell texts NATO uses for "no figure".
MISSING = {"", "..", "...", "-", "–", "n.a.", "na", "n/a", "x"}

_YEAR = re.compile(r"^\s*((?:19|20)[0-9][0-9])\s*(e)?\s*\**\s*$", re.IGNORECASE)
_TITLE = re.compile(r"^\s*table\s*([0-9]+[ab]?)\s*[:.\-–]", re.IGNORECASE)
_FOOTNOTE = re.compile(r"(\s*(\*+|\(\w\)|[0-9]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))+\s*$")
_BASE = re.compile(r"((?:19|20)[0-9][0-9])\s+prices", re.IGNORECASE)

# precision kept, as in the bundled data (SOURCES.md, "precision kept")
_DIGITS = {
    "pct_gdp": 2, "exp_usd_current_m": 1, "exp_usd_constant_m": 1, "equipment_pct": 2,
    "real_change_pct": 2, "gdp_usd_current_bn": 3, "personnel_thousands": 3,
    "personnel_exp_pct": 2, "infrastructure_pct": 2, "other_exp_pct": 2,
}  # fmt: skip


@dataclass(frozen=True)
class _Block:
    indicator: str
    scale: float
    unit: str


def _block(table: str, label: str, base: str, core: bool) -> _Block | None:
    """Which indicator a block label of a table holds (None: not read)."""
    text = label.lower()
    core_note = " (core defence expenditure)" if core else ""
    base_year = (_BASE.search(label) or [None, base])[1]
    if table == "2" and "current" in text:
        return _Block(
            "exp_usd_current_m", 1.0, f"USD million, current prices and exchange rates{core_note}"
        )
    if table == "2" and "constant" in text:
        return _Block(
            "exp_usd_constant_m",
            1.0,
            f"USD million, {base_year} prices and exchange rates{core_note}",
        )
    if table == "3" and "share of" in text and "gdp" in text:
        what = "core defence expenditure, " if core else ""
        return _Block(
            "pct_gdp",
            1.0,
            f"percent of GDP (NATO Table 3, {what}share of real GDP at {base} prices)",
        )
    if table == "3" and "real change" in text:
        return _Block("real_change_pct", 1.0, f"percent, annual real change ({base} prices)")
    if table == "5" and "current" in text:
        return _Block(
            "gdp_usd_current_bn", 0.001,
            "USD billion, current prices and exchange rates (NATO Table 5 / 1000)",
        )  # fmt: skip
    share = "core" if core else "total"
    if table.startswith("8"):
        for key, indicator, what in (
            ("equipment", "equipment_pct", "major equipment incl. related R&D"),
            ("personnel", "personnel_exp_pct", "personnel incl. pensions"),
            ("infrastructure", "infrastructure_pct", "infrastructure"),
            ("other", "other_exp_pct", "other: operations and maintenance, other R&D"),
        ):
            if text.startswith(key):
                return _Block(indicator, 1.0, f"percent of {share} defence expenditure ({what})")
    return None


def _clean_name(value: str) -> str:
    return _FOOTNOTE.sub("", value.replace("\xa0", " ")).strip()


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _year_columns(row: tuple[Any, ...]) -> dict[int, tuple[int, bool]]:
    years = {}
    for i, value in enumerate(row):
        if isinstance(value, int) and not isinstance(value, bool) and 1990 <= value <= 2100:
            years[i] = (value, False)
        elif isinstance(value, float) and value.is_integer() and 1990 <= value <= 2100:
            years[i] = (int(value), False)
        elif isinstance(value, str) and (m := _YEAR.match(value)):
            years[i] = (int(m.group(1)), bool(m.group(2)))
    return years if len(years) >= 3 else {}


def _number(value: Any, sheet: str, cell: str) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value) if abs(value) < 1e300 else math.inf
    else:
        text = str(value).strip()
        if text.lower() in MISSING or text.startswith("#"):  # "#REF!", "#N/A", "#DIV/0!"
            return None
        try:
            number = float(text.replace(",", "").replace("\u2212", "-"))
        except ValueError:
            raise WorkbookError(
                f"{sheet}!{cell}: expected a number, '..' or an empty cell, found {text[:40]!r}",
                field=f"{sheet}!{cell}",
            ) from None
    if not math.isfinite(number):
        raise WorkbookError(
            f"{sheet}!{cell}: expected a finite number, found {str(value)[:40]!r}",
            field=f"{sheet}!{cell}",
        )
    return number


def _sheet_header(rows: list[Any]) -> tuple[str | None, str, bool]:
    """Table number, price base year and core flag, from the rows above the years."""
    table, base, core = None, "", False
    for row in rows[:40]:
        if _year_columns(tuple(c.value for c in row)):
            break
        for cell in row:
            text = _text(cell.value)
            if text and (m := _TITLE.match(text)):
                table, core = m.group(1).lower(), "core" in text.lower()
            if text and (m := _BASE.search(text)) and not base:
                base = m.group(1)
    return table, base, core


class _SheetReader:
    """Reads one sheet: tracks the year columns and the current block, row by row."""

    def __init__(self, ws: Any, source: str) -> None:
        self.ws = ws
        self.source = source
        self.table, self.base, self.core = _sheet_header(list(ws.iter_rows(max_row=40)))
        self.years: dict[int, tuple[int, bool]] = {}
        # Table 7 has no block label: the whole table is one block.
        self.block: _Block | None = (
            _Block("personnel_thousands", 1.0, "thousand military personnel")
            if self.table == "7"
            else None
        )

    def figures(self) -> Iterator[dict[str, Any]]:
        if self.table is None:
            return
        for row in self.ws.iter_rows():
            values = tuple(c.value for c in row)
            if not self.years:
                self.years = _year_columns(values)
                continue
            yield from self._row(row, values)

    def _labels(self, row: Any, values: tuple[Any, ...]) -> list[tuple[Any, str]]:
        first_col = min(self.years)
        return [
            (c, t) for c in row[: min(first_col, len(values))] if (t := _text(c.value)) is not None
        ]

    def _row(self, row: Any, values: tuple[Any, ...]) -> Iterator[dict[str, Any]]:
        names = self._labels(row, values)
        cells = [(row[i], values[i]) for i in self.years if i < len(values)]
        has_numbers = any(isinstance(v, int | float) and not isinstance(v, bool) for _, v in cells)
        if names and not has_numbers:
            self._maybe_block(names[0][1])
            return
        if self.block is None:
            return
        if not names:  # e.g. a broken aggregate row holding only "#REF!": missing
            for cell, value in cells:
                _number(value, self.ws.title, cell.coordinate)  # still reject bad text
            return
        yield from self._ally_row(row, values, names[-1])

    def _maybe_block(self, label: str) -> None:
        candidate = _block(self.table or "", label, self.base, self.core)
        if candidate is not None:
            self.block = candidate
        elif (
            _clean_name(label).lower() not in NAMES
            and not label.lower().startswith(("note", "(", "*"))
            and len(label) <= 60
            and self.table != "7"
        ):
            self.block = None  # a block this reader does not know: skip its rows

    def _ally_row(
        self, row: Any, values: tuple[Any, ...], name_cell: tuple[Any, str]
    ) -> Iterator[dict[str, Any]]:
        cell, name = name_cell
        iso3 = NAMES.get(_clean_name(name).lower())
        if iso3 is None:
            raise WorkbookError(
                f"{self.ws.title}!{cell.coordinate}: unknown ally name {name!r}; expected "
                "NATO's spelling, e.g. 'Türkiye', 'Slovak Republic'",
                field=f"{self.ws.title}!{cell.coordinate}",
            )
        block = self.block
        assert block is not None
        for i, (year, estimate) in self.years.items():
            if i >= len(values):
                continue
            number = _number(values[i], self.ws.title, row[i].coordinate)
            if number is None:
                continue
            yield {
                "iso3": iso3,
                "ally": _clean_name(name),
                "year": year,
                "indicator": block.indicator,
                "value": round(number * block.scale, _DIGITS[block.indicator]),
                "unit": block.unit,
                "estimate": estimate,
                "source": f"{self.source}#{quote(self.ws.title)}!{row[i].coordinate}",
            }


def _root_cause(exc: BaseException) -> BaseException:
    for _ in range(10):
        inner = exc.__cause__ or exc.__context__
        if inner is None:
            break
        exc = inner
    return exc


def _open_workbook(content: bytes, name: str) -> Any:
    """Parse the workbook's XML (defusedxml: no entities, no external references)."""
    try:
        return openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    except MemoryError:
        raise
    except Exception as exc:  # any parser error on untrusted input is the file's fault
        root = _root_cause(exc)
        detail = " ".join(str(root).split())[:100]
        raise WorkbookError(
            f"{name}: not a readable .xlsx workbook ({type(root).__name__}: {detail})",
            field="file",
        ) from exc


def read_nato_workbook(
    path: str | Path, edition: str, content: bytes | None = None
) -> pd.DataFrame:
    """Read every known table of a NATO workbook into tidy figures of ``edition``.

    The file is read once (a regular file of at most ``MAX_FILE_BYTES``), its zip
    parts are checked against the limits of :mod:`twotier.data._xlsx_guard` before
    any XML is parsed, and the XML is parsed by openpyxl through defusedxml.
    ``content`` (the file's bytes, if the caller has read them) avoids a second read.

    Returns
    -------
    DataFrame
        Columns ``iso3, ally, year, indicator, value, unit, edition, estimate,
        source``; ``source`` is ``xlsx:<file name>#<sheet>!<cell>``.

    Raises
    ------
    WorkbookError
        The file is not an Excel workbook, holds no NATO table, or has a cell that
        cannot be read (the message names the sheet and the cell).
    """
    p = Path(path)
    if content is None:
        content = read_user_bytes(p, max_bytes=MAX_FILE_BYTES, error=WorkbookError)
    try:
        check_xlsx(content, p.name)
    except DataError as exc:
        raise WorkbookError(str(exc), field="file") from exc
    wb = _open_workbook(content, p.name)
    source = f"xlsx:{quote(p.name)}"
    rows = [r for ws in wb.worksheets for r in _SheetReader(ws, source).figures()]
    if not rows:
        raise WorkbookError(
            f"{p.name}: no NATO table found; expected sheets titled 'Table N : ...' with a "
            "row of years",
            field="file",
        )
    frame = pd.DataFrame(rows)
    frame.insert(6, "edition", edition)
    frame["estimate"] = frame["estimate"].astype("boolean")
    duplicated = frame.duplicated(["iso3", "year", "indicator"], keep=False)
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise WorkbookError(
            f"{first['source'].split('#', 1)[1]}: {first['iso3']} {first['year']} "
            f"{first['indicator']} appears twice in the workbook",
            field="file",
        )
    return frame.sort_values(["iso3", "indicator", "year"]).reset_index(drop=True)


def infer_edition(path: str | Path) -> str | None:
    """Edition ``YYYY-MM`` from NATO's file name (``240617-def-exp-...`` -> 2024-06)."""
    m = re.match(r"^([0-9][0-9])([0-9][0-9])([0-9][0-9])-def-exp", Path(path).name)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"20{m.group(1)}-{m.group(2)}"
    return None
