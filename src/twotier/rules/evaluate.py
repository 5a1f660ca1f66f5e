"""The one evaluator every policy goes through (pure: frames in, frames out).

Three-valued logic throughout: a criterion whose figure is unknown is neither
passed nor failed, and an ally whose tier depends on an unknown figure has an
unknown tier (``tier`` and ``covered`` missing), never a guessed one.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd

from twotier.data import NatoData
from twotier.data.select import LATEST, check_edition
from twotier.rules._figures import (
    Allies,
    Figures,
    allies_of,
    basis_of,
    figures_of,
    grace_rises,
    known_year,
)
from twotier.rules.graph import backing_arrays, commitment_arrays
from twotier.rules.policy import Criterion, Policy

__all__ = ["COVERAGE_COLUMNS", "NOT_A_MEMBER", "evaluate_policy"]

#: The reason given for an ally that had not joined NATO in the evaluated year.
NOT_A_MEMBER = "not a member"

#: Columns every coverage frame has, in order (criterion columns follow).
COVERAGE_COLUMNS = [
    "iso3",
    "ally",
    "year",
    "policy",
    "tier",
    "covered",
    "reason",
    "value",
    "indicator",
    "edition",
    "estimate",
    "source",
    "retrieved_from",
    "threshold",
    "margin_pp",
    "value_decimals",
    "value_halfwidth",
    "shortfall_usd_m",
    "gdp_usd_current_bn",
    "gdp_edition",
    "population_m",
    "frontline",
    "armed_forces",
    "member_in_year",
    "exp_usd_current_m",
    "exp_edition",
    "backing_usd_m",
    "backing_share",
    "backing_lost_usd_m",
]


def criterion_columns(criteria: tuple[Criterion, ...]) -> list[str]:
    """Column name of each criterion's figure: the indicator, suffixed by its basis."""
    names: list[str] = []
    for c in criteria:
        name = c.indicator
        if c.basis == "previous_year":
            name += "_previous_year"
        elif c.basis == "mean":
            name += f"_mean{c.window}"
        if name in names:
            name += f"_{len(names)}"
        names.append(name)
    return names


#: Three-valued logic on arrays: (value, known); value is meaningless where not known.
Tri = tuple[np.ndarray, np.ndarray]


def _years(criterion: Criterion, year: int) -> tuple[int, ...]:
    if criterion.basis == "same_year":
        return (year,)
    if criterion.basis == "previous_year":
        return (year - 1,)
    return tuple(range(year - criterion.window + 1, year + 1))


def _passes(figures: Figures, criterion: Criterion) -> Tri:
    """Pass / fail / unknown.

    A figure known only to one decimal whose rounding interval ``[v - h, v + h)``
    straddles the threshold cannot be placed: unknown.
    """
    low, high = figures.value - figures.halfwidth, figures.value + figures.halfwidth
    t = criterion.threshold
    if criterion.comparison == ">=":
        passed, failed = low >= t, high < t  # False where the figure is unknown (NaN)
    else:
        passed, failed = low > t, high <= t
    return passed, passed | failed


def _combine(passes: list[Tri], how: str, n: int) -> Tri:
    """Kleene AND (``all``) or OR (``any``) of the criteria; no criteria: True."""
    if not passes:
        return np.ones(n, dtype=bool), np.ones(n, dtype=bool)
    true = np.array([v & k for v, k in passes])
    false = np.array([~v & k for v, k in passes])
    if how == "all":
        value = np.asarray(true.all(axis=0))
        return value, value | np.asarray(false.any(axis=0))
    value = np.asarray(true.any(axis=0))
    return value, value | np.asarray(false.all(axis=0))


def _grace(data: NatoData, policy: Policy, year: int, edition: str, n: int) -> Tri:
    """True where the first criterion's indicator rose fast enough (credible path)."""
    if policy.grace is None or policy.primary is None:
        return np.zeros(n, dtype=bool), np.ones(n, dtype=bool)
    grace = policy.grace
    # The rise is read from one edition (both years), never across two.
    rises = grace_rises(data, policy.primary.indicator, (year - grace.years, year), edition)
    needed = round(grace.min_annual_rise_pp * grace.years * 100)
    value = np.array([r is not None and r >= needed for r in rises], dtype=bool)
    return value, np.array([r is not None for r in rises], dtype=bool)


