"""Negotiation scenarios as TOML: parameters and their uncertainty distributions.

Schema (documented in ``docs/negotiation.md``)::

    [scenario]
    id = "default"
    title = "..."
    description = "..."
    resources_basis = "market"        # or "ppp"
    aid_window = "pre-inauguration"   # or "tracker", "post-inauguration"

    [parameters]            # any of PARAMETERS (numbers) or the two dates (strings)
    cost_ukraine = 0.2
    inauguration_date = "2025-01-20"

    [uncertainty.cost_ukraine]
    distribution = "uniform"   # or "triangular" (then also mode = ...)
    low = 0.05
    high = 0.35

Parsing is strict: unknown keys, wrong types and out-of-range values raise
:class:`twotier.errors.ScenarioError` naming the key path.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from twotier.data.toml_files import loads_toml
from twotier.errors import ScenarioError
from twotier.models.negotiation.params import DATES, PARAMETERS, Uncertainty

__all__ = ["Scenario", "parse_scenario"]


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named set of parameter values (others: defaults) and uncertainties."""

    id: str
    title: str
    description: str
    parameters: tuple[tuple[str, float | str], ...]
    uncertainties: tuple[Uncertainty, ...]
    resources_basis: str = "market"
    aid_window: str = "pre-inauguration"


def _fail(origin: str, path: str, expected: str, found: object) -> ScenarioError:
    return ScenarioError(f"{origin}: key {path}: expected {expected}, found {found!r}", field=path)


def _number(origin: str, path: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(origin, path, "a finite number", value)
    return float(value)


def _check_keys(origin: str, table: object, path: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(table, dict):
        raise _fail(origin, path, "a table", table)
    for key in table:
        if key not in allowed:
            shown = f"{path}.{key}" if path else key
            raise _fail(origin, shown, f"one of {sorted(allowed)}", f"unknown key {key!r}")
    return table


def _parameters(origin: str, raw: object) -> tuple[tuple[str, float | str], ...]:
    table = _check_keys(origin, raw, "parameters", set(PARAMETERS) | set(DATES))
    values: list[tuple[str, float | str]] = []
    for name, value in table.items():
        if name in DATES:
            if not isinstance(value, str) or not _is_date(value):
                raise _fail(origin, f"parameters.{name}", "a date string YYYY-MM-DD", value)
            values.append((name, value))
            continue
        number = _number(origin, f"parameters.{name}", value)
        meta = PARAMETERS[name]
        if not meta.low <= number <= meta.high:
            raise _fail(origin, f"parameters.{name}",
                        f"{meta.low:g} to {meta.high:g} ({meta.unit})", value)  # fmt: skip
        values.append((name, number))
    return tuple(values)


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _uncertainties(origin: str, raw: object) -> tuple[Uncertainty, ...]:
    table = _check_keys(origin, raw, "uncertainty", set(PARAMETERS))
    result = []
    for name, spec in table.items():
        path = f"uncertainty.{name}"
        spec = _check_keys(origin, spec, path, {"distribution", "low", "high", "mode"})
        dist = spec.get("distribution", "uniform")
        if dist not in ("uniform", "triangular"):
            raise _fail(origin, f"{path}.distribution", "'uniform' or 'triangular'", dist)
        for key in ("low", "high"):
            if key not in spec:
                raise _fail(origin, f"{path}.{key}", "a number (required)", None)
        low = _number(origin, f"{path}.low", spec["low"])
        high = _number(origin, f"{path}.high", spec["high"])
        mode = _number(origin, f"{path}.mode", spec["mode"]) if "mode" in spec else None
        try:
            result.append(Uncertainty(name, dist, low, high, mode))
        except ValueError as exc:
            raise ScenarioError(f"{origin}: key {path}: {exc}", field=path) from exc
    return tuple(result)


_ID = re.compile(r"[a-z0-9][a-z0-9.\-_]{0,63}")  # as policy ids


def parse_scenario(text: str, origin: str = "<scenario>") -> Scenario:
    """Parse and validate a scenario document (TOML text)."""
    doc = loads_toml(text, origin=origin, error=ScenarioError)
    _check_keys(origin, doc, "", {"scenario", "parameters", "uncertainty"})
    meta = _check_keys(origin, doc.get("scenario", {}), "scenario",
                       {"id", "title", "description", "resources_basis", "aid_window"})  # fmt: skip
    for key in ("id", "title"):
        value = meta.get(key)
        if not isinstance(value, str) or not value.strip() or "\n" in value:
            raise _fail(origin, f"scenario.{key}", "a non-empty line of text (required)", value)
    if not _ID.fullmatch(meta["id"]):
        plain = "lower-case letters, digits, '.', '-' or '_' (at most 64)"
        raise _fail(origin, "scenario.id", plain, meta["id"])
    description = meta.get("description", "")
    if not isinstance(description, str):
        raise _fail(origin, "scenario.description", "a string", description)
    choices = {"resources_basis": ("market", "ppp"),
               "aid_window": ("pre-inauguration", "tracker", "post-inauguration")}  # fmt: skip
    picked = {}
    for key, accepted in choices.items():
        value = meta.get(key, accepted[0])
        if value not in accepted:
            raise _fail(origin, f"scenario.{key}", " or ".join(repr(a) for a in accepted), value)
        picked[key] = value
    return Scenario(
        id=meta["id"],
        title=meta["title"],
        description=description,
        parameters=_parameters(origin, doc.get("parameters", {})),
        uncertainties=_uncertainties(origin, doc.get("uncertainty", {})),
        **picked,
    )
