"""A view update is sent as changes only against a view this process drew itself."""

from __future__ import annotations

import twotier
from twotier.web import update, views
from twotier.web.replay import data_token
from twotier.web.state import State


def _shown(state: State) -> dict[str, str]:
    return {"query": state.query(), "data": data_token(twotier.load_data())}


def test_changes_against_a_view_drawn_here_and_whole_view_otherwise() -> None:
    before, after = State(threshold=2.31, year=2023), State(threshold=2.36, year=2023)
    views.render(before)
    content = views.render(after)
    changes = update._changes(content, after, _shown(before))
    assert changes is not None and "map" in changes  # the recoloured chart, always sent
    assert "wales" not in changes  # the chart a threshold does not change

    # Not drawn here (another worker drew it, or it is long gone): the whole view, and
    # the old view is not drawn again for the comparison.
    with views._LOCK:
        views._DRAWN.clear()
    content = views.render(after)
    assert update._changes(content, after, _shown(before)) is None
    assert views.drawn(before) is None


def test_views_drawn_are_kept_newest_last_within_the_bound() -> None:
    with views._LOCK:
        views._DRAWN.clear()
    states = [State(threshold=round(1 + i / 100, 2), year=2022) for i in range(views.MAX_DRAWN + 3)]
    for state in states:
        views.render(state)
    assert len(views._DRAWN) == views.MAX_DRAWN
    assert views.drawn(states[0]) is None and views.drawn(states[2]) is None
    assert views.drawn(states[3]) is not None  # now the newest
    assert next(reversed(views._DRAWN))[0] == states[3]
