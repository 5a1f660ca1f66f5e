"""Editions imported from NATO workbooks, kept in the user's data directory.

Layout: ``<data dir>/editions/<YYYY-MM>/`` holds ``figures.csv`` (same columns and
schema as the bundled file), ``meta.json`` (workbook name, SHA-256, time of import)
and ``MANIFEST.sha256``. The data directory is ``$TWOTIER_DATA_DIR`` if set, else the
platform's per-user data folder (``platformdirs``). The bundled data is never written.

Safety (see ``docs/limits.md``):

* **atomic**: an import is written to a hidden staging folder beside the target,
  read back through the schema, flushed to disk, and only then renamed into place;
* **serialized**: imports and removals hold a lock (:mod:`filelock`) on the editions
  folder, so two imports of one edition cannot both succeed without ``--replace``;
* **crash-safe replace**: the old edition is renamed to ``.old-<edition>`` before
  the new one moves in and renamed back if that fails; after a crash (kill -9,
  power loss) the next run restores it (:func:`recover`);
* **debris**: staging folders left by killed runs are reported by
  :func:`verify_imported` and removed by :func:`recover` (``twotier data verify``
  reports, any import, removal or ``clean_debris`` removes).
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
from typing import TYPE_CHECKING, Any

import pandas as pd
import platformdirs

from twotier._signals import terminate_as_exit
from twotier.data import _schema
from twotier.data._integrity import read_edition, verify_edition
from twotier.data._load import read_csv_validated
from twotier.data._xlsx_guard import MAX_FILE_BYTES
from twotier.data.toml_files import read_user_bytes
from twotier.errors import DataError, InputError, TwotierError, UnknownEditionError

if TYPE_CHECKING:
    from filelock import FileLock

__all__ = [
    "clean_debris",
    "import_workbook",
    "imported_editions",
    "read_imported",
    "recover",
    "remove_edition",
    "user_data_dir",
    "verify_imported",
]

_EDITION = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
#: Hidden names of work in progress: staging, replaced and removed editions.
_STAGING, _OLD, _REMOVING = ".import-", ".old-", ".removing-"
#: How long an import waits for another import or removal to finish.
LOCK_TIMEOUT_S = 120.0


def _environment_error() -> type[TwotierError]:
    import twotier.errors as errors

    return getattr(errors, "EnvironmentProblem", DataError)


def user_data_dir() -> Path:
    """The folder of imported editions (``$TWOTIER_DATA_DIR`` or the platform default)."""
    env = os.environ.get("TWOTIER_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir("twotier", appauthor=False))


def _editions_dir() -> Path:
    return user_data_dir() / "editions"


def _check_edition(edition: str) -> str:
    if not isinstance(edition, str) or not _EDITION.fullmatch(edition):
        raise InputError(
            f"edition: expected YYYY-MM such as 2025-08, found {edition!r}", field="edition"
        )
    return edition


def _listing() -> list[str]:
    try:
        return os.listdir(_editions_dir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise _environment_error()(
            f"TWOTIER_DATA_DIR: cannot read {_editions_dir()}: {exc.strerror}", field="data_dir"
        ) from exc


def imported_editions() -> list[str]:
    """Editions imported so far, oldest first (an interrupted replace is repaired first)."""
    names = _listing()
    if any(n.startswith(_OLD) for n in names):
        recover(wait=False)
        names = _listing()
    folder = _editions_dir()
    return sorted(n for n in names if _EDITION.fullmatch(n) and (folder / n / "meta.json").exists())


def _lock() -> FileLock:
    from filelock import FileLock  # imported by imports and removals only (not by a question)

    return FileLock(str(_editions_dir() / ".lock"), timeout=LOCK_TIMEOUT_S)


def _timeout() -> type[Exception]:
    from filelock import Timeout

    return Timeout


def _recover_locked() -> list[str]:
    """Finish or undo interrupted work; return what was done (one line each)."""
    folder = _editions_dir()
    done = []
    for name in sorted(_listing()):
        path = folder / name
        if name.startswith(_OLD):
            edition = name[len(_OLD) : len(_OLD) + 7]
            target = folder / edition
            if _EDITION.fullmatch(edition) and not target.exists():
                os.replace(path, target)
                done.append(f"{edition}: restored after an interrupted replace")
            else:
                shutil.rmtree(path, ignore_errors=True)
                done.append(f"{name}: removed (left by a finished replace)")
        elif name.startswith((_STAGING, _REMOVING)):
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"{name}: removed (left by an interrupted import or removal)")
    return done


def recover(*, wait: bool = True) -> list[str]:
    """Repair what killed runs left.

    Restore an edition whose replace was interrupted, remove staging folders.
    Skipped (returns ``[]``) if another import holds the lock and ``wait`` is
    false, or if the folder is not writable.
    """
    if not _editions_dir().is_dir():
        return []
    try:
        with _lock().acquire(timeout=LOCK_TIMEOUT_S if wait else 0):
            return _recover_locked()
    except (_timeout(), OSError):
        return []


def clean_debris() -> list[str]:
    """Remove the leftovers of interrupted runs (see :func:`recover`); what was done."""
    return recover(wait=True)


def _signature() -> tuple[tuple[str, int, int], ...]:
    """Changes whenever an imported edition's files change (cache key of load_data)."""
    folder = _editions_dir()
    stamps = []
    for edition in imported_editions():
        for name in ("meta.json", "figures.csv", "MANIFEST.sha256"):
            try:
                st = (folder / edition / name).stat()
            except OSError:
                stamps.append((f"{edition}/{name}", 0, 0))
                continue
            stamps.append((f"{edition}/{name}", st.st_mtime_ns, st.st_size))
    return tuple(stamps)


