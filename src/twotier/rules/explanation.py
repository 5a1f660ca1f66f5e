"""The frozen answer of :func:`twotier.explain` and its parts."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "SHORTFALL_UNIT",
    "AllianceCounts",
    "CriterionCheck",
    "Explanation",
    "Revision",
    "Shortfall",
    "WhatIf",
]

SHORTFALL_UNIT = "US$ million, current prices and exchange rates"


@dataclass(frozen=True, slots=True, kw_only=True)
class CriterionCheck:
    """One criterion of the policy applied to the ally: its figure against the line.

    ``margin`` is ``value - threshold`` in the indicator's unit (percentage points for
    shares); ``passed`` is missing (``None``) when the figure is unknown or, known
    only to one decimal, too close to the line to place.
    """

    indicator: str
    description: str
    unit: str
    comparison: str
    threshold: float
    basis: str
    years: tuple[int, ...]
    value: float | None
    edition: str | None
    estimate: bool | None
    source: str | None
    passed: bool | None
    margin: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Shortfall:
    """Money needed to reach the first % of GDP criterion: ``max(0, t - v) / 100 * GDP``.

    ``usd_m`` is ``None`` when unknown (no share or no GDP figure), 0 when covered, and
    ``None`` too when the policy has no % of GDP criterion (``applies`` is then False).
    """

    applies: bool
    usd_m: float | None
    unit: str
    threshold_pct: float | None
    value_pct: float | None
    gdp_usd_bn: float | None
    gdp_edition: str | None
    gdp_source: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Revision:
    """The ally's figure (first criterion) and status by one edition's figures alone."""

    edition: str
    title: str
    published: str
    value: float | None
    estimate: bool | None
    source: str | None
    covered: bool | None
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AllianceCounts:
    """How many of the 32 allies are covered, not covered and unknown."""

    covered: int
    uncovered: int
    unknown: int
    shortfall_usd_m: float | None
    uncovered_population_m: float


@dataclass(frozen=True, slots=True, kw_only=True)
class WhatIf:
    """The ally's status if its first criterion's figure were ``value``.

    All else as published: other allies, GDP and spending in US$ keep their figures.
    """

    value: float
    indicator: str
    covered: bool | None
    reason: str
    margin: float | None
    shortfall_usd_m: float | None
    counts: AllianceCounts


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """Why one ally is covered or not under a policy in a year (see :func:`explain`)."""

    iso3: str
    ally: str
    policy: str
    policy_title: str
    year: int
    edition: str
    tier: int | None
    covered: bool | None
    reason: str
    summary: str
    combine: str
    exemption: str | None
    criteria: tuple[CriterionCheck, ...]
    shortfall: Shortfall
    revisions: tuple[Revision, ...]
    counts: AllianceCounts
    what_if: WhatIf | None

    def as_dict(self) -> dict[str, Any]:
        """Plain nested dict (lists instead of tuples) for JSON."""

        def plain(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        result: dict[str, Any] = plain(asdict(self))
        return result
