"""A lighter page: partial plotly bundle with every trace the views draw, compression,
cache headers."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from typing import Any

import pytest
from dash import dcc

from twotier.web import registry, static
from twotier.web.state import State
from twotier.web.views import render


def _graphs(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dcc.Graph):
        yield node.figure
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str):
            yield from _graphs(child)


def _bundle_traces() -> set[str]:
    text = static.BUNDLE.read_text(encoding="utf-8")
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', text))


def test_bundle_holds_exactly_the_declared_traces() -> None:
    assert _bundle_traces() == set(static.PLOTLY_TRACES)


@pytest.mark.parametrize("view", [v.id for v in registry.views()])
def test_every_chart_of_every_view_is_drawable_by_the_bundle(view: str) -> None:
    figures = [f for block in render(State(tab=view, draws=200)) for f in _graphs(block)]
    assert figures, view
    used = {trace.get("type", "scatter") for f in figures for trace in f["data"]}
    assert used <= _bundle_traces(), used - _bundle_traces()


@pytest.fixture(scope="module")
def client() -> Any:
    from twotier.web.app import create_app

    return create_app().server.test_client()


def test_plotly_url_answers_the_partial_bundle_gzipped_with_cache_headers(client: Any) -> None:
    r = client.get(static.PLOTLY_URL, headers={"Accept-Encoding": "gzip, br"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(r.data) == static.BUNDLE.read_bytes()
    assert "max-age" in r.headers["Cache-Control"]
    again = client.get(static.PLOTLY_URL, headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    page = client.get("/").get_data(as_text=True)
    assert f'<script src="{static.PLOTLY_URL}" async></script>' in page


def test_answers_are_compressed_and_versioned_files_cached_long(client: Any) -> None:
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert layout.headers["Content-Encoding"] == "gzip"
    plain = client.get("/_dash-layout")
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(layout.data) == plain.data
    css = client.get("/assets/style.css?m=1")
    assert css.headers["Cache-Control"] == "public, max-age=31536000"
    unversioned = client.get("/assets/a11y.js")
    assert "max-age=3600" in unversioned.headers["Cache-Control"]
