"""Rendering of result frames for the terminal (rich tables), CSV and JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

from twotier.render.json_safe import dumps_json

__all__ = ["FORMATS", "cell", "json_default", "print_frame", "print_json"]

FORMATS = ("table", "csv", "json")


def cell(value: Any, digits: int | None = None) -> str:
    """Text of one table cell; missing values read 'unknown'."""
    if value is None or value is pd.NA:
        return "unknown"
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar -> Python
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "unknown"
        if digits is not None:
            return f"{value:,.{digits}f}"
        return f"{value:g}"
    return str(value)


def json_default(value: Any) -> Any:
    """JSON encoder for numpy / pandas scalars; missing values become null."""
    if value is pd.NA or value is None:
        return None
    if hasattr(value, "item"):
        item = value.item()
        if isinstance(item, float) and math.isnan(item):
            return None
        return item
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(obj: Any, console: Console) -> None:
    """Print ``obj`` as strict JSON (NaN, infinities and pd.NA become null)."""
    console.file.write(dumps_json(obj, indent=2))
    console.file.write("\n")


def print_frame(
    frame: pd.DataFrame,
    fmt: str,
    console: Console,
    *,
    title: str = "",
    columns: Sequence[str] | None = None,
    digits: dict[str, int] | None = None,
    caption: str = "",
    notes: Sequence[str] = (),
) -> None:
    """Print a frame as a rich table, CSV or JSON records."""
    shown = frame.loc[:, list(columns)] if columns is not None else frame
    if fmt == "csv":
        console.file.write(shown.to_csv(index=False))
        return
    if fmt == "json":
        records = json.loads(shown.to_json(orient="records", force_ascii=False))
        print_json(records, console)
        return
    table = Table(title=title or None, caption=caption or None, caption_justify="left")
    digits = digits or {}
    for col in shown.columns:
        numeric = pd.api.types.is_numeric_dtype(shown[col]) and not pd.api.types.is_bool_dtype(
            shown[col]
        )
        table.add_column(col, justify="right" if numeric else "left")
    for row in shown.itertuples(index=False):
        table.add_row(*(cell(v, digits.get(c)) for c, v in zip(shown.columns, row, strict=True)))
    console.print(table)
    for note in notes:
        console.print(note, highlight=False, soft_wrap=True)
