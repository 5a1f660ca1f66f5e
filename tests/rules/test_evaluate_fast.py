"""The array-based evaluator (and summary) give exactly what the pandas ones gave.

The reference (``_reference_evaluate.py``) is the evaluator as it was at e7356d5,
column by column in pandas; it shares no code path with the fast one beyond the
figure index. Frames must be equal cell by cell, dtype by dtype, attrs included,
for every combination Hypothesis draws: policy shape (criteria, basis, window,
comparison, combine, grace, exemptions, guarantors, club), threshold, year, edition,
on the bundled data and on a thinned copy with gaps and one-decimal figures.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import twotier
from twotier.data import MEMBERS, NatoData
from twotier.data._index import rounding_halfwidth
from twotier.data.select import edition_names, select_figures, years_with_figures
from twotier.errors import InputError
from twotier.rules.coverage import coverage_summary
from twotier.rules.evaluate import evaluate_policy
from twotier.rules.policy import Criterion, Exemption, Grace, Guarantee, Policy

from ._reference_evaluate import evaluate_policy as reference_evaluate
from ._reference_summary import reference_summary

INDICATORS = ("pct_gdp", "pct_gdp", "exp_usd_current_m", "equipment_pct", "personnel_thousands")


@functools.cache
def _thinned() -> NatoData:
    """The bundled data with every third figure gone and some shares known to 1 decimal."""
    base = twotier.load_data()
    figures = base.figures.iloc[[i for i in range(len(base.figures)) if i % 3]].copy()
    figures = figures.reset_index(drop=True)
    rounded = figures.index % 7 == 0
    figures.loc[rounded, "value"] = figures.loc[rounded, "value"].round(1)
    figures.loc[rounded, "unit"] = figures.loc[rounded, "unit"] + " (source gives 1 decimal)"
    return NatoData(figures=figures, allies=base.allies, editions=base.editions, aid=base.aid)


def _datasets() -> list[NatoData]:
    return [twotier.load_data(), _thinned()]


@functools.cache
def _published(indicator: str) -> list[float]:
    figures = twotier.load_data().figures
    values = figures.loc[figures["indicator"] == indicator, "value"]
    return sorted({float(v) for v in values if v >= 0} | {round(float(v), 1) for v in values})


@st.composite
def criteria(draw: st.DrawFn) -> Criterion:
    indicator = draw(st.sampled_from(INDICATORS))
    scale = {"exp_usd_current_m": 100_000.0, "personnel_thousands": 200.0}.get(indicator, 5.0)
    # Published values as thresholds: ties at the line and one-decimal bands.
    threshold = draw(
        st.one_of(
            st.sampled_from(_published(indicator)),
            st.integers(0, 500).map(lambda i: i / 100 * scale / 5),
            st.floats(0, scale, allow_nan=False),
        )
    )
    basis = draw(st.sampled_from(["same_year", "previous_year", "mean"]))
    return Criterion(
        indicator=indicator,
        threshold=threshold,
        comparison=draw(st.sampled_from([">=", ">"])),
        basis=basis,
        window=draw(st.integers(1, 4)) if basis == "mean" else 1,
    )


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    members = sorted(MEMBERS)
    some = st.lists(st.sampled_from(members), min_size=1, max_size=3, unique=True)
    guarantors = draw(st.one_of(st.just("all"), some.map(tuple)))
    rise = st.sampled_from([0.05, 0.1, 0.2, 0.33])
    grace = draw(
        st.one_of(st.none(), st.builds(Grace, min_annual_rise_pp=rise, years=st.integers(1, 3)))
    )
    exempt = draw(st.lists(st.sampled_from(members), max_size=3, unique=True))
    return Policy(
        id="p",
        title="t",
        source="test",
        date="2024",
        criteria=tuple(draw(st.lists(criteria(), max_size=3))),
        combine=draw(st.sampled_from(["all", "any"])),
        grace=grace,
        exemptions=tuple(Exemption(iso3=c, reason="test") for c in exempt),
        guarantee=Guarantee(guarantors=guarantors, only_tier1_defend=draw(st.booleans())),
    )


def _outcome(evaluate, data, policy, year, edition):  # type: ignore[no-untyped-def]
    try:
        return evaluate(data, policy, year, edition)
    except InputError as exc:
        return type(exc), str(exc)
    except ValueError as exc:
        # The reference crashed when a same-year criterion was on GDP or expenditure
        # (its column collided with the fixed one in a join); the fast one shares the
        # column, which holds the same figure.
        assert "columns overlap" in str(exc)
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    policy=policies(),
    which=st.integers(0, 1),
    year_pick=st.integers(0, 23),
    edition_pick=st.integers(0, 6),
)
def test_fast_evaluator_equals_reference(
    policy: Policy, which: int, year_pick: int, edition_pick: int
) -> None:
    data = _datasets()[which]
    editions = ["latest", *edition_names(data)]
    edition = editions[edition_pick % len(editions)]
    indicator = policy.primary.indicator if policy.primary else "pct_gdp"
    years = years_with_figures(data, edition, indicator) or [2024]
    # Mostly a year with figures; now and then one without (the same refusal expected).
    year = years[year_pick % len(years)] if year_pick <= 20 else [1990, 2013, 2030][year_pick - 21]
    fast = _outcome(evaluate_policy, data, policy, year, edition)
    slow = _outcome(reference_evaluate, data, policy, year, edition)
    if slow is None:
        same_year = [c.indicator for c in policy.criteria if c.basis == "same_year"]
        assert {"exp_usd_current_m", "gdp_usd_current_bn"} & set(same_year)
        assert len(fast) == len(MEMBERS)
        return
    if isinstance(slow, tuple) or isinstance(fast, tuple):
        assert fast == slow  # the same error, word for word
        event("refused")
        return
    event("compared")
    assert coverage_summary(fast).as_dict() == reference_summary(slow).as_dict()
    halfwidth = fast.pop("value_halfwidth")
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    assert fast.attrs == slow.attrs
    # The new column agrees with the precision the old frame already stated.
    decimals = slow["value_decimals"]
    assert halfwidth.isna().equals(slow["value"].isna())
    assert (decimals[halfwidth.gt(0.0).fillna(False)] == 1).all()


@pytest.mark.parametrize("edition", ["latest", "2024-06"])
@pytest.mark.parametrize("which", [0, 1])
def test_value_halfwidth_is_the_figures_rounding(which: int, edition: str) -> None:
    """``value_halfwidth``, independently: the rounding of the unit each figure has."""
    data = _datasets()[which]
    frame = evaluate_policy(data, twotier.threshold_policy(2.0), 2023, edition)
    rows = select_figures(data, indicators=["pct_gdp"], years=[2023], edition=edition)
    expected = dict(zip(rows["iso3"], rows["unit"].map(rounding_halfwidth), strict=True))
    for iso3, halfwidth in zip(frame["iso3"], frame["value_halfwidth"], strict=True):
        if iso3 in expected:
            assert halfwidth == expected[iso3]
        else:
            assert halfwidth is pd.NA
    if which == 1:
        assert (frame["value_halfwidth"] == 0.05).any()  # the thinned data has rounded shares
    assert np.isfinite(frame["value_halfwidth"].dropna().to_numpy(dtype=float)).all()
