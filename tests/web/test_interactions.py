"""Year choices per edition (the callback's logic, without a browser)."""

from __future__ import annotations

import pytest

import twotier
from twotier.web.interactions import nearest_year, next_year, year_options
from twotier.web.registry import year_marks


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


@pytest.mark.parametrize(
    ("year", "start", "expected"),
    [
        (2020, False, (2021, True)),  # a tick: one year on
        (2023, False, (2024, False)),  # reaching the last year stops
        (2024, True, (2014, True)),  # play at the last year starts from the first
        (2018, True, (2018, True)),  # play elsewhere starts where it is
        (None, True, (2014, True)),
    ],
)
def test_play_steps_one_year_and_stops_at_the_last(
    year: int | None, start: bool, expected: tuple[int, bool]
) -> None:
    assert next_year(year, 2014, 2024, start) == expected


def test_year_marks_span_the_years_and_label_fit_a_phone() -> None:
    marks = year_marks(list(range(2014, 2027)))
    assert (marks["min"], marks["max"], marks["disabled"]) == (2014, 2026, False)
    assert set(marks["marks"]) == set(range(2014, 2027))
    assert [y for y, label in marks["marks"].items() if label] == list(range(2014, 2027, 2))
    assert year_marks([2023])["disabled"] is True
