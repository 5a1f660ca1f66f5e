"""Read and validate the data files (the only module of the package that reads files).

Every CSV is read as text, converted column by column (a cell that is not a number
or a boolean is reported with its line and column), then validated against its
pandera schema. Any failure raises :class:`twotier.errors.DataError` with one line
naming the file, the CSV line and the column.
"""

from __future__ import annotations

import io
import itertools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from twotier.data import _schema
from twotier.data._integrity import check_manifest, read_data_bytes, verify_manifest
from twotier.errors import DataError

if TYPE_CHECKING:
    import pandera.errors as pa_errors
    import pandera.pandas as pa

__all__ = [
    "NatoData",
    "bundled_dir",
    "read_csv_checked",
    "read_csv_validated",
    "verify_manifest",
]

logger = logging.getLogger("twotier")

#: The data files of a folder, their column kinds, and whether the schema applies.
_KINDS = {
    "figures": _schema.FIGURES_KINDS,
    "allies": _schema.ALLIES_KINDS,
    "aid": _schema.AID_KINDS,
}
_FILES = {
    "figures": "nato_defence_expenditure.csv",
    "allies": "allies.csv",
    "aid": "ukraine_aid.csv",
}

_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}


def bundled_dir() -> Path:
    """Return the folder of the data files shipped in the package."""
    return Path(str(resources.files("twotier.data") / "files"))


def _line(index: int) -> int:
    # Row 0 of the frame is line 2 of the CSV file (line 1 is the header).
    return int(index) + 2


def _convert(raw: pd.DataFrame, kinds: Mapping[str, str], name: str) -> pd.DataFrame:
    frame = raw.copy()
    for column, kind in kinds.items():
        if column not in frame.columns:
            continue  # reported by the schema (strict columns)
        text = frame[column].str.strip()
        if kind in ("int", "float"):
            numbers = pd.to_numeric(text, errors="coerce")
            bad = numbers.isna() & (text != "")
            bad |= text == ""
            if kind == "int":
                bad |= numbers.notna() & (numbers % 1 != 0)
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise DataError(
                    f"{name}: line {_line(i)}, column {column!r}: expected a number, "
                    f"found {raw[column].iloc[i]!r}",
                    field=column,
                )
            frame[column] = numbers.astype("int64" if kind == "int" else "float64")
        else:
            allowed = _TRUE | _FALSE | ({""} if kind == "bool?" else set())
            bad = ~text.isin(allowed)
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise DataError(
                    f"{name}: line {_line(i)}, column {column!r}: expected true or false"
                    f"{' or empty' if kind == 'bool?' else ''}, found {raw[column].iloc[i]!r}",
                    field=column,
                )
            mapped = text.map(lambda s: True if s in _TRUE else (False if s in _FALSE else pd.NA))
            frame[column] = mapped.astype("boolean" if kind == "bool?" else "bool")
    return frame


#: The column a frame-wide check is about, for error messages.
_CHECK_COLUMN = {"unit_matches_indicator": "unit", "value_in_plausible_range": "value"}


def _describe_failure(exc: pa_errors.SchemaErrors, name: str) -> str:
    cases = exc.failure_cases
    # Column checks first (they name their column), then frame-wide ones; earliest row.
    order = cases.assign(
        _frame=cases["schema_context"].ne("Column"),
        _row=pd.to_numeric(cases["index"], errors="coerce").fillna(-1),
    ).sort_values(["_frame", "_row"], kind="stable")
    first = order.iloc[0]
    column = _CHECK_COLUMN.get(str(first.get("check")), first.get("column"))
    if first.get("schema_context") != "Column" and str(first.get("check")) in _CHECK_COLUMN:
        index = first.get("index")
        found = exc.data.at[int(index), column] if pd.notna(index) else None
        more = (
            f" ({len(order.drop_duplicates('index')) - 1} more rows fail)" if len(order) > 1 else ""
        )
        return (
            f"{name}: line {_line(int(index))}, column {column!r}: failed check "
            f"{first.get('check')}, found {found!r}{more}"
        )
    index = first.get("index")
    check = first.get("check")
    found = first.get("failure_case")
    where = f"line {_line(int(index))}" if pd.notna(index) else "whole file"
    col = f", column {column!r}" if isinstance(column, str) and column != name else ""
    more = f" ({len(cases) - 1} more failures)" if len(cases) > 1 else ""
    return f"{name}: {where}{col}: failed check {check!s}, found {found!r}{more}"


def _read_raw(path: Path, content: bytes | None = None) -> pd.DataFrame:
    name = path.name
    if content is None:
        if not path.exists() and not path.is_symlink():
            raise DataError(f"{name}: data file not found at {path}", field=name)
        content = read_data_bytes(path)  # a regular file, bounded: never a FIFO or /dev/zero
    raw = content
    try:
        return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"{name}: not a readable CSV file: {first}", field=name) from exc


