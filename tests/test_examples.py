"""The runnable examples run and print what they promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_two_tier_by_edition_example() -> None:
    out = subprocess.run([sys.executable, str(EXAMPLES / "two_tier_by_edition.py")],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "2024-06" in out and "Shortfall to 2% in 2024" in out
    # NATO, June 2024: 23 allies at 2% in 2024 (the pivot's 2024 row, 2024-06 column).
    row = next(line for line in out.splitlines() if line.startswith("2024"))
    assert "23" in row.split()
