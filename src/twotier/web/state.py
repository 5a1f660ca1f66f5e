"""The dashboard's state: parsed from and written to the URL's query string.

Everything a view shows is determined by this state, so a link reproduces the view.
Its keys, types and defaults come from the controls declared in
:mod:`twotier.web.registry`. Parsing is strict: a bad value is replaced by its default
and reported, never passed on.
"""

from __future__ import annotations

import base64
import binascii
import functools
from typing import Any
from urllib.parse import parse_qs, urlencode

from twotier.errors import InputError, decimal_number, whole_number
from twotier.web import registry

__all__ = [
    "MAX_UPLOAD",
    "State",
    "coverage_of",
    "decode_toml",
    "encode_toml",
    "parse_state",
    "policy_of",
]

#: Largest uploaded policy file, bytes (the same limit as the CLI).
MAX_UPLOAD = 64 * 1024


class State:
    """One view of the dashboard: every control's value by key (``state.threshold``).

    Immutable and hashable (views are cached by state). Unknown keys are refused.
    """

    __slots__ = ("_items",)

    def __init__(self, **values: Any) -> None:
        controls = registry.controls()
        unknown = set(values) - set(controls)
        if unknown:
            raise TypeError(f"unknown state keys: {sorted(unknown)}")
        items = tuple((k, values.get(k, c.default)) for k, c in controls.items())
        object.__setattr__(self, "_items", items)

    def __getattr__(self, name: str) -> Any:
        for key, value in object.__getattribute__(self, "_items"):
            if key == name:
                return value
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("State is immutable; use replace()")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and self._items == other._items

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"State({', '.join(f'{k}={v!r}' for k, v in self._items)})"

    def as_dict(self) -> dict[str, Any]:
        """Every key and value."""
        return dict(self._items)

    def replace(self, **changes: Any) -> State:
        """A copy with some values changed."""
        return State(**{**self.as_dict(), **changes})

    def query(self) -> str:
        """The query string (only values that differ from the defaults)."""
        controls = registry.controls()
        items = {k: v for k, v in self._items if v != controls[k].default}
        return "?" + urlencode(items) if items else ""


def encode_toml(text: str) -> str:
    """An uploaded policy file as URL-safe base64 (it travels in the link)."""
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii")


def decode_toml(value: str) -> str:
    """The text of an uploaded policy carried in a link (bounded, UTF-8)."""
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise InputError("toml: the uploaded policy in the link is damaged", field="toml") from exc
    if len(raw) > MAX_UPLOAD:
        raise InputError(f"toml: policy larger than {MAX_UPLOAD} bytes", field="toml")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("toml: the uploaded policy is not UTF-8 text", field="toml") from exc


def _convert(raw: str, kind: type, key: str) -> object:
    # The CLI reads --year and --threshold with the same two functions, so a link
    # and a command accept exactly the same spellings (ASCII digits; review D25).
    if kind is int:
        return whole_number(raw, key)
    if kind is float:
        return decimal_number(raw, key)
    return raw


def _shown(value: str) -> str:
    """A refused value as messages repeat it: quoted, at most 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_state(search: str | None) -> tuple[State, list[str]]:
    """State from a query string, and one message per value that was refused."""
    errors: list[str] = []
    if not search:
        return State(), errors
    controls = registry.controls()
    params = parse_qs(search.lstrip("?"), keep_blank_values=True)
    changes: dict[str, object] = {}
    for key, values in params.items():
        if key not in controls:
            name = key if len(key) <= 60 else key[:57] + "..."
            errors.append(f"{name}: unknown parameter; accepted: {', '.join(controls)}")
            continue
        if len(values) > 1:  # which one was meant is not ours to guess
            errors.append(f"{key}: given {len(values)} times; give it once")
            continue
        try:
            changes[key] = _convert(values[0], controls[key].type, key)
        except InputError as exc:
            errors.append(str(exc))
    tabs = registry.view_ids()
    if changes.get("tab", "coverage") not in tabs:
        shown = _shown(str(changes["tab"]))
        errors.append(f"tab: unknown view {shown}; accepted: {', '.join(tabs)}")
        changes.pop("tab")
    return State(**changes), errors


def policy_of(state: State) -> Any:
    """The policy a state selects (slider threshold, built-in, or uploaded file)."""
    import twotier

    if state.policy == "threshold":
        return twotier.resolve_policy(threshold=state.threshold)
    if state.policy == "uploaded":
        if not state.toml:
            raise InputError("policy: no uploaded policy in this link", field="policy")
        return twotier.parse_policy(decode_toml(state.toml), origin="uploaded policy")
    builtins = {p.id for p in twotier.list_policies()}
    if state.policy not in builtins:
        raise InputError(
            f"policy: unknown policy {_shown(state.policy)}; accepted: threshold, uploaded, "
            f"{', '.join(sorted(builtins))}",
            field="policy",
        )
    return twotier.get_policy(state.policy)


def coverage_of(state: State) -> tuple[Any, Any]:
    """The coverage frame of the state's rule, year and edition, and its summary.

    Kept for the last few states, so the parts of one view that show them (the
    completeness note and the coverage view) evaluate and summarise once. Callers
    must not alter the frame.
    """
    import twotier

    return _coverage(policy_of(state), state.year, state.edition, twotier.load_data().version)


@functools.lru_cache(maxsize=8)
def _coverage(policy: Any, year: int, edition: str, data_key: int) -> tuple[Any, Any]:
    import twotier

    frame = twotier.coverage(policy, year, edition)
    return frame, twotier.coverage_summary(frame)
