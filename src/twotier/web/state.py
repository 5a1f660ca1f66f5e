"""The dashboard's state: parsed from and written to the URL's query string.

Everything a view shows is determined by this state, so a link reproduces the view.
Parsing is strict: a bad value is replaced by its default and reported, never passed on.
"""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import asdict, dataclass, fields, replace
from urllib.parse import parse_qs, urlencode

from twotier.errors import InputError

__all__ = ["TABS", "State", "decode_toml", "encode_toml", "parse_state"]

TABS = ("coverage", "editions", "trends", "compare", "projections", "negotiation")

#: Largest uploaded policy file, bytes (the same limit as the CLI).
MAX_UPLOAD = 64 * 1024


@dataclass(frozen=True)
class State:
    """One view of the dashboard."""

    tab: str = "coverage"
    policy: str = "threshold"  # "threshold" (the slider), a built-in id, or "uploaded"
    threshold: float = 2.0
    year: int = 2024
    edition: str = "latest"
    ea: str = "2023-07"  # editions view: older edition
    eb: str = "2024-03"  # newer edition
    eyear: int = 2023
    allies: str = "POL,DEU,FRA,ESP,USA"  # trends view
    policies: str = "article5,two-tier-2pct,us-guarantee-2pct"  # compare view
    horizon: int = 2035  # projections view
    scenario: str = "constant"
    draws: int = 5000
    seed: int = 0
    toml: str = ""  # uploaded policy, URL-safe base64

    def query(self) -> str:
        """The query string (only values that differ from the defaults)."""
        default = State()
        items = {k: v for k, v in asdict(self).items() if v != getattr(default, k)}
        return "?" + urlencode(items) if items else ""


def encode_toml(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii")


def decode_toml(value: str) -> str:
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


def _convert(raw: str, kind: type) -> object:
    if kind is int:
        return int(raw)
    if kind is float:
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError
        return value
    return raw


def parse_state(search: str | None) -> tuple[State, list[str]]:
    """State from a query string, and one message per value that was refused."""
    state = State()
    errors: list[str] = []
    if not search:
        return state, errors
    params = parse_qs(search.lstrip("?"), keep_blank_values=True)
    types = {f.name: type(getattr(state, f.name)) for f in fields(State)}
    changes: dict[str, object] = {}
    for key, values in params.items():
        if key not in types:
            errors.append(f"{key}: unknown parameter; accepted: {', '.join(types)}")
            continue
        try:
            changes[key] = _convert(values[-1], types[key])
        except ValueError:
            kind = {int: "a whole number", float: "a number"}.get(types[key], "text")
            errors.append(f"{key}: expected {kind}, found {values[-1]!r}")
    if changes.get("tab", state.tab) not in TABS:
        errors.append(f"tab: unknown view {changes['tab']!r}; accepted: {', '.join(TABS)}")
        changes.pop("tab")
    return replace(state, **changes), errors  # type: ignore[arg-type]
