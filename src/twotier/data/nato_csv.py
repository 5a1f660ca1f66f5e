"""Reader of the bundled NATO figures (``nato_defence_expenditure.csv``, ``editions.csv``).

One module per source: this one reads and validates NATO's defence-expenditure
figures as transcribed in the bundled CSV, and the table of NATO report editions
(title, publication date, basis, NATO's document URL) that every figure is cited
from (see :func:`twotier.data.select.figure_source`). NATO's own Excel workbooks are
read by :mod:`twotier.data.nato_workbook`.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from twotier.data import _schema
from twotier.data._integrity import read_data_bytes
from twotier.data._load import read_csv_validated
from twotier.errors import DataError

__all__ = ["EDITION_COLUMNS", "read_editions", "read_nato_figures"]

#: Columns of ``editions.csv``; ``nato_url`` is NATO's document as recorded in SOURCES.md
#: (empty when none was recorded).
EDITION_COLUMNS = [
    "edition",
    "title",
    "published",
    "basis",
    "price_base",
    "completeness",
    "nato_url",
    "note",
]


def read_nato_figures(path: Path) -> pd.DataFrame:
    """Read and validate the tidy NATO figures.

    One row per ally, year, indicator and edition; ``source`` is the URL each figure
    was read from.
    """
    return read_csv_validated(path, _schema.FIGURES_SCHEMA, _schema.FIGURES_KINDS)


def read_editions(path: Path, content: bytes | None = None) -> pd.DataFrame:
    """Read ``editions.csv``: one row per NATO report edition.

    ``content``: the file's bytes as checked against its manifest (else the file is
    read as every data file is: a regular file only, bounded in size).

    Raises
    ------
    twotier.errors.DataError
        Missing file, missing columns or a duplicated edition.
    """
    if content is None:
        if not path.exists() and not path.is_symlink():
            raise DataError(f"{path.name}: data file not found at {path}", field=path.name)
        content = read_data_bytes(path)  # a regular file, bounded: never a FIFO or /dev/zero
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    missing = [c for c in EDITION_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"{path.name}: line 1 (header): missing columns {missing}", field=path.name)
    duplicated = sorted(set(frame.loc[frame["edition"].duplicated(), "edition"]))
    if duplicated:
        raise DataError(f"{path.name}: editions listed twice: {duplicated}", field="edition")
    frame["origin"] = "bundled"
    return frame