def _tier(policy: Policy, passed: Tri, graced: Tri, exempt: np.ndarray) -> Tri:
    value, known = passed[0].copy(), passed[1].copy()
    failed = known & ~value
    # A failed ally on a credible path is covered; one whose path is unknown is unknown.
    rescued = failed & graced[0] & graced[1]
    value |= rescued
    if policy.grace is not None:
        known &= ~(failed & ~graced[1])
    return value | exempt, known | exempt


def _reasons(
    policy: Policy, passed: Tri, graced: Tri, first: Figures, exempt: np.ndarray
) -> np.ndarray:
    n = len(exempt)
    if not policy.criteria:
        return np.full(n, "no condition", dtype=object)
    reason = np.full(n, "meets criteria", dtype=object)
    failed = passed[1] & ~passed[0]
    reason[failed] = "below threshold"
    reason[~passed[1]] = "no figures"
    reason[~passed[1] & first.known] = "too close to call (rounded figure)"
    reason[graced[0] & graced[1] & failed] = "grace"
    if policy.grace is not None:
        reason[~graced[1] & failed] = "below threshold; path unknown"
    reason[exempt] = "exempt"
    return reason


def _floats(values: np.ndarray, known: np.ndarray) -> pd.arrays.FloatingArray:
    """Nullable floats: missing where not known."""
    return pd.arrays.FloatingArray(np.where(known, values, 0.0), ~known)


def _booleans(tri: Tri) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(tri[0] & tri[1], ~tri[1])


def _shortfall(
    policy: Policy, figures: list[Figures], gdp: Figures, covered: Tri, member: np.ndarray
) -> pd.arrays.FloatingArray:
    """US$ m to add to reach the first % of GDP criterion: ``max(0, t - v)/100 * GDP``."""
    gdp_criteria = [(c, f) for c, f in zip(policy.criteria, figures, strict=False)
                    if c.indicator == "pct_gdp"]  # fmt: skip
    n = len(member)
    if not gdp_criteria:
        return _floats(np.zeros(n), np.zeros(n, dtype=bool))
    c, value = gdp_criteria[0]
    gap = np.clip(c.threshold - value.value, 0, None)
    shortfall = np.round(gap / 100 * gdp.value * 1000, 1)
    known = value.known & gdp.known
    # Covered allies owe nothing, whether or not their GDP is known.
    owe_nothing = covered[0] & covered[1]
    shortfall[owe_nothing] = 0.0
    return _floats(shortfall, (known | owe_nothing) & member)


def _backing(
    policy: Policy, allies: Allies, covered: Tri, exp: Figures
) -> dict[str, pd.arrays.FloatingArray]:
    """Backing columns from the commitment graph (see :mod:`twotier.rules.graph`)."""
    guarantors = policy.guarantee.guarantors
    conditional = np.array([guarantors == "all" or c in guarantors for c in allies.iso3])
    value, known = commitment_arrays(
        covered[0] & covered[1], covered[1], conditional,
        only_tier1_defend=policy.guarantee.only_tier1_defend,
    )  # fmt: skip
    # Without armed forces and figures: adds 0; a non-member guarantees no one, adds nothing.
    contribution = np.where(~exp.known & ~allies.armed_forces, 0.0, exp.value)
    contribution[~allies.member] = 0.0
    sums, unknown = backing_arrays(value & known, known, contribution)
    backed = _floats(sums, ~unknown & allies.member)
    n = len(sums)
    if np.isnan(contribution).any():
        missing = _floats(np.zeros(n), np.zeros(n, dtype=bool))
        return {"backing_usd_m": backed, "backing_share": missing, "backing_lost_usd_m": missing}
    total = cast(Any, _floats(contribution, np.ones(n, dtype=bool))).sum()
    return {
        "backing_usd_m": backed,
        "backing_share": (backed / total).round(6),
        "backing_lost_usd_m": (total - backed).round(1),
    }


def _criteria(
    data: NatoData, policy: Policy, year: int, edition: str
) -> tuple[list[Figures], list[Tri], dict[str, object]]:
    """Each criterion's figures, pass/fail, and its output columns."""
    primary = policy.primary or Criterion(indicator="pct_gdp", threshold=0.0)
    criteria = policy.criteria or (primary,)
    figures = [figures_of(data, c.indicator, _years(c, year), edition) for c in criteria]
    passes = [_passes(f, c) for c, f in zip(criteria, figures, strict=True)]
    columns: dict[str, object] = {}
    if policy.criteria:
        for name, f, p in zip(criterion_columns(criteria), figures, passes, strict=True):
            columns[name] = _floats(f.value, f.known)
            columns[f"{name}_edition"] = list(f.edition)
            columns[f"{name}_estimate"] = pd.array(f.estimate, dtype="boolean")
            columns[f"{name}_passed"] = _booleans(p)
    return figures, passes if policy.criteria else [], columns


