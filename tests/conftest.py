"""Shared fixtures: the bundled data, and small hand-made data sets."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

import twotier
from twotier.data import NatoData, bundled_dir

# Hypothesis: no per-example time limit (a loaded CI machine is slower than the 200 ms
# default, and a property is about values, not speed; speed is in benchmarks/), and the
# same examples on every run so a CI result can be reproduced. Set
# TWOTIER_HYPOTHESIS=explore to draw new examples (and keep found failures) instead.
settings.register_profile("repeatable", deadline=None, derandomize=True, print_blob=True)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile(
    "explore" if os.environ.get("TWOTIER_HYPOTHESIS") == "explore" else "repeatable"
)

# Imported editions live in the user's data folder; tests use an empty one of their own.
os.environ["TWOTIER_DATA_DIR"] = tempfile.mkdtemp(prefix="twotier-test-data-")

# The test servers listen on loopback; a proxy set for the machine (http_proxy) must not
# carry the tests' requests to them (urllib sends even 127.0.0.1 through it otherwise).
for _var in ("no_proxy", "NO_PROXY"):
    os.environ[_var] = ",".join(filter(None, [os.environ.get(_var), "127.0.0.1", "localhost"]))

#: Debian's Chromium, for the browser, report and chart tests (scripts/test installs it).
CHROMIUM = Path(os.environ.get("TWOTIER_CHROMIUM", "/usr/bin/chromium"))
needs_browser = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not installed")


#: NATO's own 2024 workbook, kept beside the repository (never copied into it).
#: Looked for in ``shared/data/raw`` beside the repository or any folder above it (git
#: worktrees live deeper), or at ``$TWOTIER_NATO_WORKBOOK_2024``.
def _raw_workbook() -> Path:
    name = Path("shared") / "data" / "raw" / "240617-def-exp-2024-TABLES-en.xlsx"
    for var in ("TWOTIER_NATO_WORKBOOK_2024", "TWOTIER_RAW_WORKBOOK"):
        if os.environ.get(var):
            return Path(os.environ[var])
    for folder in Path(__file__).resolve().parents[1:]:
        if (folder / name).exists():
            return folder / name
    return Path(__file__).resolve().parents[2] / name


RAW_WORKBOOK = _raw_workbook()


@pytest.fixture(scope="session")
def data() -> NatoData:
    return twotier.load_data()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder, to damage in tests."""
    target = tmp_path / "data"
    target.mkdir()
    for f in bundled_dir().iterdir():
        if f.is_file():
            (target / f.name).write_bytes(f.read_bytes())
    return target


def make_data(rows: list[tuple[str, int, str, float, str]], base: NatoData) -> NatoData:
    """A data set with only ``rows`` = (iso3, year, indicator, value, edition)."""
    figures = pd.DataFrame(
        [
            {
                "iso3": iso3,
                "ally": iso3,
                "year": year,
                "indicator": indicator,
                "value": float(value),
                "unit": "test",
                "edition": edition,
                "estimate": False,
                "source": "https://example.org/test",
            }
            for iso3, year, indicator, value, edition in rows
        ]
    )
    figures["estimate"] = figures["estimate"].astype("boolean")
    editions = pd.DataFrame({"edition": sorted(figures["edition"].unique())}).assign(
        title="test",
        published="",
        basis="test",
        price_base="",
        completeness="test",
        note="",
        origin="test",
    )
    return NatoData(figures=figures, allies=base.allies, editions=editions, aid=base.aid)