def read_imported() -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Figures and descriptions of every intact imported edition, and the problems.

    One line per damaged edition (checked against its manifest; damaged ones are
    left out).
    """
    figures, editions, problems = [], [], []
    for edition in imported_editions():
        try:
            frame, row = read_edition(_editions_dir() / edition, edition)
        except DataError as exc:
            problems.append(f"imported edition {edition} left out: {exc}")
            continue
        figures.append(frame)
        editions.append(row)
    if not figures:
        return pd.DataFrame(), pd.DataFrame(), problems
    return pd.concat(figures, ignore_index=True), pd.DataFrame(editions), problems


def _edition_row(frame: pd.DataFrame, edition: str, workbook: Path, digest: str) -> dict[str, str]:
    units = " ".join(frame["unit"].unique())
    bases = sorted(set(re.findall(r"(20[0-9][0-9]) prices", units)))
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


def _write(path: Path, data: bytes) -> str:
    """Write and flush ``data``; return its SHA-256."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stage(staging: Path, frame: pd.DataFrame, meta: dict[str, Any]) -> None:
    sums = {
        "figures.csv": _write(staging / "figures.csv", frame.to_csv(index=False).encode()),
        "meta.json": _write(staging / "meta.json", json.dumps(meta, indent=2).encode()),
    }
    # Read back through the schema: what is stored is what will be loaded.
    read_csv_validated(staging / "figures.csv", _schema.FIGURES_SCHEMA, _schema.FIGURES_KINDS)
    _write(staging / "MANIFEST.sha256", "".join(f"{h}  {n}\n" for n, h in sums.items()).encode())
    _fsync_dir(staging)


def _swap(staging: Path, target: Path) -> None:
    """Move ``staging`` to ``target``; an existing target comes back if that fails."""
    if not target.exists():
        os.replace(staging, target)
        return
    old = target.with_name(f"{_OLD}{target.name}")
    if old.exists():
        shutil.rmtree(old)
    try:
        os.replace(target, old)
        os.replace(staging, target)
    except BaseException:
        # Whatever was interrupted (an error, SIGTERM), put the old edition back.
        if old.exists() and not target.exists():
            os.replace(old, target)
        raise
    _fsync_dir(target.parent)
    shutil.rmtree(old, ignore_errors=True)


