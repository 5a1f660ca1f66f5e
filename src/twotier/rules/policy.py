"""Policies as data: the dataclasses and the strict TOML reader.

A policy says which allies are in tier 1 (covered by the guarantee) and who is
bound to defend whom. It is read from TOML with the bounded reader
:func:`twotier.data.toml_files.loads_toml` and checked key by
key; nothing in a policy file is executed. The schema is documented in
``docs/policies.md``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from twotier._arguments import check_fields, checked
from twotier.data import INDICATORS, MEMBERS
from twotier.data.toml_files import loads_toml
from twotier.errors import PolicyError

__all__ = [
    "Criterion",
    "Exemption",
    "Grace",
    "Guarantee",
    "Policy",
    "parse_policy",
]

Comparison = Literal[">=", ">"]
Basis = Literal["same_year", "previous_year", "mean"]

# Used with fullmatch: "$" alone would also accept a final newline.
_ID = re.compile(r"[a-z0-9][a-z0-9.\-_]{0,63}")
_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


@dataclass(frozen=True, slots=True, kw_only=True)
class Criterion:
    """One test an ally must pass: ``indicator comparison threshold``.

    ``basis`` says which year's figure counts: the evaluated year
    (``same_year``), the year before (``previous_year``), or the mean of the last
    ``window`` years up to the evaluated year (``mean``; every one of them must
    have a figure, otherwise the result is unknown).
    """

    indicator: str
    threshold: float
    comparison: Comparison = ">="
    basis: Basis = "same_year"
    window: int = 1

    def __post_init__(self) -> None:
        check_fields(self, PolicyError)  # types first: "x" as a threshold is one line
        if self.indicator not in INDICATORS:
            raise PolicyError(
                f"indicator must be one of {sorted(INDICATORS)}, got {self.indicator!r}"
            )
        if not math.isfinite(self.threshold) or self.threshold < 0:
            raise PolicyError(f"threshold must be a finite number >= 0, got {self.threshold!r}")
        if self.comparison not in (">=", ">"):
            raise PolicyError(f"comparison must be '>=' or '>', got {self.comparison!r}")
        if self.basis not in ("same_year", "previous_year", "mean"):
            raise PolicyError(f"basis must be same_year, previous_year or mean, got {self.basis!r}")
        if not 1 <= self.window <= 10:
            raise PolicyError(f"window must be 1 to 10 years, got {self.window!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Grace:
    """A "credible path" clause.

    An ally below the line still counts as tier 1 if its first criterion's indicator
    rose by at least ``min_annual_rise_pp`` percentage points a year over the last
    ``years`` years.
    """

    min_annual_rise_pp: float
    years: int = 1

    def __post_init__(self) -> None:
        check_fields(self, PolicyError)
        if not math.isfinite(self.min_annual_rise_pp) or self.min_annual_rise_pp <= 0:
            raise PolicyError(
                f"min_annual_rise_pp must be a number > 0, got {self.min_annual_rise_pp!r}"
            )
        if not 1 <= self.years <= 10:
            raise PolicyError(f"years must be 1 to 10, got {self.years!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Exemption:
    """An ally to which the spending condition does not apply (it stays covered)."""

    iso3: str
    reason: str

    def __post_init__(self) -> None:
        check_fields(self, PolicyError)


@dataclass(frozen=True, slots=True, kw_only=True)
class Guarantee:
    """Who applies the condition when deciding whom to defend.

    ``guarantors="all"``: every ally defends only tier-1 allies. A tuple of ISO-3
    codes (``("USA",)``): only those allies apply the condition; every other ally
    keeps defending everyone. ``only_tier1_defend``: allies outside tier 1 are not
    bound to defend anyone but themselves (a "club").
    """

    guarantors: Literal["all"] | tuple[str, ...] = "all"
    only_tier1_defend: bool = False

    def __post_init__(self) -> None:
        check_fields(self, PolicyError)


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """A coverage rule: tier-1 criteria plus the guarantee they condition.

    A policy with no criteria covers every member (today's Article 5).
    """

    id: str
    title: str
    source: str
    date: str
    status: str = "unspecified"
    description: str = ""
    source_urls: tuple[str, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    combine: Literal["all", "any"] = "all"
    grace: Grace | None = None
    exemptions: tuple[Exemption, ...] = ()
    guarantee: Guarantee = field(default_factory=Guarantee)

    def __post_init__(self) -> None:
        check_fields(self, PolicyError)

    @property
    def primary(self) -> Criterion | None:
        """The first criterion: its value, margin and shortfall are reported."""
        return self.criteria[0] if self.criteria else None

    @property
    def exempt(self) -> dict[str, str]:
        """Exempt allies and the reason for each."""
        return {e.iso3: e.reason for e in self.exemptions}


# --------------------------------------------------------------------------- parsing

_TOP_KEYS = {"policy", "tier1", "guarantee"}
_POLICY_KEYS = {"id", "title", "source", "date", "status", "description", "source_urls"}
_TIER1_KEYS = {"combine", "criteria", "grace", "exemptions"}
_CRITERION_KEYS = {"indicator", "comparison", "threshold", "basis", "window"}
_GRACE_KEYS = {"min_annual_rise_pp", "years"}
_EXEMPTION_KEYS = {"iso3", "reason"}
_GUARANTEE_KEYS = {"guarantors", "only_tier1_defend"}


class _Reader:
    """Checks a parsed TOML document key by key, naming the key path on error."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, path: str, expected: str, found: object) -> PolicyError:
        shown = repr(found)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return PolicyError(
            f"{self.origin}: key {path}: expected {expected}, found {shown}", field=path
        )

    def table(self, value: object, path: str, allowed: set[str]) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, "a table", value)
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(
                f"{path}.{unknown[0]}" if path else unknown[0],
                f"one of the keys {sorted(allowed)}",
                f"unknown key {unknown[0]!r}",
            )
        return value

    def string(
        self, table: Mapping[str, Any], key: str, path: str, *, required: bool = True
    ) -> str:
        if key not in table:
            if required:
                raise self.fail(f"{path}.{key}", "a string (required)", "nothing")
            return ""
        value = table[key]
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", "a string", value)
        return value

    def number(self, table: Mapping[str, Any], key: str, path: str, default: float | None) -> float:
        if key not in table:
            if default is None:
                raise self.fail(f"{path}.{key}", "a number (required)", "nothing")
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{path}.{key}", "a number", value)
        return float(value)

    def integer(self, table: Mapping[str, Any], key: str, path: str, default: int) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"{path}.{key}", "a whole number", value)
        return value

    def choice(
        self, table: Mapping[str, Any], key: str, path: str, choices: tuple[str, ...]
    ) -> str:
        value = table.get(key, choices[0])
        if value not in choices:
            raise self.fail(f"{path}.{key}", f"one of {list(choices)}", value)
        return str(value)

    def iso3(self, value: object, path: str) -> str:
        if not isinstance(value, str) or value not in MEMBERS:
            raise self.fail(path, "the ISO-3 code of a NATO member, e.g. 'USA'", value)
        return value


