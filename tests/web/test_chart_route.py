"""The static chart route /chart/<kind>.svg?<state> and the share snippets."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import needs_browser
from twotier.web.chart_route import share_snippets


@pytest.fixture(scope="module")
def client() -> Any:
    from twotier.web.app import create_app

    return create_app().server.test_client()


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/chart/pie.svg?year=2024", 404, "kind"),
        ("/chart/ranking.gif?year=2024", 404, "kind"),
        ("/chart/ranking.svg?year=abc", 400, None),
        ("/chart/ranking.svg?year=2024&size=800x600", 400, "size"),
        ("/chart/ranking.svg?year=2024&colour=red", 400, None),
        ("/chart/ranking.svg?year=2024&policy=nonsense", 400, "policy"),
        ("/chart/ranking.svg?year=2024&policy=threshold&threshold=-4", 400, "threshold"),
        ("/chart/dumbbell.svg?year=2014&edition=2024-06", 400, "year"),
    ],
)
def test_bad_state_is_a_4xx_with_one_line(client: Any, url: str, status: int, field: Any) -> None:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert "\n" not in body["error"] and body["error"]
    if field:
        assert body["field"] == field


def _today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


@needs_browser
def test_chart_svg_is_drawn_by_the_server_and_cached(client: Any) -> None:
    url = "/chart/ranking.svg?policy=two-tier-2pct&year=2024&edition=2024-06&size=640"
    for _ in range(2):  # once more if the date changed (midnight UTC) while it ran
        today = _today()
        first = client.get(url)
        assert first.status_code == 200 and first.mimetype == "image/svg+xml"
        again = client.get(url + "&tab=coverage")  # the view tab does not change the chart
        if _today() == today:
            break
    svg = first.get_data(as_text=True)
    assert re.search(r'<svg[^>]* width="640"', svg)
    text = "".join(re.findall(r">([^<>]+)</", svg)).replace(" ", "")
    for needle in (
        "Who meets the 2% of GDP rule in 2024",
        f"exported {today}",
        "Source: NATO, Defence Expenditure of NATO Countries (2014-2024)",
    ):
        assert needle.replace(" ", "") in text, needle
    assert again.get_data() == first.get_data()
    png = client.get("/chart/map.png?year=2024&edition=2024-06")
    assert png.status_code == 200 and png.get_data()[:8] == b"\x89PNG\r\n\x1a\n"


def test_share_snippets() -> None:
    out = share_snippets("https://charts.example.org/", "policy=two-tier-2pct&year=2024",
                         "map", alt='Map "by tier"')  # fmt: skip
    assert out["link"] == "https://charts.example.org/?policy=two-tier-2pct&year=2024"
    assert out["image"] == "https://charts.example.org/chart/map.svg?policy=two-tier-2pct&year=2024"
    assert out["iframe"].startswith('<iframe src="https://charts.example.org/?policy=two-tier')
    assert "&amp;year=2024" in out["iframe"]
    assert 'alt="Map &quot;by tier&quot;"' in out["img"]


@needs_browser
def test_every_view_kind_is_served_with_its_own_controls(client: Any) -> None:
    """A trends export takes the view's own control (allies) from the link."""
    url = "/chart/trends.svg?tab=trends&allies=POL,ESP&year=2024&edition=2024-06&size=640"
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    text = "".join(re.findall(r">([^<>]+)</", response.get_data(as_text=True))).replace(" ", "")
    assert "Defenceexpenditureasashareof GDP,2014to2024:Poland,Spain".replace(" ", "") in text
    assert "Source:NATO,DefenceExpenditureofNATOCountries(2014-2024)" in text
    bad = client.get("/chart/editions.svg?ea=2023-07&eb=2024-03&eyear=abc")
    assert bad.status_code == 400 and "\n" not in bad.get_json()["error"]


def test_dashboard_export_links_point_at_the_chart_route() -> None:
    from twotier.render.kinds import KINDS
    from twotier.web.blocks import export_links
    from twotier.web.state import State

    state = State(tab="trends", allies="POL,ESP")
    for kind in KINDS.values():
        (paragraph,) = export_links(kind.graph, state)
        hrefs = [c.href for c in paragraph.children if hasattr(c, "href")]
        assert hrefs == [f"/chart/{kind.name}.{f}?tab=trends&allies=POL%2CESP&size=1200x675"
                         for f in ("png", "svg")]  # fmt: skip
    assert export_links("not-a-chart", state) == []
