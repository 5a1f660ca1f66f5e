"""The data layer: manifest, schema errors on damaged copies, editions."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest

import twotier
from twotier.data import NatoData, bundled_dir, verify_manifest
from twotier.errors import DataError


def test_manifest_matches_every_bundled_file() -> None:
    results = verify_manifest(bundled_dir())
    assert {name for name, _ in results} == {
        "nato_defence_expenditure.csv",
        "allies.csv",
        "ukraine_aid.csv",
        "editions.csv",
        "military_expenditure.csv",
        "SOURCES.md",
        "README.md",
    }
    assert all(ok for _, ok in results)


def test_manifest_detects_a_changed_file(data_copy: Path) -> None:
    path = data_copy / "allies.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2.377", "2.378"), encoding="utf-8")
    assert dict(verify_manifest(data_copy))["allies.csv"] is False


def test_manifest_digests_are_sha256(data_copy: Path) -> None:
    line = (data_copy / "MANIFEST.sha256").read_text().splitlines()[0]
    digest, name = line.split()
    assert hashlib.sha256((data_copy / name).read_bytes()).hexdigest() == digest


def test_bundled_data_has_the_documented_rows(data: NatoData) -> None:
    """SOURCES.md, "Rows per edition and indicator": 5,852 figure rows; 32 allies;
    editions 2023-07 ... 2026-07 (2025-08 extended to 221 rows, 2026-07 complete)."""
    assert len(data.figures) == 5852
    assert len(data.allies) == 32
    assert twotier.edition_names(data) == [
        "2023-07",
        "2024-03",
        "2024-06",
        "2025-04",
        "2025-08",
        "2026-07",
    ]
    assert data.figures.groupby("edition").size().to_dict() == {
        "2023-07": 66,
        "2024-03": 39,
        "2024-06": 2519,
        "2025-04": 30,
        "2025-08": 221,
        "2026-07": 2977,
    }


def _damage(folder: Path, line: int, column: str, value: str) -> None:
    path = folder / "nato_defence_expenditure.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.mark.parametrize(
    ("line", "column", "value", "expected"),
    [
        (5, "value", "two", "line 5, column 'value': expected a number, found 'two'"),
        (7, "year", "2024.5", "line 7, column 'year': expected a number"),
        (9, "estimate", "maybe", "line 9, column 'estimate': expected true or false"),
        (11, "iso3", "XKX", "line 11, column 'iso3'"),
        (13, "indicator", "pct_gnp", "line 13, column 'indicator'"),
        (15, "value", "99", "line 15"),  # 99% of GDP: out of the plausible range
        (17, "edition", "2024-13", "line 17, column 'edition'"),
        (19, "source", "not a url", "line 19, column 'source'"),
        (21, "unit", "furlongs", "line 21"),
    ],
)
def test_damaged_figures_name_file_line_and_column(
    data_copy: Path, line: int, column: str, value: str, expected: str
) -> None:
    _damage(data_copy, line, column, value)
    with pytest.raises(DataError) as info:
        NatoData.from_folder(data_copy)
    message = str(info.value)
    assert message.startswith("nato_defence_expenditure.csv: ")
    assert expected in message
    assert "\n" not in message


def test_duplicate_key_is_rejected(data_copy: Path) -> None:
    path = data_copy / "nato_defence_expenditure.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    with pytest.raises(DataError, match=r"nato_defence_expenditure.csv: line \d+.*iso3"):
        NatoData.from_folder(data_copy)


def test_missing_column_is_rejected(data_copy: Path) -> None:
    path = data_copy / "allies.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="population_m")
    frame.to_csv(path, index=False)
    with pytest.raises(
        DataError, match=r"allies.csv: line 1 \(header\).*missing \['population_m'\]"
    ):
        NatoData.from_folder(data_copy)


def test_missing_member_is_rejected(data_copy: Path) -> None:
    path = data_copy / "allies.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(DataError, match="allies.csv: whole file: failed check all_32_members"):
        NatoData.from_folder(data_copy)


def test_missing_file_is_named(data_copy: Path) -> None:
    (data_copy / "ukraine_aid.csv").unlink()
    with pytest.raises(DataError, match="ukraine_aid.csv: data file not found"):
        NatoData.from_folder(data_copy)


def test_latest_takes_the_newest_edition_per_figure(data: NatoData) -> None:
    """Romania 2023: 2.44 (2023-07), 1.60 (2024-03), 1.60 (2024-06), 1.61 (2026-07,
    core basis, SOURCES.md D9): latest is the complete 2026-07 edition."""
    rows = twotier.select_figures(
        data, allies=["ROU", "GBR"], years=[2023, 2024], indicators=["pct_gdp"]
    )
    got = {(r.iso3, r.year): (r.value, r.edition) for r in rows.itertuples()}
    assert got[("ROU", 2023)] == (1.61, "2026-07")
    assert {e for (_, _), (_, e) in got.items()} == {"2026-07"}


def test_latest_falls_back_to_an_older_edition_for_a_missing_figure(data: NatoData) -> None:
    """A figure the newest edition lacks comes from the newest edition that has it."""
    from tests.conftest import make_data

    small = make_data(
        [
            ("ROU", 2023, "pct_gdp", 1.60, "2024-06"),
            ("ROU", 2024, "pct_gdp", 2.26, "2025-04"),
            ("ROU", 2023, "pct_gdp", 1.61, "2026-07"),
        ],
        data,
    )
    rows = twotier.select_figures(small, allies=["ROU"], indicators=["pct_gdp"])
    got = {r.year: (r.value, r.edition) for r in rows.itertuples()}
    assert got == {2023: (1.61, "2026-07"), 2024: (2.26, "2025-04")}


def test_explicit_edition_never_borrows_from_another(data: NatoData) -> None:
    """Spain 2024 is in 2024-06 and 2026-07 but not in 2025-08: unknown under 2025-08."""
    frame = twotier.coverage("two-tier-2pct", 2024, "2025-08", data=data).set_index("iso3")
    assert pd.isna(frame.loc["ESP", "value"])
    assert pd.isna(frame.loc["ESP", "tier"])
    assert frame.loc["ESP", "reason"] == "no figures"
    assert frame.loc["BGR", "value"] == 1.95


def test_iceland_is_a_member_with_no_figures(data: NatoData) -> None:
    frame = twotier.coverage("two-tier-2pct", 2024, "2024-06", data=data)
    assert len(frame) == 32
    row = frame.set_index("iso3").loc["ISL"]
    assert row["reason"] == "no figures"
    assert pd.isna(row["tier"]) and pd.isna(row["covered"]) and pd.isna(row["shortfall_usd_m"])
    summary = twotier.coverage_summary(frame)
    assert "ISL" in summary.unknown and "ISL" not in summary.uncovered


def test_each_source_has_its_reader_and_citation(data: NatoData) -> None:
    """Kiel figures are cited as the Kiel Institute's tracker release (SOURCES.md §3:
    Release 29, data through April 2026), the repository copy kept as retrieved_from."""
    from twotier.data.kiel import read_kiel_aid
    from twotier.data.nato_csv import read_editions

    aid = read_kiel_aid(bundled_dir() / "ukraine_aid.csv")
    latest = aid[aid["as_of"] == "2026-04"]
    assert (
        latest["source"]
        .str.startswith("Kiel Institute for the World Economy, Ukraine Support Tracker, Release 29")
        .all()
    )
    assert latest["retrieved_from"].str.startswith("https://github.com/").all()
    editions = read_editions(bundled_dir() / "editions.csv").set_index("edition")
    assert editions.loc["2026-07", "basis"] == "core defence expenditure, 2021 prices"
    assert editions.loc["2026-07", "nato_url"].startswith("https://www.nato.int/")


def test_every_data_set_has_its_own_version_even_at_a_reused_address() -> None:
    """Second adversarial pass: caches keyed by id(data) could replay answers of freed
    data whose address was reused; ``version`` is never reused in a process."""
    import gc

    from twotier.data import NatoData

    base = twotier.load_data()
    seen = {base.version}
    ids: dict[int, int] = {}
    for _ in range(50):
        copy = NatoData(base.figures, base.allies, base.editions, base.aid)
        assert copy.version not in seen
        seen.add(copy.version)
        ids[id(copy)] = ids.get(id(copy), 0) + 1
        del copy
        gc.collect()
    assert max(ids.values()) > 1  # CPython did reuse addresses: id() would have collided
