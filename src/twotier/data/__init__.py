"""Data layer: the bundled NATO figures, their editions and provenance.

The package ships the transcribed official figures (see ``files/SOURCES.md``).
:func:`load_data` reads and validates them once per process; the engines take the
returned :class:`NatoData` and never read files themselves.
"""

from __future__ import annotations

import functools
from pathlib import Path

from twotier.data._load import NatoData, bundled_dir, verify_manifest
from twotier.data._schema import AGGREGATES, INDICATORS, MEMBERS, Indicator

__all__ = [
    "AGGREGATES",
    "INDICATORS",
    "MEMBERS",
    "Indicator",
    "NatoData",
    "bundled_dir",
    "load_data",
    "verify_manifest",
]


@functools.lru_cache(maxsize=4)
def _load_cached(folder: str) -> NatoData:
    return NatoData.from_folder(Path(folder))


def load_data(folder: str | Path | None = None) -> NatoData:
    """Load and validate the figures.

    Parameters
    ----------
    folder
        A folder holding ``nato_defence_expenditure.csv``, ``allies.csv``,
        ``ukraine_aid.csv`` and ``editions.csv``. ``None`` (the default) reads the
        data bundled in the package. The result is cached per folder.

    Raises
    ------
    twotier.errors.DataError
        A file is missing or fails its schema; the message names the file, the
        line and the column.
    """
    path = bundled_dir() if folder is None else Path(folder)
    return _load_cached(str(path.resolve()))