def _store(frame: pd.DataFrame, meta: dict[str, Any], target: Path, replace: bool) -> None:
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with terminate_as_exit(), _lock():
            _recover_locked()
            if target.exists() and not replace:
                raise _replace_needed(target.name)
            staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{target.name}-", dir=folder))
            try:
                _stage(staging, frame, meta)
                _swap(staging, target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            _fsync_dir(folder)
    except _timeout() as exc:
        raise _environment_error()(
            f"edition {target.name}: another import or removal has held {folder} for "
            f"{LOCK_TIMEOUT_S:g} s; try again",
            field="edition",
        ) from exc
    except OSError as exc:
        raise _environment_error()(
            f"TWOTIER_DATA_DIR: cannot store edition {target.name} in {folder}: "
            f"{exc.strerror or exc}",
            field="data_dir",
        ) from exc


def _replace_needed(edition: str) -> InputError:
    return InputError(
        f"replace: edition {edition} was imported before; "
        "pass replace=True (CLI: --replace) to overwrite it",
        field="replace",
    )


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
        ``edition``, ``figures`` (count), ``indicators``, ``years``, ``sha256``,
        ``folder`` and ``replaces_bundled`` (True if a bundled edition of that name is
        now answered by the import, e.g. to complete a partial one; removing the
        import brings the bundled one back).

    Raises
    ------
    InputError
        A bad edition name, an edition month before the last year of figures in the
        workbook, or an edition imported before without ``replace``.
    """
    # The workbook reader imports openpyxl (~85 ms); only an import needs it.
    from twotier.data.nato_workbook import WorkbookError, infer_edition, read_nato_workbook

    workbook = Path(path)
    if edition is None:
        edition = infer_edition(workbook)
        if edition is None:
            raise InputError(
                f"edition: cannot tell the edition from the file name {workbook.name!r}; "
                "give the edition as YYYY-MM (month of NATO's publication)",
                field="edition",
            )
    target = _editions_dir() / _check_edition(edition)
    if target.exists() and not replace:
        raise _replace_needed(edition)
    content = read_user_bytes(workbook, max_bytes=MAX_FILE_BYTES, error=WorkbookError)
    digest = hashlib.sha256(content).hexdigest()
    frame = read_nato_workbook(workbook, edition, content)
    last = int(frame["year"].max()) if len(frame) else None
    if last is not None and int(edition[:4]) < last:
        raise InputError(
            f"edition: {edition} is before the last year of figures in {workbook.name} "
            f"({last}); expected the month NATO published it, {last}-MM or later",
            field="edition",
        )
    meta = {
        "edition": edition,
        "workbook": workbook.name,
        "sha256": digest,
        "imported": datetime.now(UTC).isoformat(timespec="seconds"),
        "figures": len(frame),
        "edition_row": _edition_row(frame, edition, workbook, digest),
    }
    _store(frame, meta, target, replace)
    return {
        "edition": edition,
        "figures": len(frame),
        "indicators": sorted(frame["indicator"].unique()),
        "years": [int(frame["year"].min()), int(frame["year"].max())],
        "sha256": digest,
        "folder": str(target),
        "replaces_bundled": edition in _bundled_edition_names(),
    }


def _bundled_edition_names() -> set[str]:
    from twotier.data._load import bundled_dir
    from twotier.data.nato_csv import read_editions

    return set(read_editions(bundled_dir() / "editions.csv")["edition"])


def remove_edition(edition: str) -> None:
    """Remove an imported edition (the bundled data cannot be removed)."""
    imported = imported_editions()
    if edition not in imported:
        raise UnknownEditionError(
            f"EDITION: {edition!r} is not an imported edition; imported: "
            f"{', '.join(imported) or 'none'}",
            field="edition",
        )
    folder = _editions_dir()
    try:
        with terminate_as_exit(), _lock():
            _recover_locked()
            doomed = folder / f"{_REMOVING}{edition}"
            os.replace(folder / edition, doomed)
            _fsync_dir(folder)
            shutil.rmtree(doomed)
    except (_timeout(), OSError) as exc:
        raise _environment_error()(
            f"edition {edition}: cannot remove it from {folder}: {exc}", field="edition"
        ) from exc


def verify_imported() -> list[dict[str, Any]]:
    """Check every imported edition against its manifest and the schema.

    The leftovers of interrupted runs are reported too (one row each, failing).
    """
    results = [
        {"origin": "imported", "edition": edition, **verify_edition(_editions_dir() / edition)}
        for edition in imported_editions()
    ]
    for name in sorted(_listing()):
        if name.startswith((_STAGING, _OLD, _REMOVING)):
            results.append(
                {
                    "origin": "debris",
                    "edition": name,
                    "ok": False,
                    "detail": "left by an interrupted run; the next import or "
                    "twotier.data.store.clean_debris() removes it",
                }
            )
    return results
