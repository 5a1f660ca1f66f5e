"""Year choices per edition (the callback's logic, without a browser)."""

from __future__ import annotations

import pytest

import twotier
from twotier.web.interactions import nearest_year, year_options


@pytest.mark.parametrize(
    ("year", "years", "expected"),
    [(2025, [2014, 2023, 2024], 2024), (2010, [2014, 2015], 2014), (2020, [2019, 2021], 2021)],
)
def test_nearest_year(year: int, years: list[int], expected: int) -> None:
    assert nearest_year(year, years) == expected


def test_year_options_are_the_editions_years() -> None:
    data = twotier.load_data()
    for edition in ["latest", *twotier.edition_names(data)]:
        years = year_options(edition)
        assert years == twotier.years_with_figures(data, edition)
        for year in years:  # each offered year has a coverage answer, never an error
            twotier.coverage(twotier.threshold_policy(2.0), year, edition)
    assert 2025 not in year_options("2024-06")
