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
