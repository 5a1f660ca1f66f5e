"""Importing NATO workbooks: the real 2024 file, synthetic quirks and every error."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import twotier
from twotier.cli import main
from twotier.data import store
from twotier.data.nato_workbook import WorkbookError, infer_edition, read_nato_workbook
from twotier.errors import InputError, UnknownEditionError

from ..conftest import RAW_WORKBOOK


@pytest.fixture()
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-data"
    monkeypatch.setenv("TWOTIER_DATA_DIR", str(folder))
    return folder


@pytest.mark.skipif(not RAW_WORKBOOK.exists(), reason="NATO's 2024 workbook not beside the repo")
def test_real_2024_workbook_equals_the_bundled_edition_cell_for_cell() -> None:
    """NATO, *Defence Expenditure of NATO Countries (2014-2024)*, Excel tables of
    17 June 2024: every figure of the bundled 2024-06 edition (2,519) is read back
    equal at the bundled precision, with the same estimate flag and unit."""
    imported = read_nato_workbook(RAW_WORKBOOK, "2024-06")
    bundled = twotier.load_data(imported=False).figures
    bundled = bundled[bundled["edition"] == "2024-06"]
    merged = bundled.merge(
        imported, on=["iso3", "year", "indicator"], how="left", suffixes=("", "_x")
    )
    assert len(merged) == 2519
    assert merged["value_x"].notna().all()
    assert (merged["value"] == merged["value_x"]).all()
    assert (merged["estimate"] == merged["estimate_x"]).all()
    assert (merged["unit"] == merged["unit_x"]).all()
    assert (merged["ally"] == merged["ally_x"]).all()
    # Provenance down to the cell: Poland 2024e share of GDP is TABLE3!N32 (4.1202).
    pol = imported.query("iso3 == 'POL' and year == 2024 and indicator == 'pct_gdp'")
    assert pol["source"].item().endswith("#TABLE3!N32")
    sheet = openpyxl.load_workbook(RAW_WORKBOOK, data_only=True)["TABLE3"]
    # NATO marks Poland with a footnote asterisk; the reader drops it.
    assert (sheet["C32"].value, round(sheet["N32"].value, 2)) == ("Poland*", 4.12)
    # Broken aggregate rows of Table 8a (#REF!) yield no aggregate equipment share.
    agg = imported.query("indicator == 'equipment_pct' and iso3.str.startswith('NATO')")
    assert agg.empty


@pytest.mark.skipif(not RAW_WORKBOOK.exists(), reason="NATO's 2024 workbook not beside the repo")
def test_import_cli_then_every_command_sees_the_edition(
    user_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", "import", str(RAW_WORKBOOK), "--edition", "2024-07"]) == 0
    capsys.readouterr()
    assert "2024-07" in twotier.edition_names(twotier.load_data())
    frame = twotier.coverage("two-tier-2pct", 2024, "2024-07")
    assert int(frame["covered"].sum()) == 23
    assert main(["data", "import", str(RAW_WORKBOOK), "--edition", "2024-07"]) == 2
    assert "--replace" in capsys.readouterr().err
    assert main(["data", "import", str(RAW_WORKBOOK), "--edition", "2024-07", "--replace"]) == 0
    assert main(["data", "verify", "--format", "csv"]) == 0
    assert "imported,2024-07,True" in capsys.readouterr().out
    assert main(["data", "remove", "2024-07"]) == 0
    assert "2024-07" not in twotier.edition_names(twotier.load_data())


def build_workbook(path: Path, rows: list[list[object]], title: str = "Table 3 : Share") -> Path:
    """A small workbook in NATO's layout: title, merged header, year row, blocks."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TABLE3"
    ws["B4"] = title
    ws["B6"] = "Based on 2021 prices"
    ws.merge_cells("B6:F6")
    ws.append([])
    ws.append([None, None, None, 2023, "2024e", "2025 e"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


GOOD = [
    [None, "Share of real GDP (%)"],
    [None, None, "Lithuania*", 2.71, 2.85, 3.9],
    [None, None, "Slovak Republic 1", "..", 2.0, None],
    [None, None, "Türkiye", 1.31, "2.09", 2.3],
    [None, None, None, "#REF!", "#REF!", "#REF!"],
    [None, "NATO Total", None, 2.5, 2.7, 2.8],
    [None, "Annual real change (%)"],
    [None, None, "Lithuania", 5.0, 10.0, 12.5],
    [None, None, "Notes: Figures for 2024 and 2025 are estimates."],
]


def test_synthetic_workbook_with_nato_quirks(tmp_path: Path) -> None:
    frame = read_nato_workbook(build_workbook(tmp_path / "t.xlsx", GOOD), "2026-07")
    got = {(r.iso3, r.year, r.indicator): (r.value, r.estimate) for r in frame.itertuples()}
    assert got[("LTU", 2025, "pct_gdp")] == (3.9, True)
    assert got[("LTU", 2023, "pct_gdp")] == (2.71, False)
    assert ("SVK", 2023, "pct_gdp") not in got  # ".." is missing, not zero
    assert ("SVK", 2025, "pct_gdp") not in got  # empty cell
    assert got[("SVK", 2024, "pct_gdp")] == (2.0, True)
    assert got[("TUR", 2024, "pct_gdp")] == (2.09, True)  # number stored as text
    assert got[("NATO_TOTAL", 2024, "pct_gdp")] == (2.7, True)
    assert got[("LTU", 2024, "real_change_pct")] == (10.0, True)
    assert len(frame) == 13
    units = set(frame["unit"])
    assert "percent of GDP (NATO Table 3, share of real GDP at 2021 prices)" in units
    assert set(frame["ally"]) == {"Lithuania", "Slovak Republic", "Türkiye", "NATO Total"}


def test_core_defence_title_is_kept_in_the_unit(tmp_path: Path) -> None:
    path = build_workbook(
        tmp_path / "c.xlsx", GOOD[:3], title="Table 3 : Core defence expenditure as a share"
    )
    unit = read_nato_workbook(path, "2026-07")["unit"].iloc[0]
    assert unit.startswith("percent of GDP (NATO Table 3, core defence expenditure")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [[None, "Share of real GDP (%)"], [None, None, "Lithuania", 2.7, "abc", 3.0]],
            "TABLE3!E10: expected a number, '..' or an empty cell, found 'abc'",
        ),
        (
            [[None, "Share of real GDP (%)"], [None, None, "Atlantis", 2.7, 2.8, 3.0]],
            "TABLE3!C10: unknown ally name 'Atlantis'",
        ),
        (
            [
                [None, "Share of real GDP (%)"],
                [None, None, "Poland", 2.7, 2.8, 3.0],
                [None, None, "Poland", 2.7, 2.8, 3.0],
            ],
            "appears twice",
        ),
    ],
)
def test_unreadable_cells_name_sheet_and_cell(
    tmp_path: Path, rows: list[list[object]], message: str
) -> None:
    with pytest.raises(WorkbookError) as info:
        read_nato_workbook(build_workbook(tmp_path / "bad.xlsx", rows), "2026-07")
    assert message in str(info.value)