def evaluate_policy(
    data: NatoData, policy: Policy, year: int, edition: str = LATEST
) -> pd.DataFrame:
    """Evaluate ``policy`` for every member in ``year`` by the figures of ``edition``.

    Returns
    -------
    DataFrame
        One row per member (32), sorted by ``iso3``, columns :data:`COVERAGE_COLUMNS`
        followed by, for each criterion indicator ``X``: ``X``, ``X_edition``,
        ``X_estimate``, ``X_passed``. ``tier`` is 1 (covered), 2 (not covered) or
        missing (unknown); ``covered`` is True/False/missing. ``value``, ``edition``,
        ``estimate``, ``source``, ``threshold`` and ``margin_pp`` describe the first
        criterion (or NATO's headline % of GDP for a policy without criteria);
        ``value_decimals`` and ``value_halfwidth`` say how precisely ``value`` is
        known: the true figure lies in ``[value - value_halfwidth, value +
        value_halfwidth)`` (half-width 0 for figures as NATO publishes them, 0.05
        points for a share known to one decimal; missing with ``value``).
        ``frame.attrs`` records policy, year and edition.
    """
    check_edition(data, edition)
    primary = policy.primary or Criterion(indicator="pct_gdp", threshold=0.0)
    known_year(data, year, edition, primary.indicator)
    allies = allies_of(data, year)
    n, member = len(allies.iso3), allies.member
    figures, passes, extra = _criteria(data, policy, year, edition)
    first = figures[0]
    passed = _combine(passes, policy.combine, n)
    graced = _grace(data, policy, year, edition, n)
    exempt = np.array([c in policy.exempt for c in allies.iso3], dtype=bool)
    value, known = _tier(policy, passed, graced, exempt)
    covered = (value, known & member)
    reason = _reasons(policy, passed, graced, first, exempt)
    reason[~member] = NOT_A_MEMBER
    gdp = figures_of(data, "gdp_usd_current_bn", (year,), edition)
    exp = figures_of(data, "exp_usd_current_m", (year,), edition)
    value_column: Any = _floats(first.value, first.known)
    threshold = primary.threshold if policy.criteria else float("nan")
    decimals = np.where(first.halfwidth >= 0.05, 1, 2)
    columns: dict[str, object] = {
        "iso3": list(allies.iso3),
        "ally": list(allies.ally),
        "year": np.full(n, year, dtype=np.int64),
        "policy": [policy.id] * n,
        "tier": pd.arrays.IntegerArray(np.where(value, 1, 2), ~covered[1]),
        "covered": _booleans(covered),
        "reason": pd.Series(reason, dtype=object),
        "value": value_column,
        "indicator": [primary.indicator] * n,
        "edition": list(first.edition),
        "estimate": pd.array(first.estimate, dtype="boolean"),
        "source": list(first.source),
        "retrieved_from": list(first.retrieved_from),
        "threshold": np.full(n, threshold),
        "margin_pp": (value_column - threshold).round(4),
        "value_decimals": pd.arrays.IntegerArray(decimals, ~first.known),
        "value_halfwidth": _floats(first.halfwidth, first.known),
        "shortfall_usd_m": _shortfall(policy, figures, gdp, covered, member),
        "gdp_usd_current_bn": _floats(gdp.value, gdp.known),
        "gdp_edition": pd.array(list(gdp.edition)),
        "population_m": allies.population_m.copy(),
        "frontline": allies.frontline.copy(),
        "armed_forces": allies.armed_forces.copy(),
        "member_in_year": member.copy(),
        "exp_usd_current_m": _floats(exp.value, exp.known),
        "exp_edition": pd.array(list(exp.edition)),
        **_backing(policy, allies, covered, exp),
        **extra,
    }
    out = pd.DataFrame(columns)
    used = sorted({e for e in first.edition if e is not None})
    out.attrs = {
        "policy": policy.id,
        "title": policy.title,
        "year": year,
        "edition": edition,
        "bases": {e: basis_of(data, e) for e in used},
        "guarantors": policy.guarantee.guarantors,
    }
    return out
