"""The view replay cache is bounded in bytes, and a replay is the answer itself.

Review D15 (view cache): a cache bounded by count holds 512 answers of any size; the
budget is now in bytes (request bodies, answers and their gzip forms counted).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twotier
from twotier.web.cache import ByteCache


@settings(max_examples=200, deadline=None)
@given(
    budget=st.integers(1, 500),
    puts=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 200)), max_size=60),
)
def test_byte_cache_keeps_the_most_recent_entries_within_its_budget(
    budget: int, puts: list[tuple[int, int]]
) -> None:
    cache: ByteCache[int] = ByteCache(budget)
    model: list[tuple[int, int]] = []  # (key, size), least recently used first
    for key, size in puts:
        if cache.peek(key) is not None:  # touched: now the most recent
            model = [e for e in model if e[0] != key] + [e for e in model if e[0] == key]
            continue
        cache.put(key, key, size)
        if size <= budget:
            model.append((key, size))
            while sum(s for _, s in model) > budget:
                model.pop(0)
    assert cache.bytes == sum(s for _, s in model) <= budget
    assert [k for k, _ in model] == list(cache._items)


@pytest.fixture(scope="module")
def app() -> Any:
    from twotier.web.app import create_app

    return create_app()


@pytest.fixture()
def client(app: Any) -> Iterator[Any]:
    with app.server.test_client() as c:
        yield c


def _view_body(app: Any, search: str) -> bytes:
    from dash._utils import split_callback_id

    output, spec = next((o, s) for o, s in app.callback_map.items() if "content.children" in o)
    inputs = [
        {"id": d["id"], "property": d["property"], "value": search if d["id"] == "url" else None}
        for d in spec["inputs"]
    ]
    empty = {"options": [], "data": None}
    state = [{**d, "value": empty[d["property"]]} for d in spec["state"]]
    body = {"output": output, "outputs": split_callback_id(output), "inputs": inputs}
    return json.dumps({**body, "state": state, "changedPropIds": ["url.search"]}).encode()


def _post(client: Any, body: bytes, encoding: str = "") -> Any:
    headers = {"Content-Type": "application/json"}
    if encoding:
        headers["Accept-Encoding"] = encoding
    return client.post("/_dash-update-component", data=body, headers=headers)


def test_view_cache_stays_within_its_byte_budget_and_replays_the_same_answer(
    app: Any, client: Any
) -> None:
    cache = app.server.extensions["twotier_view_cache"]
    saved = cache.items
    cache.items = ByteCache(250_000)  # room for about two coverage views (~75 kB + gzip)
    try:
        bodies = [_view_body(app, f"?threshold={2 + i / 100:.2f}&year=2024") for i in range(6)]
        fresh = []
        for body in bodies:
            response = _post(client, body)
            assert response.status_code == 200
            assert "Content-Encoding" not in response.headers
            fresh.append(response.get_data())
        assert 0 < cache.items.bytes <= 250_000
        assert 1 <= len(cache.items) < len(bodies)  # the oldest went first
        # The newest is replayed: same bytes, plain or gzip as the client accepts.
        plain = _post(client, bodies[-1])
        zipped = _post(client, bodies[-1], "gzip, deflate")
        assert plain.get_data() == fresh[-1]
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.get_data()) == fresh[-1]
        # The oldest was dropped: drawn again, to the same answer.
        assert cache.items.peek((bodies[0], id(twotier.load_data()))) is None
        assert _post(client, bodies[0]).get_data() == fresh[0]
        assert cache.items.bytes <= 250_000
    finally:
        cache.items = saved


def test_a_view_drawn_by_one_worker_is_replayed_by_another(app: Any, client: Any) -> None:
    """Two caches on one shared folder stand for two gunicorn workers."""
    from twotier.web.replay import ViewCache

    cache = app.server.extensions["twotier_view_cache"]
    saved = cache.items
    body = _view_body(app, "?threshold=3.17&year=2023")
    try:
        drawn = _post(client, body).get_data()  # drawn here, kept in memory and on disk
        other = ViewCache(shared=cache.shared)  # a second worker: empty memory
        cache.items = other.items
        assert other.items.peek((body, id(twotier.load_data()))) is None
        replay = _post(client, body, "gzip")
        assert replay.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(replay.get_data()) == drawn
        assert len(other.items) == 1  # now in this worker's memory too
    finally:
        cache.items = saved


def test_the_shared_folder_stays_within_its_byte_budget(tmp_path: Any) -> None:
    from twotier.web.replay import SharedFolder

    shared = SharedFolder(max_bytes=10_000, folder=tmp_path)
    for i in range(200):
        shared.write(f"answer-{i:03d}", bytes(1000))
    shared.prune()
    assert shared.size() <= 10_000
    assert shared.read("answer-199") == bytes(1000)  # the newest stay
    assert shared.read("answer-000") is None  # the oldest went
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