def test_not_a_workbook_and_no_tables(tmp_path: Path) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("not a zip")
    with pytest.raises(WorkbookError, match=r"notes.xlsx: not an Excel .xlsx workbook"):
        read_nato_workbook(text, "2025-08")
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    with pytest.raises(WorkbookError, match="no NATO table found"):
        read_nato_workbook(empty, "2025-08")
    with pytest.raises(WorkbookError, match="file not found"):
        read_nato_workbook(tmp_path / "absent.xlsx", "2025-08")


def test_failed_import_stores_nothing(tmp_path: Path, user_dir: Path) -> None:
    bad = build_workbook(
        tmp_path / "bad.xlsx", [[None, "Share of real GDP (%)"], [None, None, "Poland", "x?", 1, 1]]
    )
    with pytest.raises(WorkbookError):
        store.import_workbook(bad, "2025-08")
    editions = user_dir / "editions"
    assert not editions.exists() or list(editions.iterdir()) == []
    assert store.imported_editions() == []


def test_import_validates_through_the_schema(tmp_path: Path, user_dir: Path) -> None:
    """A share of GDP of 40% is out of the schema's plausible range: refused, not stored."""
    rows: list[list[object]] = [
        [None, "Share of real GDP (%)"],
        [None, None, "Poland", 40, 1, 1],
    ]
    implausible = build_workbook(tmp_path / "x.xlsx", rows)
    with pytest.raises(twotier.DataError, match="figures.csv: line 2, column 'value'"):
        store.import_workbook(implausible, "2025-08")
    assert store.imported_editions() == []


