"""Rendering of result frames for the terminal (rich tables), CSV and JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

__all__ = [
    "FORMATS",
    "cell",
    "coverage_columns",
    "coverage_display",
    "coverage_notes",
    "json_default",
    "print_frame",
    "print_json",
    "published_values",
]

FORMATS = ("table", "csv", "json")


def cell(value: Any, digits: int | None = None) -> str:
    """Text of one table cell; missing values read 'unknown'."""
    import pandas as pd  # imported where used: the CLI's help needs none of pandas

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
    import pandas as pd

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
    from twotier.render.json_safe import dumps_json

    console.file.write(dumps_json(obj, indent=2))
    console.file.write("\n")


def _is_numeric(column: pd.Series) -> bool:
    """Numbers, possibly with "-" for not applicable (right-aligned in tables)."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(column):
        return False
    if pd.api.types.is_numeric_dtype(column):
        return True
    values = column.dropna()
    values = values[values.astype(str) != "-"]
    if len(values) and pd.api.types.infer_dtype(values, skipna=True) == "string":
        return bool(pd.to_numeric(values.str.replace(",", ""), errors="coerce").notna().all())
    return len(values) > 0 and pd.api.types.infer_dtype(values, skipna=True) in (
        "integer",
        "floating",
        "mixed-integer-float",
    )


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
    from rich import box  # only tables need rich (imported here: JSON and CSV stay quick)
    from rich.table import Table

    # Narrow terminals get a lighter frame (one space between columns), so that every
    # number fits whole in 80 columns; text columns and headers wrap instead.
    narrow = console.width < 120
    table = Table(
        title=title or None,
        caption=caption or None,
        caption_justify="left",
        box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD,
        padding=(0, 1) if not narrow else (0, 0),
        pad_edge=not narrow,
        collapse_padding=narrow,
    )
    digits = digits or {}
    cells = [
        [cell(v, digits.get(c)) for c, v in zip(shown.columns, row, strict=True)]
        for row in shown.itertuples(index=False)
    ]
    for i, col in enumerate(shown.columns):
        numeric = _is_numeric(shown[col])
        # Numbers and codes are never wrapped or cut; headers and text columns wrap
        # instead, so an 80-column terminal shows every digit.
        widest = max((len(r[i]) for r in cells), default=1)
        short = numeric or widest <= 8
        table.add_column(
            col.replace("_", "\n", 1) if narrow else col,
            justify="right" if numeric else "left",
            no_wrap=short,
            min_width=widest if short else None,
            overflow="fold",
        )
    for row_cells in cells:
        table.add_row(*row_cells)
    console.print(table)
    for note in notes:
        console.print(note, highlight=False, soft_wrap=True)


def _guarantee_name(guarantors: Sequence[str]) -> str:
    if tuple(guarantors) == ("USA",):
        return "the US guarantee"
    return f"the guarantee of {', '.join(guarantors)}"


def coverage_columns(summary: Any) -> list[str]:
    """Columns of the coverage table.

    Backing is shown when only some allies apply the condition (the others still
    defend everyone).
    """
    from twotier.rules.coverage import TABLE_COLUMNS

    hidden = {"source", "retrieved_from"} | (
        {"backing_share"} if summary.guarantors == ("all",) else set()
    )
    return [c for c in TABLE_COLUMNS if c not in hidden]


def published_values(frame: pd.DataFrame) -> pd.Series:
    """The ``value`` column as text at NATO's published precision.

    ``2.00``; ``2.5`` for a figure known only to one decimal; ``None`` where unknown.
    """
    import pandas as pd

    decimals = frame.get("value_decimals")
    out: list[str | None] = []
    for i, value in enumerate(frame["value"]):
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            out.append(None)
            continue
        d = 2 if decimals is None or pd.isna(decimals.iloc[i]) else int(decimals.iloc[i])
        out.append(f"{float(value):.{d}f}")
    return pd.Series(out, index=frame.index, dtype=object)


def coverage_display(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a coverage frame for display.

    Shares at their published precision; allies that were not members that year show
    no tier, margin or shortfall (neither covered nor not).
    """
    blank = ["tier", "margin_pp", "shortfall_usd_m", "backing_share"]
    shown = frame.astype(dict.fromkeys(blank, object))
    shown["value"] = published_values(frame)
    out = ~frame["member_in_year"].astype(bool)
    shown.loc[out, blank] = "-"
    return shown


def _people_line(s: Any, frame: pd.DataFrame) -> list[str]:
    shortfall = "unknown" if s.shortfall_usd_m is None else f"US$ {s.shortfall_usd_m:,.1f} m"
    if s.shortfall_usd_m is None:
        shortfall += f" (known part US$ {s.shortfall_known_usd_m:,.1f} m)"
    gdp = "unknown" if s.uncovered_gdp_share is None else f"{s.uncovered_gdp_share:.1%}"
    label = "Not covered" if s.guarantors == ("all",) else "Below the condition"
    gdp_editions = ", ".join(sorted(set(frame["gdp_edition"].dropna()))) or "none"
    return [
        f"{label}: {s.uncovered_population_m:,.1f} m people ({s.uncovered_population_share:.1%}"
        f" of the alliance's members in {s.year}), {gdp} of their GDP; bordering "
        f"Russia/Belarus: {', '.join(s.uncovered_frontline) or 'none'}; total shortfall "
        f"{shortfall}.",
        "Shortfall = max(0, threshold - share) / 100 x GDP (current US$) of that year; GDP "
        f"from edition(s) {gdp_editions}.",
    ]


def coverage_notes(summary: Any, frame: pd.DataFrame | None = None) -> list[str]:
    """The lines printed under a coverage table.

    Who is in and out, completeness, members of that year, basis of the figures and
    the publication cited.

    ``summary`` is a :class:`twotier.CoverageSummary` of ``frame`` (give the frame
    for the population and shortfall lines).
    """
    s = summary
    if s.guarantors != ("all",):
        outside = sorted({c for codes in s.outside_guarantee.values() for c in codes})
        lines = [
            f"Meet the condition {len(s.covered)}; outside {_guarantee_name(s.guarantors)} "
            f"{len(outside)} ({', '.join(outside) or 'none'}), still defended by every other "
            f"ally (see backing_share); unknown {len(s.unknown)} "
            f"({', '.join(s.unknown) or 'none'})."
        ]
    else:
        lines = [
            f"Covered {len(s.covered)}, not covered {len(s.uncovered)} "
            f"({', '.join(s.uncovered) or 'none'}), unknown {len(s.unknown)} "
            f"({', '.join(s.unknown) or 'none'})."
        ]
    lines.append(f"Completeness: {s.completeness}")
    if s.not_members:
        lines.append(
            f"Not members in {s.year}: {', '.join(s.not_members)} (neither covered nor "
            "uncovered; left out of every total and share, as NATO's totals do)."
        )
    if frame is not None:
        lines += _people_line(s, frame)
    if s.basis_note:
        lines.append(s.basis_note)
    if s.sources:
        lines.append(f"Source: {' ; '.join(s.sources)}.")
    return lines
