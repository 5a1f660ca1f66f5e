"""Example: how many allies would a two-tier (2%) rule cover, year by year, in each
NATO edition? And what would the uncovered allies have to add?

Run: ``.venv/bin/python examples/two_tier_by_edition.py``
"""

from __future__ import annotations

import pandas as pd

import twotier


def main() -> None:
    data = twotier.load_data()
    rows = []
    for edition in twotier.edition_names(data):
        for year in twotier.years_with_figures(data, edition):
            s = twotier.coverage_summary(
                twotier.coverage("two-tier-2pct", year, edition, data=data)
            )
            rows.append({
                "edition": edition, "year": year, "covered": len(s.covered),
                "not_covered": len(s.uncovered), "unknown": len(s.unknown),
                "shortfall_usd_bn": None if s.shortfall_usd_m is None
                else round(s.shortfall_usd_m / 1000, 1),
            })  # fmt: skip
    table = pd.DataFrame(rows)
    pivot = table.pivot(index="year", columns="edition", values="covered").astype("Int64")
    print("Allies covered by a two-tier (2%) rule; columns are NATO editions:")
    print(pivot.to_string())
    print()
    shortfall = table.query("edition == '2024-06' and year == 2024")["shortfall_usd_bn"].item()
    print("Shortfall to 2% in 2024 by the June 2024 edition (US$ bn):", shortfall)


if __name__ == "__main__":
    main()
