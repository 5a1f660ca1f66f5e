"""Time of a coverage query, against a naive pure-Python baseline in the same process.

The baseline reads the bundled CSV rows once into a list of dicts and, per query,
scans every row to find each ally's figure (what a first script would do). Both
compute the 2% two-tier coverage of edition 2024-06 for every year 2014-2024.
Run: ``.venv/bin/python benchmarks/bench_coverage.py``.
"""

from __future__ import annotations

import csv
import statistics
import time
from collections.abc import Callable

import twotier
from twotier.data import bundled_dir

YEARS = list(range(2014, 2025))


def naive_rows() -> list[dict[str, str]]:
    with (bundled_dir() / "nato_defence_expenditure.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def naive_coverage(rows: list[dict[str, str]], year: int, threshold: float) -> set[str]:
    covered = set()
    for row in rows:
        if (
            row["edition"] == "2024-06"
            and row["indicator"] == "pct_gdp"
            and int(row["year"]) == year
            and not row["iso3"].startswith("NATO")
            and float(row["value"]) >= threshold
        ):
            covered.add(row["iso3"])
    return covered


def timed(fn: Callable[[], object], repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    start = time.perf_counter()
    data = twotier.load_data()
    load = time.perf_counter() - start
    rows = naive_rows()
    policy = twotier.get_policy("two-tier-2pct")
    # Both must agree before either is timed.
    for year in YEARS:
        frame = twotier.coverage(policy, year, "2024-06", data=data)
        ours = set(frame.loc[frame["covered"].fillna(False).astype(bool), "iso3"])
        assert ours == naive_coverage(rows, year, 2.0), year
    from twotier.rules.evaluate import evaluate_policy

    per_query = timed(lambda: [evaluate_policy(data, policy, y, "2024-06") for y in YEARS])
    cached = timed(lambda: [twotier.coverage(policy, y, "2024-06", data=data) for y in YEARS])
    naive = timed(lambda: [naive_coverage(rows, y, 2.0) for y in YEARS])
    latest = timed(lambda: evaluate_policy(data, policy, 2024, "latest"))
    summary = timed(
        lambda: twotier.coverage_summary(twotier.coverage(policy, 2024, "2024-06", data=data))
    )
    n = len(YEARS)
    print(f"data load + validation (once per process): {load * 1000:.0f} ms")
    print(f"coverage query, explicit edition:  {per_query / n * 1000:.1f} ms per query")
    print(f"coverage query, repeated (cached): {cached / n * 1000:.2f} ms per query")
    print(f"coverage query, edition=latest:    {latest * 1000:.1f} ms")
    print(f"coverage + summary:                {summary * 1000:.1f} ms")
    print(
        f"naive baseline (tier only, no provenance, shortfall or summary): "
        f"{naive / n * 1000:.2f} ms per query"
    )
    print(f"ratio twotier / naive: {per_query / naive:.1f}x (the naive scan computes far less)")


if __name__ == "__main__":
    main()
