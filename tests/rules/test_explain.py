"""``twotier.explain``: one ally's status, money needed, revisions and what-if.

Its numbers must be those of :func:`twotier.coverage` (the same evaluator) and of
the figures themselves (computed here a second, independent way from
:func:`twotier.select_figures`).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twotier
from twotier.errors import InputError, UnknownAllyError

DATA = twotier.load_data()
NAMES = dict(zip(DATA.allies["iso3"], DATA.allies["name"], strict=True))
CASES = [
    ("two-tier-2pct", 2024, "2024-06"),
    ("two-tier-2pct", 2024, "latest"),
    ("hague-core-3.5", 2025, "latest"),
    ("wales-2014", 2024, "2024-06"),
    ("us-guarantee-2pct", 2023, "latest"),
    ("article5", 2024, "latest"),
]


def same(a: object, b: object) -> bool:
    if a is None or a is pd.NA or (isinstance(a, float) and math.isnan(a)):
        return b is None or b is pd.NA or (isinstance(b, float) and math.isnan(b))
    return a == b


@pytest.mark.parametrize(("policy", "year", "edition"), CASES)
def test_every_ally_matches_the_coverage_frame(policy: str, year: int, edition: str) -> None:
    frame = twotier.coverage(policy, year, edition).set_index("iso3")
    summary = twotier.coverage_summary(frame.reset_index())
    for iso3, row in frame.iterrows():
        e = twotier.explain(str(iso3), policy, year, edition)
        assert e.iso3 == iso3
        assert same(e.covered, row["covered"])
        assert same(e.tier, row["tier"])
        assert e.reason == row["reason"]
        assert same(e.shortfall.usd_m, row["shortfall_usd_m"])
        assert e.counts.covered == len(summary.covered)
        assert e.counts.unknown == len(summary.unknown)
        if e.criteria:
            assert same(e.criteria[0].value, row["value"])
            assert same(e.criteria[0].margin, row["margin_pp"])
            assert same(e.criteria[0].edition, row["edition"])
            assert same(e.criteria[0].estimate, row["estimate"])


def test_spain_2024_reference_values() -> None:
    """NATO, *Defence Expenditure of NATO Countries (2014-2024)*, 17 June 2024, Table 3:
    Spain 2024 (estimate) 1.28 % of GDP, below 2 %. The shortfall is checked against
    Spain's GDP of the same edition, taken from the figures directly."""
    e = twotier.explain("Spain", "two-tier-2pct", 2024, "2024-06")
    assert (e.iso3, e.covered, e.tier, e.reason) == ("ESP", False, 2, "below threshold")
    check = e.criteria[0]
    assert (check.value, check.estimate, check.threshold, check.margin) == (1.28, True, 2.0, -0.72)
    gdp = twotier.select_figures(
        DATA, indicators=["gdp_usd_current_bn"], years=[2024], edition="2024-06", allies=["ESP"]
    )["value"].iloc[0]
    assert e.shortfall.gdp_usd_bn == gdp
    assert e.shortfall.usd_m == pytest.approx((2.0 - 1.28) / 100 * gdp * 1000, abs=0.05)
    assert e.shortfall.gdp_edition == "2024-06"
    assert "1.28% of GDP" in e.summary and "0.72 points below" in e.summary


def test_revisions_are_each_editions_own_figure() -> None:
    e = twotier.explain("BGR", "two-tier-2pct", 2024)
    assert [r.edition for r in e.revisions] == twotier.edition_names(DATA)
    for r in e.revisions:
        rows = twotier.select_figures(
            DATA, indicators=["pct_gdp"], years=[2024], edition=r.edition, allies=["BGR"]
        )
        expected = None if rows.empty else float(rows["value"].iloc[0])
        assert r.value == expected
        if expected is not None:
            assert r.covered == (expected >= 2.0)
    # Bulgaria flips between NATO's June 2024 and August 2025 editions (2.18 -> 1.95).
    by_edition = {r.edition: r for r in e.revisions}
    assert by_edition["2024-06"].covered is True
    assert by_edition["2025-08"].covered is False


def test_latest_uses_the_newest_edition_of_the_figure() -> None:
    e = twotier.explain("bgr", "two-tier-2pct", 2024, "latest")
    newest = [r for r in e.revisions if r.value is not None][-1]
    assert (e.criteria[0].value, e.criteria[0].edition) == (newest.value, newest.edition)


def test_iceland_is_unknown_and_says_why() -> None:
    e = twotier.explain("iceland", 2.0, 2024, "2024-06")
    assert e.covered is None and e.tier is None
    assert e.criteria[0].value is None and e.shortfall.usd_m is None
    assert "no armed forces" in e.summary


