"""Checked data is read once: the bytes whose checksum is verified are the bytes parsed.

The bundled files are checked against ``MANIFEST.sha256`` on every load (issue #14);
the load reads each file it needs once, hashes those bytes and parses the same bytes,
so a file swapped between the check and the read cannot slip in. Files the manifest
lists that a load does not need (``SOURCES.md``, ``README.md``) are not read by it;
``verify_manifest`` (``twotier data verify``) still checks every one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from twotier.data import NatoData, _integrity, verify_manifest
from twotier.errors import DataError

NEEDED = {"nato_defence_expenditure.csv", "allies.csv", "ukraine_aid.csv", "editions.csv"}


def _frames(data: NatoData) -> list[pd.DataFrame]:
    return [data.figures, data.allies, data.editions, data.aid]


def test_each_needed_file_is_read_once_and_parsed_from_the_checked_bytes(
    data: NatoData, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: Counter[str] = Counter()
    read = _integrity.read_data_bytes

    def counted(path: Path, *args: object) -> bytes:
        reads[Path(path).name] += 1
        return read(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(_integrity, "read_data_bytes", counted)
    monkeypatch.setattr("twotier.data._load.read_data_bytes", counted)
    loaded = NatoData.from_folder(data_copy, validate=False)
    assert reads == Counter({**dict.fromkeys(NEEDED, 1), "MANIFEST.sha256": 1})
    for got, bundled in zip(_frames(loaded), _frames(data), strict=True):
        pd.testing.assert_frame_equal(got, bundled, check_exact=True)


def test_a_listed_file_the_load_does_not_need_is_not_read_but_verify_still_checks_it(
    data_copy: Path,
) -> None:
    (data_copy / "README.md").unlink()
    os.mkfifo(data_copy / "README.md")  # reading it would block or fail
    (data_copy / "SOURCES.md").write_text("edited\n", encoding="utf-8")
    NatoData.from_folder(data_copy, validate=False)  # loads
    with pytest.raises(DataError, match="README.md"):
        verify_manifest(data_copy)  # the FIFO is refused at once, never read
    (data_copy / "README.md").unlink()
    assert dict(verify_manifest(data_copy))["SOURCES.md"] is False


@pytest.mark.parametrize("name", sorted(NEEDED))
def test_a_changed_needed_file_still_stops_the_load(data_copy: Path, name: str) -> None:
    path = data_copy / name
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(DataError, match=f"checksum mismatch: {name} changed"):
        NatoData.from_folder(data_copy, validate=False)


def test_a_fifo_in_place_of_editions_csv_is_refused_at_once(data_copy: Path) -> None:
    """A user folder's editions.csv is read like every data file: a regular file only
    (it was handed to pandas by path, and a FIFO there blocked the load for ever)."""
    (data_copy / "editions.csv").unlink()
    os.mkfifo(data_copy / "editions.csv")
    code = (
        "import twotier\nfrom twotier.errors import DataError\n"
        f"try:\n    twotier.load_data({str(data_copy)!r})\n"
        "except DataError as exc:\n    print(exc)"
    )
    done = subprocess.run(  # in a process of its own: a regression would block, not hang CI
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert "editions.csv: expected a regular file" in done.stdout
