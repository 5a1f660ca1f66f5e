"""Typed numbers are read by one pair of functions in every interface (review D25).

The CLI's ``--year`` / ``--threshold`` and the dashboard's links (``/api/coverage``,
the URL state) accept exactly the same spellings: ASCII digits. ``int()`` and
``float()``, which both used before, also take ``'2_024'``, full-width digits and
``'nan'``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twotier.cli._app import _year
from twotier.errors import InputError, decimal_number, whole_number
from twotier.rules.registry import check_threshold
from twotier.web.state import parse_state

# Spellings int()/float() take but a person typing a year or a threshold did not mean.
REFUSED = ["2_024", "２０２４", "٢٠٢٤", "2024\n5", "", " ", "0x7e8", "2024.", "1e3", "nan", "inf"]


@pytest.mark.parametrize("text", REFUSED)
def test_whole_number_refuses_what_int_would_take(text: str) -> None:
    with pytest.raises(InputError) as info:
        whole_number(text, "year")
    assert str(info.value).startswith("year: expected a whole number, found ")
    assert info.value.field == "year" and "\n" not in str(info.value)


@pytest.mark.parametrize("text", ["２", "2_0", "nan", "-inf", "1e400", "0x2", "2,5", "", "٢"])
def test_decimal_number_refuses_what_float_would_take(text: str) -> None:
    with pytest.raises(InputError, match=r"^threshold: expected a number, found "):
        decimal_number(text, "threshold")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_whole_number_is_ascii_int_or_an_input_error(text: str) -> None:
    """Independent rule: an optional sign and 1-18 ASCII digits, spaces around allowed."""
    plain = text.strip()
    ok = re.fullmatch(r"[+-]?[0-9]{1,18}", plain, flags=re.ASCII) is not None
    try:
        value = whole_number(text, "n")
    except InputError:
        assert not ok
    else:
        assert ok and value == int(plain)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=12), st.floats(allow_nan=True).map(repr)))
def test_decimal_number_agrees_with_float_on_plain_ascii_and_refuses_the_rest(text: str) -> None:
    plain = text.strip()
    try:
        number = float(plain)
    except ValueError:
        number = None
    # What float() takes but a typed threshold must not be: non-ASCII digits, '_',
    # nan/inf (and numbers that overflow to inf), hexadecimal-looking text.
    odd = not plain.isascii() or "_" in plain or any(w in plain.lower() for w in ("n", "x"))
    try:
        value = decimal_number(text, "x")
    except InputError:
        assert number is None or odd or not math.isfinite(number)
    else:
        assert number is not None and not odd and value == number and math.isfinite(value)


@pytest.mark.parametrize("text", ["2_024", "２０２４", "+2024x"])
def test_cli_year_and_the_url_state_refuse_the_same_spellings(text: str) -> None:
    with pytest.raises(InputError):
        _year(text)
    _, problems = parse_state(f"year={text}")
    assert problems and problems[0].startswith("year: expected")


@pytest.mark.parametrize("text", ["２", "2_0", "nan", "1e999"])
def test_threshold_text_is_refused_in_the_core_and_the_url_state(text: str) -> None:
    with pytest.raises(InputError, match="^threshold: expected a number"):
        check_threshold(text)
    _, problems = parse_state(f"threshold={text}")
    assert problems and problems[0].startswith("threshold: expected a number")


def test_numbers_that_are_not_text_are_still_accepted() -> None:
    assert check_threshold(2) == 2.0 and check_threshold(" 3.5 ") == 3.5


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from twotier.web.app import create_app

    with create_app().server.test_client() as c:
        yield c


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=2_024&threshold=2", "year"),
        ("year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%94&threshold=2", "year"),  # ２０２４
        ("year=2024&threshold=%EF%BC%92", "threshold"),  # ２
        ("year=2024&threshold=2_0", "threshold"),
        ("year=2024&policy=article5&policy=two-tier-2pct", "policy"),
        ("year=2024&year=2023", "year"),
    ],
)
def test_api_refuses_what_the_cli_refuses_with_a_400_naming_the_parameter(
    client: Any, query: str, field: str
) -> None:
    response = client.get(f"/api/coverage?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"].startswith(f"{field}: ") and "\n" not in body["error"]
    assert body["field"] == field


def test_api_still_answers_plain_ascii(client: Any) -> None:
    response = client.get("/api/coverage?year=2024&threshold=2")
    assert response.status_code == 200
    assert response.get_json()["summary"]["year"] == 2024