@pytest.mark.parametrize("iso3", sorted(twotier.MEMBERS))
def test_codes_and_names_in_any_case_resolve(iso3: str) -> None:
    name = NAMES[iso3]
    for text in (iso3, iso3.lower(), name, name.upper(), name.lower(), f"  {name} "):
        assert twotier.resolve_ally(text) == iso3


@pytest.mark.parametrize(
    ("text", "iso3"), [("Turkey", "TUR"), ("turkiye", "TUR"), ("czech republic", "CZE")]
)
def test_common_other_names_resolve(text: str, iso3: str) -> None:
    assert twotier.resolve_ally(text) == iso3


@pytest.mark.parametrize("text", ["Spai", "XXX", "", "Russia", "ES"])
def test_unknown_ally_is_an_input_error_naming_the_field(text: str) -> None:
    with pytest.raises(UnknownAllyError) as info:
        twotier.explain(text, "two-tier-2pct", 2024)
    assert info.value.field == "ally"
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_bad_what_if_is_an_input_error(bad: float) -> None:
    with pytest.raises(InputError):
        twotier.explain("ESP", "two-tier-2pct", 2024, what_if=bad)


def test_what_if_spain_reaches_2_1_pct() -> None:
    base = twotier.explain("ESP", "two-tier-2pct", 2024, "2024-06")
    e = twotier.explain("ESP", "two-tier-2pct", 2024, "2024-06", what_if=2.1)
    assert e.what_if is not None
    assert (e.what_if.covered, e.what_if.shortfall_usd_m, e.what_if.margin) == (True, 0.0, 0.1)
    assert e.what_if.counts.covered == base.counts.covered + 1
    assert e.what_if.counts.uncovered == base.counts.uncovered - 1
    # The alliance shortfall loses exactly Spain's.
    assert base.counts.shortfall_usd_m is not None and base.shortfall.usd_m is not None
    assert e.what_if.counts.shortfall_usd_m == pytest.approx(
        base.counts.shortfall_usd_m - base.shortfall.usd_m, abs=0.1
    )
    # The published figures are untouched afterwards.
    assert twotier.explain("ESP", "two-tier-2pct", 2024, "2024-06") == base


@settings(max_examples=20, deadline=None)
@given(
    iso3=st.sampled_from(sorted(twotier.MEMBERS - {"ISL"})),
    value=st.floats(0, 6, allow_nan=False).map(lambda x: round(x, 2)),
    threshold=st.sampled_from([2.0, 2.5, 3.5]),
)
def test_what_if_matches_the_rule(iso3: str, value: float, threshold: float) -> None:
    """At a plain threshold the what-if ally is covered exactly when value >= threshold,
    its shortfall is (t - v)/100 * GDP, and only its own status changes the counts."""
    e = twotier.explain(iso3, threshold, 2024, "2024-06", what_if=value)
    assert e.what_if is not None
    assert e.what_if.covered == (value >= threshold)
    gdp = e.shortfall.gdp_usd_bn
    assert gdp is not None
    expected = max(0.0, threshold - value) / 100 * gdp * 1000
    assert e.what_if.shortfall_usd_m == pytest.approx(expected, abs=0.06)
    before = 1 if e.covered else 0
    after = 1 if e.what_if.covered else 0
    assert e.what_if.counts.covered - e.counts.covered == after - before
    assert e.what_if.counts.unknown == e.counts.unknown


@settings(max_examples=10, deadline=None)
@given(
    low=st.floats(0, 6, allow_nan=False).map(lambda x: round(x, 2)),
    high=st.floats(0, 6, allow_nan=False).map(lambda x: round(x, 2)),
)
def test_raising_one_allys_figure_never_loses_coverage(low: float, high: float) -> None:
    low, high = sorted((low, high))
    a = twotier.explain("ITA", "hague-core-3.5", 2025, what_if=low)
    b = twotier.explain("ITA", "hague-core-3.5", 2025, what_if=high)
    assert a.what_if is not None and b.what_if is not None
    assert b.what_if.counts.covered >= a.what_if.counts.covered


def test_as_dict_is_plain() -> None:
    import json

    d = twotier.explain("POL", 3.5, 2024, what_if=1.0).as_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["what_if"]["covered"] is False


def test_docstring_examples() -> None:
    import doctest

    from twotier.rules import allies, explain

    for module in (allies, explain):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.attempted > 0 and result.failed == 0
