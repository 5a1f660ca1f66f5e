"""The dashboard's views, one module each (see :mod:`twotier.web.registry`).

Every module here that defines ``VIEW`` is a tab of the dashboard. :func:`render`
draws the state's view; rendered views are cached by state (views are pure functions
of the state and the loaded data).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from twotier.errors import InputError
from twotier.web.blocks import CURRENT, TABLES
from twotier.web.explain_panel import completeness_note, explain_panel
from twotier.web.state import State, policy_of

__all__ = ["drawn", "policy_of", "render", "table_csv"]


def _data_key() -> int:
    import twotier

    return twotier.load_data().version


def _draw(state: State) -> tuple[Any, ...]:
    from twotier.web.registry import views

    view = next(v for v in views() if v.id == state.tab)
    token = CURRENT.set(state)
    try:
        notes = completeness_note(state) if view.year else []
        return (*notes, *explain_panel(state), *view.render(state))
    finally:
        CURRENT.reset(token)


#: Views drawn by this process, newest last: (state, data version) -> components. Few:
#: repeated answers are replayed as bytes (web/replay.py), and every object kept here is
#: scanned by the garbage collector of a busy worker.
_DRAWN: OrderedDict[tuple[State, int], tuple[Any, ...]] = OrderedDict()
MAX_DRAWN = 64
_LOCK = threading.Lock()


def drawn(state: State) -> tuple[Any, ...] | None:
    """The state's view if this process drew it recently, else None (nothing is drawn)."""
    key = (state, _data_key())
    with _LOCK:
        view = _DRAWN.get(key)
        if view is not None:
            _DRAWN.move_to_end(key)
        return view


def render(state: State) -> Sequence[Any]:
    """Components of the state's view (raises TwotierError on bad state)."""
    view = drawn(state)
    if view is None:
        view = _draw(state)
        with _LOCK:
            _DRAWN[(state, _data_key())] = view
            while len(_DRAWN) > MAX_DRAWN:
                _DRAWN.popitem(last=False)
    return view


def table_csv(state: State, table_id: str) -> str:
    """CSV of one table of a view (draws the view if needed)."""
    render(state)
    if (state, table_id) not in TABLES:  # evicted since the view was cached: draw it again
        _draw(state)
    if (state, table_id) not in TABLES:
        raise InputError(f"table: no table {table_id!r} in the {state.tab} view", field="table")
    return str(TABLES[(state, table_id)].to_csv(index=False))