def test_a_gdp_of_zero_is_refused(tmp_path: Path, user_dir: Path) -> None:
    """Second review, M6: a GDP of 0 made Poland's shortfall 0.0 instead of unknown."""
    rows: list[list[object]] = [
        [None, "Current prices (billion US dollars)"],
        [None, None, "Poland", 0, 900, 950],
    ]
    book = build_workbook(tmp_path / "g0.xlsx", rows, title="Table 5 : Gross domestic product")
    with pytest.raises(twotier.DataError, match="figures.csv: line 2, column 'value'"):
        store.import_workbook(book, "2025-08")
    assert store.imported_editions() == []


@pytest.mark.parametrize("edition", ["2024-12", "0000-01", "1900-01"])
def test_an_edition_before_its_last_year_of_figures_is_refused(
    tmp_path: Path, user_dir: Path, edition: str
) -> None:
    """Second review, M5: edition 2023-07 then served 2024 figures as 'edition 2023-07'."""
    book = build_workbook(tmp_path / "g.xlsx", GOOD)  # figures for 2023-2025
    with pytest.raises(InputError, match=f"edition: {edition} is before the last year"):
        store.import_workbook(book, edition)
    assert store.imported_editions() == []
    assert store.import_workbook(book, "2025-01")["replaces_bundled"] is False
    assert store.import_workbook(book, "2025-08")["replaces_bundled"] is True


def test_imported_edition_replaces_a_bundled_one_of_the_same_name(
    tmp_path: Path, user_dir: Path
) -> None:
    store.import_workbook(build_workbook(tmp_path / "g.xlsx", GOOD), "2025-08")
    data = twotier.load_data()
    rows = data.figures[data.figures["edition"] == "2025-08"]
    assert set(rows["iso3"]) == {"LTU", "SVK", "TUR", "NATO_TOTAL"}
    meta = data.editions.set_index("edition").loc["2025-08"]
    assert meta["origin"] == "imported"
    assert (
        twotier.coverage("two-tier-2pct", 2025, "2025-08")
        .set_index("iso3")
        .loc["LTU", "retrieved_from"]
        .startswith("xlsx:g.xlsx#TABLE3!")
    )
    store.remove_edition("2025-08")
    assert len(twotier.load_data().figures.query("edition == '2025-08'")) == 221


def test_edition_inference_and_errors(tmp_path: Path, user_dir: Path) -> None:
    assert infer_edition("240617-def-exp-2024-TABLES-en.xlsx") == "2024-06"
    assert infer_edition("def-exp-2025-en.xlsx") is None
    good = build_workbook(tmp_path / "def-exp-2025-en.xlsx", GOOD)
    with pytest.raises(InputError, match="edition: cannot tell the edition"):
        store.import_workbook(good)
    with pytest.raises(InputError, match="expected YYYY-MM"):
        store.import_workbook(good, "2025-8")
    with pytest.raises(UnknownEditionError, match="imported: none"):
        store.remove_edition("2024-06")


def test_verify_detects_a_tampered_import(tmp_path: Path, user_dir: Path) -> None:
    store.import_workbook(build_workbook(tmp_path / "g.xlsx", GOOD), "2025-09")
    figures = user_dir / "editions" / "2025-09" / "figures.csv"
    figures.write_text(figures.read_text().replace("3.9", "3.8"))
    rows = {r["edition"]: r for r in twotier.verify_data() if r["origin"] == "imported"}
    assert rows["2025-09"]["ok"] is False
    assert "checksum mismatch: figures.csv" in rows["2025-09"]["detail"]
    assert all(r["ok"] for r in twotier.verify_data() if r["origin"] == "bundled")
