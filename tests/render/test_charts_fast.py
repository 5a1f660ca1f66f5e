"""The coverage charts on plain lists draw exactly what the pandas versions drew.

The reference (``_reference_charts.py``) is ``ranking_bar``, ``tile_map`` and
``shortfall_bar`` as they were at bf82c64, before the rewrite that took pandas out of
the dashboard's per-request path. Compared as JSON text (values, order, key order) on
every (built-in policy or slider threshold, edition, year) of the bundled data, and on
the same frames made harder: tied values (the order of a sort with ties), figures,
shortfalls and tiers removed, and optional columns dropped.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import twotier
from twotier.data import NatoData
from twotier.render import charts

from . import _reference_charts as ref

THRESHOLDS = (0.5, 1.8, 2.0, 2.37, 5.0)
YEARS = (2012, 2014, 2020, 2023, 2024, 2025, 2026)


@pytest.fixture(scope="module")
def frames(data: NatoData) -> list[pd.DataFrame]:
    policies = [p.id for p in twotier.list_policies()]
    policies += [twotier.threshold_policy(t) for t in THRESHOLDS]  # type: ignore[misc]
    frames = []
    for edition in ["latest", *data.editions["edition"]]:
        for year in YEARS:
            for policy in policies:
                try:
                    frames.append(twotier.coverage(policy, year, edition, data=data))
                except twotier.TwotierError:
                    continue
    return frames


def _harder(frame: pd.DataFrame, step: int) -> pd.DataFrame:
    """Ties, gaps and missing tiers where the bundled data has few."""
    out = frame.copy()
    rows = out.index[::step]
    out.loc[out.index[1::step], "value"] = out["value"].iloc[0]  # ties
    out.loc[rows, "value"] = pd.NA
    out.loc[out.index[2::step], "covered"] = pd.NA
    out.loc[out.index[:: step + 1], "shortfall_usd_m"] = pd.NA
    out.loc[out.index[1 :: step + 2], "estimate"] = pd.NA
    return out.drop(columns=["armed_forces"] if step % 2 else ["member_in_year"])


def _same(frame: pd.DataFrame) -> None:
    caption = charts.caption_for(frame)
    pairs = [
        (charts.ranking_bar(frame), ref.ranking_bar(frame)),
        (charts.coverage_map(frame), ref.tile_map(frame, "Allies by tier", caption)),
        (charts.shortfall_bar(frame), ref.shortfall_bar(frame)),
    ]
    for new, old in pairs:
        assert json.dumps(new) == json.dumps(old)


def test_charts_equal_the_pandas_versions_on_the_bundled_data(frames: list[pd.DataFrame]) -> None:
    assert len(frames) > 200
    for frame in frames:
        _same(frame)


@pytest.mark.parametrize("step", [3, 4, 5])
def test_charts_equal_the_pandas_versions_with_ties_and_gaps(
    frames: list[pd.DataFrame], step: int
) -> None:
    for frame in frames[::5]:
        _same(_harder(frame, step))
