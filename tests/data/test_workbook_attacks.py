"""Hostile and damaged workbooks: refused with one line, quickly, storing nothing.

D11 (malformed XML, entity expansion), D12 (decompression bombs) and fuzzing of the
reader with mutated workbooks.
"""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twotier.data import store
from twotier.data._xlsx_guard import MAX_CELLS, MAX_SHARED_STRINGS, MAX_UNPACKED_BYTES
from twotier.data.nato_workbook import WorkbookError, read_nato_workbook
from twotier.errors import TwotierError

from .test_nato_workbook import GOOD, build_workbook

Edit = Callable[[str, bytes], bytes]


_SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"></sst>'


def rezip(source: Path, target: Path, edit: Edit) -> Path:
    """Copy a workbook, passing each part through ``edit(name, data)`` (an empty
    shared-strings part is added if the workbook has none)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zo:
        names = zin.namelist()
        for info in zin.infolist():
            zo.writestr(info, edit(info.filename, zin.read(info.filename)), zipfile.ZIP_DEFLATED)
        if "xl/sharedStrings.xml" not in names:
            zo.writestr("xl/sharedStrings.xml", edit("xl/sharedStrings.xml", _SST))
    return target


def _with_dtd(data: bytes, dtd: bytes) -> bytes:
    if data.startswith(b"<?xml"):
        end = data.index(b"?>") + 2
        return data[:end] + dtd + data[end:]
    return dtd + data


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    return build_workbook(tmp_path / "good.xlsx", GOOD)


@pytest.fixture()
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-data"
    monkeypatch.setenv("TWOTIER_DATA_DIR", str(folder))
    return folder


def _sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/sheet") and name.endswith(".xml")


def _truncate(name: str, data: bytes) -> bytes:
    return data[: len(data) // 2] if _sheet(name) else data


def _laughs(name: str, data: bytes) -> bytes:
    """A "billion laughs" DTD: each entity expands to ten of the one before."""
    if not _sheet(name):
        return data
    names = "abcdefghi"
    entities = '<!ENTITY a "laugh">' + "".join(
        f'<!ENTITY {names[i + 1]} "{("&" + names[i] + ";") * 10}">' for i in range(8)
    )
    dtd = f"<!DOCTYPE worksheet [{entities}]>".encode()
    return _with_dtd(data, dtd).replace(
        b"<sheetData>", b"<sheetData><row><c><v>&i;</v></c></row>", 1
    )


def _external(name: str, data: bytes) -> bytes:
    if not _sheet(name):
        return data
    dtd = b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return _with_dtd(data, dtd).replace(
        b"<sheetData>", b"<sheetData><row><c><v>&x;</v></c></row>", 1
    )


def _strings_bomb(name: str, data: bytes) -> bytes:
    if name != "xl/sharedStrings.xml":
        return data
    end = data.index(b"</sst>")
    return data[:end] + b"<si><t>x</t></si>" * (MAX_SHARED_STRINGS + 1) + data[end:]


def _cells_bomb(name: str, data: bytes) -> bytes:
    if not _sheet(name):
        return data
    end = data.index(b"</sheetData>")
    row = b'<row r="999">' + b'<c r="A1"/>' * 1000 + b"</row>"  # within the extent limit
    return data[:end] + row * (MAX_CELLS // 1000 + 1) + data[end:]


def _far_cell(name: str, data: bytes) -> bytes:
    """One cell at the last position of a sheet: 17.5 GB in openpyxl (second review, H1)."""
    if not _sheet(name):
        return data
    end = data.index(b"</sheetData>")
    return data[:end] + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' + data[end:]


def _inject(snippet: bytes) -> Edit:
    """Put ``snippet`` at the end of every sheet's data."""

    def edit(name: str, data: bytes) -> bytes:
        if not _sheet(name):
            return data
        end = data.index(b"</sheetData>")
        return data[:end] + snippet + data[end:]

    return edit


#: Ways past a guard that reads attributes with a pattern (second adversarial pass, H1):
#: quoting, spacing and character references are XML's, and rows and cells without
#: ``r`` are placed by counting, as openpyxl does.
FAR_AWAY = {
    "single-quotes": b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "spaces": b'<row r = "1048576"><c r = "XFD1048576"><v>1</v></c></row>',
    "char-refs": b'<row r="&#49;048576"><c r="&#88;FD1048576"><v>1</v></c></row>',
    "long-attributes": b'<row x="' + b"y" * 400 + b'" r="1048576"><c r="A1048576"/></row>',
    "rows-without-r": b"<row/>" * 6_000 + b"<row><c><v>1</v></c></row>",
    "cells-without-r": b"<row>" + b"<c/>" * 600 + b"</row>",
    "lower-case": b'<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>',
}


@pytest.mark.parametrize("snippet", FAR_AWAY.values(), ids=FAR_AWAY.keys())
def test_every_spelling_of_a_far_position_is_refused(
    good: Path, tmp_path: Path, user_dir: Path, snippet: bytes
) -> None:
    hostile = rezip(good, tmp_path / "far.xlsx", _inject(snippet))
    with pytest.raises(WorkbookError, match="refused: a sheet reaches row"):
        store.import_workbook(hostile, "2030-01")
    assert store.imported_editions() == []


def _huge_merge(name: str, data: bytes) -> bytes:
    """A merged range over a large area: openpyxl makes a cell for each merged one."""
    if not _sheet(name):
        return data
    if b"</mergeCells>" in data:
        return data.replace(b"</mergeCells>", b'<mergeCell ref="A200:ZZ60000"/></mergeCells>')
    end = data.index(b"</sheetData>") + len(b"</sheetData>")
    merge = b'<mergeCells count="1"><mergeCell ref="A200:ZZ60000"/></mergeCells>'
    return data[:end] + merge + data[end:]


