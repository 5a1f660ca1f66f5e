"""Data layer: the bundled NATO figures, their editions and provenance.

The package ships the transcribed official figures (see ``files/SOURCES.md``).
:func:`load_data` reads and validates them once per process; the engines take the
returned :class:`NatoData` and never read files themselves.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import pandas as pd

from twotier.data._load import NatoData, bundled_dir, verify_manifest
from twotier.data._schema import AGGREGATES, INDICATORS, MEMBERS, Indicator

logger = logging.getLogger("twotier")

__all__ = [
    "AGGREGATES",
    "INDICATORS",
    "MEMBERS",
    "Indicator",
    "NatoData",
    "bundled_dir",
    "load_data",
    "verify_data",
    "verify_manifest",
]


@functools.lru_cache(maxsize=8)
def _load_cached(folder: str, signature: tuple[tuple[str, int, int], ...]) -> NatoData:
    base = NatoData.from_folder(Path(folder))
    if not signature:
        return base
    from twotier.data import store

    figures, editions, problems = store.read_imported()
    for problem in problems:
        logger.warning("twotier: warning: %s (see twotier data verify)", problem)
    if figures.empty:
        return NatoData(
            figures=base.figures,
            allies=base.allies,
            editions=base.editions,
            aid=base.aid,
            problems=tuple(problems),
        )
    # An imported edition replaces a bundled edition of the same name (NATO's full table
    # supersedes a partial transcription).
    replaced = set(editions["edition"])
    merged = pd.concat(
        [base.figures[~base.figures["edition"].isin(replaced)], figures], ignore_index=True
    )
    merged["estimate"] = merged["estimate"].astype("boolean")
    described = pd.concat(
        [base.editions[~base.editions["edition"].isin(replaced)], editions], ignore_index=True
    ).sort_values("edition", ignore_index=True)
    return NatoData(
        figures=merged,
        allies=base.allies,
        editions=described,
        aid=base.aid,
        problems=tuple(problems),
    )


def load_data(folder: str | Path | None = None, *, imported: bool = True) -> NatoData:
    """Load and validate the figures.

    Parameters
    ----------
    folder
        A folder holding ``nato_defence_expenditure.csv``, ``allies.csv``,
        ``ukraine_aid.csv`` and ``editions.csv``. ``None`` (the default) reads the
        data bundled in the package plus the editions imported with
        ``twotier data import`` (see :mod:`twotier.data.store`).
    imported
        Include imported editions (only with ``folder=None``).

    The result is cached, and reloaded when an edition is imported or removed.

    Raises
    ------
    twotier.errors.DataError
        A file is missing or fails its schema; the message names the file, the
        line and the column.
    """
    path = _bundled_path() if folder is None else str(Path(folder).resolve())
    signature: tuple[tuple[str, int, int], ...] = ()
    if folder is None and imported:
        from twotier.data import store

        signature = store._signature()
    return _load_cached(path, signature)


@functools.cache
def _bundled_path() -> str:
    # The package's own folder does not move while the process runs; resolving it on
    # every call cost a file-system look-up per path part (load_data is called often).
    return str(bundled_dir().resolve())


def verify_data() -> list[dict[str, object]]:
    """Check the bundled files against their manifest and schema.

    Every imported edition is checked against its own; one row per file or edition
    (``origin, edition, ok, detail``).
    """
    from twotier.data import store
    from twotier.errors import DataError

    results: list[dict[str, object]] = [
        {
            "origin": "bundled",
            "edition": name,
            "ok": ok,
            "detail": "ok" if ok else "checksum mismatch",
        }
        for name, ok in verify_manifest(bundled_dir())
    ]
    try:
        NatoData.from_folder(bundled_dir(), validate=True)
        results.append({"origin": "bundled", "edition": "schema", "ok": True, "detail": "ok"})
    except DataError as exc:
        results.append({"origin": "bundled", "edition": "schema", "ok": False, "detail": str(exc)})
    results.extend(store.verify_imported())
    return results
