"""The edition store under failure: no lost edition, no silent damage, no debris.

Reproductions of the reliability review (D02, D09, D10, D13, D18, D19, D24) and the
classes behind them.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pandas as pd
import pytest

import twotier
from twotier.data import NatoData, bundled_dir, load_data, store
from twotier.errors import DataError, InputError

from .test_nato_workbook import GOOD, build_workbook


@pytest.fixture()
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-data"
    monkeypatch.setenv("TWOTIER_DATA_DIR", str(folder))
    return folder


@pytest.fixture()
def workbook(tmp_path: Path) -> Path:
    return build_workbook(tmp_path / "g.xlsx", GOOD)


def _swap(path: Path, make: object) -> None:
    path.unlink()
    make(path)  # type: ignore[operator]


def _visible(user_dir: Path) -> list[str]:
    return sorted(p.name for p in (user_dir / "editions").iterdir() if p.name != ".lock")


@pytest.mark.parametrize(
    "edition", ["2031-01\n", "", " 2031-01", "2031-13", "2031-1", "../x", "２０３１-01", "2031-٠١"]
)
def test_edition_names_are_exactly_yyyy_mm(workbook: Path, user_dir: Path, edition: str) -> None:
    with pytest.raises(InputError, match="expected YYYY-MM"):
        store.import_workbook(workbook, edition)
    assert not (user_dir / "editions").exists()


def test_a_failed_replace_brings_the_old_edition_back(
    workbook: Path, user_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """D02: the second rename of a replace fails (disk full); the old edition stays."""
    store.import_workbook(workbook, "2030-01")
    before = (user_dir / "editions" / "2030-01" / "figures.csv").read_bytes()
    real = os.replace
    calls = []

    def failing(src: object, dst: object) -> None:
        calls.append(src)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(twotier.TwotierError, match="No space left on device") as info:
        store.import_workbook(workbook, "2030-01", replace=True)
    monkeypatch.setattr(os, "replace", real)
    assert "\n" not in str(info.value)
    assert store.imported_editions() == ["2030-01"]
    assert (user_dir / "editions" / "2030-01" / "figures.csv").read_bytes() == before
    assert _visible(user_dir) == ["2030-01"]


def test_a_replace_killed_between_the_renames_is_repaired_on_the_next_run(
    workbook: Path, user_dir: Path
) -> None:
    """The state a kill -9 leaves between the two renames: old edition aside, new staged."""
    store.import_workbook(workbook, "2030-02")
    editions = user_dir / "editions"
    os.replace(editions / "2030-02", editions / ".old-2030-02")
    (editions / ".import-2030-02-x1").mkdir()
    assert store.imported_editions() == ["2030-02"]  # restored on first look
    assert "2030-02" in twotier.edition_names(load_data())
    store.clean_debris()
    assert _visible(user_dir) == ["2030-02"]


def test_debris_is_reported_by_verify_and_removable(workbook: Path, user_dir: Path) -> None:
    store.import_workbook(workbook, "2030-03")
    stale = user_dir / "editions" / ".import-2030-04-abcd"
    stale.mkdir()
    (stale / "figures.csv").write_text("partial")
    rows = [r for r in twotier.verify_data() if r["origin"] == "debris"]
    assert [r["edition"] for r in rows] == [stale.name] and rows[0]["ok"] is False
    assert store.clean_debris() == [
        f"{stale.name}: removed (left by an interrupted import or removal)"
    ]
    assert _visible(user_dir) == ["2030-03"]
    assert not [r for r in twotier.verify_data() if r["origin"] == "debris"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: (f / "meta.json").write_text("{not json"),
        lambda f: (f / "meta.json").write_text("{}"),
        lambda f: (f / "MANIFEST.sha256").unlink(),
        lambda f: (f / "MANIFEST.sha256").write_text("garbled\n"),
        lambda f: (f / "figures.csv").write_text("iso3\nPOL\n"),
        lambda f: (f / "figures.csv").unlink(),
        # Files swapped for a device or a FIFO must neither block nor read without bound.
        lambda f: _swap(f / "figures.csv", lambda p: p.symlink_to("/dev/zero")),
        lambda f: _swap(f / "MANIFEST.sha256", lambda p: p.symlink_to("/dev/zero")),
        lambda f: _swap(f / "meta.json", os.mkfifo),
        lambda f: _swap(f / "figures.csv", lambda p: p.mkdir()),
        lambda f: (f / "meta.json").write_text("[" * 200_000),
    ],
    ids=[
        "meta-not-json",
        "meta-empty",
        "no-manifest",
        "bad-manifest",
        "csv-edited",
        "no-csv",
        "csv-dev-zero",
        "manifest-dev-zero",
        "meta-fifo",
        "csv-folder",
        "meta-deep",
    ],
)
@pytest.mark.timeout(300)  # catches a blocked read (forever), not a slow machine
def test_a_damaged_edition_is_left_out_and_reported(
    workbook: Path, user_dir: Path, damage: object
) -> None:
    """D09, D24: every command keeps working; verify reports the one failing edition."""
    store.import_workbook(workbook, "2030-05")
    store.import_workbook(workbook, "2030-06")
    damage(user_dir / "editions" / "2030-05")  # type: ignore[operator]
    data = load_data()
    assert "2030-05" not in twotier.edition_names(data)
    assert "2030-06" in twotier.edition_names(data)
    assert len(data.problems) == 1 and "2030-05" in data.problems[0]
    assert "\n" not in data.problems[0]
    rows = {r["edition"]: r for r in twotier.verify_data()}
    assert rows["2030-05"]["ok"] is False and rows["2030-06"]["ok"] is True
    assert all(r["ok"] for r in twotier.verify_data() if r["origin"] == "bundled")
    assert len(twotier.coverage("two-tier-2pct", 2024)) == 32


def test_bundled_figures_are_checked_on_load(data_copy: Path) -> None:
    """D10: an edited bundled file is refused when loaded, not only by data verify."""
    path = data_copy / "nato_defence_expenditure.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",4.12,", ",1.12,", 1), encoding="utf-8")
    assert text != path.read_text(encoding="utf-8")
    with pytest.raises(DataError, match="checksum mismatch: nato_defence_expenditure.csv"):
        NatoData.from_folder(data_copy, validate=False)


@pytest.mark.timeout(300)  # catches a blocked read (forever), not a slow machine
def test_bundled_files_swapped_for_devices_are_refused_at_once(data_copy: Path) -> None:
    """A bundled file replaced by /dev/zero or a FIFO: one line, no unbounded read."""
    path = data_copy / "nato_defence_expenditure.csv"
    path.unlink()
    path.symlink_to("/dev/zero")
    with pytest.raises(DataError, match="expected a regular file, found a device"):
        NatoData.from_folder(data_copy, validate=False)
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(DataError, match="expected a regular file"):
        NatoData.from_folder(data_copy, validate=True)


def test_checksum_load_gives_the_frames_the_schema_gives() -> None:
    """Skipping pandera on load loses nothing: same frames, same dtypes."""
    fast = NatoData.from_folder(bundled_dir())
    full = NatoData.from_folder(bundled_dir(), validate=True)
    for name in ("figures", "allies", "aid", "editions"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(full, name))


def test_concurrent_imports_of_one_edition_let_one_win(workbook: Path, user_dir: Path) -> None:
    """D18: without --replace, exactly one of four simultaneous imports succeeds."""
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def run() -> None:
        start.wait()
        try:
            store.import_workbook(workbook, "2041-01")
            outcomes.append("ok")
        except InputError as exc:
            outcomes.append("refused" if "--replace" in str(exc) else str(exc))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert _visible(user_dir) == ["2041-01"]


def test_data_dir_that_is_a_file_is_one_line(workbook: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """D20: TWOTIER_DATA_DIR pointing at a file is named, not a traceback."""
    monkeypatch.setenv("TWOTIER_DATA_DIR", str(workbook))
    assert store.imported_editions() == []
    with pytest.raises(twotier.TwotierError, match="TWOTIER_DATA_DIR") as info:
        store.import_workbook(workbook, "2030-07")
    assert "\n" not in str(info.value)


def test_meta_json_edition_row_must_match(workbook: Path, user_dir: Path) -> None:
    store.import_workbook(workbook, "2030-08")
    folder = user_dir / "editions" / "2030-08"
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["edition_row"]["edition"] == "2030-08"
    assert [r["ok"] for r in store.verify_imported()] == [True]
