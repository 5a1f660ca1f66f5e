"""The explain core against the dashboard's JSON API (no browser needed)."""

from __future__ import annotations

import json
from typing import Any

import pytest

import twotier


@pytest.fixture(scope="module")
def client() -> Any:
    from twotier.web.app import create_app

    return create_app().server.test_client()


@pytest.mark.parametrize(
    ("query", "policy", "year", "edition"),
    [
        ("policy=two-tier-2pct&year=2024&edition=2024-06", "two-tier-2pct", 2024, "2024-06"),
        ("threshold=3.5&year=2025", 3.5, 2025, "latest"),
        ("policy=hague-core-3.5&year=2025", "hague-core-3.5", 2025, "latest"),
    ],
)
def test_explain_numbers_equal_the_api(
    client: Any, query: str, policy: Any, year: int, edition: str
) -> None:
    answer = client.get(f"/api/coverage?{query}")
    assert answer.status_code == 200
    body = json.loads(answer.data)
    for ally in body["allies"]:
        e = twotier.explain(ally["ally"], policy, year, edition)
        assert e.iso3 == ally["iso3"]
        assert e.covered == ally["covered"]
        assert e.tier == ally["tier"]
        assert e.reason == ally["reason"]
        assert e.shortfall.usd_m == ally["shortfall_usd_m"]
        assert e.criteria[0].value == ally["value"]
        assert e.criteria[0].margin == ally["margin_pp"]
        assert e.criteria[0].edition == ally["edition"]
        assert e.criteria[0].estimate == ally["estimate"]
        assert e.counts.covered == len(body["summary"]["covered"])
        assert e.counts.shortfall_usd_m == body["summary"]["shortfall_usd_m"]


@pytest.mark.parametrize(("year", "edition"), [(2024, "2024-06"), (2025, "2025-08"),
                                               (2023, "latest")])  # fmt: skip
def test_completeness_note_is_the_apis_sentence(year: int, edition: str) -> None:
    from twotier.web.explain_panel import completeness_note
    from twotier.web.state import State

    (note,) = completeness_note(State(year=year, edition=edition))
    summary = twotier.coverage_summary(
        twotier.coverage(twotier.threshold_policy(2.0), year, edition)
    )
    assert note.children.startswith(f"{year}: {summary.completeness}")
    assert ("never estimated" in note.children) == bool(summary.missing_figures)
