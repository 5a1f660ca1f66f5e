"""Reader of the Kiel Institute's Ukraine Support Tracker figures (``ukraine_aid.csv``).

One module per source: this one reads and validates the bundled Kiel file and says
what a figure is cited as. The cited ``source`` is the Kiel Institute's tracker and
release; the file each row was transcribed from stays available as ``retrieved_from``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from twotier.data import _schema
from twotier.data._load import read_csv_validated

__all__ = [
    "KIEL_TRACKER_URL",
    "aid_citation",
    "cite_kiel_aid",
    "read_kiel_aid",
]

#: The Kiel Institute's own page of the tracker (bundled SOURCES.md, section 3).
KIEL_TRACKER_URL = "https://www.ifw-kiel.de/topics/war-against-ukraine/ukraine-support-tracker/"

#: Releases named in SOURCES.md: data cut-off -> how the Kiel Institute labels it.
_RELEASES = {"2026-04": "Release 29 (data through April 2026, published 4 August 2026)"}


def aid_citation(as_of: str) -> str:
    """How a tracker figure with data cut-off ``as_of`` is cited.

    >>> aid_citation("2022-03-27")
    'Kiel Institute for the World Economy, Ukraine Support Tracker, data as of 27 March 2022, https://...'
    """
    release = _RELEASES.get(as_of)
    if release is None:
        parts = as_of.split("-")
        day = f"{int(parts[2])} " if len(parts) == 3 else ""
        release = f"data as of {day}{_schema.MONTH_NAMES[int(parts[1]) - 1]} {parts[0]}"
    return f"Kiel Institute for the World Economy, Ukraine Support Tracker, {release}, " + (
        KIEL_TRACKER_URL
    )


def read_kiel_aid(path: Path) -> pd.DataFrame:
    """Read and validate ``ukraine_aid.csv``.

    Returns
    -------
    DataFrame
        The file's columns, with ``source`` replaced by the citation of the Kiel
        Institute's tracker release (:func:`aid_citation`) and the file's URL moved
        to ``retrieved_from``.

    Raises
    ------
    twotier.errors.DataError
        The file is missing or fails its schema (file, line and column named).
    """
    return cite_kiel_aid(read_csv_validated(path, _schema.AID_SCHEMA, _schema.AID_KINDS))


def cite_kiel_aid(frame: pd.DataFrame) -> pd.DataFrame:
    """Cite the Kiel tracker release as ``source``; the file URL moves to ``retrieved_from``."""
    frame = frame.rename(columns={"source": "retrieved_from"})
    frame.insert(len(frame.columns) - 1, "source", [aid_citation(str(a)) for a in frame["as_of"]])
    return frame
