"""Checks on an ``.xlsx`` file before any XML in it is parsed.

An ``.xlsx`` workbook is a zip archive of XML parts. A small archive can expand to
gigabytes (a "zip bomb"), or hold millions of tiny shared strings or cells that
openpyxl would all keep in memory. :func:`check_xlsx` streams every part once,
counting the bytes actually decompressed (not the sizes the archive declares) and
the shared strings and cells, and stops as soon as a limit is passed.

Entity expansion ("billion laughs") and external entities are refused by
``defusedxml``, which openpyxl uses when it is installed (it is a dependency of
twotier; :func:`check_xlsx` asserts that openpyxl picked it up).

The limits are far above NATO's workbooks (the 2024 edition: 0.2 MB file, 0.8 MB
unpacked, 16,000 cells, 124 shared strings) and far below what exhausts memory.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Mapping

from twotier.errors import DataError

__all__ = [
    "MAX_CELLS",
    "MAX_FILE_BYTES",
    "MAX_PARTS",
    "MAX_SHARED_STRINGS",
    "MAX_UNPACKED_BYTES",
    "check_xlsx",
]

#: Largest workbook file accepted.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Most parts (files) inside the archive.
MAX_PARTS = 2_000
#: Most bytes of all parts together once decompressed.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
#: Most shared strings (``<si>`` entries, counted in every part of the archive).
MAX_SHARED_STRINGS = 200_000
#: Most cells (``<c>`` elements, counted in every part, wherever a worksheet is
#: stored). NATO's 2024 workbook holds about 16,000; 250,000 imports in seconds.
MAX_CELLS = 250_000

#: Furthest row and column a cell, a row, a merged range or a hyperlink may name.
#: openpyxl pads every row to the widest and creates a cell for each merged one, so
#: one cell at XFD1048576 or a merge over a whole sheet costs memory by extent, not
#: count. NATO's 2024 tables reach row 97 and column 46 (AT). (Whole-column ranges
#: of conditional formats and the ``dimension`` element cost nothing and are not
#: counted.)
MAX_ROWS = 5_000
MAX_COLUMNS = 500

_CHUNK = 1024 * 1024
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,30}:)?c[\s/>]")
_STRING = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,30}:)?si[\s/>]")
_REF_ATTR = re.compile(
    rb'<(?:[A-Za-z_][\w.\-]{0,30}:)?(?:c|row|mergeCell|hyperlink)\s[^>]{0,300}?\br(?:ef)?="([^"]{1,100})"'
)
_CELL_REF = re.compile(rb"\$?([A-Z]{1,4})\$?([0-9]{1,8})")
_OVERLAP = 420  # longer than any match of the patterns above


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _extent(buffer: bytes) -> tuple[int, int]:
    """Furthest (row, column) named by a cell, row, merged range or hyperlink."""
    far_row = far_col = 0
    for attr in _REF_ATTR.finditer(buffer):
        value = attr.group(1)
        if value.isdigit():  # <row r="12">
            far_row = max(far_row, int(value))
            continue
        for ref in _CELL_REF.finditer(value):
            far_col = max(far_col, _column(ref.group(1)))
            far_row = max(far_row, int(ref.group(2)))
    return far_row, far_col


class _Budget:
    def __init__(self, name: str) -> None:
        self.name = name
        self.unpacked = 0
        self.cells = 0
        self.strings = 0
        self.row = 0
        self.column = 0

    def reach(self, row: int, column: int) -> None:
        self.row = max(self.row, row)
        self.column = max(self.column, column)

    def fail(self, what: str, limit: int) -> DataError:
        return DataError(
            f"{self.name}: refused: the workbook holds more than {limit:,} {what} "
            "(NATO's workbooks hold far fewer); not imported",
            field="file",
        )


def _count(pattern: re.Pattern[bytes], buffer: bytes, stop: int) -> int:
    return sum(1 for m in pattern.finditer(buffer) if m.start() < stop)


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> None:
    """Count unpacked bytes, cells and shared strings of one part, whatever its name.

    Every part is counted, not only ``xl/worksheets/*.xml`` and
    ``xl/sharedStrings.xml``: the relationships of a workbook can place a worksheet
    or the shared strings under any name, and openpyxl follows them.
    """
    carry = b""
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            budget.unpacked += len(chunk)
            if budget.unpacked > MAX_UNPACKED_BYTES:
                raise budget.fail("bytes once unpacked", MAX_UNPACKED_BYTES)
            buffer = carry + chunk
            stop = max(len(buffer) - _OVERLAP, 0)
            budget.cells += _count(_CELL, buffer, stop)
            budget.strings += _count(_STRING, buffer, stop)
            budget.reach(*_extent(buffer))
            carry = buffer[stop:]
            _check(budget)
        if carry:
            budget.cells += _count(_CELL, carry, len(carry))
            budget.strings += _count(_STRING, carry, len(carry))
            budget.reach(*_extent(carry))
    _check(budget)


def _check(budget: _Budget) -> None:
    if budget.row > MAX_ROWS or budget.column > MAX_COLUMNS:
        raise DataError(
            f"{budget.name}: refused: a sheet reaches row {budget.row:,}, column "
            f"{budget.column:,}; expected at most row {MAX_ROWS:,}, column {MAX_COLUMNS} "
            "(NATO's tables fit in about 100 rows and 50 columns); not imported",
            field="file",
        )
    if budget.cells > MAX_CELLS:
        raise budget.fail("cells", MAX_CELLS)
    if budget.strings > MAX_SHARED_STRINGS:
        raise budget.fail("shared strings", MAX_SHARED_STRINGS)


def _coordinate(text: str) -> tuple[int, int] | None:
    """(row, column) of a cell reference such as ``XFD1048576`` (``$`` allowed)."""
    m = _CELL_REF.fullmatch(text.strip().upper().encode("ascii", "replace"))
    return None if m is None else (int(m.group(2)), _column(m.group(1)))


class _Positions:
    """Row and column counters kept the way openpyxl's sheet reader keeps them.

    A ``<row>`` without ``r`` is the row after the last one; a ``<c>`` without ``r``
    the column after the last one. Merged ranges and hyperlinks reach their far
    corner. Attribute quoting, spacing and character references are the XML
    parser's business, so they cannot hide a position.
    """

    def __init__(self, budget: _Budget) -> None:
        self.budget = budget
        self.row = 0
        self.column = 0

    def see(self, tag: str, attrs: Mapping[str, str]) -> None:
        local = tag.rsplit("}", 1)[-1]
        if local == "row":
            r = attrs.get("r")
            self.row = int(r) if r is not None and r.strip().isdigit() else self.row + 1
            self.column = 0
            self.budget.reach(self.row, 0)
        elif local == "c":
            where = _coordinate(attrs.get("r", "")) if "r" in attrs else None
            if where is None:
                self.column += 1
            else:
                self.row, self.column = max(self.row, where[0]), where[1]
            self.budget.reach(self.row, self.column)
        elif local in ("mergeCell", "hyperlink"):
            for end in attrs.get("ref", "").split(":"):
                where = _coordinate(end)
                if where is not None:
                    self.budget.reach(*where)
        else:
            return
        _check(self.budget)


def _walk_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> None:
    """Walk one XML part with defusedxml's streaming parser, tracking positions.

    A part that does not parse is left to the workbook reader, which refuses it with
    its own message (the same parser, the same error).
    """
    from defusedxml.ElementTree import iterparse

    positions = _Positions(budget)
    try:
        with archive.open(info) as part:
            for event, element in iterparse(part, events=("start", "end")):
                if event == "start":
                    positions.see(element.tag, element.attrib)
                else:
                    element.clear()  # bounded memory whatever the part holds
    except DataError:
        raise
    except Exception:  # malformed XML: the workbook reader refuses it with its message
        return


def check_xlsx(content: bytes, name: str) -> None:
    """Refuse a workbook that is not a zip or holds too much once unpacked.

    Parameters
    ----------
    content
        The bytes of the file (read with a size limit by the caller).
    name
        The file name, for messages.

    Raises
    ------
    DataError
        One line naming the file and the limit passed.
    """
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise DataError("defusedxml is not installed: refusing to parse workbooks", field="file")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise _Budget(name).fail("parts", MAX_PARTS)
            names = [info.filename for info in infos]
            if len(set(names)) != len(names):  # which copy a reader takes is undefined
                twice = next(n for n in names if names.count(n) > 1)
                raise DataError(
                    f"{name}: refused: the archive holds {twice!r} twice; not imported",
                    field="file",
                )
            budget = _Budget(name)
            for info in infos:
                _scan_part(archive, info, budget)
            for info in infos:  # sizes are bounded now; walk the XML as a reader will
                if info.filename.endswith(".xml"):
                    _walk_part(archive, info, budget)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise DataError(
            f"{name}: not an Excel .xlsx workbook (damaged zip: {exc})", field="file"
        ) from exc
