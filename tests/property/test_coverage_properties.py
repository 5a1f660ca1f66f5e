"""Invariants of the evaluator and the policy reader (Hypothesis)."""

from __future__ import annotations

import contextlib
import tomllib

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twotier
from twotier.data import NatoData
from twotier.errors import PolicyError
from twotier.rules import parse_policy

DATA = twotier.load_data()
YEARS_2024_06 = twotier.years_with_figures(DATA, "2024-06")
EDITIONS = twotier.edition_names(DATA)

thresholds = st.floats(min_value=0, max_value=6, allow_nan=False).map(lambda x: round(x, 2))


def covered(threshold: float, year: int, edition: str, data: NatoData = DATA) -> set[str]:
    frame = twotier.coverage(twotier.threshold_policy(threshold), year, edition, data=data)
    return set(frame.loc[frame["covered"].fillna(False).astype(bool), "iso3"])


@settings(max_examples=40, deadline=None)
@given(low=thresholds, high=thresholds, year=st.sampled_from(YEARS_2024_06))
def test_raising_the_threshold_never_adds_a_covered_ally(
    low: float, high: float, year: int
) -> None:
    low, high = sorted((low, high))
    assert covered(high, year, "2024-06") <= covered(low, year, "2024-06")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    threshold=thresholds,
    edition=st.sampled_from(["latest", *EDITIONS]),
)
def test_results_do_not_depend_on_row_order(seed: int, threshold: float, edition: str) -> None:
    shuffled = NatoData(
        figures=DATA.figures.sample(frac=1, random_state=seed).reset_index(drop=True),
        allies=DATA.allies.sample(frac=1, random_state=(seed + 1) % 2**32).reset_index(drop=True),
        editions=DATA.editions,
        aid=DATA.aid,
    )
    year = twotier.years_with_figures(DATA, edition)[-1]
    policy = twotier.threshold_policy(threshold)
    a = twotier.coverage(policy, year, edition, data=DATA)
    b = twotier.coverage(policy, year, edition, data=shuffled)
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=40, deadline=None)
@given(threshold=thresholds, year=st.sampled_from(YEARS_2024_06))
def test_shortfall_is_zero_exactly_for_covered_allies(threshold: float, year: int) -> None:
    frame = twotier.coverage(twotier.threshold_policy(threshold), year, "2024-06")
    known = frame[frame["covered"].notna()]
    is_covered = known["covered"].astype(bool)
    assert (known.loc[is_covered, "shortfall_usd_m"] == 0).all()
    # Uncovered allies are strictly below the line, so they owe something (GDP known here).
    assert (known.loc[~is_covered, "shortfall_usd_m"] > 0).all()
    # Independent computation from the published share and GDP.
    for row in known.loc[~is_covered].itertuples():
        expected = (threshold - row.value) / 100 * row.gdp_usd_current_bn * 1000
        assert abs(row.shortfall_usd_m - expected) <= 0.05 + 1e-9


@settings(max_examples=40, deadline=None)
@given(year=st.sampled_from(YEARS_2024_06))
def test_threshold_zero_covers_every_ally_with_figures(year: int) -> None:
    zero = twotier.coverage(twotier.threshold_policy(0), year, "2024-06")
    article5 = twotier.coverage("article5", year, "2024-06")
    with_figures = zero["value"].notna()
    assert zero.loc[with_figures, "covered"].all()
    assert article5["covered"].all()


# --- the policy reader never fails with anything but PolicyError -------------------

toml_scalars = st.one_of(
    st.text(max_size=12),
    st.integers(-5, 5),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(st.text(max_size=4), max_size=3),
)
keys = st.sampled_from(
    [
        "id",
        "title",
        "source",
        "date",
        "indicator",
        "threshold",
        "comparison",
        "basis",
        "window",
        "guarantors",
        "only_tier1_defend",
        "combine",
        "iso3",
        "reason",
        "x",
    ]
)
tables = st.sampled_from(["policy", "tier1", "guarantee", "tier1.grace", "other"])


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(value, float):
        return (
            "nan"
            if value != value
            else ("inf" if value > 0 else "-inf")
            if abs(value) == float("inf")
            else repr(value)
        )
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        table = draw(tables)
        parts.append(f"[{table}]")
        for key in draw(st.lists(keys, max_size=5, unique=True)):
            parts.append(f"{key} = {_toml_value(draw(toml_scalars))}")
        if draw(st.booleans()):
            parts.append("[[tier1.criteria]]")
            parts.append(f"indicator = {_toml_value(draw(st.sampled_from(['pct_gdp', 'x'])))}")
            parts.append(f"threshold = {_toml_value(draw(toml_scalars))}")
    if draw(st.booleans()):
        parts.append(draw(st.text(max_size=20)))  # noise, often invalid TOML
    return "\n".join(parts)


@settings(max_examples=300, deadline=None)
@given(doc=documents())
def test_policy_reader_loads_or_raises_policy_error(doc: str) -> None:
    try:
        policy = parse_policy(doc, origin="fuzz.toml")
    except PolicyError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith("fuzz.toml: ")
        return
    assert isinstance(policy, twotier.Policy)
    tomllib.loads(doc)  # a document that loads is valid TOML


@settings(max_examples=200, deadline=None)
@given(doc=st.text(max_size=200))
def test_policy_reader_on_arbitrary_text(doc: str) -> None:
    with contextlib.suppress(PolicyError):
        assert isinstance(parse_policy(doc), twotier.Policy)