def _criterion(r: _Reader, raw: object, path: str) -> Criterion:
    t = r.table(raw, path, _CRITERION_KEYS)
    indicator = r.string(t, "indicator", path)
    if indicator not in INDICATORS:
        raise r.fail(f"{path}.indicator", f"one of {sorted(INDICATORS)}", indicator)
    threshold = r.number(t, "threshold", path, None)
    ceiling = max(100.0, INDICATORS[indicator].high)  # 100 % as everywhere, or the data's range
    if not math.isfinite(threshold) or not 0 <= threshold <= ceiling:
        raise r.fail(f"{path}.threshold", f"a number from 0 to {ceiling:g}", threshold)
    window = r.integer(t, "window", path, 1)
    if not 1 <= window <= 10:
        raise r.fail(f"{path}.window", "a whole number from 1 to 10", window)
    return Criterion(
        indicator=indicator,
        threshold=threshold,
        comparison=r.choice(t, "comparison", path, (">=", ">")),  # type: ignore[arg-type]
        basis=r.choice(t, "basis", path, ("same_year", "previous_year", "mean")),  # type: ignore[arg-type]
        window=window,
    )


def _grace(r: _Reader, raw: object, path: str) -> Grace:
    t = r.table(raw, path, _GRACE_KEYS)
    rise = r.number(t, "min_annual_rise_pp", path, None)
    if not math.isfinite(rise) or rise <= 0:
        raise r.fail(f"{path}.min_annual_rise_pp", "a number > 0", rise)
    years = r.integer(t, "years", path, 1)
    if not 1 <= years <= 10:
        raise r.fail(f"{path}.years", "a whole number from 1 to 10", years)
    return Grace(min_annual_rise_pp=rise, years=years)