def _check_header(raw: pd.DataFrame, expected: list[str], name: str) -> None:
    if list(raw.columns) != expected:
        missing = [c for c in expected if c not in raw.columns]
        extra = [c for c in raw.columns if c not in expected]
        raise DataError(
            f"{name}: line 1 (header): expected columns {expected}, "
            f"missing {missing}, unexpected {extra}",
            field=name,
        )


def read_csv_checked(path: Path, kind: str, content: bytes | None = None) -> pd.DataFrame:
    """Read a data file whose checksum was verified: typed columns, no schema run.

    ``kind`` is ``figures``, ``allies`` or ``aid``; ``content`` is the file's bytes
    as checked (:func:`check_manifest` returns them), else the file is read. The
    columns are converted as in :func:`read_csv_validated` (a bad cell still raises
    :class:`DataError`).
    """
    raw = _read_raw(path, content)
    if kind == "figures":
        _check_header(raw, list(_FIGURES_COLUMNS), path.name)
    return _convert(raw, _KINDS[kind], path.name)


#: Columns of the figures files, in order (checked before the schema runs).
_FIGURES_COLUMNS = (
    "iso3",
    "ally",
    "year",
    "indicator",
    "value",
    "unit",
    "edition",
    "estimate",
    "source",
)


def read_csv_validated(
    path: Path, schema: pa.DataFrameSchema, kinds: Mapping[str, str]
) -> pd.DataFrame:
    """Read one CSV file and validate it against ``schema``.

    Raises
    ------
    DataError
        The file is missing, is not CSV, or fails the schema. The message names
        the file, the CSV line and the column.
    """
    import pandera.errors as pa_errors

    name = path.name
    raw = _read_raw(path)
    _check_header(raw, list(schema.columns), name)
    frame = _convert(raw, kinds, name)
    try:
        return schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        raise DataError(_describe_failure(exc, name), field=name) from exc


_VERSIONS = itertools.count(1)


@dataclass(frozen=True)
class NatoData:
    """The validated data the engines work on.

    Attributes
    ----------
    figures : DataFrame
        NATO figures, tidy: ``iso3, ally, year, indicator, value, unit, edition,
        estimate, source`` (see the bundled ``SOURCES.md``).
    allies : DataFrame
        One row per member (32), Iceland included.
    editions : DataFrame
        One row per report edition: ``edition, title, published, basis,
        price_base, completeness, note, origin`` (``bundled`` or ``imported``).
    aid : DataFrame
        Kiel Institute Ukraine Support Tracker figures.
    problems : tuple of str
        One line per imported edition left out because it is damaged (see
        ``twotier data verify``); also logged as a warning on the ``twotier`` logger.
    """

    figures: pd.DataFrame
    allies: pd.DataFrame
    editions: pd.DataFrame
    aid: pd.DataFrame
    problems: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_version", next(_VERSIONS))

    @property
    def version(self) -> int:
        """A number no other data set loaded in this process has: a safe cache key.

        Unlike ``id()``, it is never reused after a data set is freed (a reused
        address could otherwise replay answers drawn from older figures).
        """
        return int(self._version)  # type: ignore[attr-defined]

    def __hash__(self) -> int:  # frames are not hashable; identity is enough for caches
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    @classmethod
    def from_folder(cls, folder: Path, *, validate: bool | None = None) -> NatoData:
        """Read the four data files of a folder (one reader per source).

        ``validate`` runs the pandera schemas. By default it runs for any folder
        but the bundled one, whose files are checked against their manifest
        instead (they were validated when released; ``twotier data verify`` runs
        the schemas on them too). An edited bundled file raises :class:`DataError`.
        """
        from twotier.data.kiel import cite_kiel_aid, read_kiel_aid
        from twotier.data.nato_csv import read_editions, read_nato_figures

        if validate is None:
            validate = folder.resolve() != bundled_dir().resolve()
        if validate:
            figures = read_nato_figures(folder / _FILES["figures"])
            allies = read_csv_validated(
                folder / _FILES["allies"], _schema.ALLIES_SCHEMA, _schema.ALLIES_KINDS
            )
            aid = read_kiel_aid(folder / _FILES["aid"])
            editions = read_editions(folder / "editions.csv")
        else:
            checked = check_manifest(
                folder,
                (*_FILES.values(), "editions.csv"),
                "bundled data",
                "the figures shipped with twotier were edited; reinstall twotier",
            )
            figures, allies, aid = (
                read_csv_checked(folder / _FILES[k], k, checked[_FILES[k]]) for k in _FILES
            )
            aid = cite_kiel_aid(aid)
            editions = read_editions(folder / "editions.csv", checked["editions.csv"])
        unknown = sorted(set(figures["edition"]) - set(editions["edition"]))
        if unknown:
            raise DataError(
                f"editions.csv: editions {unknown} appear in nato_defence_expenditure.csv "
                "but are not described",
                field="edition",
            )
        return cls(figures=figures, allies=allies, editions=editions, aid=aid)
