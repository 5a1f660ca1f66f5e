"""Editions imported from NATO workbooks, kept in the user's data directory.

Layout: ``<data dir>/editions/<YYYY-MM>/`` holds ``figures.csv`` (same columns and
schema as the bundled file), ``meta.json`` (workbook name, SHA-256, time of import)
and ``MANIFEST.sha256``. The data directory is ``$TWOTIER_DATA_DIR`` if set, else the
platform's per-user data folder (``platformdirs``). The bundled data is never written.

An import is atomic: everything is written to a temporary folder beside the target,
read back through the schema, and only then moved into place. A failed import leaves
nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import platformdirs

from twotier.data import _schema
from twotier.data._load import read_csv_validated, verify_manifest
from twotier.data.nato_workbook import infer_edition, read_nato_workbook
from twotier.errors import DataError, InputError, UnknownEditionError

__all__ = [
    "import_workbook",
    "imported_editions",
    "read_imported",
    "remove_edition",
    "user_data_dir",
]

_EDITION = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def user_data_dir() -> Path:
    """The folder of imported editions (``$TWOTIER_DATA_DIR`` or the platform default)."""
    env = os.environ.get("TWOTIER_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir("twotier", appauthor=False))


def _editions_dir() -> Path:
    return user_data_dir() / "editions"


def imported_editions() -> list[str]:
    """Editions imported so far, oldest first."""
    folder = _editions_dir()
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if _EDITION.match(p.name) and (p / "meta.json").exists()
    )


def _signature() -> tuple[tuple[str, int], ...]:
    """Changes whenever an edition is imported, replaced or removed (cache key)."""
    folder = _editions_dir()
    return tuple((e, (folder / e / "meta.json").stat().st_mtime_ns) for e in imported_editions())


def read_imported() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Figures and edition descriptions of every imported edition (validated)."""
    figures, editions = [], []
    for edition in imported_editions():
        folder = _editions_dir() / edition
        figures.append(
            read_csv_validated(
                folder / "figures.csv", _schema.FIGURES_SCHEMA, _schema.FIGURES_KINDS
            )
        )
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        editions.append(meta["edition_row"])
    if not figures:
        return pd.DataFrame(), pd.DataFrame()
    return pd.concat(figures, ignore_index=True), pd.DataFrame(editions)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _edition_row(frame: pd.DataFrame, edition: str, workbook: Path, digest: str) -> dict[str, str]:
    units = " ".join(frame["unit"].unique())
    bases = sorted(set(re.findall(r"(20\d\d) prices", units)))
    return {
        "edition": edition,
        "title": f"NATO workbook {workbook.name}",
        "published": edition,
        "basis": "core defence expenditure (Hague 2025 definition)"
        if "core defence" in units
        else "defence expenditure (NATO definition)",
        "price_base": ",".join(bases),
        "completeness": "imported workbook",
        "note": f"Imported {datetime.now(UTC):%Y-%m-%d} from {workbook.name} (sha256 {digest}).",
        "origin": "imported",
    }


def import_workbook(
    path: str | Path, edition: str | None = None, *, replace: bool = False
) -> dict[str, Any]:
    """Read a NATO workbook, validate it and store it as an edition.

    Parameters
    ----------
    path
        The ``.xlsx`` file as published by NATO.
    edition
        ``YYYY-MM``; inferred from NATO's file name (``240617-def-exp-...``) if omitted.
    replace
        Needed to import an edition that was imported before.

    Returns
    -------
    dict
        ``edition``, ``figures`` (count), ``indicators``, ``years``, ``sha256``, ``folder``.
    """
    workbook = Path(path)
    edition = edition or infer_edition(workbook)
    if edition is None:
        raise InputError(
            f"--edition: cannot tell the edition from the file name {workbook.name!r}; "
            "give it as --edition YYYY-MM (month of NATO's publication)",
            field="edition",
        )
    if not _EDITION.match(edition):
        raise InputError(
            f"--edition: expected YYYY-MM such as 2025-08, found {edition!r}", field="edition"
        )
    target = _editions_dir() / edition
    if target.exists() and not replace:
        raise InputError(
            f"--replace: edition {edition} was imported before; add --replace to overwrite it",
            field="replace",
        )
    frame = read_nato_workbook(workbook, edition)
    digest = _sha256(workbook)
    _editions_dir().mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".import-{edition}-", dir=_editions_dir()))
    try:
        frame.to_csv(staging / "figures.csv", index=False)
        # Read back through the schema: what is stored is what will be loaded.
        read_csv_validated(staging / "figures.csv", _schema.FIGURES_SCHEMA, _schema.FIGURES_KINDS)
        meta = {
            "edition": edition,
            "workbook": workbook.name,
            "sha256": digest,
            "imported": datetime.now(UTC).isoformat(timespec="seconds"),
            "figures": len(frame),
            "edition_row": _edition_row(frame, edition, workbook, digest),
        }
        (staging / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        (staging / "MANIFEST.sha256").write_text(
            "".join(f"{_sha256(staging / f)}  {f}\n" for f in ("figures.csv", "meta.json")),
            encoding="utf-8",
        )
        if target.exists():
            old = target.with_name(f".old-{edition}-{os.getpid()}")
            os.replace(target, old)
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {
        "edition": edition,
        "figures": len(frame),
        "indicators": sorted(frame["indicator"].unique()),
        "years": [int(frame["year"].min()), int(frame["year"].max())],
        "sha256": digest,
        "folder": str(target),
    }


def remove_edition(edition: str) -> None:
    """Remove an imported edition (the bundled data cannot be removed)."""
    imported = imported_editions()
    if edition not in imported:
        raise UnknownEditionError(
            f"EDITION: {edition!r} is not an imported edition; imported: "
            f"{', '.join(imported) or 'none'}",
            field="edition",
        )
    shutil.rmtree(_editions_dir() / edition)


def verify_imported() -> list[dict[str, Any]]:
    """Check every imported edition against its manifest and the schema."""
    results = []
    for edition in imported_editions():
        folder = _editions_dir() / edition
        checks = verify_manifest(folder)
        bad = [name for name, ok in checks if not ok]
        detail = "ok"
        if bad:
            detail = f"checksum mismatch: {', '.join(bad)}"
        else:
            try:
                read_csv_validated(
                    folder / "figures.csv", _schema.FIGURES_SCHEMA, _schema.FIGURES_KINDS
                )
            except DataError as exc:
                detail = str(exc)
        results.append(
            {"origin": "imported", "edition": edition, "ok": detail == "ok", "detail": detail}
        )
    return results