def _list(r: _Reader, value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise r.fail(path, "an array", value)
    return value


def _tier1(r: _Reader, raw: object) -> dict[str, Any]:
    t = r.table(raw, "tier1", _TIER1_KEYS)
    criteria = tuple(
        _criterion(r, c, f"tier1.criteria[{i}]")
        for i, c in enumerate(_list(r, t.get("criteria", []), "tier1.criteria"))
    )
    exemptions = []
    for i, e in enumerate(_list(r, t.get("exemptions", []), "tier1.exemptions")):
        path = f"tier1.exemptions[{i}]"
        et = r.table(e, path, _EXEMPTION_KEYS)
        exemptions.append(
            Exemption(
                iso3=r.iso3(et.get("iso3"), f"{path}.iso3"), reason=r.string(et, "reason", path)
            )
        )
    return {
        "criteria": criteria,
        "combine": r.choice(t, "combine", "tier1", ("all", "any")),
        "grace": _grace(r, t["grace"], "tier1.grace") if "grace" in t else None,
        "exemptions": tuple(exemptions),
    }


def _guarantee(r: _Reader, raw: object) -> Guarantee:
    t = r.table(raw, "guarantee", _GUARANTEE_KEYS)
    guarantors_raw = t.get("guarantors", "all")
    guarantors: Literal["all"] | tuple[str, ...]
    if guarantors_raw == "all":
        guarantors = "all"
    elif isinstance(guarantors_raw, list) and guarantors_raw:
        guarantors = tuple(
            r.iso3(g, f"guarantee.guarantors[{i}]") for i, g in enumerate(guarantors_raw)
        )
    else:
        raise r.fail(
            "guarantee.guarantors", '"all" or a non-empty array of ISO-3 codes', guarantors_raw
        )
    only = t.get("only_tier1_defend", False)
    if not isinstance(only, bool):
        raise r.fail("guarantee.only_tier1_defend", "true or false", only)
    return Guarantee(guarantors=guarantors, only_tier1_defend=only)


def _line(r: _Reader, text: str, path: str, most: int) -> str:
    """A title-like text: one line of at most ``most`` characters (shown in headlines)."""
    if "\n" in text or "\t" in text or len(text) > most:
        raise r.fail(path, f"one line of at most {most} characters", text[:60])
    return text


def _on_calendar(date: str) -> bool:
    """True if a YYYY, YYYY-MM or YYYY-MM-DD text names a real month or day."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


@checked
def parse_policy(text: str | bytes, origin: str = "<policy>") -> Policy:
    """Parse and validate a policy document (TOML text).

    Parameters
    ----------
    text
        The TOML document (bytes are read as UTF-8).
    origin
        The file name, used in error messages.

    Raises
    ------
    PolicyError
        One line naming ``origin``, the line (syntax errors) or the key path, what
        was expected and what was found.
    InputError
        If ``text`` is not text or bytes (``None``, a number).
    """
    doc = loads_toml(text, origin=origin, error=PolicyError)
    r = _Reader(origin)
    r.table(doc, "", _TOP_KEYS)
    if "policy" not in doc:
        raise r.fail("policy", "a [policy] table with id, title, source and date", "nothing")
    meta = r.table(doc["policy"], "policy", _POLICY_KEYS)
    policy_id = r.string(meta, "id", "policy")
    if not _ID.fullmatch(policy_id):
        raise r.fail(
            "policy.id", "lower-case letters, digits, '.', '-' or '_' (at most 64)", policy_id
        )
    title = _line(r, r.string(meta, "title", "policy"), "policy.title", 200)
    source = _line(r, r.string(meta, "source", "policy"), "policy.source", 500)
    date = r.string(meta, "date", "policy")
    if not _DATE.fullmatch(date) or not _on_calendar(date):
        raise r.fail("policy.date", "a date YYYY, YYYY-MM or YYYY-MM-DD", date)
    urls = _list(r, meta.get("source_urls", []), "policy.source_urls")
    for i, url in enumerate(urls):
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise r.fail(f"policy.source_urls[{i}]", "an http(s) URL", url)
    tier1 = _tier1(r, doc.get("tier1", {}))
    guarantee = _guarantee(r, doc.get("guarantee", {}))
    if tier1["grace"] is not None and not tier1["criteria"]:
        raise r.fail("tier1.grace", "criteria to relax (tier1.criteria is empty)", "a grace table")
    return Policy(
        id=policy_id,
        title=title,
        source=source,
        date=date,
        status=r.string(meta, "status", "policy", required=False) or "unspecified",
        description=r.string(meta, "description", "policy", required=False),
        source_urls=tuple(urls),
        guarantee=guarantee,
        **tier1,
    )
