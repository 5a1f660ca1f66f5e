"""Integrity of stored data on every load: manifests instead of re-validation.

The bundled files and every imported edition carry a ``MANIFEST.sha256``. Their
content was validated against the pandera schemas when it was made: by the tests
for the bundled files (``twotier data verify`` checks them again), at import time
for an edition. On load, checking the SHA-256 of each file (about 1 ms for the
bundled data) gives the same guarantee at a fraction of the cost of running the
schemas (pandera's import alone takes 0.26 s), so pandera is only imported by
``data import`` and ``data verify``.

A damaged imported edition (a checksum mismatch, a missing or garbled manifest,
an unreadable ``meta.json``) is left out of the data with a one-line reason; an
edited bundled file stops the load with a one-line :class:`DataError`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from twotier.data.toml_files import read_user_bytes
from twotier.errors import DataError

__all__ = [
    "MAX_DATA_FILE_BYTES",
    "MAX_SMALL_FILE_BYTES",
    "check_manifest",
    "read_data_bytes",
    "read_edition",
    "verify_edition",
    "verify_manifest",
]

#: Largest data file read from the package or the edition store (a figures file of an
#: import at the workbook cell limit stays below it; NATO's 2026 edition is 1.5 MB).
MAX_DATA_FILE_BYTES = 256 * 1024 * 1024
#: Largest manifest or ``meta.json`` (a few hundred bytes in practice).
MAX_SMALL_FILE_BYTES = 1024 * 1024


def read_data_bytes(path: Path, max_bytes: int = MAX_DATA_FILE_BYTES) -> bytes:
    """Read one stored data file: a regular file only, size counted while reading.

    A file replaced by a FIFO, a device (``/dev/zero``) or a folder, or grown past
    ``max_bytes``, raises :class:`DataError` naming the file at once: it never blocks
    and never reads without bound.
    """
    return read_user_bytes(path, max_bytes=max_bytes, error=DataError, field=Path(path).name)


#: Keys of an edition description (``editions.csv`` columns plus ``origin``).
_EDITION_ROW_KEYS = (
    "edition",
    "title",
    "published",
    "basis",
    "price_base",
    "completeness",
    "note",
    "origin",
)


_REIMPORT = "import the workbook again: twotier data import FILE --edition {} --replace"


def _listed(folder: Path) -> list[tuple[str, str]]:
    """The (file name, SHA-256) lines of ``folder/MANIFEST.sha256``, checked for form.

    Raises
    ------
    DataError
        The manifest is missing, unreadable, lists no files, or a line is not
        ``<sha256>  <file>``.
    """
    manifest = folder / "MANIFEST.sha256"
    if not manifest.exists() and not manifest.is_symlink():
        raise DataError(f"MANIFEST.sha256: not found in {folder}", field="MANIFEST.sha256")
    try:
        text = read_data_bytes(manifest, MAX_SMALL_FILE_BYTES).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"MANIFEST.sha256: unreadable ({exc})", field="MANIFEST.sha256") from exc
    listed = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64 or "/" in parts[1] or parts[1].startswith("."):
            raise DataError(
                f"MANIFEST.sha256: line {number}: expected '<sha256>  <file>', found {line[:80]!r}",
                field="MANIFEST.sha256",
            )
        listed.append((parts[1], parts[0]))
    if not listed:
        raise DataError("MANIFEST.sha256: lists no files", field="MANIFEST.sha256")
    return listed


def verify_manifest(folder: Path) -> list[tuple[str, bool]]:
    """Check every file listed in ``folder/MANIFEST.sha256``.

    Returns
    -------
    list of (file name, ok)

    Raises
    ------
    DataError
        The manifest is missing, unreadable, or a line is not ``<sha256>  <file>``.
    """
    return [(name, _digest(_content(folder / name)) == digest) for name, digest in _listed(folder)]


def _content(path: Path) -> bytes | None:
    """The bytes of a listed file; None if it is missing (a mismatch)."""
    if not path.exists() and not path.is_symlink():
        return None
    return read_data_bytes(path)


def _digest(content: bytes | None) -> str | None:
    return None if content is None else hashlib.sha256(content).hexdigest()


def check_manifest(
    folder: Path, required: tuple[str, ...], what: str, remedy: str = "restore it"
) -> dict[str, bytes]:
    """Raise :class:`DataError` unless every file of ``required`` matches the manifest.

    A file that the manifest does not list fails too. Returns the content of each
    required file, read once: the bytes checked are the bytes the caller reads, so a
    file cannot change between its check and its use. Listed files that are not
    required are not read.
    """
    contents: dict[str, bytes | None] = {}
    results: dict[str, bool] = {}
    for name, digest in _listed(folder):
        if name in required:
            contents[name] = _content(folder / name)
            results[name] = _digest(contents[name]) == digest
    unlisted = [name for name in required if name not in results]
    bad = [name for name in required if name in results and not results[name]]
    if unlisted:
        raise DataError(
            f"{what}: {unlisted[0]} is not listed in MANIFEST.sha256", field=unlisted[0]
        )
    if bad:
        raise DataError(
            f"{what}: checksum mismatch: {bad[0]} changed after it was validated "
            f"(MANIFEST.sha256); {remedy}",
            field=bad[0],
        )
    return {name: content for name, content in contents.items() if content is not None}


def _meta(folder: Path, edition: str) -> dict[str, Any]:
    try:
        meta = json.loads(read_data_bytes(folder / "meta.json", MAX_SMALL_FILE_BYTES))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise DataError(f"meta.json: unreadable ({type(exc).__name__})", field="meta.json") from exc
    row = meta.get("edition_row") if isinstance(meta, dict) else None
    if not isinstance(row, dict) or any(not isinstance(row.get(k), str) for k in _EDITION_ROW_KEYS):
        raise DataError("meta.json: no complete edition_row", field="meta.json")
    if row["edition"] != edition:
        raise DataError(
            f"meta.json: describes edition {row['edition']!r}, not {edition!r}", field="meta.json"
        )
    return {k: row[k] for k in _EDITION_ROW_KEYS}


def read_edition(folder: Path, edition: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Figures and description of one imported edition, checked against its manifest.

    Raises
    ------
    DataError
        One line naming the damaged file.
    """
    from twotier.data._load import read_csv_checked

    checked = check_manifest(
        folder, ("figures.csv", "meta.json"), f"edition {edition}", _REIMPORT.format(edition)
    )
    row = _meta(folder, edition)
    frame = read_csv_checked(folder / "figures.csv", "figures", checked["figures.csv"])
    if not frame.empty and set(frame["edition"]) != {edition}:
        raise DataError(
            f"figures.csv: holds editions {sorted(set(frame['edition']))[:3]}, not only {edition}",
            field="figures.csv",
        )
    return frame, row


def verify_edition(folder: Path) -> dict[str, Any]:
    """``ok`` and ``detail`` of one imported edition: manifest, meta.json, schema."""
    from twotier.data import _schema
    from twotier.data._load import read_csv_validated

    try:
        check_manifest(
            folder, ("figures.csv", "meta.json"), "edition", _REIMPORT.format(folder.name)
        )
        _meta(folder, folder.name)
        read_csv_validated(folder / "figures.csv", _schema.FIGURES_SCHEMA, _schema.FIGURES_KINDS)
    except DataError as exc:
        return {"ok": False, "detail": str(exc)}
    return {"ok": True, "detail": "ok"}