def _size_bomb(name: str, data: bytes) -> bytes:
    if name != "docProps/app.xml":
        return data
    return data + b" " * (MAX_UNPACKED_BYTES + 1)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_truncate, "not a readable .xlsx workbook"),
        (_laughs, "EntitiesForbidden"),
        (_external, "EntitiesForbidden"),
        (_strings_bomb, "shared strings"),
        (_cells_bomb, "cells"),
        (_size_bomb, "bytes once unpacked"),
        (_far_cell, "reaches row 1,048,576, column 16,384"),
        (_huge_merge, "reaches row 60,000, column 702"),
    ],
    ids=[
        "truncated-xml",
        "entity-expansion",
        "external-entity",
        "strings",
        "cells",
        "size",
        "far-cell",
        "huge-merge",
    ],
)
def test_hostile_workbooks_are_refused_fast(
    good: Path, tmp_path: Path, user_dir: Path, edit: Edit, message: str
) -> None:
    hostile = rezip(good, tmp_path / "hostile.xlsx", edit)
    # Processor time of this process, not wall-clock time: other programs on a busy
    # machine do not count (the import reads in this process, without subprocesses).
    started = time.process_time()
    with pytest.raises(WorkbookError, match=message) as info:
        store.import_workbook(hostile, "2030-01")
    elapsed = time.process_time() - started
    assert "\n" not in str(info.value) and str(info.value).startswith("hostile.xlsx: ")
    assert elapsed < 30  # the unguarded reader took 90 s for the review's strings bomb
    assert store.imported_editions() == []


def test_duplicate_part_names_are_refused(good: Path, tmp_path: Path, user_dir: Path) -> None:
    """Second review, L9: a second 'sheet3.xml' (an empty sheet) imported without Table 3."""
    twice = tmp_path / "twice.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(twice, "w") as zo:
        for info in zin.infolist():
            zo.writestr(info, zin.read(info.filename))
        sheet = next(n for n in zin.namelist() if _sheet(n))
        with pytest.warns(UserWarning, match="Duplicate name"):
            zo.writestr(sheet, b"<worksheet/>")
    with pytest.raises(WorkbookError, match="holds 'xl/worksheets/.*' twice"):
        store.import_workbook(twice, "2030-01")
    assert store.imported_editions() == []


def test_a_worksheet_stored_under_another_name_is_counted_too(
    good: Path, tmp_path: Path, user_dir: Path
) -> None:
    """Cells are counted in every part: moving a sheet out of xl/worksheets/ (its
    relationships updated, so openpyxl still reads it) does not escape the limit."""
    with zipfile.ZipFile(good) as zin:
        names = zin.namelist()
    sheet = next(n for n in names if _sheet(n))
    moved = "xl/zz/" + sheet.rsplit("/", 1)[1]
    hidden = tmp_path / "hidden.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(hidden, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            data = zin.read(info.filename)
            rel = sheet.removeprefix("xl/").encode()
            data = data.replace(b"/" + sheet.encode(), b"/" + moved.encode()).replace(
                rel, moved.removeprefix("xl/").encode()
            )
            if info.filename == sheet:
                zo.writestr(moved, _cells_bomb(sheet, data))
            else:
                zo.writestr(info, data)
    with pytest.raises(WorkbookError, match="more than 250,000 cells"):
        store.import_workbook(hidden, "2030-01")
    assert store.imported_editions() == []


def test_special_files_are_refused_without_blocking(tmp_path: Path, user_dir: Path) -> None:
    fifo = tmp_path / "fifo.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(WorkbookError, match="regular file"):
        store.import_workbook(fifo, "2030-01")
    zero = tmp_path / "zero.xlsx"
    zero.symlink_to("/dev/zero")
    with pytest.raises(WorkbookError, match="regular file"):
        store.import_workbook(zero, "2030-01")
    with pytest.raises(WorkbookError, match="regular file"):
        store.import_workbook(tmp_path, "2030-01")


_PARTS = st.sampled_from(
    ["sheet", "xl/sharedStrings.xml", "xl/workbook.xml", "[Content_Types].xml"]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    part=_PARTS,
    position=st.floats(0, 1),
    cut=st.integers(0, 64),
    insert=st.binary(max_size=24)
    | st.sampled_from([b"<", b"&", b"]]>", b"<c/>", b'<c t="s"><v>99999</v></c>', b"\xff\xfe"]),
)
def test_fuzz_mutated_workbooks(
    good: Path, tmp_path: Path, part: str, position: float, cut: int, insert: bytes
) -> None:
    """Any byte mutation of any part: figures or a one-line WorkbookError/DataError."""

    def mutate(name: str, data: bytes) -> bytes:
        if name == part or (part == "sheet" and _sheet(name)):
            at = int(position * len(data))
            return data[:at] + insert + data[at + cut :]
        return data

    mutated = rezip(good, tmp_path / "m.xlsx", mutate)
    try:
        frame = read_nato_workbook(mutated, "2030-01")
    except TwotierError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    assert set(frame.columns) >= {"iso3", "year", "indicator", "value"}
    assert frame["value"].map(lambda v: v == v and abs(v) < 1e300).all()


@settings(max_examples=30, deadline=None)
@given(st.binary(min_size=0, max_size=2000))
def test_fuzz_bytes_that_are_not_workbooks(tmp_path_factory: pytest.TempPathFactory,
                                           raw: bytes) -> None:  # fmt: skip
    path = tmp_path_factory.mktemp("raw") / "x.xlsx"
    path.write_bytes(b"PK\x03\x04" + raw)
    with pytest.raises(TwotierError) as info:
        read_nato_workbook(path, "2030-01")
    assert "\n" not in str(info.value)
