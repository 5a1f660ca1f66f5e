"""A view update as the few components that changed, not the whole view.

A threshold step changes the coverage view's cards, three of its five charts, some
table cells and links; the Wales and dumbbell charts stay as they are. Sent whole
(``content.children``), the new view makes Dash's renderer mount every component of
the view again, and every chart is drawn anew. Sent as changes, each changed part is
set on the nearest component with an id (``dash_clientside.set_props`` in
``assets/changes.js``): only those components render again; the others, and their
charts, are left as they are.

The server stays the source of truth: the changes are computed here, between the
view the page shows (drawn by the server for the state the page reports) and the new
one, and applying them to the former gives exactly the latter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import Patch
from dash.development.base_component import Component

__all__ = ["MAX_CHANGES", "view_changes"]

#: Most changed parts worth sending as changes (beyond: the whole view).
MAX_CHANGES = 2000

#: A changed part: the component (id) it belongs to, the prop, where in the prop.
_Change = tuple[str, str, tuple[Any, ...], Any]
#: The component with an id that a part belongs to: its id, the prop, where in the prop.
_Owner = tuple[str, str, tuple[Any, ...]] | None


def _kind(node: Any) -> tuple[str, str] | None:
    """(namespace, type) of a component or of its JSON form; None for anything else."""
    if isinstance(node, Component):
        return node._namespace, node._type
    if isinstance(node, dict) and set(node) == {"type", "namespace", "props"}:
        return node["namespace"], node["type"]
    return None


def _props(node: Any) -> dict[str, Any]:
    if isinstance(node, Component):
        # As ``node.to_plotly_json()["props"]`` (its props, then its data-* and aria-*
        # attributes), read from the instance's attributes in one pass: to_plotly_json
        # tests every attribute against every wildcard, the largest part of a diff.
        attrs = vars(node)
        props = {p: attrs[p] for p in node._prop_names if p in attrs}
        wild = tuple(node._valid_wildcard_attributes)
        if wild:
            props.update({k: v for k, v in attrs.items() if k.startswith(wild)})
        return props
    return dict(node["props"])


def _same(old: Any, new: Any) -> bool:
    """Equal as data (components compare by their parts, not by identity)."""
    if old is new:
        return True
    kind = _kind(old)
    if kind is not None:
        if kind != _kind(new):
            return False
        a, b = _props(old), _props(new)
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(old, list | tuple):
        return (
            isinstance(new, list | tuple)
            and len(old) == len(new)
            and all(_same(a, b) for a, b in zip(old, new, strict=True))
        )
    if _kind(new) is not None or isinstance(new, list | tuple):
        return False
    return type(old) is type(new) and bool(old == new)


class _Walk:
    """Collects the changed parts of a view, each relative to a component with an id."""

    def __init__(self, redraw: frozenset[str]) -> None:
        self.redraw = redraw
        self.changes: list[_Change] = []
        self.whole = False  # a change outside every component with an id

    def add(self, owner: _Owner, at: tuple[Any, ...], value: Any) -> None:
        if owner is None:
            self.whole = True
            return
        ident, prop, base = owner
        self.changes.append((ident, prop, base + at, value))

    def node(self, old: Any, new: Any, owner: _Owner, at: tuple[Any, ...]) -> None:
        if type(old) is dict and type(new) is dict and old == new:
            return  # an equal part in JSON form (a table row): compared at C speed
        kind = _kind(new)
        if kind is not None and kind == _kind(old):
            a, b = _props(old), _props(new)
            if a.keys() == b.keys() and a.get("id") == b.get("id"):
                self.component(a, b, owner, at)
                return
        elif (
            isinstance(old, list | tuple) and isinstance(new, list | tuple) and len(old) == len(new)
        ):
            for i, (x, y) in enumerate(zip(old, new, strict=True)):
                self.node(x, y, owner, (*at, i))
            return
        if not _same(old, new):
            self.add(owner, at, new)

    def component(
        self, a: dict[str, Any], b: dict[str, Any], owner: _Owner, at: tuple[Any, ...]
    ) -> None:
        ident = b.get("id")
        own = isinstance(ident, str)
        for key, value in b.items():
            here: _Owner = (ident, key, ()) if isinstance(ident, str) else owner
            where = () if own else (*at, "props", key)
            if key == "children":
                self.node(a[key], value, here, where)
            elif (own and key == "figure" and ident in self.redraw) or not _same(a[key], value):
                self.add(here, where, value)


def view_changes(
    old: Sequence[Any], new: Sequence[Any], *, redraw: frozenset[str] = frozenset()
) -> dict[str, dict[str, Any]] | None:
    """The changes that turn the view ``old`` into ``new``: props to set, by component id.

    ``old`` and ``new`` are a view's components (its ``content.children``). A changed
    prop of a component with an id is set whole (a chart's figure, a card's text); a
    change inside a component without one is a ``Patch`` of the prop of its nearest
    ancestor with an id (a table cell: of the table's children). The figures of the
    graphs in ``redraw`` are set even if equal (the browser may have recoloured them).
    None when the new view is to be sent whole: another outline (a block more or
    fewer), a change outside every component with an id, or too many changes.
    """
    if len(old) != len(new):
        return None
    walk = _Walk(redraw)
    for i, (a, b) in enumerate(zip(old, new, strict=True)):
        walk.node(a, b, None, (i,))
    if walk.whole or len(walk.changes) > MAX_CHANGES:
        return None
    out: dict[str, dict[str, Any]] = {}
    for ident, prop, where, value in walk.changes:
        props = out.setdefault(ident, {})
        if not where:
            props[prop] = value
            continue
        target = props.setdefault(prop, Patch())
        for step in where[:-1]:
            target = target[step]
        target[where[-1]] = value
    return out
